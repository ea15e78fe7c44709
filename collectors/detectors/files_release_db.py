"""Release, data and test-tooling signals seen in files (not in CI pipelines):
`release.feature_flags`, `release.notes_generated`, `db.migration_tools`, `db.datastore`,
`db.migrations_in_deploy`, `test.e2e`, `test.performance`.

Everything is decided by structure (dependencies, configuration files, migration folders, code
that imports a tool), never by a word appearing somewhere. Files are selected by name first and
read sparingly (one sample per migration folder).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from collectors.detectors.dependencies import Dependency, DependencyIndex, index_for, load_json, load_toml, load_yaml, match_line
from collectors.detectors.files_build import is_dockerfile
from collectors.detectors.interface import DetectionContext, Detector
from collectors.repofiles import RepoFiles
from scanner.yamlfile import LineDict, LineList

# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------

_TEST_DIR = re.compile(r"^(test|tests|spec|specs|__tests__|testing|testapp|testapps|test[-_].*|.*[-_]tests?)$", re.I)


def in_test_dir(path: str) -> bool:
    """True when a folder of `path` is a test folder (tests/, spec/, test_app/, foo_tests/...)."""
    return any(_TEST_DIR.match(part) for part in path.split("/")[:-1])


_CI_PATHS = re.compile(
    r"^(\.github/workflows/|\.gitlab/|\.circleci/|\.buildkite/|\.tekton/|\.azure-pipelines/)|"
    r"(^|/)(\.gitlab-ci\.ya?ml|\.?azure-pipelines[\w.-]*\.ya?ml|bitbucket-pipelines\.yml|\.travis\.yml|\.drone\.ya?ml|"
    r"cloudbuild[\w.-]*\.ya?ml|buildspec[\w.-]*\.ya?ml|Jenkinsfile[\w.-]*)$"
)


def is_ci_path(path: str) -> bool:
    """CI pipeline definitions: parsed by the pipeline collectors, never read here."""
    return bool(_CI_PATHS.search(path))


def _dir(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _line_matching(text: str, pattern: re.Pattern[str]) -> tuple[int, str] | None:
    """(line, stripped line text) of the first line matching `pattern`."""
    for lineno, line in enumerate(text.splitlines(), 1):
        if pattern.search(line):
            return lineno, line.strip()
    return None


def _first_dep(deps: Iterable[Dependency]) -> Dependency | None:
    return next((d for d in deps if not in_test_dir(d.path)), None)


class _Found:
    """Tool name -> (locator, observed); the first observation of each tool wins."""

    def __init__(self) -> None:
        self.items: dict[str, tuple[str, str]] = {}

    def add(self, tool: str, locator: str, observed: str) -> None:
        self.items.setdefault(tool, (locator, observed))

    def add_dep(self, tool: str, dep: Dependency | None) -> None:
        if dep is not None:
            self.add(tool, dep.locator, dep.describe())

    def __contains__(self, tool: str) -> bool:
        return tool in self.items

    def emit(self, ctx: DetectionContext, key: str) -> None:
        for tool in sorted(self.items):
            locator, observed = self.items[tool]
            ctx.emit(key, [tool], locator, observed)


def _match_table(found: _Found, index: DependencyIndex, table: dict[str, tuple[str, ...]]) -> None:
    """Add each tool of `table` whose patterns match a dependency (test folders included: that is
    where end-to-end and performance suites live)."""
    for tool, dep in index.classify(table).items():
        found.add_dep(tool, dep)


# ---------------------------------------------------------------------------------------------
# release.feature_flags
# ---------------------------------------------------------------------------------------------

FLAG_SDKS: dict[str, tuple[str, ...]] = {
    "openfeature": (
        "npm:@openfeature/*", "pypi:openfeature-sdk", "pypi:openfeature-provider-*", "maven:dev.openfeature*:*",
        "go:github.com/open-feature/go-sdk*", "nuget:openfeature*", "rubygems:openfeature-sdk", "cargo:open-feature*",
        "composer:open-feature/*", "pub:openfeature*", "hex:open_feature*",
    ),
    "flagd": (
        "npm:@openfeature/flagd-*", "pypi:openfeature-provider-flagd", "maven:dev.openfeature.contrib.providers:flagd",
        "go:github.com/open-feature/go-sdk-contrib/providers/flagd*", "nuget:openfeature.contrib.providers.flagd",
        "rubygems:openfeature-flagd-provider", "composer:open-feature/flagd-provider",
    ),
    "unleash": (
        "npm:unleash-client", "npm:unleash-proxy-client", "npm:@unleash/*", "pypi:unleashclient", "pypi:unleash-client*",
        "go:github.com/unleash/unleash-client-go*", "maven:io.getunleash:*", "nuget:unleash.client", "rubygems:unleash",
        "composer:unleash/client", "cargo:unleash-api-client", "pub:unleash_proxy_client_flutter",
    ),
    "launchdarkly": (
        "npm:launchdarkly-*", "npm:@launchdarkly/*", "npm:ldclient-*", "pypi:launchdarkly-*", "pypi:ldclient-py",
        "maven:com.launchdarkly:*", "go:github.com/launchdarkly/*", "go:gopkg.in/launchdarkly/*", "rubygems:launchdarkly-*",
        "rubygems:ldclient-rb", "nuget:launchdarkly.*", "composer:launchdarkly/*", "cargo:launchdarkly-*", "hex:ldclient",
        "pub:launchdarkly_*",
    ),
    "flagsmith": (
        "npm:flagsmith", "npm:flagsmith-*", "npm:@flagsmith/*", "pypi:flagsmith", "maven:com.flagsmith:*",
        "go:github.com/flagsmith/*", "rubygems:flagsmith", "nuget:flagsmith*", "composer:flagsmith/*", "cargo:flagsmith*",
        "pub:flagsmith*",
    ),
    "growthbook": (
        "npm:@growthbook/*", "npm:growthbook", "pypi:growthbook", "go:github.com/growthbook/*", "maven:com.github.growthbook:*",
        "rubygems:growthbook", "nuget:growthbook*", "composer:growthbook/*", "pub:growthbook_sdk_flutter",
    ),
    "configcat": (
        "npm:configcat-*", "npm:@configcat/*", "pypi:configcat-client", "maven:com.configcat:*", "go:github.com/configcat/*",
        "rubygems:configcat", "nuget:configcat.client", "composer:configcat/*", "cargo:configcat", "pub:configcat_client",
    ),
    "split": ("npm:@splitsoftware/*", "pypi:splitio*", "maven:io.split.client:*", "go:github.com/splitio/*", "rubygems:splitclient-rb", "nuget:splitio*"),
    "statsig": ("npm:statsig-*", "npm:@statsig/*", "pypi:statsig", "maven:com.statsig:*", "go:github.com/statsig-io/*", "rubygems:statsig", "nuget:statsig*"),
    "flipt": ("npm:@flipt-io/*", "pypi:flipt*", "go:go.flipt.io/*", "go:github.com/flipt-io/*", "maven:io.flipt:*", "rubygems:flipt*"),
    "go-feature-flag": ("go:github.com/thomaspoignant/go-feature-flag*", "npm:@openfeature/go-feature-flag-provider", "pypi:gofeatureflag-*"),
    "flipper": ("rubygems:flipper", "rubygems:flipper-*"),
    "django-waffle": ("pypi:django-waffle",),
    "devcycle": ("npm:@devcycle/*", "pypi:devcycle-*", "go:github.com/devcyclehq/*", "maven:com.devcycle:*", "rubygems:devcycle-*", "nuget:devcycle*"),
    "optimizely": ("npm:@optimizely/*", "npm:optimizely-*", "pypi:optimizely-sdk", "maven:com.optimizely.ab:*", "go:github.com/optimizely/go-sdk*", "rubygems:optimizely-sdk", "nuget:optimizely.sdk"),
    "harness": (
        "npm:@harnessio/ff-*", "pypi:harness-featureflags", "maven:io.harness:ff-java-server-sdk", "go:github.com/harness/ff-golang-server-sdk*",
        "nuget:ff-dotnet-server-sdk", "rubygems:ff-ruby-server-sdk", "pub:ff_flutter_client_sdk",
    ),
    "cloudbees": (
        "npm:rox-browser", "npm:rox-node", "npm:rox-react-native", "npm:rox-ssr", "npm:cloudbees-openfeature-provider-*",
        "pypi:rox", "maven:io.rollout.rox:*", "go:github.com/rollout/rox-go*", "rubygems:rox-ruby", "nuget:rox-netcore",
    ),
    "togglz": ("maven:org.togglz:*",),
    "ff4j": ("maven:org.ff4j:*",),
    "microsoft-feature-management": ("nuget:microsoft.featuremanagement*", "npm:@microsoft/feature-management"),
}


def _test_or_tooling(dep: Dependency) -> bool:
    return in_test_dir(dep.path) or (dep.dev and dep.ecosystem != "npm")


class FeatureFlagsDetector(Detector):
    name = "feature-flags"
    provides = frozenset({"release.feature_flags"})

    def detect(self, ctx: DetectionContext) -> None:
        found = _Found()
        # A flag SDK the product ships with: not one declared only by a test harness or build
        # tooling (a Go `build/go.mod`, a test-scoped Maven dependency). npm is the exception:
        # bundled front-ends often declare runtime libraries as devDependencies.
        for tool, dep in index_for(ctx).classify(FLAG_SDKS, exclude=_test_or_tooling).items():
            found.add_dep(tool, dep)
        found.emit(ctx, "release.feature_flags")


# ---------------------------------------------------------------------------------------------
# release.notes_generated
# ---------------------------------------------------------------------------------------------


class ReleaseNotesConfigDetector(Detector):
    name = "release-notes-config"
    provides = frozenset({"release.notes_generated"})

    def detect(self, ctx: DetectionContext) -> None:
        for path in (".github/release.yml", ".github/release.yaml"):
            if not ctx.files.exists(path):
                continue
            doc = load_yaml(ctx, path)
            if doc is not None and isinstance(doc.data, dict) and isinstance(doc.data.get("changelog"), dict):
                ctx.emit("release.notes_generated", True, doc.locator("changelog"), f"GitHub generated release notes configured ({path} changelog categories)")
                return


class ReleasePleaseAppDetector(Detector):
    """The Release Please GitHub App reads `.github/release-please.yml` and runs with no workflow in the repository."""

    name = "release-please-app"
    provides = frozenset({"release.automation", "release.notes_generated"})

    def detect(self, ctx: DetectionContext) -> None:
        for path in (".github/release-please.yml", ".github/release-please.yaml"):
            if not ctx.files.exists(path):
                continue
            doc = load_yaml(ctx, path)
            if doc is None or not isinstance(doc.data, dict) or not doc.data:
                continue
            what = f"Release Please GitHub App configured ({path})"
            ctx.emit("release.automation", ["release-please"], doc.locator(), what)
            ctx.emit("release.notes_generated", True, doc.locator(), what)
            return


# ---------------------------------------------------------------------------------------------
# db.migration_tools / db.datastore / db.migrations_in_deploy
# ---------------------------------------------------------------------------------------------

_MIGRATION_DIRS = frozenset({"migrations", "migration", "migrate"})
_FLYWAY_FILE = re.compile(r"^[VRU]\d+(?:[._]\d+)*__\w[^/]*\.(sql|java|kt|scala)$")
_DJANGO_FILE = re.compile(r"^\d{4}_\w+\.py$")
_SAMPLE_EXTS = (".py", ".rb", ".sql", ".ts", ".js", ".mjs", ".cjs", ".cs", ".php", ".exs")
MAX_SAMPLED_FOLDERS = 60

# (tool, extensions, content regex) for one sampled file of a migration folder.
_SAMPLE_RULES: tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...] = (
    ("django", (".py",), re.compile(r"\bclass\s+Migration\s*\(\s*migrations\.Migration\s*\)")),
    ("yoyo", (".py",), re.compile(r"^[ \t]*from\s+yoyo\s+import\b|^[ \t]*import\s+yoyo\b", re.M)),
    ("rails", (".rb",), re.compile(r"<\s*ActiveRecord::Migration\b")),
    ("sequel", (".rb",), re.compile(r"\bSequel\.migration\b")),
    ("goose", (".sql",), re.compile(r"^[ \t]*--\s*\+goose\s+up\b", re.I | re.M)),
    ("dbmate", (".sql",), re.compile(r"^[ \t]*--\s*migrate:up\b", re.M)),
    ("liquibase", (".sql",), re.compile(r"^[ \t]*--\s*liquibase\s+formatted\s+sql", re.I | re.M)),
    ("typeorm", (".ts", ".js"), re.compile(r"\bimplements\s+MigrationInterface\b")),
    ("mikro-orm", (".ts", ".js"), re.compile(r"""from\s+["']@mikro-orm/migrations["']|require\(\s*["']@mikro-orm/migrations["']\s*\)""")),
    ("sequelize", (".js", ".cjs", ".ts"), re.compile(r"\bqueryInterface\s*\.\s*(createTable|addColumn|addIndex|changeColumn|removeColumn|dropTable|bulkInsert|sequelize)\b")),
    ("knex", (".js", ".cjs", ".mjs", ".ts"), re.compile(r"\b(exports\.up|export\s+(async\s+)?function\s+up|up\s*[:=]\s*(async\s+)?(function)?\s*\(?\s*knex\b)[^\n]*knex|knex\.schema\.")),
    ("ef-core", (".cs",), re.compile(r":\s*Migration\b[^\n]*$|using\s+Microsoft\.EntityFrameworkCore\.Migrations\s*;", re.M)),
    ("fluentmigrator", (".cs",), re.compile(r"\[Migration\(\s*\d+")),
    ("doctrine", (".php",), re.compile(r"namespace\s+DoctrineMigrations\b|use\s+Doctrine\\Migrations\\")),
    ("laravel", (".php",), re.compile(r"use\s+Illuminate\\Database\\Migrations\\Migration\s*;|extends\s+Migration\b")),
    ("ecto", (".exs",), re.compile(r"\buse\s+Ecto\.Migration\b")),
)


