"""build.scripts, build.lockfiles, repo.codeowners, repo.contributing."""

from __future__ import annotations

from detector_helpers import run_module

from collectors.detectors import files_build
from collectors.detectors.interface import DetectionContext
from scanner.signals import CATALOG


def run(files: dict[str, str | bytes]) -> DetectionContext:
    return run_module(files_build, files)


def by_value(ctx: DetectionContext, key: str) -> dict[str, str]:
    """List signal: tool -> locator."""
    out: dict[str, str] = {}
    for e in ctx.evidence:
        if e.key == key:
            assert isinstance(e.value, list) and len(e.value) == 1
            out.setdefault(e.value[0], e.locator)
    return out


def locators(ctx: DetectionContext, key: str) -> list[str]:
    return [e.locator for e in ctx.evidence if e.key == key]


def test_provides_are_catalog_keys():
    for detector in files_build.DETECTORS:
        assert detector.provides <= set(CATALOG)


def test_build_tools_with_locators():
    ctx = run({
        "Makefile": "# build\nVERSION := 1.0\nURL = http://x\n.PHONY: all\n\nall: build\n\tgo build ./...\n",
        "go.mod": "module x\n",
        "pom.xml": "<project/>",
        "settings.gradle.kts": "rootProject.name = \"x\"\n",
        "Cargo.toml": "[package]\nname = \"x\"\n",
        "deploy/api.Dockerfile": "FROM alpine\n",
        "src/App.csproj": "<Project/>",
        "WORKSPACE": "",
        "CMakeLists.txt": "project(x)\n",
        "justfile": "build:\n  echo\n",
        "Taskfile.yml": "version: '3'\n",
        "build.xml": "<?xml version=\"1.0\"?>\n<project name=\"x\" default=\"jar\">\n</project>\n",
        "Package.swift": "// swift-tools-version:5.9\n",
        "flake.nix": "{}\n",
        "Rakefile": "task :default\n",
        "configure.ac": "AC_INIT\n",
        "meson.build": "project('x')\n",
        "mix.exs": "defmodule X do\nend\n",
        "build.sbt": "name := \"x\"\n",
        "SConstruct": "Program('x.c')\n",
    })
    tools = by_value(ctx, "build.scripts")
    assert tools["make"] == "Makefile:6"  # the first real target, not `.PHONY` or variables
    assert tools["go"] == "go.mod:1"
    assert tools["docker"] == "deploy/api.Dockerfile:1"
    assert tools["ant"] == "build.xml:2"
    for tool in ("maven", "gradle", "cargo", "dotnet", "bazel", "cmake", "just", "task", "swift", "nix", "rake", "autotools", "meson", "mix", "sbt", "scons"):
        assert tool in tools, tool


def test_makefile_without_targets_and_ant_file_without_project_are_not_build_scripts():
    ctx = run({"Makefile": "# only variables\nCC := gcc\ninclude common.mk\n", "build.xml": "<?xml version=\"1.0\"?>\n<notant/>\n", "Dockerfile.old": "FROM x\n"})
    assert by_value(ctx, "build.scripts") == {}


def test_node_scripts_and_package_manager():
    ctx = run({
        "package.json": '{\n  "name": "root",\n  "packageManager": "pnpm@9.1.0",\n  "scripts": {"build": "tsc"}\n}\n',
    })
    assert by_value(ctx, "build.scripts") == {"pnpm": "package.json:4"}

    ctx = run({"web/package.json": '{"scripts": {"test": "jest"}}', "yarn.lock": "# yarn\n"})
    assert by_value(ctx, "build.scripts") == {"yarn": "web/package.json:1"}  # lock file of the enclosing workspace

    ctx = run({"package.json": '{"name": "lib", "scripts": {}}'})
    assert by_value(ctx, "build.scripts") == {}

    ctx = run({"package.json": '{"scripts": {"build": "x"}}'})
    tools = [e for e in ctx.evidence if e.key == "build.scripts"]
    assert tools[0].value == ["npm"] and "npm assumed" in tools[0].observed


