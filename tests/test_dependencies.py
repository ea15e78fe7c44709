"""Declared dependencies: every manifest format, its line numbers, dev flags, caching and broken files."""

from __future__ import annotations

import gc

import pytest

from collectors.detectors import dependencies as depmod
from collectors.detectors.dependencies import (
    Dependency,
    DependencyIndex,
    dependencies,
    dependency_index,
    index_for,
    json_lines,
    load_json,
    parse_requirement,
    toml_lines,
)
from collectors.detectors.interface import DetectionContext
from collectors.repofiles import MemoryRepoFiles


def deps_of(files: dict[str, str]) -> dict[tuple[str, str], tuple[str, bool]]:
    """(ecosystem, name) -> (locator, dev)."""
    return {(d.ecosystem, d.name): (d.locator, d.dev) for d in dependencies(MemoryRepoFiles(files))}


def test_package_json_sections_lines_and_dev_flag():
    got = deps_of({
        "package.json": (
            '{\n'
            '  "name": "app",\n'
            '  "scripts": {"jest": "jest"},\n'
            '  "dependencies": {\n'
            '    "@OpenFeature/server-sdk": "^1.0",\n'
            '    "pg": "8"\n'
            '  },\n'
            '  "devDependencies": {\n'
            '    "jest": "29"\n'
            '  },\n'
            '  "peerDependencies": {"react": "18"},\n'
            '  "optionalDependencies": {"fsevents": "2"}\n'
            '}\n'
        ),
        "node_modules/left-pad/package.json": '{"dependencies": {"evil": "1"}}',
    })
    assert got[("npm", "@openfeature/server-sdk")] == ("package.json:5", False)
    assert got[("npm", "pg")] == ("package.json:6", False)
    # the `jest` key under scripts comes first in the file: the line must be the one in devDependencies
    assert got[("npm", "jest")] == ("package.json:9", True)
    assert got[("npm", "react")] == ("package.json:11", False)
    assert got[("npm", "fsevents")] == ("package.json:12", False)
    assert ("npm", "evil") not in got


def test_pyproject_project_poetry_uv_and_dependency_groups():
    got = deps_of({
        "pyproject.toml": (
            "[project]\n"                                   # 1
            'name = "x"\n'                                  # 2
            "dependencies = [\n"                            # 3
            '  "Flask_SQLAlchemy>=3",  # comment\n'         # 4
            '  "requests",\n'                               # 5
            "]\n"                                           # 6
            "[project.optional-dependencies]\n"             # 7
            'test = ["pytest-benchmark>=4"]\n'              # 8
            'postgres = ["psycopg[binary]"]\n'              # 9
            "[tool.poetry.dependencies]\n"                  # 10
            'python = "^3.11"\n'                            # 11
            'UnleashClient = {version = "5"}\n'             # 12
            "[tool.poetry.group.dev.dependencies]\n"        # 13
            'behave = "*"\n'                                # 14
            "[tool.uv]\n"                                   # 15
            'dev-dependencies = ["ruff"]\n'                 # 16
            "[dependency-groups]\n"                         # 17
            "lint = [\n"                                    # 18
            '  {include-group = "x"},\n'                    # 19
            '  "mypy==1.0",\n'                              # 20
            "]\n"
        ),
    })
    assert got[("pypi", "flask-sqlalchemy")] == ("pyproject.toml:4", False)
    assert got[("pypi", "requests")] == ("pyproject.toml:5", False)
    assert got[("pypi", "pytest-benchmark")] == ("pyproject.toml:8", True)
    assert got[("pypi", "psycopg")] == ("pyproject.toml:9", False)  # an extra that is not a dev group
    assert got[("pypi", "unleashclient")] == ("pyproject.toml:12", False)
    assert got[("pypi", "behave")] == ("pyproject.toml:14", True)
    assert got[("pypi", "ruff")] == ("pyproject.toml:16", True)
    assert got[("pypi", "mypy")] == ("pyproject.toml:20", True)
    assert ("pypi", "python") not in got