DATASTORE_DEPS: tuple[str, ...] = (
    # Python
    "pypi:psycopg", "pypi:psycopg-*", "pypi:psycopg2", "pypi:psycopg2-*", "pypi:sqlalchemy", "pypi:flask-sqlalchemy", "pypi:sqlmodel",
    "pypi:django", "pypi:pymysql", "pypi:mysqlclient", "pypi:mysql-connector-python", "pypi:asyncpg", "pypi:aiopg", "pypi:aiomysql",
    "pypi:aiosqlite", "pypi:pymongo", "pypi:motor", "pypi:mongoengine", "pypi:beanie", "pypi:peewee", "pypi:pony", "pypi:tortoise-orm",
    "pypi:databases", "pypi:cx-oracle", "pypi:oracledb", "pypi:pyodbc", "pypi:pymssql", "pypi:cassandra-driver", "pypi:neo4j",
    "pypi:clickhouse-driver", "pypi:clickhouse-connect", "pypi:alembic", "pypi:yoyo-migrations",
    # JavaScript / TypeScript
    "npm:pg", "npm:pg-promise", "npm:postgres", "npm:mysql", "npm:mysql2", "npm:mongoose", "npm:mongodb", "npm:prisma", "npm:@prisma/client",
    "npm:typeorm", "npm:sequelize", "npm:knex", "npm:drizzle-orm", "npm:@mikro-orm/*", "npm:objection", "npm:better-sqlite3", "npm:sqlite3",
    "npm:kysely", "npm:slonik", "npm:oracledb", "npm:mssql", "npm:tedious", "npm:@neondatabase/serverless", "npm:@planetscale/database",
    "npm:@libsql/client", "npm:@vercel/postgres", "npm:cassandra-driver", "npm:neo4j-driver",
    # Go
    "go:gorm.io/gorm", "go:gorm.io/driver/*", "go:github.com/lib/pq", "go:github.com/jackc/pgx*", "go:github.com/go-sql-driver/mysql",
    "go:github.com/mattn/go-sqlite3", "go:modernc.org/sqlite", "go:go.mongodb.org/mongo-driver*", "go:github.com/jmoiron/sqlx",
    "go:entgo.io/ent", "go:github.com/uptrace/bun*", "go:github.com/go-pg/pg*", "go:github.com/gocql/gocql", "go:github.com/denisenkom/go-mssqldb",
    "go:github.com/microsoft/go-mssqldb", "go:xorm.io/xorm", "go:github.com/volatiletech/sqlboiler*", "go:github.com/pressly/goose*",
    "go:github.com/golang-migrate/migrate*",
    # JVM
    "maven:org.postgresql:postgresql", "maven:mysql:mysql-connector-java", "maven:com.mysql:mysql-connector-j", "maven:org.mariadb.jdbc:*",
    "maven:org.hibernate*:*", "maven:org.springframework.boot:spring-boot-starter-data-jpa", "maven:org.springframework.boot:spring-boot-starter-jdbc",
    "maven:org.springframework.boot:spring-boot-starter-data-mongodb*", "maven:org.springframework.boot:spring-boot-starter-data-r2dbc",
    "maven:org.springframework.boot:spring-boot-starter-data-cassandra*", "maven:org.mongodb:*", "maven:com.h2database:h2",
    "maven:org.xerial:sqlite-jdbc", "maven:com.oracle.database.jdbc:*", "maven:com.microsoft.sqlserver:*", "maven:org.jooq:*",
    "maven:org.mybatis*:*", "maven:org.flywaydb:*", "maven:org.liquibase:*", "maven:io.r2dbc:*", "maven:org.jetbrains.exposed:*",
    "maven:io.quarkus:quarkus-hibernate-*", "maven:io.quarkus:quarkus-jdbc-*",
    # Ruby
    "rubygems:activerecord", "rubygems:rails", "rubygems:pg", "rubygems:mysql2", "rubygems:sqlite3", "rubygems:sequel", "rubygems:mongoid", "rubygems:trilogy",
    # Rust
    "cargo:diesel", "cargo:sqlx", "cargo:sea-orm", "cargo:tokio-postgres", "cargo:postgres", "cargo:rusqlite", "cargo:mongodb", "cargo:mysql",
    "cargo:mysql_async", "cargo:deadpool-postgres",
    # PHP
    "composer:doctrine/orm", "composer:doctrine/dbal", "composer:doctrine/doctrine-bundle", "composer:laravel/framework", "composer:illuminate/database",
    "composer:mongodb/mongodb", "composer:propel/*",
    # .NET
    "nuget:microsoft.entityframeworkcore*", "nuget:npgsql*", "nuget:dapper", "nuget:mysql.data", "nuget:mysqlconnector", "nuget:pomelo.entityframeworkcore.mysql",
    "nuget:microsoft.data.sqlclient", "nuget:system.data.sqlclient", "nuget:mongodb.driver", "nuget:microsoft.data.sqlite*", "nuget:fluentmigrator*", "nuget:dbup*",
    # Elixir / Dart
    "hex:ecto_sql", "hex:postgrex", "hex:myxql", "hex:ecto_sqlite3", "hex:mongodb_driver", "pub:sqflite", "pub:drift", "pub:postgres",
)

