#!/usr/bin/env bash
# The console tests and the PDF checks need Debian's chromium and poppler-utils (pdfsig).
# Installed when missing, from Debian's packages: never a browser download.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdfsig >/dev/null 2>&1 || missing+=(poppler-utils)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "tests need: ${missing[*]} (apt-get install -y ${missing[*]})" >&2
  exit 1
fi
echo "== installing ${missing[*]} from Debian's packages"
apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