def test_requirements_files_options_continuations_and_dev_names():
    got = deps_of({
        "requirements.txt": (
            "# comment\n"
            "Django==4.2 \\\n"
            "    --hash=sha256:abc\n"
            "-r base.txt\n"
            "-e .\n"
            "git+https://github.com/x/y.git#egg=z\n"
            "locust @ https://example.invalid/locust.whl\n"
            "psycopg2-binary>=2.9 ; python_version >= '3.8'  # db\n"
        ),
        "requirements/test.txt": "pytest\n",
        "dev-requirements.in": "black\n",
        "constraints.txt": "urllib3<2\n",
    })
    assert got[("pypi", "django")] == ("requirements.txt:2", False)
    assert got[("pypi", "locust")] == ("requirements.txt:7", False)
    assert got[("pypi", "psycopg2-binary")] == ("requirements.txt:8", False)
    assert got[("pypi", "pytest")] == ("requirements/test.txt:1", True)
    assert got[("pypi", "black")] == ("dev-requirements.in:1", True)
    assert ("pypi", "urllib3") in got
    assert not {n for e, n in got if n in ("git", "z", "-r", "sha256")}


def test_parse_requirement():
    assert parse_requirement("Foo.Bar_baz[extra] >= 1 ; python_version<'3'") == ("foo-bar-baz", ">= 1 ; python_version<'3'")
    assert parse_requirement("name @ git+https://x/y") == ("name", "@ git+https://x/y")
    assert parse_requirement("https://x/y.whl") is None
    assert parse_requirement("--index-url https://x") is None
    assert parse_requirement("this is prose") is None


def test_setup_cfg_and_setup_py():
    got = deps_of({
        "setup.cfg": (
            "[metadata]\nname = x\n"
            "[options]\n"
            "install_requires =\n"
            "    click>=7\n"
            "    # a comment\n"
            "    SQLAlchemy\n"
            "[options.extras_require]\n"
            "testing =\n"
            "    hypothesis\n"
        ),
        "pkg/setup.py": (
            "from setuptools import setup\n"
            "setup(\n"
            "    name='x',\n"
            "    install_requires=['launchdarkly-server-sdk>=9', \"attrs\"],\n"
            "    extras_require={\n"
            "        'dev': ['pytest'],\n"
            "        'pg': ['asyncpg'],\n"
            "    },\n"
            ")\n"
        ),
    })
    assert got[("pypi", "click")] == ("setup.cfg:5", False)
    assert got[("pypi", "sqlalchemy")] == ("setup.cfg:7", False)
    assert got[("pypi", "hypothesis")] == ("setup.cfg:10", True)
    assert got[("pypi", "launchdarkly-server-sdk")] == ("pkg/setup.py:4", False)
    assert got[("pypi", "pytest")] == ("pkg/setup.py:6", True)
    assert got[("pypi", "asyncpg")] == ("pkg/setup.py:7", False)
    assert ("pypi", "x") not in got and ("pypi", "dev") not in got


def test_go_mod_require_lines_blocks_and_indirect():
    got = deps_of({
        "go.mod": (
            "module example.com/app\n"
            "\n"
            "go 1.22\n"
            "toolchain go1.22.3\n"
            "require github.com/Unleash/unleash-client-go/v4 v4.1.0\n"
            "require (\n"
            "\tgithub.com/jackc/pgx/v5 v5.5.0\n"
            "\tgithub.com/lib/pq v1.10.9 // indirect\n"
            ")\n"
        ),
    })
    assert got[("go", "github.com/unleash/unleash-client-go/v4")] == ("go.mod:5", False)
    assert got[("go", "github.com/jackc/pgx/v5")] == ("go.mod:7", False)
    assert ("go", "github.com/lib/pq") not in got  # indirect: transitive, not declared by this module
    assert not any(n.startswith("chain") or n == "go1.22.3" for _, n in got)


POM = """<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <parent>
    <groupId>org.springframework.boot</groupId>
    <artifactId>spring-boot-starter-parent</artifactId>
  </parent>
  <groupId>com.example</groupId>
  <artifactId>self</artifactId>
  <dependencyManagement>
    <dependencies>
      <dependency><groupId>managed</groupId><artifactId>only</artifactId></dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency>
      <groupId>org.flywaydb</groupId>
      <artifactId>flyway-core</artifactId>
      <exclusions><exclusion><groupId>ex</groupId><artifactId>cluded</artifactId></exclusion></exclusions>
    </dependency>
    <dependency>
      <groupId>org.seleniumhq.selenium</groupId>
      <artifactId>selenium-java</artifactId>
      <scope>test</scope>
    </dependency>
  </dependencies>
  <build><plugins>
    <plugin><groupId>org.jacoco</groupId><artifactId>jacoco-maven-plugin</artifactId></plugin>
  </plugins></build>
</project>
"""


