"""Operations item 5: the wheel works once installed outside the checkout, built and installed by the
Dockerfile's own steps.

There is no Docker daemon on the test machines, so the packaging test follows the Dockerfile instead:
it copies the checkout as the build context (without what .dockerignore leaves out), runs the npm,
wheel and install RUN steps verbatim (their text is read from the Dockerfile) with `python` being a
fresh virtual environment's, then migrates, loads the demo and serves the installed wheel with the
image's CMD from a temporary directory, and checks what a browser and a client get.

Offline: the fresh environment (`venv --without-pip`) sees the project's .venv site-packages through a
.pth naming a folder of links to it *without mandates itself* (its dist-info and editable hooks). pip
then finds the pinned dependencies, and setuptools at the build-system pin, already installed, and
PIP_NO_INDEX forbids any download; the only `mandates` it can import is the wheel's. The build runs
without build isolation (in the image, pip fetches the same pinned setuptools into an isolated one).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import tomllib
import urllib.request
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as installed_version
from pathlib import Path

import pytest
import yaml

from config.endpoints import GRAPHIQL_ASSETS, GRAPHIQL_PAGE_FILES
from config.graphiql_page import examples
from config.settings import ROOT


def _port() -> int:
    """PACKAGING_TEST_PORT, else a free port of 127.0.0.1, for the installed wheel's server."""
    if os.environ.get("PACKAGING_TEST_PORT"):
        return int(os.environ["PACKAGING_TEST_PORT"])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


PORT = _port()
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
VERSION = PYPROJECT["project"]["version"]
SETUPTOOLS_PIN = next(r.split("==")[1] for r in PYPROJECT["build-system"]["requires"] if r.startswith("setuptools=="))
# The Dockerfile's RUN steps the packaging test runs, by stage, and the one it stands in for: the
# runtime user and /data need root; the test uses a temporary HOME instead and checks where data went.
FOLLOWED = {"graphiql": "npm ci ", "wheel": "pip wheel ", "runtime": "pip install "}
IMAGE_ONLY = "useradd "


def _setuptools() -> str | None:
    try:
        return installed_version("setuptools")
    except PackageNotFoundError:
        return None


needs_offline_build = pytest.mark.skipif(
    shutil.which("npm") is None or _setuptools() != SETUPTOOLS_PIN,
    reason=f"needs npm and setuptools=={SETUPTOOLS_PIN} in .venv (`make install`) to build the wheel without a network",
)


@dataclass(frozen=True)
class Instruction:
    stage: str
    keyword: str
    arguments: str


def dockerfile() -> list[Instruction]:
    text = re.sub(r"\\\n\s*", "", (ROOT / "Dockerfile").read_text(encoding="utf-8"))
    instructions, stage = [], ""
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, arguments = line.partition(" ")
        if keyword.upper() == "FROM":
            stage = arguments.split(" AS ")[-1].strip()
        if keyword.upper() == "RUN":  # the shell command, without BuildKit's options (--mount=...)
            arguments = re.sub(r"^(--\S+\s+)*", "", arguments.strip())
        instructions.append(Instruction(stage, keyword.upper(), arguments.strip()))
    return instructions


def followed_steps() -> dict[str, str]:
    """The RUN lines the packaging test runs, by stage (each found exactly once)."""
    runs = [i for i in dockerfile() if i.keyword == "RUN"]
    steps = {}
    for stage, command in FOLLOWED.items():
        found = [i.arguments for i in runs if i.stage == stage and command in i.arguments]
        assert len(found) == 1, f"the Dockerfile's {stage} stage should have one RUN with `{command.strip()}`: {found}"
        steps[stage] = found[0]
    return steps


def image_cmd() -> list[str]:
    (cmd,) = [json.loads(i.arguments) for i in dockerfile() if i.keyword == "CMD"]
    return cmd


