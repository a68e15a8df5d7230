"""The production image, built without Docker: the Dockerfile's own instructions run in a scratch folder.

No Docker engine runs here and base images cannot be pulled, so this test reads the Dockerfile and does
what each instruction says: the build context is the working tree less .dockerignore; every stage gets a
folder standing for its file system; COPY copies (also --from an earlier stage), WORKDIR, ARG and ENV set
the folder and environment, and every RUN that builds the application (scripts/image_steps.sh) runs there.
The base images' own parts stand in as this machine's: Python 3.11 is a fresh venv (the image's `python`),
Node.js is the machine's, and each `apt-get install` line's packages must be installed here.
One deliberate difference: pip keeps its cache (the image sets PIP_NO_CACHE_DIR), so a second run is faster.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

pytestmark = pytest.mark.image

ROOT = Path(__file__).resolve().parent.parent
GLYPH_STACKS = ("Noto Sans Regular", "Noto Sans Bold")
GLYPH_RANGES = (0, 256, 768, 7680, 8192)
# Never in the production image (the default IOC_EXTRAS=""), whatever the extras declare.
NEVER_IN_IMAGE = {"pytest", "pytest-django", "playwright", "schemathesis", "hypothesis", "torch",
                  "torchvision", "ultralytics-opencv-headless", "ruff", "pycurl"}
KEPT_FROM_THIS_MACHINE = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE")
NOT_APPLIED_HERE = {"PIP_NO_CACHE_DIR"}  # see the module docstring


def _name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


# --- .dockerignore, as Docker reads it: patterns from the context's root, ** for any depth -----------------


def _ignore_regex(pattern: str) -> re.Pattern[str]:
    parts = []
    for segment in pattern.strip("/").split("/"):
        if segment == "**":
            parts.append(".*")
        else:
            parts.append("".join({"*": "[^/]*", "?": "[^/]"}.get(c, re.escape(c)) for c in segment))
    return re.compile("/".join(parts).replace(".*/", "(?:.*/)?"))


def dockerignore(root: Path) -> list[re.Pattern[str]]:
    lines = [line.strip() for line in (root / ".dockerignore").read_text().splitlines()]
    patterns = [line for line in lines if line and not line.startswith("#")]
    assert not [p for p in patterns if p.startswith("!")], "this reader does not follow ! exceptions"
    return [_ignore_regex(p) for p in patterns]


def build_context(root: Path, dest: Path) -> None:
    """Copy what `docker build` sends: every file of the working tree that .dockerignore lets through."""
    patterns = dockerignore(root)
    for folder, dirs, files in os.walk(root):
        rel = Path(folder).relative_to(root)
        dirs[:] = [d for d in dirs if not any(p.fullmatch((rel / d).as_posix()) for p in patterns)]
        for name in files:
            if any(p.fullmatch((rel / name).as_posix()) for p in patterns):
                continue
            (dest / rel).mkdir(parents=True, exist_ok=True)
            shutil.copy2(Path(folder) / name, dest / rel / name, follow_symlinks=False)


# --- the Dockerfile, instruction by instruction ----------------------------------------------------------


def instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(KEYWORD, arguments) for each instruction, continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n", " ", "\n".join(
        line for line in dockerfile.read_text().splitlines() if not line.lstrip().startswith("#")))
    found = []
    for line in joined.splitlines():
        if line.strip():
            keyword, _, rest = line.strip().partition(" ")
            found.append((keyword.upper(), " ".join(rest.split())))
    return found


@dataclass
class Stage:
    root: Path
    workdir: str = "/"
    env: dict[str, str] = field(default_factory=dict)

    def path(self, path: str) -> Path:
        absolute = path if path.startswith("/") else f"{self.workdir.rstrip('/')}/{path}"
        return self.root / absolute.lstrip("/")


@dataclass
class Build:
    context: Path
    scratch: Path
    env: dict[str, str]
    stages: dict[str, Stage] = field(default_factory=dict)
    stage: Stage | None = None
    steps: list[str] = field(default_factory=list)
    apt: list[str] = field(default_factory=list)

    def FROM(self, args: str) -> None:  # noqa: N802
        words = args.split()
        self.stage = Stage(self.scratch / f"stage{len(self.stages)}")
        self.stage.root.mkdir()
        name = words[2] if len(words) == 3 and words[1].upper() == "AS" else str(len(self.stages))
        self.stages[name] = self.stage

    def WORKDIR(self, args: str) -> None:  # noqa: N802
        self.stage.workdir = args
        self.stage.path(".").mkdir(parents=True, exist_ok=True)

    def ARG(self, args: str) -> None:  # noqa: N802
        name, _, default = args.partition("=")
        self.stage.env[name] = shlex.split(default)[0] if default.strip() else ""

    def ENV(self, args: str) -> None:  # noqa: N802
        for pair in shlex.split(args):
            name, _, value = pair.partition("=")
            if name not in NOT_APPLIED_HERE:
                self.stage.env[name] = value

    def COPY(self, args: str) -> None:  # noqa: N802
        words = args.split()
        source_root = self.context
        if words[0].startswith("--from="):
            source_root = self.stages[words.pop(0).removeprefix("--from=")].root
        *sources, dest = words
        target = self.stage.path(dest)
        into_folder = dest.endswith("/") or dest in {".", "./"} or len(sources) > 1
        for source in sources:
            found = source_root / source.lstrip("/")
            assert found.exists(), f"COPY {args}: {source} is not there"
            if found.is_dir():
                shutil.copytree(found, target, symlinks=True, dirs_exist_ok=True)
            else:
                (target if into_folder else target.parent).mkdir(parents=True, exist_ok=True)
                shutil.copy2(found, target / found.name if into_folder else target)

    def RUN(self, args: str) -> None:  # noqa: N802
        if args.startswith("apt-get update"):
            self.apt += re.findall(r"install -y --no-install-recommends ([^&]+)", args)[0].split()
            return
        assert args.startswith("scripts/image_steps.sh "), f"RUN {args!r}: only image steps and apt-get known"
        self.steps.append(args.split()[1])
        done = subprocess.run(["bash", "-c", args], cwd=self.stage.path("."), capture_output=True, text=True,
                              env={**self.env, **self.stage.env}, timeout=600)
        assert done.returncode == 0, f"RUN {args} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"

    def run(self, dockerfile: Path) -> Stage:
        for keyword, args in instructions(dockerfile):
            if keyword in {"EXPOSE", "LABEL", "CMD", "ENTRYPOINT", "USER"}:
                continue
            getattr(self, keyword)(args)
        return self.stage


# --- the image's Python, asked from outside ---------------------------------------------------------


def _scratch_python(python: Path, code: str, cwd: Path, **env: str) -> str:
    base = {k: v for k, v in os.environ.items() if k in KEPT_FROM_THIS_MACHINE}
    done = subprocess.run([str(python), "-c", code], cwd=cwd, env={**base, **env}, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


# Each installed distribution -> the installed distributions that require it.
REQUIRED_BY = """
import json, re
from importlib.metadata import distributions
def name(text):
    return re.split(r"[\\s\\[<>=!~;(]", text, maxsplit=1)[0].lower().replace("_", "-")
