"""Build and repository-hygiene signals seen in files: `build.scripts`, `build.lockfiles`,
`repo.codeowners`, `repo.contributing`."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from pathlib import PurePosixPath

from collectors.detectors.dependencies import index_for, is_requirements_file, load_json, load_toml, load_xml, local
from collectors.detectors.interface import DetectionContext, Detector
from collectors.repofiles import RepoFiles


def _depth(path: str) -> int:
    return path.count("/")


def _shallowest(paths: list[str]) -> list[str]:
    return sorted(paths, key=lambda p: (_depth(p), p))


def _dir(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def _join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


# ---------------------------------------------------------------------------------------------
# build.scripts
# ---------------------------------------------------------------------------------------------

_DEAD_SUFFIXES = (".old", ".bak", ".orig", ".disabled", ".sample", ".example", ".template", ".tmpl", "~")

# Build tools recognised by the presence of a file (exact names).
_PRESENCE: dict[str, tuple[str, ...]] = {
    "maven": ("pom.xml",),
    "gradle": ("build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts"),
    "go": ("go.mod",),
    "cargo": ("Cargo.toml",),
    "bazel": ("WORKSPACE", "WORKSPACE.bazel", "MODULE.bazel", "BUILD.bazel"),
    "cmake": ("CMakeLists.txt",),
    "meson": ("meson.build",),
    "autotools": ("configure.ac", "configure.in"),
    "rake": ("Rakefile", "rakefile", "Rakefile.rb"),
    "sbt": ("build.sbt",),
    "mix": ("mix.exs",),
    "just": ("justfile", "Justfile", ".justfile"),
    "task": ("Taskfile.yml", "Taskfile.yaml", "taskfile.yml", "taskfile.yaml", "Taskfile.dist.yml", "Taskfile.dist.yaml"),
    "swift": ("Package.swift",),
    "scons": ("SConstruct", "Sconstruct", "sconstruct"),
    "nix": ("flake.nix",),
    "setuptools": ("setup.py",),
    "earthly": ("Earthfile",),
    "pants": ("pants.toml",),
}
_PRESENCE_BY_NAME = {name: tool for tool, names in _PRESENCE.items() for name in names}

_PY_BACKENDS: tuple[tuple[str, str], ...] = (
    ("poetry", "poetry"),
    ("hatchling", "hatch"),
    ("pdm", "pdm"),
    ("setuptools", "setuptools"),
    ("flit", "flit"),
    ("uv_build", "uv"),
    ("maturin", "maturin"),
    ("scikit_build", "scikit-build"),
    ("mesonpy", "meson"),
)
_PY_TOOL_TABLES = ("poetry", "hatch", "pdm", "flit", "uv", "setuptools")

_MAKE_TARGET = re.compile(r"^([A-Za-z0-9_%$][^:=#\s]*(?:\s+[^:=#\s]+)*)\s*::?(?!=)")


class BuildScriptsDetector(Detector):
    name = "build-scripts"
    provides = frozenset({"build.scripts"})

    def detect(self, ctx: DetectionContext) -> None:
        files = ctx.files
        found: dict[str, tuple[str, str]] = {}  # tool -> (locator, observed)

        def add(tool: str, locator: str, observed: str) -> None:
            found.setdefault(tool, (locator, observed))

        by_tool: dict[str, list[str]] = {}
        makefiles: list[str] = []
        dockerfiles: list[str] = []
        dotnet: list[str] = []
        package_jsons: list[str] = []
        composer: list[str] = []
        pyprojects: list[str] = []
        ant: list[str] = []
        for path in files.paths:
            if _in_hidden_folder(path) or _in_test_folder(path):
                continue  # .devcontainer/Dockerfile, .semgrep/Makefile, tests/setup.py: tooling and test set-up, not the build
            name = path.rsplit("/", 1)[-1]
            if name in _PRESENCE_BY_NAME:
                by_tool.setdefault(_PRESENCE_BY_NAME[name], []).append(path)
            if name in ("Makefile", "makefile", "GNUmakefile"):
                makefiles.append(path)
            elif is_dockerfile(path):
                dockerfiles.append(path)
            elif name.endswith((".csproj", ".fsproj", ".vbproj", ".sln")):
                dotnet.append(path)
            elif name == "package.json":
                package_jsons.append(path)
            elif name == "composer.json":
                composer.append(path)
            elif name == "pyproject.toml":
                pyprojects.append(path)
            elif name == "build.xml":
                ant.append(path)

        for tool, paths in by_tool.items():
            path = _shallowest(paths)[0]
            add(tool, f"{path}:1", f"{path} ({tool})")
        for path in _shallowest(makefiles):
            if "make" in found:
                break
            if target := _first_make_target(files, path):
                add("make", f"{path}:{target[0]}", f"{path} defines target `{target[1]}`")
        if dockerfiles:
            path = _shallowest(dockerfiles)[0]
            add("docker", f"{path}:1", f"{path} (container image build)")
        if dotnet:
            path = _shallowest(dotnet)[0]
            add("dotnet", f"{path}:1", f"{path} (.NET project)")
        for path in _shallowest(package_jsons):
            self._package_json(ctx, path, add)
        for path in _shallowest(composer):
            doc = load_json(ctx, path)
            if doc is not None and isinstance(doc.data, dict) and isinstance(doc.data.get("scripts"), dict) and doc.data["scripts"]:
                add("composer", doc.locator("scripts"), f"{path} defines composer scripts ({_names(doc.data['scripts'])})")
        for path in _shallowest(pyprojects):
            self._pyproject(ctx, path, add)
        for path in _shallowest(ant):
            if "ant" in found:
                break
            doc = load_xml(ctx, path)
            if doc is not None and local(doc.data.tag) == "project":
                add("ant", doc.locator(), f"{path} is an Ant <project>")
        if "uv" not in found:
            locks = files.named("uv.lock")
            if locks:
                path = _shallowest(locks)[0]
                add("uv", f"{path}:1", f"{path} (uv lock file)")

        for tool in sorted(found):
            locator, observed = found[tool]
            ctx.emit("build.scripts", [tool], locator, observed)

    def _package_json(self, ctx: DetectionContext, path: str, add: Callable[[str, str, str], None]) -> None:
        doc = load_json(ctx, path)
        if doc is None or not isinstance(doc.data, dict):
            return
        scripts = doc.data.get("scripts")
        if not isinstance(scripts, dict) or not scripts:
            return
        manager, why = _node_manager(ctx.files, path, doc.data.get("packageManager"))
        add(manager, doc.locator("scripts"), f"{path} defines scripts ({_names(scripts)}) run with {manager} ({why})")

    def _pyproject(self, ctx: DetectionContext, path: str, add: Callable[[str, str, str], None]) -> None:
        doc = load_toml(ctx, path)
        if doc is None:
            return
        build_system = doc.data.get("build-system")
        backend = build_system.get("build-backend") if isinstance(build_system, dict) else None
        if isinstance(backend, str):
            for marker, tool in _PY_BACKENDS:
                if marker in backend:
                    add(tool, doc.locator("build-system", "build-backend"), f"{path} build-backend {backend}")
                    break
        tool_table = doc.data.get("tool")
        if isinstance(tool_table, dict):
            for tool in _PY_TOOL_TABLES:
                if isinstance(tool_table.get(tool), dict):
                    add(tool, doc.locator("tool", tool), f"{path} has a [tool.{tool}] table")


def _in_hidden_folder(path: str) -> bool:
    """True for files under a dot-folder (`.devcontainer/`, `.github/`, `.semgrep/`...): editor, CI and
    tool set-up, not how the project itself is built."""
    return any(part.startswith(".") for part in path.split("/")[:-1])


_TEST_FOLDER = re.compile(r"^(test|tests|spec|specs|__tests__|testing|e2e|test[-_].*|.*[-_](tests?|e2e))$", re.I)


def _in_test_folder(path: str) -> bool:
    """True for files under a test folder (`tests/setup.py` packaging a system-test harness,
    `e2e/Dockerfile`): they build the tests, not the project."""
    return any(_TEST_FOLDER.match(part) for part in path.split("/")[:-1])


def is_dockerfile(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    if name.endswith(_DEAD_SUFFIXES):
        return False
    low = name.lower()
    return low in ("dockerfile", "containerfile") or low.endswith(".dockerfile") or low.startswith(("dockerfile.", "containerfile."))


def _first_make_target(files: RepoFiles, path: str) -> tuple[int, str] | None:
    text = files.read_text(path)
    if text is None:
        return None
    for lineno, line in enumerate(text.splitlines(), 1):
        if line.startswith("\t") or line.lstrip().startswith("#"):
            continue
        m = _MAKE_TARGET.match(line)
        if m and not m.group(1).startswith("."):
            target = m.group(1).split()[0]
            if target.count("(") > target.count(")") or target.count("{") > target.count("}"):
                continue  # `$(warning text: more)`, `$(error ...)`: a function call, not a rule
            return lineno, target
    return None


def _names(mapping: dict[str, object], limit: int = 4) -> str:
    keys = list(mapping)
    more = f", +{len(keys) - limit} more" if len(keys) > limit else ""
    return ", ".join(keys[:limit]) + more


_NODE_LOCKS = (("pnpm-lock.yaml", "pnpm"), ("yarn.lock", "yarn"), ("bun.lock", "bun"), ("bun.lockb", "bun"), ("package-lock.json", "npm"), ("npm-shrinkwrap.json", "npm"))


def _node_manager(files: RepoFiles, path: str, package_manager: object) -> tuple[str, str]:
    if isinstance(package_manager, str):
        name = package_manager.split("@", 1)[0].strip().lower()
        if name in ("npm", "yarn", "pnpm", "bun"):
            return name, f"packageManager {package_manager}"
    folder = _dir(path)
    while True:  # a workspace member uses the lock file of an enclosing folder
        for lock, manager in _NODE_LOCKS:
            if files.exists(_join(folder, lock)):
                return manager, _join(folder, lock)
        if not folder:
            break
        folder = _dir(folder)
    return "npm", "no lock file or packageManager field: npm assumed"


# ---------------------------------------------------------------------------------------------
# build.lockfiles
# ---------------------------------------------------------------------------------------------

LOCKFILES: dict[str, str] = {
    "package-lock.json": "npm",
    "npm-shrinkwrap.json": "npm",
    "yarn.lock": "yarn",
    "pnpm-lock.yaml": "pnpm",
    "bun.lock": "bun",
    "bun.lockb": "bun",
    "deno.lock": "deno",
    "poetry.lock": "poetry",
    "Pipfile.lock": "pipenv",
    "uv.lock": "uv",
    "pdm.lock": "pdm",
    "pixi.lock": "pixi",
    "conda-lock.yml": "conda-lock",
    "go.sum": "go",
    "Cargo.lock": "cargo",
    "Gemfile.lock": "bundler",
    "gems.locked": "bundler",
    "composer.lock": "composer",
    "packages.lock.json": "nuget",
    "paket.lock": "paket",
    "gradle.lockfile": "gradle",
    "mix.lock": "mix",
    "Package.resolved": "swiftpm",
    "Podfile.lock": "cocoapods",
    "flake.lock": "nix",
    "pubspec.lock": "pub",
    "renv.lock": "renv",
    "Manifest.toml": "julia",
    ".terraform.lock.hcl": "terraform",
    "Chart.lock": "helm",
}


class LockfilesDetector(Detector):
    name = "lockfiles"
    provides = frozenset({"build.lockfiles"})

    def detect(self, ctx: DetectionContext) -> None:
        files = ctx.files
        seen: dict[str, str] = {}  # lock kind -> first path
        requirements: list[str] = []
        for path in files.paths:
            name = path.rsplit("/", 1)[-1]
            kind = LOCKFILES.get(name)
            if kind is None and name.endswith(".conda-lock.yml"):
                kind = "conda-lock"
            if kind is None and path.endswith("gradle/verification-metadata.xml"):
                kind = "gradle-verification"
            if kind is None and name.endswith(".lockfile") and "/dependency-locks/" in f"/{path}":
                kind = "gradle"
            if kind is not None:
                if name not in seen or _depth(path) < _depth(seen[name]):
                    seen[name] = path
            elif name.endswith(".txt") and is_requirements_file(path):
                requirements.append(path)
        for name in sorted(seen):
            path = seen[name]
            ctx.emit("build.lockfiles", True, f"{path}:1", f"lock file {path} committed")
        if requirements:
            self._pinned_requirements(ctx, requirements)

    def _pinned_requirements(self, ctx: DetectionContext, paths: list[str]) -> None:
        index = index_for(ctx)
        for path in _shallowest(paths):
            head = (ctx.files.read_text(path) or "")[:2000]
            compiled = "pip-compile" in head or "uv pip compile" in head or ctx.files.exists(path[: -len(".txt")] + ".in")
            if not _python_project_requirements(ctx.files, path, compiled):
                continue
            deps = index.in_file(path)
            if deps and _all_pinned(ctx, path, set()):
                text = ctx.files.read_text(path) or ""
                tool = "pip-compile output" if "pip-compile" in text[:2000] else "uv pip compile output" if "uv pip compile" in text[:2000] else "every requirement pinned with =="
                ctx.emit("build.lockfiles", True, f"{path}:{deps[0].line}", f"{path} pins all {len(deps)} requirements with == ({tool})")
                return


_INCLUDE = re.compile(r"^[ \t]*(?:-r|--requirements?)[\s=]+(\S+)", re.M)


def _all_pinned(ctx: DetectionContext, path: str, seen: set[str]) -> bool:
    """Every requirement of the file, and of the files it includes with `-r`, is pinned with ==
    (a file of pinned dev tools that includes a file of ranges is not a lock)."""
    if path in seen or len(seen) > 10:
        return True
    seen.add(path)
    deps = index_for(ctx).in_file(path)
    if not all(re.match(r"===?\s*[A-Za-z0-9._+!-]+\s*(;.*)?$", d.spec) or d.spec.startswith("@") for d in deps):
        return False
    folder = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
    for ref in _INCLUDE.findall(ctx.files.read_text(path) or ""):
        included = posixpath.normpath(folder + ref)
        if not ctx.files.exists(included) or not _all_pinned(ctx, included, seen):
            return False
    return True


_HELPER_FOLDERS = frozenset({"hack", "scripts", "script", "tools", "tooling", "tool", "ci", "bin", "utils", "util", "dev", "devtools", "contrib", "misc"})
_HELPER_SUFFIX = re.compile(r"[-_](tools?|tooling|scripts?|utils?|helpers?)$", re.I)
_PYTHON_MARKERS = frozenset({"pyproject.toml", "setup.py", "setup.cfg", "Pipfile", "manage.py", "tox.ini", "noxfile.py"})


def _python_project_requirements(files: RepoFiles, path: str, compiled: bool = False) -> bool:
    """True when a `requirements.txt` pins the dependencies of Python code this repository builds or
    deploys: not helper-script pins in `hack/`, `scripts/`, `.github/` (a Helm-charts repository's
    `hack/requirements.txt`), and only when it is compiled from a `.in` file, the repository has a
    Python project file outside test and helper folders, or a Dockerfile next to it builds a Python
    service (`src/emailservice/` of a polyglot repository)."""
    if _in_helper_folder(path):
        return False
    if compiled or any(not _in_helper_folder(p) and not _in_test_folder(p) for marker in _PYTHON_MARKERS for p in files.named(marker)):
        return True
    folder = _dir(path)  # a containerised Python service of a polyglot repository
    return any(files.exists(_join(folder, name)) for name in ("Dockerfile", "Containerfile"))


def _in_helper_folder(path: str) -> bool:
    """`hack/`, `scripts/`, `committer-tools/`, `.github/`: helper scripts, not the product."""
    return any(part.startswith(".") or part.lower() in _HELPER_FOLDERS or _HELPER_SUFFIX.search(part) for part in path.split("/")[:-1])


# ---------------------------------------------------------------------------------------------
# repo.codeowners / repo.contributing
# ---------------------------------------------------------------------------------------------

CODEOWNERS_LOCATIONS = ("CODEOWNERS", ".github/CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS")


_CATCH_ALL = frozenset({"*", "/", "/*", "/**", "**", "**/*"})


class CodeownersDetector(Detector):
    name = "codeowners"
    provides = frozenset({"repo.codeowners", "repo.owners"})

    def detect(self, ctx: DetectionContext) -> None:
        # `docs/` is a location GitHub reads, so existence is checked on every path (not `paths`).
        for path in CODEOWNERS_LOCATIONS:
            if not ctx.files.exists(path):
                continue
            text = ctx.files.read_text(path) or ""
            assigned = False
            owners: tuple[int, list[str]] | None = None
            for lineno, line in enumerate(text.splitlines(), 1):
                s = line.strip()
                if not s or s.startswith("#") or s.startswith("["):
                    continue
                if not assigned:
                    ctx.emit("repo.codeowners", True, f"{path}:{lineno}", f"{path} assigns owners: {s[:80]}")
                    assigned = True
                tokens = s.split("#", 1)[0].split()
                pattern, names = (tokens[0], tokens[1:]) if tokens else ("", [])
                if pattern in _CATCH_ALL:  # the last matching rule wins, as on GitHub and GitLab
                    owners = (lineno, [n.lstrip("@").lower() for n in names if n.startswith("@") or "@" in n])
            if owners is not None and owners[1]:
                ctx.emit("repo.owners", sorted(set(owners[1])), f"{path}:{owners[0]}",
                         f"{path}: the catch-all rule names {', '.join(owners[1])} as owners of the whole repository")
            return


CONTRIBUTING_DIRS = ("", ".github", "docs", "doc", ".gitlab", "docs/source", "docs/src")  # docs/source: Sphinx
CONTRIBUTING_STEMS = frozenset({"CONTRIBUTING", "CONTRIBUTE", "DEVELOPMENT", "DEVELOPING", "HACKING"})


class ContributingDetector(Detector):
    name = "contributing"
    provides = frozenset({"repo.contributing"})

    def detect(self, ctx: DetectionContext) -> None:
        candidates = []
        for path in ctx.files.all_paths():  # docs/ is a valid location: not limited to `paths`
            folder = _dir(path)
            if folder not in CONTRIBUTING_DIRS:
                continue
            stem = PurePosixPath(path).name.split(".", 1)[0].upper()
            if stem in CONTRIBUTING_STEMS:
                candidates.append(path)
        for path in sorted(candidates, key=lambda p: (CONTRIBUTING_DIRS.index(_dir(p)), p)):
            text = ctx.files.read_text(path)
            if text and text.strip():
                ctx.emit("repo.contributing", True, f"{path}:1", f"{path} documents how to contribute / develop")
                return


DETECTORS: list[Detector] = [BuildScriptsDetector(), LockfilesDetector(), CodeownersDetector(), ContributingDetector()]