def test_pom_xml_lines_scopes_kinds_and_management_sections():
    deps = {d.name: d for d in dependencies(MemoryRepoFiles({"pom.xml": POM}))}
    assert deps["org.springframework.boot:spring-boot-starter-parent"].kind == "parent"
    assert deps["org.flywaydb:flyway-core"].locator == "pom.xml:15"
    assert deps["org.flywaydb:flyway-core"].dev is False
    assert deps["org.seleniumhq.selenium:selenium-java"].dev is True
    assert deps["org.jacoco:jacoco-maven-plugin"].kind == "plugin"
    assert "managed:only" not in deps and "ex:cluded" not in deps and "com.example:self" not in deps


def test_gradle_configurations_plugins_and_catalog():
    got: dict[tuple[str, str], Dependency] = {}
    for d in dependencies(MemoryRepoFiles({
        "build.gradle.kts": (
            "plugins {\n"                                              # 1
            "    java\n"                                               # 2
            '    id("org.springframework.boot") version "3.2.0"\n'    # 3
            "    jacoco\n"                                             # 4
            "}\n"                                                      # 5
            "dependencies {\n"                                         # 6
            '    implementation("org.postgresql:postgresql:42.7.1")\n'  # 7
            '    testImplementation(platform("org.junit:junit-bom:5.10.0"))\n'  # 8
            '    // implementation("commented:out:1")\n'              # 9
            "    implementation(group = \"io.getunleash\", name = \"unleash-client-java\")\n"  # 10
            "}\n"
        ),
        "app/build.gradle": "apply plugin: 'io.gatling.gradle'\ndependencies {\n  testImplementation 'org.openjdk.jmh:jmh-core:1.37'\n}\n",
        "gradle/libs.versions.toml": '[libraries]\nflyway = { module = "org.flywaydb:flyway-core", version = "10" }\n[plugins]\nboot = { id = "org.springframework.boot", version = "3" }\n',
    })):
        got.setdefault((d.ecosystem, d.name), d)  # the first declaration (path order)
    assert got[("gradle-plugin", "java")].locator == "build.gradle.kts:2"
    assert got[("gradle-plugin", "org.springframework.boot")].locator == "build.gradle.kts:3"
    assert got[("gradle-plugin", "jacoco")].locator == "build.gradle.kts:4"
    assert got[("maven", "org.postgresql:postgresql")].locator == "build.gradle.kts:7"
    assert got[("maven", "org.junit:junit-bom")].dev is True
    assert ("maven", "commented:out") not in got
    assert got[("maven", "io.getunleash:unleash-client-java")].locator == "build.gradle.kts:10"
    assert got[("gradle-plugin", "io.gatling.gradle")].locator == "app/build.gradle:1"
    assert got[("maven", "org.openjdk.jmh:jmh-core")].dev is True
    assert got[("maven", "org.flywaydb:flyway-core")].locator == "gradle/libs.versions.toml:2"


def test_gemfile_groups_and_blocks():
    got = deps_of({
        "Gemfile": (
            "source 'https://rubygems.org'\n"     # 1
            "gem 'rails', '~> 7.1'\n"             # 2
            "if ENV['PG']\n"                      # 3
            "  gem 'pg'\n"                        # 4
            "end\n"                               # 5
            "group :development, :test do\n"      # 6
            "  gem 'capybara'\n"                  # 7
            "end\n"                               # 8
            "gem 'flipper'\n"                     # 9
            "gem 'rspec-rails', group: :test\n"   # 10
        ),
        "my.gemspec": "Gem::Specification.new do |s|\n  s.add_dependency 'sequel'\n  s.add_development_dependency 'rake'\nend\n",
    })
    assert got[("rubygems", "rails")] == ("Gemfile:2", False)
    assert got[("rubygems", "pg")] == ("Gemfile:4", False)
    assert got[("rubygems", "capybara")] == ("Gemfile:7", True)
    assert got[("rubygems", "flipper")] == ("Gemfile:9", False)  # the group block was closed
    assert got[("rubygems", "rspec-rails")] == ("Gemfile:10", True)
    assert got[("rubygems", "sequel")] == ("my.gemspec:2", False)
    assert got[("rubygems", "rake")] == ("my.gemspec:3", True)


