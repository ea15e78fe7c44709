"""release.feature_flags, release.notes_generated, db.*, test.e2e, test.performance seen in files."""

from __future__ import annotations

from detector_helpers import run_module, tools

from collectors.detectors import files_release_db
from collectors.detectors.files_release_db import find_migration_command, image_repository, in_test_dir
from collectors.detectors.interface import DetectionContext
from collectors.repofiles import MemoryRepoFiles
from scanner.signals import CATALOG


def run(files: dict[str, str | bytes]) -> DetectionContext:
    return run_module(files_release_db, files)



def evidence(ctx: DetectionContext, key: str):
    return [e for e in ctx.evidence if e.key == key]


def test_provides_are_catalog_keys():
    for detector in files_release_db.DETECTORS:
        assert detector.provides <= set(CATALOG)


# --- feature flags -------------------------------------------------------------------------


def test_feature_flag_sdks_from_dependencies():
    ctx = run({
        "web/package.json": '{\n "dependencies": {\n  "@openfeature/web-sdk": "1",\n  "@openfeature/flagd-web-provider": "1",\n  "posthog-js": "1"\n }\n}',
        "go.mod": "module x\nrequire (\n\tgithub.com/Unleash/unleash-client-go/v4 v4.0.0\n\tgithub.com/thomaspoignant/go-feature-flag v1.0.0\n)\n",
        "requirements.txt": "launchdarkly-server-sdk==9.0\ndjango-waffle==4\n",
        "pom.xml": "<project><dependencies><dependency><groupId>com.flagsmith</groupId><artifactId>flagsmith-java-client</artifactId></dependency></dependencies></project>",
        "Gemfile": "gem 'flipper'\n",
        "app/App.csproj": '<Project>\n<ItemGroup>\n<PackageReference Include="ConfigCat.Client" Version="9" />\n</ItemGroup>\n</Project>',
    })
    assert tools(ctx, "release.feature_flags") == {
        "openfeature": "web/package.json:3",
        "flagd": "web/package.json:4",
        "unleash": "go.mod:3",
        "go-feature-flag": "go.mod:4",
        "launchdarkly": "requirements.txt:1",
        "django-waffle": "requirements.txt:2",
        "flagsmith": "pom.xml:1",
        "flipper": "Gemfile:1",
        "configcat": "app/App.csproj:3",
    }
    vendors = run({"package.json": '{\n "dependencies": {\n  "@harnessio/ff-nodejs-server-sdk": "1",\n  "rox-node": "5",\n  "harness": "1"\n }\n}'})
    assert tools(vendors, "release.feature_flags") == {"harness": "package.json:3", "cloudbees": "package.json:4"}


def test_flag_words_in_unrelated_files_are_not_flags():
    ctx = run({
        "README.md": "We evaluated unleash and launchdarkly and growthbook.\n",
        "src/flags.py": "# TODO: move to unleash\nUNLEASH_URL = 'x'\n",
        "package.json": '{"dependencies": {"posthog-node": "3"}, "description": "unleash the power"}',
        "examples/demo/package.json": '{"dependencies": {"unleash-client": "5"}}',
    })
    assert tools(ctx, "release.feature_flags") == {}


# --- release notes ---------------------------------------------------------------------------


def test_github_release_notes_config():
    ctx = run({".github/release.yml": "changelog:\n  exclude:\n    labels: [skip]\n  categories:\n    - title: Features\n      labels: [feature]\n"})
    [e] = evidence(ctx, "release.notes_generated")
    assert e.value is True and e.locator == ".github/release.yml:1"
    assert "GitHub generated release notes configured" in e.observed


def test_release_notes_config_negative_and_broken():
    assert evidence(run({".github/release.yml": "something: else\n", "release.yml": "changelog: {}\n"}), "release.notes_generated") == []
    ctx = run({".github/release.yaml": "changelog: [\n"})
    assert evidence(ctx, "release.notes_generated") == []
    assert [w.code for w in ctx.warnings] == ["broken-yaml"]