def test_python_build_backends_and_tool_tables():
    ctx = run({
        "pyproject.toml": '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n[tool.uv]\ndev-dependencies = []\n',
        "legacy/setup.py": "from setuptools import setup\nsetup()\n",
    })
    tools = by_value(ctx, "build.scripts")
    assert tools["hatch"] == "pyproject.toml:3"
    assert tools["uv"] == "pyproject.toml:5"
    assert tools["setuptools"] == "legacy/setup.py:1"

    ctx = run({"pyproject.toml": '[tool.poetry]\nname = "x"\n'})
    assert by_value(ctx, "build.scripts") == {"poetry": "pyproject.toml:1"}


def test_composer_only_with_scripts():
    assert by_value(run({"composer.json": '{"require": {}}'}), "build.scripts") == {}
    assert by_value(run({"composer.json": '{\n"scripts": {"test": "phpunit"}\n}'}), "build.scripts") == {"composer": "composer.json:2"}


def test_broken_package_json_and_pyproject_warn_and_the_scan_goes_on():
    ctx = run({
        "package.json": '{"scripts": {"build": "x"',
        "pyproject.toml": "[build-system\nbuild-backend = 1",
        "go.mod": "module x\n",
        "go.sum": "x\n",
    })
    codes = {(w.code, w.locator.split(":")[0]) for w in ctx.warnings}
    assert codes == {("broken-json", "package.json"), ("broken-toml", "pyproject.toml")}
    assert len(ctx.warnings) == 2  # once each, although several detectors read them
    assert by_value(ctx, "build.scripts") == {"go": "go.mod:1"}
    assert locators(ctx, "build.lockfiles") == ["go.sum:1"]


def test_lockfiles_committed_but_not_in_example_folders():
    ctx = run({"package-lock.json": "{}", "services/a/poetry.lock": "", "services/b/poetry.lock": "", "Cargo.lock": ""})
    assert sorted(locators(ctx, "build.lockfiles")) == ["Cargo.lock:1", "package-lock.json:1", "services/a/poetry.lock:1"]
    assert all(e.value is True for e in ctx.evidence if e.key == "build.lockfiles")

    ctx = run({"examples/shop/package-lock.json": "{}", "fixtures/yarn.lock": "", "node_modules/x/yarn.lock": "", "package.json": "{}"})
    assert locators(ctx, "build.lockfiles") == []


def test_pinned_requirements_count_as_a_lock_file():
    compiled = (
        "#\n# This file is autogenerated by pip-compile with Python 3.11\n#\n"
        "django==4.2.7 \\\n    --hash=sha256:abc\n"
        "    # via -r requirements.in\n"
        "sqlparse==0.4.4\n    # via django\n"
    )
    ctx = run({"requirements.in": "django\n", "requirements.txt": compiled})
    found = [e for e in ctx.evidence if e.key == "build.lockfiles"]
    assert [e.locator for e in found] == ["requirements.txt:4"]
    assert "pip-compile" in found[0].observed

    ctx = run({"requirements.txt": "django==4.2\nrequests>=2\n"})
    assert locators(ctx, "build.lockfiles") == []
    ctx = run({"requirements.txt": "-r base.txt\n"})
    assert locators(ctx, "build.lockfiles") == []
    # pinned dev tools on top of an included file of ranges are not a lock; a fully pinned chain is
    split = {"manage.py": "", "requirements/base.txt": "Django>=6.0,<6.1\nwagtail>=7.4\n", "requirements/dev.txt": "-r base.txt\nruff==0.15.1\n"}
    assert locators(run(split), "build.lockfiles") == []
    split["requirements/base.txt"] = "Django==6.0.1\nwagtail==7.4.0\n"
    assert locators(run(split), "build.lockfiles") != []


def test_codeowners_locations_including_docs():
    ctx = run({"docs/CODEOWNERS": "# owners\n\n*  @org/team\n"})
    assert locators(ctx, "repo.codeowners") == ["docs/CODEOWNERS:3"]
    ctx = run({".github/CODEOWNERS": "# nothing but comments\n"})
    assert locators(ctx, "repo.codeowners") == []
    ctx = run({"src/CODEOWNERS": "* @x\n"})  # not a location the host reads
    assert locators(ctx, "repo.codeowners") == []
    ctx = run({".gitlab/CODEOWNERS": "[Backend]\n*.go @go-team\n"})
    assert locators(ctx, "repo.codeowners") == [".gitlab/CODEOWNERS:2"]