def test_packaging_every_dockerfile_run_step_is_followed_by_the_packaging_test_or_named_image_only():
    """A RUN step added to the Dockerfile fails here until the packaging test runs it too (FOLLOWED) or
    it is named as image-only: the image and the test cannot drift apart silently."""
    steps = followed_steps()
    others = [i.arguments for i in dockerfile() if i.keyword == "RUN" and i.arguments not in steps.values()]
    assert [step for step in others if IMAGE_ONLY not in step] == [], (
        "classify these RUN steps in tests/config/test_packaging.py"
    )
    assert len(others) == 1
    # The wheel is built from the build context with GraphiQL's assets copied in from the npm stage.
    copies = [i.arguments for i in dockerfile() if i.keyword == "COPY" and i.stage == "wheel"]
    assert copies == [". .", "--from=graphiql /src/config/graphiql/node_modules config/graphiql/node_modules"]


def test_packaging_the_image_runs_the_server_as_a_non_root_user_with_its_data_on_a_volume():
    runtime = [i for i in dockerfile() if i.stage == "runtime"]
    keywords = {i.keyword: i.arguments for i in runtime if i.keyword != "ENV"}
    assert keywords["USER"] not in {"root", "0"}
    assert "MANDATES_DATA_DIR=/data" in " ".join(i.arguments for i in runtime if i.keyword == "ENV").split()
    assert keywords["VOLUME"] == "/data"
    port = keywords["EXPOSE"]
    assert f"http://127.0.0.1:{port}/healthz" in keywords["HEALTHCHECK"]
    assert image_cmd() == ["mandates", "serve", "--host", "0.0.0.0", "--port", port]


def test_packaging_compose_migrates_before_the_server_starts_on_postgresql():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert services["migrate"]["command"] == ["mandates", "migrate"]
    assert services["app"]["command"] == image_cmd()
    assert services["app"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    for service in ("migrate", "app"):
        environment = services[service]["environment"]
        assert (
            environment["MANDATES_DATABASE_URL"].startswith("postgres://")
            and "@db:5432/" in environment["MANDATES_DATABASE_URL"]
        )
        assert "/data" in "".join(services[service]["volumes"])


def _overlay(folder: Path) -> Path:
    """Links to the project .venv's site-packages, except mandates itself (see the module docstring)."""
    folder.mkdir()
    site = Path(sysconfig.get_paths()["purelib"])
    for entry in site.iterdir():
        if entry.name.startswith(("mandates", "__editable__")) or entry.suffix == ".pth":
            continue
        (folder / entry.name).symlink_to(entry)
    return folder


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()
    }


def _run(command, *, cwd: Path, env: dict, shell: bool = False) -> str:
    result = subprocess.run(
        command,
        cwd=cwd,
        env=env,
        shell=shell,
        executable="/bin/bash" if shell else None,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, f"{command}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def _get(path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def _post_graphql(query: str) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{PORT}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def _wait_for_health(server: subprocess.Popen, log: Path) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, f"the server stopped:\n{log.read_text()[-3000:]}"
        try:
            status, _, body = _get("/healthz")
            if status == 200:
                return json.loads(body)
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"no answer on /healthz within 60 s:\n{log.read_text()[-3000:]}")