def test_release_please_github_app_config():
    ctx = run({".github/release-please.yml": "handleGHRelease: true\nreleaseType: node\n"})
    [auto] = evidence(ctx, "release.automation")
    assert auto.value == ["release-please"] and auto.locator == ".github/release-please.yml:1"
    [notes] = evidence(ctx, "release.notes_generated")
    assert notes.value is True
    assert evidence(run({".github/release-please.yml": "", "release-please.yml": "releaseType: node\n"}), "release.automation") == []


# --- migration tools -------------------------------------------------------------------------

DJANGO_MIGRATION = "from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n    initial = True\n"


def test_django_migrations_by_structure_and_test_apps_left_out():
    ctx = run({
        "shop/orders/migrations/__init__.py": "",
        "shop/orders/migrations/0001_initial.py": DJANGO_MIGRATION,
        "shop/orders/migrations/0002_more.py": DJANGO_MIGRATION,
    })
    assert tools(ctx, "db.migration_tools") == {"django": "shop/orders/migrations/0001_initial.py:4"}

    ctx = run({
        "tests/migrations/0001_initial.py": DJANGO_MIGRATION,
        "tests/test_app/migrations/0001_initial.py": DJANGO_MIGRATION,
        "examples/blog/migrations/0001_initial.py": DJANGO_MIGRATION,
        "docs/migrations/0001_initial.py": DJANGO_MIGRATION,
        "notes/migrations.md": "we use django migrations and alembic upgrade head",
    })
    assert tools(ctx, "db.migration_tools") == {}
    assert evidence(ctx, "db.datastore") == []


def test_migration_folders_are_sampled_not_read_whole():
    files = {f"app/migrations/{i:04d}_step.py": DJANGO_MIGRATION for i in range(1, 60)}
    ctx = DetectionContext(files=MemoryRepoFiles(files))
    files_release_db.MigrationsDetector().detect(ctx)
    assert tools(ctx, "db.migration_tools") == {"django": "app/migrations/0001_step.py:4"}
    assert ctx.files.reads == 1


def test_alembic_flyway_liquibase_rails():
    ctx = run({
        "alembic.ini": "[alembic]\nscript_location = migrations\n",
        "src/main/resources/db/migration/V1__init.sql": "create table t (id int);\n",
        "db/changelog/db.changelog-master.yaml": "databaseChangeLog:\n  - include:\n      file: x.sql\n",
        "db/migrate/20240101000000_create_users.rb": "class CreateUsers < ActiveRecord::Migration[7.1]\nend\n",
    })
    assert tools(ctx, "db.migration_tools") == {
        "alembic": "alembic.ini:2",
        "flyway": "src/main/resources/db/migration/V1__init.sql:1",
        "liquibase": "db/changelog/db.changelog-master.yaml:1",
        "rails": "db/migrate/20240101000000_create_users.rb:1",
    }


def test_alembic_env_py_next_to_versions():
    ctx = run({"app/db/env.py": "from logging.config import fileConfig\nfrom alembic import context\n", "app/db/versions/abc_init.py": "revision = 'abc'\n"})
    assert tools(ctx, "db.migration_tools") == {"alembic": "app/db/env.py:2"}
    ctx = run({"app/env.py": "from alembic import context\n"})  # no versions/ nor script template: not an alembic environment
    assert tools(ctx, "db.migration_tools") == {}


def test_flyway_file_elsewhere_needs_the_dependency():
    assert tools(run({"sql/V1__init.sql": "x"}), "db.migration_tools") == {}
    ctx = run({"sql/V1__init.sql": "x", "build.gradle": 'plugins {\n  id "org.flywaydb.flyway" version "10"\n}\n'})
    assert tools(ctx, "db.migration_tools") == {"flyway": "sql/V1__init.sql:1"}