def test_contributing_docs():
    assert locators(run({"docs/DEVELOPMENT.rst": "How to build\n"}), "repo.contributing") == ["docs/DEVELOPMENT.rst:1"]
    assert locators(run({".github/contributing.md": "Be nice\n"}), "repo.contributing") == [".github/contributing.md:1"]
    assert locators(run({"HACKING": "notes\n", "CONTRIBUTING.md": "PRs welcome\n"}), "repo.contributing") == ["CONTRIBUTING.md:1"]
    assert locators(run({"src/CONTRIBUTING.md": "x\n", "CONTRIBUTING.md": "   \n"}), "repo.contributing") == []
    # Sphinx keeps its pages under docs/source
    assert locators(run({"docs/source/contributing.rst": "Contributing\n"}), "repo.contributing") == ["docs/source/contributing.rst:1"]
    assert locators(run({"docs/source/api/contributing.rst": "x\n"}), "repo.contributing") == []


def test_tooling_and_test_folders_are_not_the_build():
    ctx = run({
        ".devcontainer/Dockerfile": "FROM mcr.microsoft.com/devcontainers/java:21\n",
        ".semgrep/Makefile": "test:\n\tsemgrep --test\n",
        "tests/setup.py": "from setuptools import setup\nsetup(name='system-tests')\n",
        "pom.xml": "<project/>",
    })
    assert set(by_value(ctx, "build.scripts")) == {"maven"}


def test_make_function_calls_are_not_targets():
    ctx = run({"Makefile": "ifneq ($(wildcard .env),)\ninclude .env\nelse\n$(warning WARNING: .env file not found! Using .env.example)\nendif\n\nhelp: ## show help\n\t@echo help\n"})
    assert by_value(ctx, "build.scripts") == {"make": "Makefile:7"}
    assert "`help`" in next(e.observed for e in ctx.evidence if e.key == "build.scripts")


def test_helper_requirements_of_a_non_python_repository_are_not_a_lock_file():
    helm_repo = {
        "charts/x/Chart.yaml": "apiVersion: v2\nname: x\nversion: 1.0.0\n",
        "charts/x/hack/requirements.txt": "pyyaml==6.0.1\nrequests==2.31.0\n",
        "charts/x/hack/sync.py": "import yaml\n",
    }
    assert not locators(run(helm_repo), "build.lockfiles")
    python_app = {"app/requirements.txt": "flask==3.0.0\n", "app/main.py": "import flask\n", "app/Dockerfile": "FROM python:3.12\n"}
    assert locators(run(python_app), "build.lockfiles") == ["app/requirements.txt:1"]
    assert locators(run({**python_app, "app/Dockerfile": ""} | {"setup.py": "setup()"}), "build.lockfiles") == ["app/requirements.txt:1"]


def test_helm_chart_lock_is_a_lock_file():
    ctx = run({"charts/x/Chart.yaml": "apiVersion: v2\nname: x\n", "charts/x/Chart.lock": "dependencies: []\n"})
    assert locators(ctx, "build.lockfiles") == ["charts/x/Chart.lock:1"]


def test_requirements_of_a_committer_tools_folder_in_a_jvm_repository_are_not_a_lock_file():
    ctx = run({
        "build.gradle": "plugins { id 'java' }\n",
        "committer-tools/requirements.txt": "requests==2.31.0\n",
        "committer-tools/merge.py": "import requests\n",
        "release/requirements.txt": "jinja2==3.1.2\n",
        "release/release.py": "import jinja2\n",
        "tests/setup.py": "from setuptools import setup\nsetup(name='system-tests')\n",  # a test harness, not the product
    })
    assert not locators(ctx, "build.lockfiles")


def test_codeowners_catch_all_rule_names_the_owners():
    ctx = run({".github/CODEOWNERS": "# owners\n* @acme/platform @Alice\n/docs/ @acme/writers\n\n*   @acme/backend  # later rules win\n"})
    owners = [e for e in ctx.evidence if e.key == "repo.owners"]
    assert [(e.value, e.locator) for e in owners] == [(["acme/backend"], ".github/CODEOWNERS:5")]
    ctx = run({"CODEOWNERS": "/src/ @acme/devs\n"})
    assert [e for e in ctx.evidence if e.key == "repo.owners"] == []  # no catch-all: no owners of the whole repository