_DB_IMAGE = re.compile(
    r"(^|/)(postgres|postgresql|postgis|mysql|mariadb|mongo|mongodb|mongodb-community-server|cockroach|cockroachdb|cassandra|couchdb|neo4j|"
    r"clickhouse-server|timescaledb(-ha)?|yugabyte|percona-server|percona|scylla|surrealdb|edgedb|arangodb|influxdb|oracle-xe|oracle-free|"
    r"mssql/server|azure-sql-edge|dynamodb-local|db2)$"
)
_COMPOSE_FILE = re.compile(r"^(docker-)?compose([-.][\w.-]+)?\.ya?ml$")

# Commands that apply migrations (a local table: the CI command classifier lives elsewhere).
MIGRATION_COMMANDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("alembic", re.compile(r"\balembic\b[^\n;&|]*\bupgrade\b")),
    ("django", re.compile(r"\b(manage\.py|django-admin)\s+migrate\b(?![^\n;&|]*--(check|plan))")),
    ("rails", re.compile(r"\b(rails|rake)\s+([\w:]+\s+)*db:(migrate|prepare|setup)\b")),
    ("flyway", re.compile(r"\bflyway\b[^\n;&|]*\bmigrate\b")),
    ("liquibase", re.compile(r"\bliquibase\b[^\n;&|]*\bupdate\b")),
    ("prisma", re.compile(r"\bprisma\s+migrate\s+deploy\b")),
    ("knex", re.compile(r"\bknex\b[^\n;&|]*\bmigrate:(latest|up)\b")),
    ("sequelize", re.compile(r"\bsequelize(-cli)?\b[^\n;&|]*\bdb:migrate\b(?!:undo)")),
    ("typeorm", re.compile(r"\btypeorm(-ts-node-\w+)?\b[^\n;&|]*\bmigration:run\b")),
    ("ef-core", re.compile(r"\bdotnet\s+ef\s+database\s+update\b")),
    ("goose", re.compile(r"\bgoose\b[^\n;&|]*\s(up|up-to)\b")),
    ("golang-migrate", re.compile(r"(^|[\s;&|/\"'])migrate\s+[^\n;&|]*-(path|source)\b[^\n;&|]*\sup\b")),
    ("dbmate", re.compile(r"\bdbmate\b[^\n;&|]*\s(up|migrate)\b")),
    ("laravel", re.compile(r"\bartisan\s+migrate\b(?!:(rollback|reset|status))")),
    ("ecto", re.compile(r"\bmix\s+ecto\.migrate\b|\bRelease\.migrate\b")),
    ("diesel", re.compile(r"\bdiesel\s+migration\s+run\b")),
    ("sqlx", re.compile(r"\bsqlx\s+migrate\s+run\b")),
    ("flask-migrate", re.compile(r"\bflask\b[^\n;&|]*\bdb\s+upgrade\b")),
    ("atlas", re.compile(r"\batlas\s+(migrate\s+apply|schema\s+apply)\b")),
    ("sqitch", re.compile(r"\bsqitch\s+deploy\b")),
    ("drizzle", re.compile(r"\bdrizzle-kit\s+migrate\b")),
    ("mikro-orm", re.compile(r"\bmikro-orm\s+migration:up\b")),
    ("doctrine", re.compile(r"\bdoctrine:migrations:migrate\b")),
    ("yoyo", re.compile(r"\byoyo\s+apply\b")),
    ("package-script", re.compile(r"\b(npm\s+run|yarn(\s+run)?|pnpm(\s+run)?|bun\s+run)\s+(db:)?migrat(e|ion|ions)(:(up|latest|deploy|run))?\b(?![:\w-]*(undo|down|rollback|create|generate|make|new|status))")),
    ("make", re.compile(r"\bmake\s+(db-)?migrat(e|ions?)\b")),
)


def image_repository(image: str) -> str:
    """`docker.io/library/postgres:16@sha256:...` -> `docker.io/library/postgres`."""
    image = image.split("@", 1)[0].strip().lower()
    head, _, last = image.rpartition("/")
    last = last.split(":", 1)[0]
    return f"{head}/{last}" if head else last


def find_migration_command(text: str) -> tuple[int, str, str] | None:
    """(line, tool, line text) of the first line of a shell text that applies migrations."""
    for lineno, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if not s or s.startswith(("#", ";")):  # `;` comments in ini files (uwsgi, supervisord)
            continue
        for tool, pattern in MIGRATION_COMMANDS:
            if pattern.search(s):
                return lineno, tool, s
    return None


class MigrationsDetector(Detector):
    """Versioned migration tools, by structure; and whether the repository has a datastore."""

    name = "migrations"
    provides = frozenset({"db.migration_tools", "db.datastore"})

    def detect(self, ctx: DetectionContext) -> None:
        tools = find_migration_tools(ctx)
        tools.emit(ctx, "db.migration_tools")
        self._datastore(ctx, tools)

    def _datastore(self, ctx: DetectionContext, tools: _Found) -> None:
        if tools.items:
            tool = sorted(tools.items)[0]
            ctx.emit("db.datastore", True, tools.items[tool][0], f"{tool} migrations imply a datastore")
            return
        emitted = 0
        index = index_for(ctx)
        seen: set[str] = set()
        for dep in index.match(*DATASTORE_DEPS, dev=False, kinds=("library",)):
            if in_test_dir(dep.path) or dep.name in seen:
                continue
            seen.add(dep.name)
            ctx.emit("db.datastore", True, dep.locator, f"database driver / ORM {dep.describe()}")
            emitted += 1
            if emitted >= 3:
                return
        for path in ctx.files.paths:
            if not _COMPOSE_FILE.match(_name(path)):
                continue
            doc = load_yaml(ctx, path)
            if doc is None or not isinstance(doc.data, dict) or not isinstance(doc.data.get("services"), dict):
                continue
            for service, body in doc.data["services"].items():
                image = body.get("image") if isinstance(body, dict) else None
                if isinstance(image, str) and _DB_IMAGE.search(image_repository(image)):
                    ctx.emit("db.datastore", True, doc.locator("services", service, "image"), f"{path} runs database service {service} (image {image})")
                    return
        for locator, observed in _database_images(ctx.files):
            ctx.emit("db.datastore", True, locator, observed)
            return