def test_golang_migrate_needs_pairs_and_the_dependency_goose_by_annotation():
    pairs = {"db/migrations/000001_init.up.sql": "create table t();", "db/migrations/000001_init.down.sql": "drop table t;"}
    assert "golang-migrate" not in tools(run(pairs), "db.migration_tools")
    ctx = run({**pairs, "go.mod": "module x\nrequire github.com/golang-migrate/migrate/v4 v4.17.0\n"})
    assert tools(ctx, "db.migration_tools")["golang-migrate"] == "db/migrations/000001_init.up.sql:1"
    ctx = run({"migrations/20240101_init.sql": "-- +goose Up\ncreate table t();\n-- +goose Down\n"})
    assert tools(ctx, "db.migration_tools") == {"goose": "migrations/20240101_init.sql:1"}
    ctx = run({"db/migrations/20240101_init.sql": "-- migrate:up\ncreate table t();\n-- migrate:down\n"})
    assert tools(ctx, "db.migration_tools") == {"dbmate": "db/migrations/20240101_init.sql:1"}


def test_javascript_orms():
    ctx = run({
        "prisma/schema.prisma": "datasource db { provider = \"postgresql\" }\n",
        "prisma/migrations/20240101_init/migration.sql": "CREATE TABLE t();\n",
        "prisma/migrations/migration_lock.toml": "provider = \"postgresql\"\n",
        "api/src/migrations/1700000000000-Init.ts": "import { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class Init1700000000000 implements MigrationInterface {\n}\n",
        "svc/knexfile.js": "module.exports = {}\n",
        "svc/db/migrations/20240101_users.js": "exports.up = function (knex) { return knex.schema.createTable('u', t => {}) }\n",
        "legacy/migrations/20240101-create-user.js": "module.exports = {\n  async up(queryInterface, Sequelize) {\n    await queryInterface.createTable('Users', {});\n  }\n};\n",
        "drizzle.config.ts": "export default {}\n",
        "drizzle/0000_init.sql": "CREATE TABLE t();\n",
        "drizzle/meta/_journal.json": "{}",
    })
    found = tools(ctx, "db.migration_tools")
    assert found["prisma"] == "prisma/schema.prisma:1"
    assert found["typeorm"] == "api/src/migrations/1700000000000-Init.ts:3"
    assert found["knex"] == "svc/knexfile.js:1"
    assert found["sequelize"] == "legacy/migrations/20240101-create-user.js:3"
    assert found["drizzle"] == "drizzle.config.ts:1"


def test_prisma_without_migrations_is_not_versioned():
    assert tools(run({"prisma/schema.prisma": "model U { id Int @id }\n"}), "db.migration_tools") == {}


def test_other_ecosystems():
    ctx = run({
        "src/Data/Migrations/20240101_Init.cs": "using Microsoft.EntityFrameworkCore.Migrations;\n\npublic partial class Init : Migration\n{\n}\n",
        "src/Data/Migrations/20240101_Init.Designer.cs": "// designer\n",
        "priv/repo/migrations/20240101_create.exs": "defmodule Repo.Migrations.Create do\n  use Ecto.Migration\nend\n",
        "database/migrations/2024_01_01_create_users_table.php": "<?php\nuse Illuminate\\Database\\Migrations\\Migration;\nreturn new class extends Migration {};\n",
        "sqitch.plan": "%project=x\n",
        "atlas.hcl": "env \"local\" {}\n",
        "diesel.toml": "[print_schema]\n",
    })
    found = tools(ctx, "db.migration_tools")
    assert found["ef-core"] == "src/Data/Migrations/20240101_Init.cs:1"
    assert found["ecto"] == "priv/repo/migrations/20240101_create.exs:2"
    assert found["laravel"] == "database/migrations/2024_01_01_create_users_table.php:2"
    assert {"sqitch", "atlas", "diesel"} <= set(found)


def test_sqlx_needs_dependency_and_sql_migrations():
    assert tools(run({"Cargo.toml": '[dependencies]\nsqlx = "0.7"\n'}), "db.migration_tools") == {}
    ctx = run({"Cargo.toml": '[dependencies]\nsqlx = "0.7"\n', "migrations/20240101_init.sql": "create table t();\n"})
    assert tools(ctx, "db.migration_tools") == {"sqlx": "migrations/20240101_init.sql:1"}