@pytest.mark.packaging
@needs_offline_build
def test_packaging_the_wheel_installed_outside_the_checkout_serves_api_console_and_graphiql(tmp_path):
    steps = followed_steps()
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=60)
    site = Path(
        subprocess.run(
            [venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    (site / "project-dependencies.pth").write_text(f"{_overlay(tmp_path / 'dependencies')}\n")

    # The build context, as `docker build .` sends it.
    ignored = [
        line.strip().removeprefix("**/")
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    context = tmp_path / "src"
    shutil.copytree(ROOT, context, ignore=shutil.ignore_patterns(*ignored))
    assert not (context / "config" / "graphiql" / "node_modules").exists()

    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("MANDATES_", "PIP_", "VIRTUAL_ENV", "PYTHON"))
        and k not in {"DATABASE_URL", "XDG_DATA_HOME"}
    }
    build = {
        **clean,
        "PATH": f"{venv / 'bin'}:{clean['PATH']}",
        "WHEELS": str(tmp_path / "wheels"),
        "PIP_NO_INDEX": "1",
        "PIP_NO_BUILD_ISOLATION": "0",
        "npm_config_prefer_offline": "true",
    }
    _run(steps["graphiql"], cwd=context, env=build, shell=True)
    _run(steps["wheel"], cwd=context, env=build, shell=True)
    (wheel,) = (tmp_path / "wheels").glob("mandates-*.whl")
    assert wheel.name == f"mandates-{VERSION}-py3-none-any.whl"
    _run(steps["runtime"], cwd=tmp_path, env=build, shell=True)

    # From a directory outside the checkout, as a user whose HOME is empty: the default data directory.
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir(), work.mkdir()
    user = {**clean, "PATH": f"{venv / 'bin'}:{clean['PATH']}", "HOME": str(home)}
    where = _run([venv / "bin" / "python", "-c", "import config; print(config.__file__)"], cwd=work, env=user)
    assert Path(where.strip()).is_relative_to(site), where
    before = _snapshot(site)

    assert _run(["mandates", "--version"], cwd=work, env=user).strip() == f"mandates {VERSION}"
    if "migrate" in _run(["mandates", "--help"], cwd=work, env=user):
        _run(["mandates", "migrate"], cwd=work, env=user)
    assert "demo: loaded" in _run(["mandates", "demo"], cwd=work, env=user)
    exported = _run(["mandates", "export-schema"], cwd=work, env=user)

    command = [
        ("127.0.0.1" if arg == "0.0.0.0" else str(PORT) if arg == image_cmd()[-1] else arg) for arg in image_cmd()
    ]
    log = tmp_path / "server.log"
    with log.open("w") as output:
        server = subprocess.Popen(command, cwd=work, env=user, stdout=output, stderr=subprocess.STDOUT)
    try:
        assert _wait_for_health(server, log) == {"status": "ok", "version": VERSION}
        assert _post_graphql("{ __typename }") == {"data": {"__typename": "Query"}}
        assert _post_graphql("{ registry { version } }") == {"data": {"registry": {"version": VERSION}}}

        status, headers, body = _get("/console/")
        assert status == 200 and headers["content-type"].startswith("text/html") and b"<html" in body.lower()
        status, _, body = _get("/console/js/app.js")
        assert status == 200 and body == (ROOT / "console" / "js" / "app.js").read_bytes()

        status, headers, body = _get("/graphql", {"Accept": "text/html"})
        assert status == 200 and headers["content-type"].startswith("text/html") and b"GraphiQL" in body
        for asset in sorted(GRAPHIQL_ASSETS):
            status, _, body = _get(f"/graphiql/assets/{asset}")
            assert status == 200, asset
            assert body == (context / "config" / "graphiql" / "node_modules" / asset).read_bytes(), asset
        for name in sorted(GRAPHIQL_PAGE_FILES - {"examples.json"}):
            status, _, body = _get(f"/graphiql/{name}")
            assert status == 200 and body == (ROOT / "config" / "graphiql" / name).read_bytes(), name
        status, _, body = _get("/graphiql/examples.json")  # the file's operations, their comments from the catalogue
        assert status == 200 and json.loads(body) == examples("en")

        status, headers, body = _get("/schema.graphql")
        assert status == 200 and headers["content-type"] == "text/plain; charset=utf-8"
        assert body.decode() == exported == (ROOT / "schema.graphql").read_text(encoding="utf-8")
    finally:
        server.terminate()
        server.wait(timeout=30)

    data = home / ".local" / "share" / "mandates"
    assert (data / "mandates.sqlite3").is_file()
    assert (data / "development-seal").exists()
    assert _snapshot(site) == before, "nothing is written inside site-packages"
    assert sorted(p.name for p in work.iterdir()) == [], "nor in the current directory"


def test_packaging_compose_sets_every_setting_production_requires():
    """compose runs in production mode: every secret and file production refuses to start without is set."""
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    required = {
        "MANDATES_JWT_SECRET",
        "MANDATES_LINK_SECRET",
        "MANDATES_ID_SECRET",
        "MANDATES_SIGNING_KEY",
        "MANDATES_SIGNING_CERT",
        "MANDATES_EID_TRUST_ROOTS",
    }
    for name in ("migrate", "app"):
        service = compose["services"][name]
        assert required <= service["environment"].keys(), name
        assert set(service["secrets"]) <= compose["secrets"].keys()