# Files that start containers from a template or a manifest: templated compose files, Kubernetes /
# Helm templates, Ansible templates and tasks. Plain YAML compose files are parsed above.
_CI_DEFINITION = re.compile(
    r"(?:^|/)\.(?:github|gitlab|circleci|buildkite|tekton|gitea|forgejo|woodpecker|drone|azure-pipelines)/"
    r"|(?:^|/)(?:\.gitlab-ci[\w.-]*|\.travis|\.?azure-pipelines[\w.-]*|bitbucket-pipelines|\.drone|\.woodpecker|cloudbuild[\w.-]*|buildspec[\w.-]*)\.ya?ml$"
)
# Plain substrings of a lower-cased text: a case-insensitive regex alternation is ~15x slower on
# multi-megabyte manifests (CRD bundles).
_DB_WORDS = (
    "postgres", "mysql", "maria", "mongo", "cockroach", "cassandra", "couch", "neo4j", "clickhouse", "timescale", "yugabyte",
    "percona", "scylla", "surreal", "edgedb", "arango", "influx", "oracle", "mssql", "sql-edge", "dynamodb", "db2",
)


def _mentions_database(text: str) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in _DB_WORDS)
_TEMPLATE_SUFFIX = re.compile(r"\.(?:j2|jinja2?|tmpl|tpl|template)$", re.I)
_IMAGE_LINE = re.compile(r"""^[ \t]*(?:-[ \t]+)?image\s*:\s*['"]?([A-Za-z0-9][^\s'"#{}]*)""", re.M)
_RUNS_CONTAINERS = re.compile(
    r"^[ \t]*(?:-[ \t]+)?(?:kind\s*:\s*(?:Deployment|StatefulSet|DaemonSet|Pod|Job|CronJob|Rollout|ReplicaSet)\b|services\s*:"
    r"|(?:[\w.]+\.)?(?:docker_container|podman_container|docker_swarm_service)\s*:)",
    re.M,
)
# Helm chart dependencies on database charts (bitnami/postgresql...).
_DB_CHART = re.compile(r"^(postgresql(-ha)?|mysql|mariadb(-galera)?|mongodb(-sharded)?|cockroachdb|cassandra|neo4j|clickhouse|timescaledb(-single)?|influxdb2?|couchdb)$")


def _database_images(files: RepoFiles) -> Iterable[tuple[str, str]]:
    """(locator, words) where a manifest, a Helm/Ansible template or an Ansible task starts a database
    container, or a Helm chart depends on a database chart."""
    for path in files.paths:
        name = _name(path)
        if _CI_DEFINITION.search(path):
            continue  # CI service containers are read by the pipeline collectors
        base = _TEMPLATE_SUFFIX.sub("", name)
        if not base.lower().endswith((".yaml", ".yml")):
            continue
        if not (base != name or _COMPOSE_FILE.match(name) is None):
            continue
        text = files.read_text(path)
        if not text or "image" not in text or not _mentions_database(text) or not _RUNS_CONTAINERS.search(text):
            continue
        for m in _IMAGE_LINE.finditer(text):
            image = m.group(1)
            if _DB_IMAGE.search(image_repository(image)):
                yield f"{path}:{text.count(chr(10), 0, m.start()) + 1}", f"{path} starts a database container (image {image})"
                return
    for path in files.named("Chart.yaml"):
        text = files.read_text(path) or ""
        for m in re.finditer(r"^[ \t]*-\s*name\s*:\s*['\"]?([\w-]+)", text[text.find("dependencies"):] if "dependencies" in text else "", re.M):
            if _DB_CHART.match(m.group(1)):
                start = text.find("dependencies") + m.start()
                yield f"{path}:{text.count(chr(10), 0, start) + 1}", f"Helm chart {path} depends on the {m.group(1)} chart"
                return


@dataclass
class _Layout:
    """Evidence paths outside test folders, indexed once for the migration checks."""

    candidates: list[str]
    present: set[str]
    names: dict[str, list[str]]
    """file name -> paths"""
    folders: dict[str, list[str]]
    """migration folder (`.../migrations`, `.../migration`, `.../migrate`) -> its files"""
    flyway_files: list[str]
    up_sql: list[str]

    @classmethod
    def of(cls, files: RepoFiles) -> _Layout:
        layout = cls([p for p in files.paths if not in_test_dir(p)], set(), {}, {}, [], [])
        layout.present = set(layout.candidates)
        for path in layout.candidates:
            name = _name(path)
            layout.names.setdefault(name, []).append(path)
            folder = _dir(path)
            if _name(folder).lower() in _MIGRATION_DIRS:
                layout.folders.setdefault(folder, []).append(path)
            if _FLYWAY_FILE.match(name):
                layout.flyway_files.append(path)
            if name.endswith(".up.sql"):
                layout.up_sql.append(path)
        return layout

    def first_named(self, *names: str) -> str | None:
        return next((self.names[n][0] for n in names if self.names.get(n)), None)

    def has_prefix(self, prefix: str) -> bool:
        return any(p.startswith(prefix) for p in self.candidates)


def find_migration_tools(ctx: DetectionContext) -> _Found:
    """Versioned migration tools, each with the file (and line) that shows it."""
    found = _Found()
    layout = _Layout.of(ctx.files)
    index = index_for(ctx)
    _alembic(ctx.files, layout, found)
    _jvm_tools(ctx.files, layout, index, found)
    _dependency_tools(layout, index, found)
    _config_tools(layout, found)
    _sample_migration_folders(ctx.files, layout, found)
    return found


def _alembic(files: RepoFiles, layout: _Layout, found: _Found) -> None:
    """alembic.ini, or an env.py next to script.py.mako / versions/."""
    for path in layout.names.get("alembic.ini", []):
        text = files.read_text(path) or ""
        hit = _line_matching(text, re.compile(r"^[ \t]*script_location\s*=")) or _line_matching(text, re.compile(r"^[ \t]*\[alembic\]"))
        found.add("alembic", f"{path}:{hit[0] if hit else 1}", f"{path}" + (f": {hit[1]}" if hit else ""))
        return
    for path in layout.names.get("env.py", []):
        folder = _dir(path)
        if _join(folder, "script.py.mako") in layout.present or layout.has_prefix(_join(folder, "versions/")):
            hit = _line_matching(files.read_text(path) or "", re.compile(r"\balembic\b"))
            if hit:
                found.add("alembic", f"{path}:{hit[0]}", f"alembic environment {path}: {hit[1]}")
                return


def _jvm_tools(files: RepoFiles, layout: _Layout, index: DependencyIndex, found: _Found) -> None:
    """Flyway (configuration, default location, or the dependency with V<n>__ files) and Liquibase."""
    flyway_config = layout.first_named("flyway.conf", "flyway.toml")
    default_location = [p for p in layout.flyway_files if "/db/migration/" in f"/{p}"]
    flyway_dep = _first_dep(index.match("maven:org.flywaydb:*", "gradle-plugin:org.flywaydb.flyway", "npm:node-flywaydb"))
    if flyway_config:
        found.add("flyway", f"{flyway_config}:1", f"Flyway configuration {flyway_config}")
    elif default_location:
        found.add("flyway", f"{default_location[0]}:1", f"Flyway versioned migration {default_location[0]}")
    elif flyway_dep is not None and layout.flyway_files:
        first = layout.flyway_files[0]
        found.add("flyway", f"{first}:1", f"Flyway versioned migration {first} ({flyway_dep.describe()} at {flyway_dep.locator})")

    changelogs = [p for p in layout.candidates if "changelog" in _name(p).lower() and _name(p).lower().endswith((".xml", ".yaml", ".yml", ".json", ".sql"))]
    for path in changelogs[:10]:
        hit = _line_matching(files.read_text(path) or "", re.compile(r"databaseChangeLog|--\s*liquibase\s+formatted\s+sql", re.I))
        if hit:
            found.add("liquibase", f"{path}:{hit[0]}", f"Liquibase changelog {path}")
            break
    found.add_dep("liquibase", _first_dep(index.match("maven:org.liquibase:*", "gradle-plugin:org.liquibase.gradle", "npm:liquibase")))