# --- datastore -------------------------------------------------------------------------------


def test_datastore_from_migrations_drivers_and_compose():
    [e] = evidence(run({"db/migrate/1_x.rb": "class X < ActiveRecord::Migration[7.0]\nend\n"}), "db.datastore")
    assert e.value is True and e.locator == "db/migrate/1_x.rb:1"

    ctx = run({"requirements.txt": "fastapi\nasyncpg==0.29\n"})
    assert [x.locator for x in evidence(ctx, "db.datastore")] == ["requirements.txt:2"]

    ctx = run({"docker-compose.yml": "services:\n  cache:\n    image: redis:7\n  db:\n    image: docker.io/library/postgres:16-alpine\n"})
    assert [x.locator for x in evidence(ctx, "db.datastore")] == ["docker-compose.yml:5"]


def test_datastore_from_templated_compose_helm_and_ansible_containers():
    j2 = run({"roles/app/templates/docker-compose.yml.j2": "services:\n  db:\n    image: \"postgres:{{ pg_version }}\"\n"
              "{% if redis %}\n  cache:\n    image: redis:7\n{% endif %}\n"})
    assert [x.locator for x in evidence(j2, "db.datastore")] == ["roles/app/templates/docker-compose.yml.j2:3"]
    helm = run({"chart/templates/db.yaml": "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: {{ .Release.Name }}-db\n"
                "spec:\n  template:\n    spec:\n      containers:\n        - name: db\n          image: mariadb:11\n"})
    assert [x.locator for x in evidence(helm, "db.datastore")] == ["chart/templates/db.yaml:10"]
    task = run({"roles/db/tasks/main.yml": "- name: database\n  community.docker.docker_container:\n    name: db\n    image: mongo:7\n"})
    assert [x.locator for x in evidence(task, "db.datastore")] == ["roles/db/tasks/main.yml:4"]
    chart = run({"chart/Chart.yaml": "apiVersion: v2\nname: app\ndependencies:\n  - name: common\n    version: 2.x\n  - name: postgresql\n    version: 15.x\n"})
    assert [x.locator for x in evidence(chart, "db.datastore")] == ["chart/Chart.yaml:6"]
    # images that are not databases, and database words that are not container images
    none = run({"roles/web/templates/app.yaml.j2": "kind: Deployment\nspec:\n  containers:\n    - image: prometheuscommunity/postgres-exporter\n"
                "      env: [{name: DB, value: postgres}]\n", "chart/Chart.yaml": "apiVersion: v2\nname: postgresql-exporter\n"})
    assert evidence(none, "db.datastore") == []


def test_no_datastore_for_caches_and_dev_only_drivers():
    ctx = run({
        "package.json": '{"dependencies": {"redis": "4", "ioredis": "5"}, "devDependencies": {"sqlite3": "5"}}',
        "compose.yaml": "services:\n  cache:\n    image: redis:7\n  ui:\n    image: mongo-express\n",
        "README.md": "postgres mysql mongo\n",
    })
    assert evidence(ctx, "db.datastore") == []


def test_image_repository():
    assert image_repository("postgres:16") == "postgres"
    assert image_repository("registry:5000/team/mysql:8@sha256:abc") == "registry:5000/team/mysql"
    assert image_repository("mcr.microsoft.com/mssql/server:2022-latest") == "mcr.microsoft.com/mssql/server"


# --- migrations in deploy --------------------------------------------------------------------