def test_cargo_composer_dotnet_mix_pubspec():
    got = deps_of({
        "Cargo.toml": (
            '[package]\nname = "x"\n'                                     # 1-2
            "[dependencies]\n"                                             # 3
            'sqlx = { version = "0.7", features = ["postgres"] }\n'       # 4
            "[dev-dependencies]\n"                                         # 5
            'criterion = "0.5"\n'                                          # 6
            "[dependencies.diesel]\n"                                      # 7
            'version = "2"\n'                                              # 8
            "[workspace.dependencies]\n"                                   # 9
            'tokio = "1"\n'                                                # 10
        ),
        "composer.json": '{\n  "require": {\n    "php": ">=8.1",\n    "doctrine/orm": "^2.0"\n  },\n  "require-dev": {"phpunit/phpunit": "^10"}\n}\n',
        "src/Api/Api.csproj": '<Project Sdk="Microsoft.NET.Sdk">\n  <ItemGroup>\n    <PackageReference Include="Microsoft.EntityFrameworkCore" Version="8.0.0" />\n  </ItemGroup>\n</Project>\n',
        "Directory.Packages.props": '<Project>\n  <ItemGroup>\n    <PackageVersion Include="BenchmarkDotNet" Version="0.13" />\n  </ItemGroup>\n</Project>\n',
        "mix.exs": "defmodule App.MixProject do\n  def project, do: [deps: deps()]\n  defp deps do\n    [\n      {:ecto_sql, \"~> 3.10\"},\n      {:ex_machina, \"~> 2.7\", only: :test}\n    ]\n  end\nend\n",
        "pubspec.yaml": "name: app\ndependencies:\n  flutter:\n    sdk: flutter\n  sqflite: ^2.0.0\ndev_dependencies:\n  mockito: ^5.0.0\n",
    })
    assert got[("cargo", "sqlx")] == ("Cargo.toml:4", False)
    assert got[("cargo", "criterion")] == ("Cargo.toml:6", True)
    assert got[("cargo", "diesel")] == ("Cargo.toml:7", False)
    assert got[("cargo", "tokio")] == ("Cargo.toml:10", False)
    assert got[("composer", "doctrine/orm")] == ("composer.json:4", False)
    assert got[("composer", "phpunit/phpunit")] == ("composer.json:6", True)
    assert ("composer", "php") not in got
    assert got[("nuget", "microsoft.entityframeworkcore")] == ("src/Api/Api.csproj:3", False)
    assert got[("nuget", "benchmarkdotnet")] == ("Directory.Packages.props:3", False)
    assert got[("hex", "ecto_sql")] == ("mix.exs:5", False)
    assert got[("hex", "ex_machina")] == ("mix.exs:6", True)
    assert got[("pub", "sqflite")] == ("pubspec.yaml:5", False)
    assert got[("pub", "mockito")] == ("pubspec.yaml:7", True)
    assert ("pub", "flutter") not in got


def test_index_match_patterns_and_dev_filter():
    index = dependency_index(MemoryRepoFiles({
        "package.json": '{"dependencies": {"@unleash/proxy-client-react": "1"}, "devDependencies": {"@playwright/test": "1"}}',
        "go.mod": "module x\nrequire github.com/launchdarkly/go-server-sdk/v7 v7.0.0\n",
    }))
    assert isinstance(index, DependencyIndex)
    assert [d.name for d in index.match("npm:@unleash/*")] == ["@unleash/proxy-client-react"]
    assert index.first("*:github.com/launchdarkly/*") is not None
    assert index.match("npm:@playwright/test", dev=False) == []
    assert len(index.match("npm:@playwright/test", dev=True)) == 1
    with pytest.raises(ValueError):
        index.match("no-ecosystem")


def test_index_is_computed_once_per_files_object_and_not_leaked():
    files = MemoryRepoFiles({"package.json": '{"dependencies": {"pg": "8"}}', "README.md": "pg everywhere"})
    first = dependency_index(files)
    reads = files.reads
    assert dependency_index(files) is first
    assert files.reads == reads == 1  # only the manifest was read, never the README
    other = MemoryRepoFiles({"package.json": '{"dependencies": {"mysql2": "3"}}'})
    assert dependency_index(other) is not first
    before = len(depmod._CACHES)
    del files, first, other
    gc.collect()
    assert len(depmod._CACHES) <= before - 2