def _dependency_tools(layout: _Layout, index: DependencyIndex, found: _Found) -> None:
    """Tools recognised by their library, with migration files where the library alone says little."""
    pairs = [p for p in layout.up_sql if p[: -len(".up.sql")] + ".down.sql" in layout.present]
    migrate = _first_dep(index.match("go:github.com/golang-migrate/migrate*"))
    if pairs and migrate is not None:
        found.add("golang-migrate", f"{pairs[0]}:1", f"up/down migration pair {pairs[0]} with {migrate.describe()} ({migrate.locator})")
    found.add_dep("goose", _first_dep(index.match("go:github.com/pressly/goose*")))
    sqlx = _first_dep(index.match("cargo:sqlx"))
    sql = next((p for paths in layout.folders.values() for p in paths if p.endswith(".sql")), None)
    if sqlx is not None and sql:
        found.add("sqlx", f"{sql}:1", f"SQL migration {sql} with {sqlx.describe()} ({sqlx.locator})")


_CONFIG_TOOLS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("sqitch", ("sqitch.plan",)),
    ("atlas", ("atlas.hcl",)),
    ("diesel", ("diesel.toml",)),
    ("yoyo", ("yoyo.ini",)),
    ("sequelize", (".sequelizerc",)),
    ("doctrine", ("doctrine_migrations.yaml", "doctrine_migrations.yml")),
)


def _config_tools(layout: _Layout, found: _Found) -> None:
    """Tools recognised by their configuration file, or by a configuration and a migrations layout."""
    for tool, config_names in _CONFIG_TOOLS:
        if config := layout.first_named(*config_names):
            found.add(tool, f"{config}:1", f"{tool} configuration {config}")

    for path in [p for p in layout.candidates if p.endswith(".prisma")]:  # schema.prisma with migrations/ next to it
        folder = _dir(path)
        migrations = _join(folder.removesuffix("/schema"), "migrations")
        if f"{migrations}/migration_lock.toml" in layout.present or any(p.startswith(migrations + "/") and p.endswith("/migration.sql") for p in layout.candidates):
            found.add("prisma", f"{path}:1", f"Prisma schema {path} with versioned migrations in {migrations}/")
            break

    for path in [p for p in layout.candidates if re.match(r"knexfile\.(js|ts|cjs|mjs)$", _name(p))]:  # knexfile with migrations below it
        base = _dir(path)
        below = next((f for f in layout.folders if not base or f.startswith(base + "/")), None)
        if below:
            found.add("knex", f"{path}:1", f"Knex configuration {path} with migrations in {below}/")
            break

    drizzle = next((p for p in layout.candidates if re.match(r"drizzle\.config\.(ts|js|mjs|cjs|mts|json)$", _name(p))), None)
    journal = next((p for p in layout.candidates if p.endswith("/meta/_journal.json")), None) if drizzle else None
    if drizzle and journal:
        found.add("drizzle", f"{drizzle}:1", f"Drizzle configuration {drizzle} with migrations journal {journal}")


def _sample_migration_folders(files: RepoFiles, layout: _Layout, found: _Found) -> None:
    """Read one file per extension of each migration folder and recognise the tool from its code."""
    for _folder, paths in _prioritise(layout.folders):
        for sample in _samples(paths):
            ext = _suffix(sample)
            rules = [(tool, pattern) for tool, exts, pattern in _SAMPLE_RULES if ext in exts and tool not in found]
            if ext == ".py" and not _DJANGO_FILE.match(_name(sample)):
                rules = [(tool, pattern) for tool, pattern in rules if tool != "django"]
            content = files.read_text(sample) if rules else None
            if not content:
                continue
            for tool, pattern in rules:
                if m := pattern.search(content):
                    line = match_line(content, m)
                    found.add(tool, f"{sample}:{line}", f"{tool} migration {sample}: {content.splitlines()[line - 1].strip()[:80]}")


def _suffix(path: str) -> str:
    name = _name(path)
    return name[name.rfind("."):] if "." in name else ""


def _join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


def _prioritise(folders: dict[str, list[str]]) -> list[tuple[str, list[str]]]:
    """The migration folders to sample, shallowest first, at most `MAX_SAMPLED_FOLDERS`."""
    ordered = sorted(folders.items(), key=lambda kv: (kv[0].count("/"), kv[0]))
    return ordered[:MAX_SAMPLED_FOLDERS]


def _samples(paths: list[str]) -> list[str]:
    """One file per extension of a migration folder (Django: the first numbered migration;
    EF Core: not the designer / snapshot files)."""
    picked: dict[str, str] = {}
    for path in sorted(paths):
        name = _name(path)
        ext = _suffix(name)
        if ext not in _SAMPLE_EXTS or name.startswith("__init__") or name.endswith((".Designer.cs", "ModelSnapshot.cs", ".d.ts")):
            continue
        if ext == ".py" and ext in picked and not _DJANGO_FILE.match(_name(picked[ext])) and _DJANGO_FILE.match(name):
            picked[ext] = path
        picked.setdefault(ext, path)
    return list(picked.values())