def test_migration_command_table():
    cases = {
        "alembic upgrade head": "alembic",
        "python manage.py migrate --noinput": "django",
        "bundle exec rails db:migrate": "rails",
        "./bin/rails db:prepare": "rails",
        "npx prisma migrate deploy": "prisma",
        "knex migrate:latest --env production": "knex",
        "npx sequelize-cli db:migrate": "sequelize",
        "npm run typeorm migration:run": "typeorm",
        "dotnet ef database update": "ef-core",
        "goose -dir db postgres $DSN up": "goose",
        "migrate -path db/migrations -database $URL up": "golang-migrate",
        "dbmate up": "dbmate",
        "php artisan migrate --force": "laravel",
        "mix ecto.migrate": "ecto",
        "diesel migration run": "diesel",
        "sqlx migrate run": "sqlx",
        "flask db upgrade": "flask-migrate",
        "flyway -url=x migrate": "flyway",
        "liquibase update": "liquibase",
        "npm run migrate": "package-script",
    }
    for command, tool in cases.items():
        hit = find_migration_command(command)
        assert hit is not None and hit[1] == tool, command
    for command in ("python manage.py migrate --check", "php artisan migrate:rollback", "npm run migrate:undo", "alembic downgrade -1", "echo run migrations later", "npx prisma migrate dev"):
        assert find_migration_command(command) is None, command


def test_release_phase_and_platform_descriptors():
    [e] = evidence(run({"Procfile": "web: gunicorn app:app\nrelease: python manage.py migrate\n"}), "db.migrations_in_deploy")
    assert e.value is True and e.locator == "Procfile:2" and "release" in e.observed

    [e] = evidence(run({"app.json": '{\n  "scripts": {\n    "postdeploy": "bundle exec rake db:migrate"\n  }\n}'}), "db.migrations_in_deploy")
    assert e.locator == "app.json:3"

    [e] = evidence(run({"fly.toml": 'app = "x"\n\n[deploy]\n  release_command = "bin/rails db:migrate"\n'}), "db.migrations_in_deploy")
    assert e.locator == "fly.toml:4"

    [e] = evidence(run({"render.yaml": "services:\n  - type: web\n    name: api\n    preDeployCommand: alembic upgrade head\n"}), "db.migrations_in_deploy")
    assert e.locator == "render.yaml:4"

    [e] = evidence(run({".ebextensions/01_db.config": "container_commands:\n  01_migrate:\n    command: \"python manage.py migrate\"\n    leader_only: true\n"}), "db.migrations_in_deploy")
    assert e.locator == ".ebextensions/01_db.config:3"

    assert evidence(run({"Procfile": "web: gunicorn app:app\nworker: celery -A app worker\n"}), "db.migrations_in_deploy") == []


def test_dockerfile_entrypoint_running_migrations():
    ctx = run({
        "Dockerfile": (
            "FROM python:3.12\n"
            "COPY docker/entrypoint.sh /entrypoint.sh\n"
            "RUN pip install -r requirements.txt\n"
            'ENTRYPOINT ["/entrypoint.sh"]\n'
            'CMD ["gunicorn", "app:app"]\n'
        ),
        "docker/entrypoint.sh": "#!/bin/sh\nset -e\nalembic upgrade head\nexec \"$@\"\n",
    })
    [e] = evidence(ctx, "db.migrations_in_deploy")
    assert e.locator == "docker/entrypoint.sh:3"
    assert "ENTRYPOINT of Dockerfile:4" in e.observed

    ctx = run({"Dockerfile": 'FROM node:20\nCMD ["sh", "-c", "npx prisma migrate deploy && \\\n  node server.js"]\n'})
    [e] = evidence(ctx, "db.migrations_in_deploy")
    assert e.locator == "Dockerfile:2"


def test_dockerfile_build_time_or_earlier_stage_migrations_do_not_count():
    ctx = run({
        "Dockerfile": (
            "FROM python:3.12 AS build\n"
            "RUN python manage.py migrate\n"
            'CMD ["python", "manage.py", "migrate"]\n'
            "FROM python:3.12-slim\n"
            'CMD ["gunicorn", "app.wsgi"]\n'
        ),
        "README.md": "Run `python manage.py migrate` after deploying.\n",
    })
    assert evidence(ctx, "db.migrations_in_deploy") == []