def test_broken_manifests_warn_once_and_the_rest_is_still_read():
    files = MemoryRepoFiles({
        "package.json": '{"dependencies": {"pg": "8",}}',
        "pyproject.toml": "[project\ndependencies = [",
        "pom.xml": "<project><dependencies></project>",
        "go.mod": "module x\nrequire github.com/lib/pq v1.0.0\n",
    })
    ctx = DetectionContext(files=files)
    index = index_for(ctx)
    index_for(ctx)
    load_json(ctx, "package.json")  # another detector reading the same broken file
    codes = sorted((w.code, w.locator.split(":")[0]) for w in ctx.warnings)
    assert codes == [("broken-json", "package.json"), ("broken-toml", "pyproject.toml"), ("broken-xml", "pom.xml")]
    assert [d.name for d in index] == ["github.com/lib/pq"]


def test_xml_entities_are_refused():
    files = MemoryRepoFiles({"pom.xml": '<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY x "boom">]>\n<project><dependencies><dependency><groupId>&x;</groupId><artifactId>a</artifactId></dependency></dependencies></project>'})
    ctx = DetectionContext(files=files)
    assert list(index_for(ctx)) == []
    assert [w.code for w in ctx.warnings] == ["broken-xml"]


def test_json_and_toml_line_maps():
    lines = json_lines('{\n "a": {\n  "b": [\n   1,\n   {"c": 2}\n  ]\n },\n "d": "x"\n}')
    assert lines[("a",)] == 2 and lines[("a", "b")] == 3 and lines[("a", "b", 0)] == 4
    assert lines[("a", "b", 1, "c")] == 5 and lines[("d",)] == 8
    t = toml_lines('top = 1\n[a.b]\nx = """\nnot = a key\n"""\n"q.k" = [\n  "one", # c\n  "two",\n]\n[[arr]]\ny = {z = 1}\n')
    assert t[("top",)] == 1 and t[("a", "b")] == 2 and t[("a", "b", "x")] == 3
    assert ("a", "b", "not") not in t
    assert t[("a", "b", "q.k", 0)] == 7 and t[("a", "b", "q.k", 1)] == 8
    assert t[("arr", "y", "z")] == 11


def test_go_own_modules_local_replaces_and_tooling_modules():
    found = deps_of({
        "go.mod": "module example.com/app\n\nrequire (\n\texample.com/app/rpc v1.0.0\n\tgithub.com/lib/pq v1.10.0\n\texample.com/shared v0.1.0\n)\n\nreplace example.com/shared => ../shared\n",
        "rpc/go.mod": "module example.com/app/rpc\n",
        "build/go.mod": "module example.com/build\n\nrequire github.com/open-feature/go-sdk v1.0.0\n",
    })
    assert ("go", "github.com/lib/pq") in found
    assert ("go", "example.com/app/rpc") not in found  # declared by a go.mod of this repository
    assert ("go", "example.com/shared") not in found  # replaced by a local folder
    assert found[("go", "github.com/open-feature/go-sdk")] == ("build/go.mod:3", True)  # build tooling module


def test_gradle_multi_line_configuration_lists():
    got = deps_of({
        "app/dependencies.gradle": (
            "dependencies {\n"                                  # 1
            "    implementation(\n"                             # 2
            "            project(path: ':core')\n"              # 3
            "            )\n"                                   # 4
            "    implementation(\n"                             # 5
            "            'org.springframework.boot:spring-boot-starter-web',\n"  # 6
            "\n"                                                # 7
            "            'org.liquibase:liquibase-core',\n"     # 8
            "            'com.google.guava:guava')\n"           # 9
            "    testImplementation(\n"                         # 10
            "            'io.cucumber:cucumber-java',\n"        # 11
            "            )\n"                                   # 12
            "    runtimeOnly('org.postgresql:postgresql')\n"    # 13
            "}\n"
        ),
    })
    assert got[("maven", "org.liquibase:liquibase-core")] == ("app/dependencies.gradle:8", False)
    assert got[("maven", "com.google.guava:guava")] == ("app/dependencies.gradle:9", False)
    assert got[("maven", "io.cucumber:cucumber-java")] == ("app/dependencies.gradle:11", True)
    assert got[("maven", "org.postgresql:postgresql")] == ("app/dependencies.gradle:13", False)
