"""console/js/strings.js: the console's words in the four languages, generated from the message
catalogue (config/locale/*.po, config/messages.py) by `mandates export-console-strings` (`make schema`).
tests/config/test_messages.py fails when the committed file differs from the catalogue, so the console
and the server cannot drift apart. The server's own messages (API errors, the authorisation PDF,
notifications) stay out of the console's file: the server renders those itself.
"""

from __future__ import annotations

import json

from config.messages import LANGUAGES, catalogue

SERVER_ONLY = ("api.", "pdf.", "notice.", "export.")  # keys the server renders; the console never shows them


def console_keys() -> list[str]:
    return [key for key in catalogue("en") if not key.startswith(SERVER_ONLY)]


def console_strings() -> str:
    keys = console_keys()
    strings = {language: {key: catalogue(language)[key] for key in keys} for language in LANGUAGES}
    return (
        "// Generated from config/locale/*.po by `mandates export-console-strings` (make schema): do not edit.\n"
        "// To add or change a word, edit the four .po files (see console/README.md) and run `make schema`.\n"
        f"export const STRINGS = {json.dumps(strings, ensure_ascii=False, indent=2)};\n"
    )