def test_spring_boot_with_flyway_migrates_at_start_up():
    pom = (
        "<project>\n"
        "  <parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId></parent>\n"
        "  <dependencies>\n"
        "    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>\n"
        "    <dependency><groupId>org.flywaydb</groupId><artifactId>flyway-core</artifactId></dependency>\n"
        "  </dependencies>\n"
        "</project>\n"
    )
    ctx = run({"pom.xml": pom, "src/main/resources/db/migration/V1__init.sql": "create table t();\n"})
    [e] = evidence(ctx, "db.migrations_in_deploy")
    assert e.locator == "pom.xml:5"
    assert "start-up" in e.observed and "Spring Boot" in e.observed
    assert tools(ctx, "db.migration_tools") == {"flyway": "src/main/resources/db/migration/V1__init.sql:1"}

    disabled = run({"pom.xml": pom, "src/main/resources/application.properties": "spring.flyway.enabled=false\n"})
    assert evidence(disabled, "db.migrations_in_deploy") == []

    no_boot = run({"pom.xml": "<project><dependencies><dependency><groupId>org.flywaydb</groupId><artifactId>flyway-core</artifactId></dependency></dependencies></project>"})
    assert evidence(no_boot, "db.migrations_in_deploy") == []


# --- e2e -------------------------------------------------------------------------------------


def test_e2e_tools_from_configs_and_dependencies():
    ctx = run({
        "web/playwright.config.ts": "export default {}\n",
        "package.json": '{\n "devDependencies": {\n  "cypress": "13",\n  "jest-puppeteer": "9"\n }\n}',
        "pom.xml": "<project><dependencies><dependency><groupId>org.seleniumhq.selenium</groupId><artifactId>selenium-java</artifactId><scope>test</scope></dependency></dependencies></project>",
        "wdio.conf.js": "exports.config = {}\n",
        "app/.maestro/login.yaml": "appId: com.example\n---\n- launchApp\n",
        "Gemfile": "group :test do\n  gem 'capybara'\nend\n",
    })
    assert tools(ctx, "test.e2e") == {
        "playwright": "web/playwright.config.ts:1",
        "cypress": "package.json:3",
        "puppeteer": "package.json:4",
        "selenium": "pom.xml:1",
        "webdriverio": "wdio.conf.js:1",
        "maestro": "app/.maestro/login.yaml:1",
        "capybara": "Gemfile:2",
    }


def test_feature_files_are_cucumber_unless_another_gherkin_runner():
    ctx = run({"features/login.feature": "# language: en\nFeature: Login\n  Scenario: ok\n"})
    assert tools(ctx, "test.e2e") == {"cucumber": "features/login.feature:2"}
    ctx = run({"features/login.feature": "Feature: Login\n", "requirements.txt": "behave==1.2\n"})
    assert tools(ctx, "test.e2e") == {"behave": "requirements.txt:1"}
    assert tools(run({"src/login.feature": "Feature: x\n"}), "test.e2e") == {}


def test_puppeteer_alone_is_not_e2e():
    assert tools(run({"package.json": '{"dependencies": {"puppeteer": "22"}}'}), "test.e2e") == {}


# --- performance -----------------------------------------------------------------------------


def test_performance_tools_from_code_and_dependencies():
    ctx = run({
        "load/checkout.js": "import http from 'k6/http';\nimport { sleep } from 'k6';\nexport default function () {}\n",
        "perf/locustfile.py": "import random\nfrom locust import HttpUser, task\n",
        "jmeter/plan.jmx": '<?xml version="1.0"?>\n<jmeterTestPlan version="1.2">\n</jmeterTestPlan>\n',
        "src/gatling/scala/BasicSimulation.scala": "import io.gatling.core.Predef._\nclass BasicSimulation extends Simulation {\n}\n",
        "tests/load/artillery.yml": "config:\n  target: https://example.invalid\n  phases: []\nscenarios:\n  - flow: []\n",
        "asv.conf.json": "{}",
        "Cargo.toml": '[dev-dependencies]\ncriterion = "0.5"\n',
        "bench/pyproject.toml": '[project]\nname = "b"\ndependencies = ["pytest-benchmark"]\n',
    })
    assert tools(ctx, "test.performance") == {
        "k6": "load/checkout.js:1",
        "locust": "perf/locustfile.py:2",
        "jmeter": "jmeter/plan.jmx:2",
        "gatling": "src/gatling/scala/BasicSimulation.scala:2",
        "artillery": "tests/load/artillery.yml:1",
        "asv": "asv.conf.json:1",
        "criterion": "Cargo.toml:2",
        "pytest-benchmark": "bench/pyproject.toml:3",
    }