class MigrationsInDeployDetector(Detector):
    """Migrations applied by the deploy path outside CI: release phases, deploy hooks, container
    start-up, and frameworks that migrate when the application starts."""

    name = "migrations-in-deploy"
    provides = frozenset({"db.migrations_in_deploy"})

    def detect(self, ctx: DetectionContext) -> None:
        for check in (self._procfile, self._app_json, self._heroku_yml, self._fly, self._render, self._dockerfiles, self._platform_hooks, self._capistrano, self._jvm_startup, self._app_code):
            hit = check(ctx)
            if hit is not None:
                ctx.emit("db.migrations_in_deploy", True, hit[0], hit[1])
                return

    # --- platform descriptors ---

    def _procfile(self, ctx: DetectionContext) -> tuple[str, str] | None:
        for path in ctx.files.named("Procfile"):
            text = ctx.files.read_text(path) or ""
            for lineno, line in enumerate(text.splitlines(), 1):
                m = re.match(r"\s*(release|web)\s*:\s*(.+)$", line)
                if not m:
                    continue
                hit = self._command(ctx, m.group(2), path)
                if hit:
                    return f"{path}:{lineno}" if hit[0] == path else hit[0], f"Procfile {m.group(1)} process: {hit[1]}"
        return None

    def _app_json(self, ctx: DetectionContext) -> tuple[str, str] | None:
        for path in ctx.files.named("app.json"):
            doc = load_json(ctx, path)
            if doc is None or not isinstance(doc.data, dict) or not isinstance(scripts := doc.data.get("scripts"), dict):
                continue
            for key in ("postdeploy", "predeploy", "release"):
                command = scripts.get(key)
                if isinstance(command, dict):
                    command = command.get("command")
                if isinstance(command, str) and (hit := find_migration_command(command)):
                    return doc.locator("scripts", key), f"app.json scripts.{key} runs `{hit[2]}` ({hit[1]})"
        return None

    def _heroku_yml(self, ctx: DetectionContext) -> tuple[str, str] | None:
        for path in ctx.files.named("heroku.yml"):
            doc = load_yaml(ctx, path)
            if doc is None or not isinstance(doc.data, dict) or not isinstance(release := doc.data.get("release"), dict):
                continue
            command = release.get("command")
            text = " ".join(command) if isinstance(command, list) else command if isinstance(command, str) else None
            if text and (hit := find_migration_command(text)):
                return doc.locator("release", "command"), f"heroku.yml release phase runs `{hit[2]}` ({hit[1]})"
        return None

    def _fly(self, ctx: DetectionContext) -> tuple[str, str] | None:
        for path in ctx.files.named("fly.toml"):
            doc = load_toml(ctx, path)
            if doc is None or not isinstance(deploy := doc.data.get("deploy"), dict):
                continue
            command = deploy.get("release_command")
            if isinstance(command, str) and (hit := find_migration_command(command)):
                return doc.locator("deploy", "release_command"), f"fly.toml [deploy] release_command runs `{hit[2]}` ({hit[1]})"
        return None

    def _render(self, ctx: DetectionContext) -> tuple[str, str] | None:
        for path in ctx.files.named("render.yaml", "render.yml"):
            doc = load_yaml(ctx, path)
            if doc is None or not isinstance(doc.data, dict) or not isinstance(services := doc.data.get("services"), list):
                continue
            for i, service in enumerate(services):
                if not isinstance(service, dict):
                    continue
                for key in ("preDeployCommand", "startCommand"):
                    command = service.get(key)
                    if isinstance(command, str) and (hit := find_migration_command(command)):
                        return doc.locator("services", i, key), f"render.yaml {key} runs `{hit[2]}` ({hit[1]})"
        return None

    def _platform_hooks(self, ctx: DetectionContext) -> tuple[str, str] | None:
        """Elastic Beanstalk (.ebextensions container_commands, .platform/hooks) and Platform.sh deploy hooks."""
        for path in ctx.files.paths:
            if path.startswith(".ebextensions/") and path.endswith(".config") or re.match(r"(.*/)?\.platform/hooks/(pre|post)deploy/", path) or _name(path) == ".platform.app.yaml":
                hit = find_migration_command(ctx.files.read_text(path) or "")
                if hit:
                    return f"{path}:{hit[0]}", f"deploy hook {path} runs `{hit[2]}` ({hit[1]})"
        return None

    def _capistrano(self, ctx: DetectionContext) -> tuple[str, str] | None:
        for path in ctx.files.named("Capfile"):
            hit = _line_matching(ctx.files.read_text(path) or "", re.compile(r"""^[ \t]*require\s+["']capistrano/rails/migrations["']"""))
            if hit:
                return f"{path}:{hit[0]}", "Capistrano deploys run rails db:migrate (capistrano/rails/migrations)"
        return None

    # --- containers ---

    def _dockerfiles(self, ctx: DetectionContext) -> tuple[str, str] | None:
        for path in [p for p in ctx.files.paths if is_dockerfile(p) and not _DEV_CONTAINER.search(p) and not in_test_dir(p)]:
            text = ctx.files.read_text(path)
            if not text:
                continue
            for lineno, instruction, command in _final_stage_start_commands(text):
                hit = self._command(ctx, command, path)
                if hit:
                    where = hit[0] if hit[0] != path else f"{path}:{lineno}"
                    return where, f"{instruction} of {path}:{lineno} applies migrations at container start: {hit[1]}"
        return None

    def _command(self, ctx: DetectionContext, command: str, origin: str) -> tuple[str, str] | None:
        """(locator, words) when `command` applies migrations itself or through a script it runs."""
        if hit := find_migration_command(command):
            return origin, f"`{hit[2][:120]}` ({hit[1]})"
        for token in re.split(r"[\s;&|\"'\[\],]+", command):
            script = _resolve_script(ctx.files, token, origin)
            if script is None:
                continue
            text = ctx.files.read_text(script) or ""
            if hit := find_migration_command(text):
                return f"{script}:{hit[0]}", f"{script} runs `{hit[2][:120]}` ({hit[1]})"
            called = _line_matching(text, re.compile(r"(^|[\s/])[\w.-]*migrat[\w.-]*\.(sh|bash)\b"))
            if called:
                return f"{script}:{called[0]}", f"{script} runs a migration script: `{called[1][:120]}`"
        return None

    # --- frameworks that migrate at start-up ---

    def _app_code(self, ctx: DetectionContext) -> tuple[str, str] | None:
        """The application applies its migrations when it starts (golang-migrate `m.Up()`, goose,
        diesel `run_pending_migrations`, `sqlx::migrate!().run`, EF Core `Database.Migrate()`...).
        Only files selected by name are read (migration, database and entry-point files)."""
        for path in _startup_candidates(ctx.files):
            rules = [r for r in _STARTUP_CALLS if path.endswith(r[0])]
            text = ctx.files.read_text(path)
            if not text:
                continue
            for _exts, tool, needle, call, requires in rules:
                if needle not in text or (requires is not None and not requires.search(text)):
                    continue
                if m := call.search(text):
                    line = match_line(text, m)
                    words = text.splitlines()[line - 1].strip()[:100]
                    return f"{path}:{line}", f"the application applies {tool} migrations in code ({path}: `{words}`)"
        return None

    def _jvm_startup(self, ctx: DetectionContext) -> tuple[str, str] | None:
        index = index_for(ctx)
        boot = _first_dep(index.match("maven:org.springframework.boot:*", "gradle-plugin:org.springframework.boot", dev=False))
        if boot is not None:
            for tool, patterns in (("flyway", ("maven:org.flywaydb:flyway-core", "maven:org.flywaydb:flyway-database-*", "maven:org.flywaydb:flyway-mysql", "maven:org.flywaydb:flyway-sqlserver")), ("liquibase", ("maven:org.liquibase:liquibase-core",))):
                dep = _first_dep(index.match(*patterns, dev=False, kinds=("library",)))
                if dep is None or _spring_disabled(ctx.files, tool):
                    continue
                return dep.locator, f"Spring Boot application ({boot.locator}) with {dep.name}: Spring Boot applies {tool} migrations at application start-up"
        for path in ctx.files.paths:
            if re.match(r"application(-[\w-]+)?\.properties$", _name(path)):
                hit = _line_matching(ctx.files.read_text(path) or "", re.compile(r"^[ \t]*quarkus\.(flyway|liquibase)\.migrate-at-start\s*=\s*true\b"))
                if hit:
                    return f"{path}:{hit[0]}", f"Quarkus applies migrations at application start-up ({hit[1]})"
        return None


# Application code that applies versioned migrations when the program starts: (language
# extensions, tool, a cheap substring every match holds, the call, a co-requirement in the same
# file or None). The call alone is a library API of the tool, so it is not a word match.
_STARTUP_CALLS: tuple[tuple[tuple[str, ...], str, str, re.Pattern[str], re.Pattern[str] | None], ...] = (
    ((".go",), "golang-migrate", ".Up()", re.compile(r"\.Up\(\)"), re.compile(r"github\.com/golang-migrate/migrate")),
    ((".go",), "goose", "goose.", re.compile(r"\bgoose\.(Up|UpContext|UpTo|UpToContext)\(|\bgoose\.Run(Context)?\([^)]*[\"']up[\"']"), None),
    ((".go",), "goose", ".Up(", re.compile(r"\.Up\(\s*ctx\b"), re.compile(r"github\.com/pressly/goose/v3")),
    ((".rs",), "diesel", "_migrations", re.compile(r"\brun_pending_migrations\s*\(|\bembed_migrations!\s*\("), None),
    ((".rs",), "sqlx", "migrate!", re.compile(r"\bmigrate!\s*\([^)]*\)\s*\.run\s*\(", re.S), None),
    ((".rs",), "refinery", "migrations::runner", re.compile(r"\bmigrations::runner\(\)\s*\.run(_async)?\s*\(", re.S), None),
    ((".rs",), "sea-orm", "Migrator::up", re.compile(r"\bMigrator::up\s*\("), None),
    ((".cs",), "ef-core", ".Database.Migrate", re.compile(r"\.Database\s*\.\s*Migrate(Async)?\s*\("), None),
    ((".cs",), "fluentmigrator", "MigrateUp", re.compile(r"\.MigrateUp\s*\(\s*\)"), None),
    ((".cs",), "dbup", "PerformUpgrade", re.compile(r"\.PerformUpgrade\s*\(\s*\)"), None),
    ((".java", ".kt"), "flyway", ".migrate()", re.compile(r"\.migrate\s*\(\s*\)"), re.compile(r"\bimport\s+org\.flywaydb\.")),
    ((".py",), "alembic", "upgrade(", re.compile(r"\bcommand\.upgrade\s*\("), re.compile(r"\balembic\b")),
    ((".ts", ".js", ".mjs", ".cjs"), "typeorm", "igrations", re.compile(r"\.runMigrations\s*\(|\bmigrationsRun\s*:\s*true\b"), None),
    ((".ts", ".js", ".mjs", ".cjs"), "knex", ".migrate.latest", re.compile(r"\.migrate\s*\.\s*latest\s*\("), None),
    ((".ts", ".js", ".mjs", ".cjs"), "drizzle", "migrationsFolder", re.compile(r"\bmigrate\s*\(\s*\w+\s*,\s*\{\s*migrationsFolder\b"), None),
)
_STARTUP_EXTS = tuple(sorted({ext for exts, *_ in _STARTUP_CALLS for ext in exts}))
_STARTUP_NAME = re.compile(
    r"migrat|schema|seed|database|(^|[/_.-])(db|sql|store|storage|persistence|repo|repository|infrastructure|data)([/_.-]|$)|"
    r"(^|/)(main|server|app|application|program|startup|bootstrap|setup|init|index|lib)\.\w+$",
    re.I,
)
_STARTUP_PRIORITY = (re.compile(r"migrat", re.I), re.compile(r"schema|seed|database|(^|[/_.-])(db|sql)([/_.-]|$)", re.I))
_NOT_STARTUP = re.compile(
    r"(^|/)(cmd|commands?|cli|bin|scripts?|tools?|hack|management|benches|benchmarks?|migrations?|migrator-cli)/[^/]*migrat|"
    r"(^|/)(scripts?|tools?|hack|benches|benchmarks?|mocks?|e2e)/|_test\.go$|\.(test|spec)\.\w+$|(^|/)test_[^/]*\.py$|Tests?\.cs$",
    re.I,
)
"""Code that migrates by hand or in tests, not at start-up: migration CLIs (`cmd/migrate/`),
scripts and tool folders, test files."""
MAX_STARTUP_READS = 300