installed = {name(d.metadata["Name"]): d for d in distributions()}
print(json.dumps({n: sorted(other for other, d in installed.items()
                            for r in d.requires or [] if name(r) == n and "extra ==" not in r)
                  for n in installed}))
"""

# A request to the built image's web application, as the map wall's browser makes it, with the production
# settings of docker-compose.yml and a database that answers nothing (the page and its files need none).
SERVE = """
import json, os, re
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "ioc.settings"
django.setup()
from django.test import Client
client = Client(headers={"X-Forwarded-Proto": "https"})
page = client.get("/")
urls = re.findall(r'(?:src|href)="(/static/web_map/[^"]+)"', page.content.decode())
glyph = "/static/web_map/glyphs/Noto%20Sans%20Regular/7680-7935.pbf"
print(json.dumps({"page": page.status_code, "urls": urls,
                  "files": {url: client.get(url).status_code for url in [*urls, glyph]}}))
"""


# --- the build, once for the module; each test below checks one thing it must give --------------------------


@dataclass
class Built:
    build: Build
    app: Path  # the application's folder in the image (/app)
    python: Path  # the image's Python

    @property
    def static(self) -> Path:
        return self.app / "var" / "static" / "web_map"

    def bundle_files(self) -> list[str]:
        """The scripts Vite's manifest names: the wall's and the citizens' entries and their shared chunk."""
        manifest = json.loads((self.app / "web_map/static/web_map/.vite/manifest.json").read_text())
        scripts = [chunk["file"] for chunk in manifest.values() if chunk["file"].endswith(".js")]
        return sorted(Path(script).name for script in scripts)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Iterator[Built]:
    scratch = tmp_path_factory.mktemp("image")
    context, venv = scratch / "context", scratch / "venv"
    build_context(ROOT, context)
    for local in (".venv", "var", "web_map/static/web_map", "web_map/frontend/node_modules", "tests"):
        assert not (context / local).exists(), f"{local} entered the build context: .dockerignore lets it in"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {k: v for k, v in os.environ.items()
           if k in KEPT_FROM_THIS_MACHINE or k.startswith(("PIP_", "npm_"))}
    env["PATH"] = f"{venv / 'bin'}:{env['PATH']}"
    build = Build(context, scratch, env)
    app = build.run(ROOT / "Dockerfile")
    yield Built(build, app.path("."), venv / "bin" / "python")
    shutil.rmtree(scratch)  # about 1 GB, mostly the image's Python packages