def test_locust_and_k6_words_alone_are_not_performance_tests():
    ctx = run({
        "README.md": "Load test with locust or k6.\n",
        "perf/notes.py": "# we might try locust one day\nLOCUST = None\n",
        "src/app/colors.py": "from locust import x\n",  # neither its name nor its folder suggests a load test: not read
        "scripts/k6.md": "import http from 'k6/http'\n",
        ".github/workflows/benchmark.yml": "jobs: {bench: {steps: [{run: 'k6 run load.js'}]}}\n",
        "src/load.ts": "const k6 = 'k6';\n",
    })
    assert tools(ctx, "test.performance") == {}
    assert ".github/workflows/benchmark.yml" not in ctx.files._text  # CI files are not read here
    assert "src/app/colors.py" not in ctx.files._text


def test_in_test_dir():
    assert in_test_dir("tests/migrations/0001_x.py")
    assert in_test_dir("src/spec/dummy/db/migrate/1.rb")
    assert in_test_dir("django/test_utils/migrations/0001.py")
    assert not in_test_dir("app/migrations/0001_x.py")
    assert not in_test_dir("tests.py")


def test_flagd_provider_implies_openfeature():
    ctx = run({"requirements.txt": "openfeature-provider-flagd==0.1\n"})
    assert tools(ctx, "release.feature_flags") == {"flagd": "requirements.txt:1", "openfeature": "requirements.txt:1"}


def test_e2e_suites_under_test_folders_count():
    ctx = run({"tests/e2e/package.json": '{"devDependencies": {"@playwright/test": "1"}}', "tests/e2e/playwright.config.ts": "export default {}\n"})
    assert set(tools(ctx, "test.e2e")) == {"playwright"}


def test_development_dockerfiles_are_not_a_deploy_path():
    for path in ("Dockerfile.dev", "docker/dev.Dockerfile", ".devcontainer/Dockerfile", "Dockerfile-test"):
        ctx = run({path: 'FROM python:3.12\nCMD ["sh", "-c", "python manage.py migrate && python manage.py runserver"]\n'})
        assert evidence(ctx, "db.migrations_in_deploy") == [], path


def test_only_candidate_files_are_read():
    files: dict[str, str | bytes] = {f"src/pkg{i}/mod{i}.py": "# unleash locust k6 alembic upgrade head\nimport os\n" for i in range(500)}
    files["package.json"] = '{"dependencies": {"express": "4"}}'
    ctx = run(files)
    assert ctx.evidence == []
    assert ctx.files.reads == 1  # package.json only


def test_uwsgi_hook_in_the_container_start_command_migrates_on_deploy():
    ctx = run({
        "docker/Dockerfile": "FROM python:3.12\nCOPY . /app\nCMD [ \"uwsgi\", \"/app/docker/uwsgi.ini\"]\n",
        "docker/uwsgi.ini": "[uwsgi]\n; manage.py migrate is run below\n# Note: manage.py migrate also runs checks\nhook-pre-app = exec:./manage.py migrate\nmodule = app.wsgi\n",
    })
    [e] = evidence(ctx, "db.migrations_in_deploy")
    assert e.value is True and e.locator == "docker/uwsgi.ini:4"
    quiet = run({
        "Dockerfile": "FROM python:3.12\nCMD [\"uwsgi\", \"uwsgi.ini\"]\n",
        "uwsgi.ini": "[uwsgi]\n; exec:./manage.py migrate (run by hand)\nmodule = app.wsgi\n",
    })
    assert not any(e.value is True for e in evidence(quiet, "db.migrations_in_deploy"))