def _tail(path: str) -> str:
    """The file name and its folder (`schema_setup/mod.rs`): what names a file's role."""
    return "/".join(path.rsplit("/", 2)[-2:])


def _startup_candidates(files: RepoFiles) -> list[str]:
    picked = [
        p for p in files.paths
        if p.endswith(_STARTUP_EXTS) and not in_test_dir(p) and not _NOT_STARTUP.search(p) and not is_ci_path(p)
        and _STARTUP_NAME.search(_tail(p)) and not _name(p).startswith("__init__") and not _name(p).endswith((".d.ts", ".min.js", ".Designer.cs"))
    ]

    def rank(path: str) -> tuple[int, int, str]:
        tier = next((i for i, rx in enumerate(_STARTUP_PRIORITY) if rx.search(_tail(path))), len(_STARTUP_PRIORITY))
        return tier, path.count("/"), path

    return sorted(picked, key=rank)[:MAX_STARTUP_READS]


def _spring_disabled(files: RepoFiles, tool: str) -> bool:
    """True when the main Spring configuration turns the start-up migration off."""
    prop = re.compile(rf"^[ \t]*spring\.{tool}\.enabled\s*[=:]\s*false\b", re.M)
    yml = re.compile(rf"^[ \t]*{tool}:\s*\n(\s+[^\n]*\n)*?\s+enabled:\s*false\b", re.M)
    for path in files.paths:
        if in_test_dir(path) or not re.match(r"application\.(properties|ya?ml)$", _name(path)):
            continue
        text = files.read_text(path) or ""
        if prop.search(text) or yml.search(text):
            return True
    return False


_DEV_CONTAINER = re.compile(r"(^|/)\.devcontainer/|(^|[/._-])(dev|develop|development|local|test|tests|ci|e2e)([._-][^/]*)?$", re.I)
"""Dockerfiles for development or tests (`Dockerfile.dev`, `test.Dockerfile`, `.devcontainer/`): not a deploy path."""

_NOT_SCRIPTS = frozenset({"sh", "bash", "python", "python3", "node", "exec", "java", "ruby", "bundle", "npm", "yarn", "pnpm", "dotnet", "php", "env", "tini", "dumb-init", "-c", "-e"})


_PROCESS_CONFIG = re.compile(r"uwsgi|supervisor|circus|honcho", re.I)
"""Process-manager configurations a container starts with (`uwsgi app.ini`): their hooks
(`hook-pre-app = exec:./manage.py migrate`, a supervisord `[program:migrate]`) run at start-up."""


def _resolve_script(files: RepoFiles, token: str, origin: str) -> str | None:
    """The repository file a container command token runs (`/docker-entrypoint.sh`, `bin/start`)."""
    token = token.strip()
    if not token or token in _NOT_SCRIPTS or token.startswith("-") or "$" in token or "=" in token:
        return None
    base = token.rstrip("/").rsplit("/", 1)[-1]
    if not base or _suffix(base) not in ("", ".sh", ".bash", ".ini", ".conf"):
        return None
    if _suffix(base) in (".ini", ".conf") and not _PROCESS_CONFIG.search(base):
        return None
    if "/" not in token and not base.endswith((".sh", ".bash", ".ini", ".conf")) and "entrypoint" not in base and "start" not in base:
        return None
    matches = files.named(base)
    if not matches:
        return None
    folder = _dir(origin)
    same_tree = [p for p in matches if not folder or p.startswith(folder + "/")]
    return sorted(same_tree or matches, key=lambda p: (p.count("/"), p))[0]


def _final_stage_start_commands(text: str) -> list[tuple[int, str, str]]:
    """(line, ENTRYPOINT|CMD, command) of the last stage of a Dockerfile."""
    found: list[tuple[int, str, str]] = []
    logical = ""
    start = 0
    for lineno, raw in enumerate(text.splitlines(), 1):
        if not logical:
            start = lineno
            if raw.lstrip().startswith("#"):
                continue
        elif raw.lstrip().startswith("#"):
            continue
        if raw.rstrip().endswith("\\"):
            logical += raw.rstrip()[:-1] + " "
            continue
        logical += raw
        m = re.match(r"\s*(FROM|ENTRYPOINT|CMD)\b\s*(.*)$", logical, re.I)
        if m:
            instruction = m.group(1).upper()
            if instruction == "FROM":
                found = []
            else:
                found = [f for f in found if f[1] != instruction]
                found.append((start, instruction, _exec_form(m.group(2))))
        logical = ""
    return found


def _exec_form(arg: str) -> str:
    arg = arg.strip()
    if arg.startswith("["):
        try:
            parts = json.loads(arg)
            if isinstance(parts, list):
                return " ".join(str(p) for p in parts)
        except ValueError:
            pass
    return arg


# ---------------------------------------------------------------------------------------------
# test.e2e
# ---------------------------------------------------------------------------------------------

E2E_DEPS: dict[str, tuple[str, ...]] = {
    "playwright": ("npm:@playwright/test", "npm:playwright", "pypi:playwright", "pypi:pytest-playwright", "maven:com.microsoft.playwright:*", "nuget:microsoft.playwright*", "go:github.com/playwright-community/playwright-go"),
    "cypress": ("npm:cypress",),
    "selenium": ("pypi:selenium", "npm:selenium-webdriver", "maven:org.seleniumhq.selenium:*", "nuget:selenium.*", "rubygems:selenium-webdriver", "go:github.com/tebeka/selenium"),
    "webdriverio": ("npm:webdriverio", "npm:@wdio/*"),
    "testcafe": ("npm:testcafe",),
    "nightwatch": ("npm:nightwatch",),
    "puppeteer": ("npm:jest-puppeteer",),
    "detox": ("npm:detox",),
    "robotframework": ("pypi:robotframework", "pypi:robotframework-*"),
    "cucumber": ("npm:@cucumber/cucumber", "npm:cucumber", "maven:io.cucumber:*", "rubygems:cucumber", "rubygems:cucumber-rails", "go:github.com/cucumber/godog", "nuget:specflow*", "nuget:reqnroll*"),
    "behave": ("pypi:behave",),
    "pytest-bdd": ("pypi:pytest-bdd",),
    "appium": ("pypi:appium-python-client", "npm:appium", "maven:io.appium:*", "rubygems:appium_lib", "nuget:appium.webdriver"),
    "capybara": ("rubygems:capybara",),
    "codeceptjs": ("npm:codeceptjs",),
    "espresso": ("maven:androidx.test.espresso:*",),
}

_E2E_FOLDER = re.compile(r"^(e2e|e2e[-_]tests?|end[-_]?to[-_]?end|end2end|acceptance|ui[-_]tests?|browser[-_]tests?|playwright[-_]tests?|tests?[-_]e2e)$", re.I)