def test_the_dockerfile_builds_the_map_in_its_own_stage_and_installs_no_extra(built):
    assert built.build.steps == ["web-map-deps", "web-map", "python-deps", "app"]
    assert list(built.build.stages) == ["web_map", "1"]
    assert built.build.stage.env["IOC_EXTRAS"] == ""
    assert not (built.build.stages["1"].root / "app/web_map/frontend/node_modules").exists()
    status = {pkg: subprocess.run(["dpkg-query", "-W", "-f=${Status}", pkg], capture_output=True,
                                  text=True).stdout for pkg in built.build.apt}
    missing = [pkg for pkg, state in status.items() if state != "install ok installed"]
    assert not missing, f"the image's system packages {missing} are not on this machine"


def test_collected_static_files_hold_the_map_bundle_and_every_glyph_range(built):
    scripts = sorted(p.name for p in (built.static / "assets").glob("*.js"))
    assert scripts == built.bundle_files() and any(name.startswith("main-") for name in scripts)
    glyphs = {p.relative_to(built.static / "glyphs").as_posix() for p in built.static.rglob("*.pbf")}
    assert glyphs == {f"{stack}/{start}-{start + 255}.pbf" for stack in GLYPH_STACKS
                      for start in GLYPH_RANGES}
    made = built.app / "web_map" / "static" / "web_map"
    every_built = {p.relative_to(made) for p in made.rglob("*") if p.is_file() and ".vite" not in p.parts}
    collected = {p.relative_to(built.static) for p in built.static.rglob("*") if p.is_file()}
    assert every_built - collected == set()


def test_no_package_of_the_test_bench_or_vision_extras_is_installed(built):
    required_by = json.loads(_scratch_python(built.python, REQUIRED_BY, built.app))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = {_name(r) for name in ("test", "bench", "vision")
              for r in project["optional-dependencies"][name]}
    assert NEVER_IN_IMAGE & required_by.keys() == set()
    # Packages of an extra are there only because a production package needs them (requests: pygeoapi).
    assert {name for name in extras & required_by.keys() if not required_by[name]} == set()
    assert {"django", "granian", "opencv-python-headless", "toan-canh"} <= required_by.keys()


def test_the_built_application_serves_the_map_wall(built):
    served = json.loads(_scratch_python(
        built.python, SERVE, built.app, IOC_PRODUCTION="true", IOC_DEBUG="false", IOC_SECRET_KEY="test",
        IOC_ALLOWED_HOSTS="testserver", DATABASE_URL="postgres://nobody@127.0.0.1:9/nothing",
    ).strip().splitlines()[-1])
    assert served["page"] == 200
    main = next(name for name in built.bundle_files() if name.startswith("main-"))
    assert f"/static/web_map/assets/{main}" in served["urls"]
    assert set(served["files"].values()) == {200}, served["files"]