def test_jmh_declared_in_a_gradle_dependencies_script():
    ctx = run({
        "build.gradle": "project(':bench') {\n  dependencies {\n    implementation libs.jmhCore\n  }\n}\n",
        "gradle/dependencies.gradle": "versions += [jmh: '1.37']\nlibs += [\n  jmhCore: \"org.openjdk.jmh:jmh-core:$versions.jmh\",\n  mainClass: \"org.openjdk.jmh.Main\",\n]\n",
    })
    assert tools(ctx, "test.performance") == {"jmh": "gradle/dependencies.gradle:3"}


def test_flag_sdks_of_build_tooling_and_test_modules_are_not_release_flags():
    ctx = run({
        "go.mod": "module example.com/flags\n\nrequire github.com/lib/pq v1.10.0\n",
        "build/go.mod": "module example.com/build\n\nrequire github.com/open-feature/go-sdk v1.0.0\n",
        "integration-tests/pom.xml": "<project><dependencies><dependency><groupId>com.launchdarkly</groupId><artifactId>launchdarkly-java-server-sdk</artifactId></dependency></dependencies></project>",
    })
    assert tools(ctx, "release.feature_flags") == {}
    ctx = run({"web/package.json": '{"devDependencies": {"@growthbook/growthbook-react": "1.0.0"}}'})
    assert set(tools(ctx, "release.feature_flags")) == {"growthbook"}  # bundled front-end: devDependencies ship


def test_application_code_that_migrates_at_start_up():
    go = {"internal/app/migrate.go": 'package app\n\nimport "github.com/golang-migrate/migrate/v4"\n\nfunc init() {\n\tm, _ := migrate.New(src, db)\n\terr = m.Up()\n}\n'}
    [e] = evidence(run(go), "db.migrations_in_deploy")
    assert e.locator == "internal/app/migrate.go:7" and "golang-migrate" in e.observed
    rust = {"crates/db/src/schema_setup/mod.rs": "const MIGRATIONS: EmbeddedMigrations = embed_migrations!();\n"}
    assert evidence(run(rust), "db.migrations_in_deploy")[0].locator == "crates/db/src/schema_setup/mod.rs:1"
    dotnet = {"src/Infrastructure/Data/CatalogSeed.cs": "class S {\n  void Seed(Ctx c) {\n    c.Database.Migrate();\n  }\n}\n"}
    assert evidence(run(dotnet), "db.migrations_in_deploy")[0].locator == "src/Infrastructure/Data/CatalogSeed.cs:3"


def test_migration_calls_in_clis_tests_and_unrelated_code_are_not_start_up():
    ctx = run({
        "cmd/migrate/main.go": 'package main\nimport "github.com/golang-migrate/migrate/v4"\nfunc main() { m.Up() }\n',
        "internal/db/db_test.go": 'package db\nimport "github.com/golang-migrate/migrate/v4"\nfunc TestX() { m.Up() }\n',
        "internal/store/store.go": "package store\n\nfunc (s *S) Up() error { return nil }\nfunc x() { s.Up() }\n",  # no migration library
        "scripts/migrate.py": "from alembic import command\ncommand.upgrade(cfg, 'head')\n",
    })
    assert evidence(run({}), "db.migrations_in_deploy") == []
    assert evidence(ctx, "db.migrations_in_deploy") == []


def test_bare_playwright_library_needs_a_test_runner_config_or_e2e_folder():
    screenshots = {"pyproject.toml": '[project]\nname = "lib"\n\n[dependency-groups]\ndev = ["playwright >=1.40"]\n', "scripts/playwright/shot.py": "from playwright.sync_api import sync_playwright\n"}
    assert "playwright" not in tools(run(screenshots), "test.e2e")
    with_folder = {**screenshots, "tests/e2e/test_login.py": "def test_login(page): ...\n"}
    assert "playwright" in tools(run(with_folder), "test.e2e")
    runner = {"package.json": '{"devDependencies": {"@playwright/test": "1.40.0"}}'}
    assert "playwright" in tools(run(runner), "test.e2e")
