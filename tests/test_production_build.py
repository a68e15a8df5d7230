"""The production image, built without Docker: the Dockerfile's own instructions run in a scratch folder.

No Docker engine runs here and base images cannot be pulled, so this test reads the Dockerfile and does
what each instruction says: the build context is the working tree less .dockerignore; every stage gets a
folder standing for its file system; COPY copies (also --from an earlier stage), WORKDIR, ARG and ENV set
the folder and environment, and every RUN that builds the application (scripts/image_steps.sh) runs there.
The base images' own parts stand in as this machine's: Python 3.11 is a fresh venv (the image's `python`),
Node.js is the machine's, and each `apt-get install` line's packages must be installed here.
One deliberate difference: pip keeps its cache (the image sets PIP_NO_CACHE_DIR), so a second run is faster.

Like Docker's build cache, the layer of the Python packages (RUN scripts/image_steps.sh python-deps, the
slow step: about 900 MB of packages) is kept between runs, in ~/.cache/toancanh/image-python-deps, and
reused when nothing it is made of has changed: the files in its stage (image_steps.sh, pyproject.toml,
constraints.txt), the instruction, the stage's ARG/ENV, the pip settings and this machine's Python. Any
change there builds it afresh. IOC_IMAGE_NO_CACHE=1 always builds it (as `docker build --no-cache`); so
does a run that finds the cache in use by another run (it builds in its scratch folder instead).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
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
CACHE_HOME = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
LAYER_CACHE = CACHE_HOME / "toancanh" / "image-python-deps"
CACHED_STEP = "python-deps"  # the one step kept between runs: it writes only to the image's Python (the venv)


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


class PythonLayer:
    """The image's Python (a venv standing for the base image's) with the python-deps layer installed, kept
    in LAYER_CACHE between runs, or made in the scratch folder. Its stamp names the layer it holds: the key
    of what the layer is made of, and the distributions the step installed."""

    def __init__(self, venv: Path, cached: bool) -> None:
        self.venv, self.cached = venv, cached
        self.stamp = venv.with_name("layer.json")

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    def create(self) -> None:
        if self.venv.exists():
            shutil.rmtree(self.venv)
        self.stamp.unlink(missing_ok=True)
        subprocess.run([sys.executable, "-m", "venv", str(self.venv)], check=True)

    def distributions(self) -> list[str]:
        """The distributions installed (dist-info folder names) but the application's own (the app step's)."""
        found = self.venv.glob("lib/python*/site-packages/*.dist-info")
        return sorted(d.name for d in found if not d.name.startswith("toan_canh-"))

    def holds(self, key: str) -> bool:
        """True if the venv holds exactly the layer `key`, the application's own install of an earlier run
        taken out first."""
        if not self.cached or not self.stamp.exists():
            return False
        kept = json.loads(self.stamp.read_text())
        if kept["key"] != key or kept["distributions"] != self.distributions():
            return False
        if any(self.venv.glob("lib/python*/site-packages/toan_canh-*.dist-info")):
            subprocess.run([str(self.python), "-m", "pip", "uninstall", "-y", "-q", "toan-canh"], check=True)
        return True

    def keep(self, key: str) -> None:
        if self.cached:
            self.stamp.write_text(json.dumps({"key": key, "distributions": self.distributions()}))


def layer_key(stage: Stage, args: str, env: dict[str, str]) -> str:
    """What a RUN layer is made of, as Docker's cache sees it: the files in the stage so far, the instruction
    and its environment; and what stands for the base image here (this machine's Python, pip's settings)."""
    digest = hashlib.sha256()
    for part in (args, sys.version, os.path.realpath(sys.executable), json.dumps(sorted(stage.env.items())),
                 json.dumps(sorted((k, v) for k, v in env.items() if k.startswith("PIP_")))):
        digest.update(part.encode() + b"\0")
    pip_config = [Path("/etc/pip.conf"), Path("/etc/xdg/pip/pip.conf"), Path("/etc/xdg/pip/constraints.txt"),
                  Path.home() / ".config/pip/pip.conf", Path.home() / ".pip/pip.conf"]
    for path in pip_config:  # where this machine's pip finds its packages (the base image's network)
        digest.update(path.read_bytes() + b"\0" if path.is_file() else b"-\0")
    for path in sorted(p for p in stage.root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(stage.root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@dataclass
class Build:
    context: Path
    scratch: Path
    env: dict[str, str]
    python: PythonLayer
    stages: dict[str, Stage] = field(default_factory=dict)
    stage: Stage | None = None
    steps: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)  # steps whose layer was reused from an earlier run
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
        step = args.split()[1]
        self.steps.append(step)
        if step == CACHED_STEP:
            key = layer_key(self.stage, args, self.env)
            if self.python.holds(key):
                self.cached.append(step)
                return
            self.python.create()
        done = subprocess.run(["bash", "-c", args], cwd=self.stage.path("."), capture_output=True, text=True,
                              env={**self.env, **self.stage.env}, timeout=600)
        assert done.returncode == 0, f"RUN {args} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        if step == CACHED_STEP:
            self.python.keep(key)

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


@contextmanager
def image_python(scratch: Path) -> Iterator[PythonLayer]:
    """The cached image Python when it is free (held until the build's tests end), else one in `scratch`."""
    if os.environ.get("IOC_IMAGE_NO_CACHE", "") not in ("", "0"):
        yield PythonLayer(scratch / "python" / "venv", cached=False)
        return
    LAYER_CACHE.mkdir(parents=True, exist_ok=True)
    with open(LAYER_CACHE / "lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # another run builds or reads it now
            yield PythonLayer(scratch / "python" / "venv", cached=False)
            return
        yield PythonLayer(LAYER_CACHE / "venv", cached=True)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Iterator[Built]:
    scratch = tmp_path_factory.mktemp("image")
    context = scratch / "context"
    build_context(ROOT, context)
    for local in (".venv", "var", "web_map/static/web_map", "web_map/frontend/node_modules", "tests"):
        assert not (context / local).exists(), f"{local} entered the build context: .dockerignore lets it in"
    with image_python(scratch) as python:
        env = {k: v for k, v in os.environ.items()
               if k in KEPT_FROM_THIS_MACHINE or k.startswith(("PIP_", "npm_"))}
        env["PATH"] = f"{python.venv / 'bin'}:{env['PATH']}"
        build = Build(context, scratch, env, python)
        app = build.run(ROOT / "Dockerfile")
        yield Built(build, app.path("."), python.python)
    shutil.rmtree(scratch)  # the stages' files (and, when not cached, about 900 MB of Python packages)


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