_E2E_CONFIGS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("playwright", re.compile(r"^playwright\.config\.(ts|js|mjs|cjs|mts|cts)$")),
    ("cypress", re.compile(r"^cypress\.config\.(ts|js|mjs|cjs|mts|cts)$|^cypress\.json$")),
    ("webdriverio", re.compile(r"^wdio(\.[\w-]+)?\.conf\.(ts|js|mjs|cjs)$")),
    ("testcafe", re.compile(r"^\.testcaferc\.(json|js|cjs)$")),
    ("nightwatch", re.compile(r"^nightwatch(\.conf\.(js|cjs|ts)|\.json)$")),
    ("puppeteer", re.compile(r"^jest-puppeteer\.config\.(js|cjs)$")),
    ("detox", re.compile(r"^(\.detoxrc(\.(js|json|cjs))?|detox\.config\.(js|cjs|ts))$")),
    ("codeceptjs", re.compile(r"^codecept\.conf\.(js|ts)$")),
)


class E2EDetector(Detector):
    name = "e2e-tools"
    provides = frozenset({"test.e2e"})

    def detect(self, ctx: DetectionContext) -> None:
        found = _Found()
        index = index_for(ctx)
        _match_table(found, index, E2E_DEPS)
        self._bare_playwright(ctx, found, index)
        features: list[str] = []
        maestro: list[str] = []
        robot: list[str] = []
        for path in ctx.files.paths:
            name = _name(path)
            for tool, pattern in _E2E_CONFIGS:
                if pattern.match(name):
                    found.add(tool, f"{path}:1", f"{tool} configuration {path}")
            parts = path.split("/")[:-1]
            if name.endswith(".feature") and "features" in parts:
                features.append(path)
            elif parts and parts[-1] == ".maestro" and name.endswith((".yaml", ".yml")):
                maestro.append(path)
            elif name.endswith(".robot"):
                robot.append(path)
        gherkin_runners = {"behave", "pytest-bdd", "cucumber"} & set(found.items)
        if features and not gherkin_runners:
            self._sample(ctx, found, "cucumber", features, re.compile(r"^[ \t]*(Feature|Funktionalität|Fonctionnalité|Característica):", re.M), "Gherkin acceptance feature")
        if maestro:
            self._sample(ctx, found, "maestro", maestro, re.compile(r"^[ \t]*appId\s*:", re.M), "Maestro flow")
        if robot and "robotframework" not in found:
            self._sample(ctx, found, "robotframework", robot, re.compile(r"^\*+\s*Test Cases\s*\**", re.M | re.I), "Robot Framework suite")
        found.emit(ctx, "test.e2e")

    @staticmethod
    def _bare_playwright(ctx: DetectionContext, found: _Found, index: DependencyIndex) -> None:
        """The bare `playwright` library (PyPI, npm) also drives browsers for screenshots, scraping
        and PDF rendering (FastAPI's docs screenshots). It counts as an end-to-end tool only with
        its test runner (`@playwright/test`, `pytest-playwright`), a `playwright.config.*`, a
        manifest in a test folder, or an end-to-end test folder in the repository."""
        if "playwright" not in found:
            return
        runners = index.match("npm:@playwright/test", "pypi:pytest-playwright", "maven:com.microsoft.playwright:*", "nuget:microsoft.playwright*", "go:github.com/playwright-community/playwright-go")
        if runners or any(in_test_dir(d.path) for d in index.match("npm:playwright", "pypi:playwright")):
            return
        if any(_E2E_FOLDER.match(part) for p in ctx.files.paths for part in p.split("/")[:-1]):
            return
        del found.items["playwright"]

    @staticmethod
    def _sample(ctx: DetectionContext, found: _Found, tool: str, paths: list[str], pattern: re.Pattern[str], what: str) -> None:
        for path in sorted(paths)[:3]:
            text = ctx.files.read_text(path) or ""
            if m := pattern.search(text):
                line = match_line(text, m)
                found.add(tool, f"{path}:{line}", f"{what} {path}")
                return


# ---------------------------------------------------------------------------------------------
# test.performance
# ---------------------------------------------------------------------------------------------

PERF_DEPS: dict[str, tuple[str, ...]] = {
    "k6": ("npm:@types/k6", "npm:k6", "go:go.k6.io/k6"),
    "locust": ("pypi:locust",),
    "jmeter": ("maven:com.lazerycode.jmeter:*", "gradle-plugin:net.foragerr.jmeter"),
    "gatling": ("maven:io.gatling*:*", "gradle-plugin:io.gatling.gradle", "npm:@gatling.io/*"),
    "artillery": ("npm:artillery", "npm:artillery-*"),
    "vegeta": ("go:github.com/tsenart/vegeta*",),
    "jmh": ("maven:org.openjdk.jmh:*", "gradle-plugin:me.champeau.jmh", "gradle-plugin:me.champeau.gradle.jmh"),
    "pytest-benchmark": ("pypi:pytest-benchmark",),
    "codspeed": ("pypi:pytest-codspeed", "npm:@codspeed/*", "cargo:codspeed-*"),
    "criterion": ("cargo:criterion",),
    "divan": ("cargo:divan",),
    "benchmarkdotnet": ("nuget:benchmarkdotnet*",),
    "nbomber": ("nuget:nbomber*",),
    "autocannon": ("npm:autocannon",),
}

_PERF_PATH = re.compile(r"(^|[/_.-])(load|loadtests?|perf|performance|k6|locust|stress|bench|benchmarks?|soak|spike|artillery)([/_.-]|$)", re.I)
_K6_IMPORT = re.compile(r"""(\bfrom\s+|\brequire\(\s*)["']k6(/[\w/-]+)?["']""")
_LOCUST_IMPORT = re.compile(r"^[ \t]*(from\s+locust(\.\w+)*\s+import\b|import\s+locust\b)", re.M)
_SIMULATION = re.compile(r"\bextends\s+Simulation\b|:\s*Simulation\s*\(\s*\)")
MAX_PERF_READS = 200


class PerformanceDetector(Detector):
    name = "performance-tools"
    provides = frozenset({"test.performance"})

    def detect(self, ctx: DetectionContext) -> None:
        found = _Found()
        _match_table(found, index_for(ctx), PERF_DEPS)
        reads = 0
        for path in ctx.files.paths:
            if reads >= MAX_PERF_READS:
                break
            if is_ci_path(path):
                continue
            name = _name(path)
            tool: str | None = None
            pattern: re.Pattern[str] | None = None
            if name.endswith((".js", ".ts", ".mjs")) and (_PERF_PATH.search(path) or name.endswith((".k6.js", ".k6.ts"))) and not name.endswith(".d.ts"):
                tool, pattern = "k6", _K6_IMPORT
            elif name.endswith(".py") and (name.startswith("locustfile") or _PERF_PATH.search(path)):
                tool, pattern = "locust", _LOCUST_IMPORT
            elif name.endswith(".jmx"):
                tool, pattern = "jmeter", re.compile(r"<jmeterTestPlan\b")
            elif re.search(r"Simulation\.(scala|java|kt)$", name):
                tool, pattern = "gatling", _SIMULATION
            elif name.endswith((".yml", ".yaml")) and _PERF_PATH.search(path):
                if "artillery" not in found:
                    reads += 1
                    self._artillery(ctx, path, found)
                continue
            elif name == "asv.conf.json":
                found.add("asv", f"{path}:1", f"airspeed velocity benchmark configuration {path}")
                continue
            if tool is None or pattern is None or tool in found:
                continue
            reads += 1
            text = ctx.files.read_text(path) or ""
            if m := pattern.search(text):
                line = match_line(text, m)
                found.add(tool, f"{path}:{line}", f"{tool} test {path}: {text.splitlines()[line - 1].strip()[:80]}")
        found.emit(ctx, "test.performance")

    @staticmethod
    def _artillery(ctx: DetectionContext, path: str, found: _Found) -> None:
        doc = load_yaml(ctx, path)
        if doc is None or not isinstance(doc.data, LineDict):
            return
        config = doc.data.get("config")
        if isinstance(config, dict) and "target" in config and isinstance(doc.data.get("scenarios"), (list, LineList)):
            found.add("artillery", doc.locator("config"), f"Artillery scenario {path} (config.target and scenarios)")


DETECTORS: list[Detector] = [
    FeatureFlagsDetector(),
    ReleaseNotesConfigDetector(),
    ReleasePleaseAppDetector(),
    MigrationsDetector(),
    MigrationsInDeployDetector(),
    E2EDetector(),
    PerformanceDetector(),
]
