"""The command classifier: what a CI command does, judged by parsing it (and the repository's task files)."""

from __future__ import annotations

import json
import time

import pytest

from collectors.commands import CATEGORIES, CommandClassifier, Finding, classify, creates_local_cluster, split_shell
from collectors.pipelines.model import Command
from collectors.repofiles import MemoryRepoFiles

EMPTY = MemoryRepoFiles({})


def run(text: str, files: MemoryRepoFiles = EMPTY, kind: str = "shell", inputs: dict[str, str] | None = None,
        job: str | None = None, cwd: str | None = None, **context) -> list[Finding]:
    found = classify(Command(text, 1, kind, tuple((inputs or {}).items())), files, job=job, cwd=cwd, **context)
    assert all(f.category in CATEGORIES for f in found)
    return found


def cats(text: str, files: MemoryRepoFiles = EMPTY, **kw) -> set[tuple[str, str]]:
    return {(f.category, f.tool) for f in run(text, files, **kw)}


def categories(text: str, files: MemoryRepoFiles = EMPTY, **kw) -> set[str]:
    return {f.category for f in run(text, files, **kw)}


def detail(text: str, files: MemoryRepoFiles, category: str, **kw) -> str:
    return next(f.detail for f in run(text, files, **kw) if f.category == category)


# --------------------------------------------------------------------------------------------------
# Shell parsing
# --------------------------------------------------------------------------------------------------

def test_split_shell_operators_quotes_comments_and_heredocs():
    cmds = split_shell('echo "a && b" && pytest -q; make lint || true # make deploy\n'
                       "cat <<EOF | kubectl apply -f -\nkind: Pod\nEOF\nhelm lint .")
    assert [c.words for c in cmds] == [["echo", "a && b"], ["pytest", "-q"], ["make", "lint"], ["true"],
                                       ["cat"], ["kubectl", "apply", "-f", "-"], ["helm", "lint", "."]]
    assert cmds[4].heredoc == "kind: Pod"
    assert cmds[4].pipe == cmds[5].pipe != cmds[6].pipe
    assert cmds[6].line == 5


def test_split_shell_tolerates_unbalanced_quotes_and_keeps_substitutions_whole():
    assert split_shell("echo 'unterminated && pytest")[0].words == ["echo", "unterminated && pytest"]
    words = split_shell('docker build -t "app:$(git rev-parse --short HEAD)" -t app:${{ github.sha }} .')[0].words
    assert words[3] == "app:$(git rev-parse --short HEAD)" and words[5] == "app:${{github.sha}}"


def test_echo_printf_comments_and_strings_never_count():
    assert run('echo "run pytest and deploy to prod"') == []
    assert run("printf 'kubectl apply -f k8s\\n'") == []
    assert run("# pytest --cov\ntrue") == []
    assert run('echo "deploy to prod" && echo "helm upgrade --install app ."') == []
    assert run("grep -r locust . ; echo canary") == []
    assert run('git commit -m "deploy: bump helm chart"') == []


def test_control_flow_env_assignments_and_wrappers_are_peeled():
    assert ("test", "pytest") in cats("if [ -n \"$CI\" ]; then\n  CI=1 FOO=bar sudo -E time pytest\nfi")
    assert ("test", "pytest") in cats("for x in a b; do timeout 10m xvfb-run -a python -m pytest; done")
    assert ("test", "pytest") in cats("env -i PATH=$PATH nice -n 5 pytest")
    assert ("test", "pytest") in cats("poetry run pytest -q")
    assert ("test", "pytest") in cats("uv run --frozen --with pytest-xdist pytest -n auto")
    assert ("test", "pytest") in cats("pipenv run pytest")
    assert ("test", "pytest") in cats("hatch run pytest")
    assert ("test", "pytest") in cats("pdm run pytest")
    assert ("test", "rspec") in cats("bundle exec rspec")
    assert ("e2e-test", "playwright") in cats("npx --yes playwright test")
    assert ("e2e-test", "playwright") in cats("pnpm exec playwright test")
    assert ("e2e-test", "playwright") in cats("yarn dlx playwright test")
    assert ("test", "jest") in cats("cross-env NODE_ENV=test jest")
    assert ("migrate", "django") in cats("docker compose run --rm web python manage.py migrate")
    assert ("migrate", "django") in cats("docker-compose -f ci.yml run -T --rm -e X=1 web python manage.py migrate")
    assert ("test", "pytest") in cats("docker run --rm -v $PWD:/app -w /app python:3.12 pytest tests/unit")
    assert ("test", "pytest") in cats("bash -c 'cd app && pytest'")
    assert ("lint", "flake8") in cats("conda run -n env flake8 src")


def test_python_dash_m_runs_the_module():
    assert cats("python3 -m pytest") == {("test", "pytest")}
    assert cats("python -m unittest discover -s tests") == {("test", "unittest")}
    assert cats("python -m mypy src") == {("lint", "mypy")}
    assert cats("python -m pip install -r requirements.txt") == set()
    assert cats("python -m http.server") == set()
    assert cats('python -c "import pytest"') == set()


# --------------------------------------------------------------------------------------------------
# test / integration-test / e2e-test / performance-test
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("pytest -q", ("test", "pytest")),
    ("go test ./...", ("test", "go")),
    ("cargo test --workspace", ("test", "cargo")),
    ("cargo nextest run", ("test", "cargo-nextest")),
    ("npx jest --ci", ("test", "jest")),
    ("vitest run", ("test", "vitest")),
    ("mocha 'test/**/*.spec.js'", ("test", "mocha")),
    ("dotnet test MySolution.sln", ("test", "dotnet")),
    ("bundle exec rspec", ("test", "rspec")),
    ("vendor/bin/phpunit", ("test", "phpunit")),
    ("./vendor/bin/pest", ("test", "pest")),
    ("mix test", ("test", "exunit")),
    ("swift test", ("test", "swift")),
    ("ctest --output-on-failure", ("test", "ctest")),
    ("bazel test //...", ("test", "bazel")),
    ("sbt test", ("test", "sbt")),
    ("flutter test", ("test", "flutter")),
    ("dart test", ("test", "dart")),
    ("deno test -A", ("test", "deno")),
    ("bats test/", ("test", "bats")),
    ("hatch test", ("test", "hatch")),
    ("./mvnw -B test", ("test", "maven")),
    ("./gradlew check", ("test", "gradle")),
    ("xcodebuild -scheme App -destination 'platform=iOS Simulator,name=iPhone 15' test", ("test", "xcodebuild")),
    ("python -m unittest", ("test", "unittest")),
    ("ng test --watch=false", ("test", "angular")),
    ("bun test", ("test", "bun")),
])
def test_unit_test_runners(text, expected):
    assert expected in cats(text)


def test_test_negatives():
    assert categories("pip install pytest pytest-cov") == set()
    assert categories("go vet ./... && go build ./...") == {"lint", "build"}
    assert categories("cargo build --release") == {"build"}
    assert categories("test -f setup.py && [ -d tests ]") == set()
    assert categories("jest --listTests") == set()
    assert categories("playwright install --with-deps") == set()
    assert categories("cypress open") == set()
    assert categories("vitest watch") == set()


def test_maven_skip_tests_and_phases():
    assert cats("mvn -B package -DskipTests") == {("build", "maven")}
    assert cats("mvn -B install -Dmaven.test.skip=true") == {("build", "maven")}
    assert ("test", "maven") in cats("mvn -B verify")
    assert cats("mvn compile") == set()
    assert cats("mvn -B clean install") >= {("test", "maven"), ("build", "maven")}
    assert ("publish", "maven") in cats("mvn -B deploy -DskipTests")
    assert ("test", "maven") not in cats("mvn -B deploy -DskipTests")


def test_gradle_tasks_and_exclusions():
    assert ("test", "gradle") in cats("./gradlew build")
    assert ("test", "gradle") not in cats("./gradlew build -x test")
    assert cats("./gradlew assemble") == {("build", "gradle")}
    assert cats("./gradlew integrationTest") == {("integration-test", "gradle")}
    assert ("test", "gradle") in cats("gradle :app:testDebugUnitTest")


@pytest.mark.parametrize("text", [
    "pytest tests/integration",
    "pytest -m integration",
    "pytest -m 'integration and not slow'",
    "go test -run Integration ./...",
    "npx jest --testPathPattern integration",
    "mvn -B test -Dtest='*IT'",
    "./gradlew integrationTest",
    "dotnet test tests/Api.IntegrationTests",
    "cargo test --test integration",
    "phpunit --testsuite integration",
    "bundle exec rspec --tag integration",
    "mix test --only integration",
    "flutter test integration_test",
    "pytest src/it",
])
def test_integration_tests(text):
    assert "integration-test" in categories(text)


def test_integration_negatives_and_unit_plus_integration():
    assert categories("pytest -m 'not integration'") == {"test"}
    assert categories("pytest tests/unit") == {"test"}
    assert categories('dotnet test --filter "Category!=Integration"') == {"test"}
    assert categories("go test -tags integration ./...") == {"test", "integration-test"}
    assert categories("pytest tests/unit tests/integration") == {"test", "integration-test"}
    assert categories("pytest --junitxml=reports/integration.xml") == {"test"}


def test_maven_verify_with_failsafe_counts_integration():
    pom = MemoryRepoFiles({"pom.xml": "<project><build><plugins><plugin>"
                                      "<artifactId>maven-failsafe-plugin</artifactId><executions><execution><goals>"
                                      "<goal>integration-test</goal><goal>verify</goal></goals></execution></executions>"
                                      "</plugin></plugins></build></project>"})
    assert ("integration-test", "maven-failsafe") in cats("mvn -B verify", pom)
    assert ("integration-test", "maven-failsafe") not in cats("mvn -B test", pom)
    assert ("integration-test", "maven-failsafe") not in cats("mvn -B verify -DskipITs", pom)
    assert ("integration-test", "maven-failsafe") not in cats("mvn -B verify", EMPTY)


@pytest.mark.parametrize("text,tool", [
    ("npx playwright test", "playwright"),
    ("cypress run --browser chrome", "cypress"),
    ("npx wdio run wdio.conf.js", "webdriverio"),
    ("testcafe chrome tests/", "testcafe"),
    ("nightwatch", "nightwatch"),
    ("maestro test .maestro/", "maestro"),
    ("detox test -c ios.sim.release", "detox"),
    ("robot --outputdir out tests/", "robot"),
    ("behave features/", "behave"),
    ("npx cucumber-js", "cucumber"),
    ("selenium-side-runner tests.side", "selenium"),
    ("bin/rails test:system", "capybara"),
])
def test_e2e_tools(text, tool):
    assert ("e2e-test", tool) in cats(text)


def test_e2e_action_and_negatives():
    assert cats("cypress-io/github-action@v6", kind="action") == {("e2e-test", "cypress")}
    assert cats("cypress-io/github-action@v6", kind="action", inputs={"runTests": "false"}) == set()
    assert categories("cypress run --component") == {"test"}
    assert categories("npx playwright install chromium") == set()


@pytest.mark.parametrize("text,tool", [
    ("k6 run scripts/load.js", "k6"),
    ("locust -f locustfile.py --headless -u 10", "locust"),
    ("jmeter -n -t plan.jmx -l out.jtl", "jmeter"),
    ("./mvnw gatling:test", "gatling"),
    ("./gradlew gatlingRun", "gatling"),
    ("artillery run load.yml", "artillery"),
    ("vegeta attack -targets=t.txt -duration=30s", "vegeta"),
    ("go test -run=^$ -bench=. ./...", "go-bench"),
    ("pytest --benchmark-only", "pytest-benchmark"),
    ("cargo bench", "cargo-bench"),
    ("asv run --quick", "asv"),
])
def test_performance_tests(text, tool):
    assert ("performance-test", tool) in cats(text)


def test_performance_negatives_and_actions():
    assert categories("pip install locust") == set()
    assert categories("locust --version") == set()
    assert categories("k6 version") == set()
    assert categories("go test -run=^$ -bench=. ./...") == {"performance-test"}
    assert categories("go test -bench=. ./...") == {"performance-test", "test"}
    assert cats("grafana/k6-action@v0.3.1", kind="action") == {("performance-test", "k6")}
    assert cats("grafana/run-k6-action@v1", kind="action") == {("performance-test", "k6")}
    assert cats("CodSpeedHQ/action@v3", kind="action") == {("performance-test", "codspeed")}
    assert cats("benchmark-action/github-action-benchmark@v1", kind="action") == {
        ("performance-test", "github-action-benchmark")}
    assert cats("grafana/setup-k6-action@v1", kind="action") == set()


# --------------------------------------------------------------------------------------------------
# lint, coverage, coverage-threshold, security-scan
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,tool", [
    ("ruff check .", "ruff"),
    ("ruff format --check .", "ruff"),
    ("flake8 src", "flake8"),
    ("pylint app", "pylint"),
    ("mypy --strict src", "mypy"),
    ("pyright", "pyright"),
    ("black --check .", "black"),
    ("isort --check-only .", "isort"),
    ("npx eslint . --max-warnings 0", "eslint"),
    ("tsc --noEmit", "tsc"),
    ("prettier --check .", "prettier"),
    ("golangci-lint run ./...", "golangci-lint"),
    ("npx gts check", "gts"),
    ("go vet ./...", "go-vet"),
    ("staticcheck ./...", "staticcheck"),
    ("cargo clippy -- -D warnings", "clippy"),
    ("cargo fmt --all -- --check", "rustfmt"),
    ("bundle exec rubocop", "rubocop"),
    ("shellcheck scripts/*.sh", "shellcheck"),
    ("hadolint Dockerfile", "hadolint"),
    ("vendor/bin/phpstan analyse", "phpstan"),
    ("swiftlint --strict", "swiftlint"),
    ("dotnet format --verify-no-changes", "dotnet-format"),
    ("sonar-scanner -Dsonar.projectKey=x", "sonarqube"),
    ("mvn sonar:sonar", "sonarqube"),
    ("./gradlew sonarqube", "sonarqube"),
    ("yamllint .", "yamllint"),
    ("actionlint", "actionlint"),
    ("clang-tidy -p build src/*.cpp", "clang-tidy"),
    ("bandit -r src", "bandit"),
    ("semgrep --config auto", "semgrep"),
    ("./gradlew detekt ktlintCheck", "detekt"),
])
def test_linters(text, tool):
    assert ("lint", tool) in cats(text)


def test_lint_negatives_formatters_that_write():
    assert cats("black .") == set()
    assert cats("isort .") == set()
    assert cats("prettier --write .") == set()
    assert cats("ruff format .") == set()
    assert cats("cargo fmt --all") == set()
    assert cats("gofmt -w .") == set()
    assert cats("dotnet format") == set()
    assert cats("tsc -p tsconfig.build.json") == {("build", "tsc")}
    assert cats("golangci-lint --version") == set()
    assert cats("npx gts fix") == set()


def test_lint_actions():
    for action in ("github/super-linter@v5", "super-linter/super-linter/slim@v6", "oxsecurity/megalinter@v7",
                   "golangci/golangci-lint-action@v6", "reviewdog/action-eslint@v1", "SonarSource/sonarqube-scan-action@v2",
                   "JetBrains/qodana-action@v2023.3"):
        assert "lint" in categories(action, kind="action"), action
    assert cats("github/codeql-action/analyze@v3", kind="action") == {("security-scan", "codeql"), ("lint", "codeql")}
    assert cats("github/codeql-action/init@v3", kind="action") == set()
    assert cats("astral-sh/ruff-action@v1", kind="action") == {("lint", "ruff")}
    assert cats("psf/black@stable", kind="action") == {("lint", "black")}


@pytest.mark.parametrize("text,expected", [
    ("pytest --cov=app --cov-report=xml", {("coverage", "pytest-cov")}),
    ("coverage run -m pytest", {("coverage", "coverage-py"), ("test", "pytest")}),
    ("coverage xml", {("coverage", "coverage-py")}),
    ("go test -coverprofile=c.out ./...", {("coverage", "go-cover")}),
    ("jest --coverage", {("coverage", "jest")}),
    ("vitest run --coverage", {("coverage", "vitest")}),
    ("nyc mocha", {("coverage", "nyc"), ("test", "mocha")}),
    ("c8 node --test", {("coverage", "c8")}),
    ("./gradlew test jacocoTestReport", {("coverage", "jacoco")}),
    ("mvn jacoco:report", {("coverage", "jacoco")}),
    ("cargo tarpaulin --out Xml", {("coverage", "tarpaulin")}),
    ("cargo llvm-cov --lcov --output-path lcov.info", {("coverage", "cargo-llvm-cov")}),
    ('dotnet test --collect:"XPlat Code Coverage"', {("coverage", "coverlet")}),
    ("dotnet test /p:CollectCoverage=true", {("coverage", "coverlet")}),
    ("COVERAGE=true bundle exec rspec", {("coverage", "simplecov")}),
    ("kcov out ./run-tests.sh", {("coverage", "kcov")}),
    ("gcovr -r . --xml", {("coverage", "gcovr")}),
    ("lcov --capture --directory . -o cov.info", {("coverage", "lcov")}),
])
def test_coverage(text, expected):
    assert expected <= cats(text)


def test_coverage_and_report_negatives():
    assert categories("pytest -q") == {"test"}
    assert categories("go test ./...") == {"test"}
    assert categories("jest --ci") == {"test"}
    assert categories("pytest --no-cov --cov=app") == {"test"}
    assert categories("coverage erase") == set()
    assert categories("codecov --help") == set()
    assert cats("actions/download-artifact@v4", kind="action") == set()
    assert cats("stash includes: 'build/**', name: 'build'", kind="step") == set()
    assert categories("argocd app get web") == set()
    assert categories("flux get kustomizations") == set()
    assert categories("terraform init && terraform plan") == set()
    assert categories("ansible-lint playbooks/") == {"lint"}
    assert categories("docker compose up -d && pytest") == {"test", "service-containers"}


@pytest.mark.parametrize("text", [
    "pytest --cov=app --cov-fail-under=90",
    "coverage report --fail-under=80",
    "jest --coverage --coverageThreshold='{\"global\":{\"lines\":80}}'",
    "nyc check-coverage --lines 80",
    "c8 check-coverage --lines 90",
    "mvn jacoco:check",
    "cargo tarpaulin --fail-under 80",
    "gcovr --fail-under-line 80",
    "./gradlew jacocoTestCoverageVerification",
    "dotnet test /p:CollectCoverage=true /p:Threshold=80",
])
def test_coverage_thresholds(text):
    assert "coverage-threshold" in categories(text)


def test_coverage_threshold_from_configuration():
    py = MemoryRepoFiles({"pyproject.toml": "[tool.pytest.ini_options]\naddopts = \"--cov=app\"\n"
                                            "[tool.coverage.report]\nfail_under = 85\n"})
    assert {"test", "coverage", "coverage-threshold"} <= categories("pytest", py)
    assert "coverage-threshold" in categories("coverage report", py)
    jest = MemoryRepoFiles({"package.json": json.dumps({"jest": {"coverageThreshold": {"global": {"lines": 80}}}})})
    assert "coverage-threshold" in categories("jest --coverage", jest)
    assert "coverage-threshold" not in categories("jest", jest)
    assert "coverage-threshold" not in categories("pytest --cov")
    assert cats("vladopajic/go-test-coverage@v2", kind="action") >= {("coverage-threshold", "go-test-coverage")}


@pytest.mark.parametrize("text,tool", [
    ("trivy image --exit-code 1 app:latest", "trivy"),
    ("snyk test --severity-threshold=high", "snyk"),
    ("semgrep ci", "semgrep"),
    ("bandit -r .", "bandit"),
    ("gosec ./...", "gosec"),
    ("govulncheck ./...", "govulncheck"),
    ("pip-audit -r requirements.txt", "pip-audit"),
    ("safety check", "safety"),
    ("npm audit --audit-level=high", "npm-audit"),
    ("yarn audit", "npm-audit"),
    ("osv-scanner -r .", "osv-scanner"),
    ("grype dir:.", "grype"),
    ("checkov -d infra", "checkov"),
    ("tfsec .", "tfsec"),
    ("kics scan -p .", "kics"),
    ("gitleaks detect --source .", "gitleaks"),
    ("trufflehog git file://. --only-verified", "trufflehog"),
    ("cargo audit", "cargo-audit"),
    ("cargo deny check", "cargo-deny"),
    ("dependency-check.sh --project x --scan .", "owasp-dependency-check"),
    ("bundle exec brakeman -q", "brakeman"),
    ("zap-baseline.py -t https://staging.example.com", "zap"),
    ("docker run -t owasp/zap2docker-stable zap-baseline.py -t https://x", "zap"),
    ("docker run --rm aquasec/trivy:0.50.0 image app", "trivy"),
])
def test_security_scanners(text, tool):
    assert ("security-scan", tool) in cats(text)


def test_security_actions_and_gitlab_templates():
    for action, tool in (("aquasecurity/trivy-action@0.20.0", "trivy"), ("snyk/actions/node@master", "snyk"),
                         ("zaproxy/action-baseline@v0.12.0", "zap"), ("returntocorp/semgrep-action@v1", "semgrep"),
                         ("anchore/scan-action@v3", "grype"), ("ossf/scorecard-action@v2", "scorecard"),
                         ("actions/dependency-review-action@v4", "dependency-review"),
                         ("gitleaks/gitleaks-action@v2", "gitleaks")):
        assert ("security-scan", tool) in cats(action, kind="action"), action
    assert cats("snyk/actions/setup@master", kind="action") == set()
    for tpl, tool in (("Security/SAST.gitlab-ci.yml", "gitlab-sast"), ("Jobs/SAST.gitlab-ci.yml", "gitlab-sast"),
                      ("Security/Dependency-Scanning.gitlab-ci.yml", "gitlab-dependency-scanning"),
                      ("Jobs/Container-Scanning.gitlab-ci.yml", "gitlab-container-scanning"),
                      ("Security/Secret-Detection.gitlab-ci.yml", "gitlab-secret-detection"),
                      ("DAST.gitlab-ci.yml", "gitlab-dast")):
        assert cats(f"gitlab-template:{tpl}", kind="step") == {("security-scan", tool)}, tpl
    assert cats("gitlab-template:Workflows/MergeRequest-Pipelines.gitlab-ci.yml", kind="step") == set()
    assert cats("trivy --version") == set()
    assert cats("snyk auth $TOKEN") == set()
    assert cats("gitleaks version") == set()


# --------------------------------------------------------------------------------------------------
# deploy vs publish vs build (the traps)
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,tool", [
    ("kubectl apply -f k8s/", "kubectl"),
    ("kubectl -n prod set image deployment/web web=ghcr.io/o/web:1.2", "kubectl"),
    ("kubectl rollout restart deployment/web", "kubectl"),
    ("helm upgrade --install web ./chart -n prod", "helm"),
    ("helmfile -e production apply", "helmfile"),
    ("kustomize build overlays/prod | kubectl apply -f -", "kustomize"),
    ("argocd app sync web", "argocd"),
    ("flux reconcile kustomization apps", "flux"),
    ("skaffold run -p prod", "skaffold"),
    ("terraform -chdir=infra apply -auto-approve", "terraform"),
    ("pulumi up --yes -s prod", "pulumi"),
    ("npx cdk deploy --all --require-approval never", "aws-cdk"),
    ("sam deploy --no-confirm-changeset", "aws-sam"),
    ("npx serverless deploy --stage prod", "serverless"),
    ("aws ecs update-service --cluster c --service s --force-new-deployment", "aws-ecs"),
    ("aws lambda update-function-code --function-name f --zip-file fileb://f.zip", "aws-lambda"),
    ("aws cloudformation deploy --template-file t.yml --stack-name s", "cloudformation"),
    ("eb deploy prod-env", "elastic-beanstalk"),
    ("gcloud run deploy web --image gcr.io/p/web --region eu", "cloud-run"),
    ("gcloud app deploy app.yaml", "app-engine"),
    ("gcloud functions deploy fn --runtime python311", "cloud-functions"),
    ("az webapp deploy --resource-group rg --name app --src-path app.zip", "azure-webapp"),
    ("az containerapp update -n app -g rg --image x", "azure-containerapp"),
    ("flyctl deploy --remote-only", "fly"),
    ("vercel deploy --prod --token $T", "vercel"),
    ("netlify deploy --prod --dir dist", "netlify"),
    ("firebase deploy --only hosting", "firebase"),
    ("npx firebase-tools deploy --only hosting", "firebase"),
    ("heroku container:release web -a app", "heroku"),
    ("git push heroku HEAD:main", "heroku"),
    ("cf push app -f manifest.yml", "cloudfoundry"),
    ("ansible-playbook -i inventory/prod deploy.yml", "ansible"),
    ("bundle exec cap production deploy", "capistrano"),
    ("kamal deploy", "kamal"),
    ("docker stack deploy -c stack.yml app", "docker-swarm"),
    ("nomad job run web.nomad", "nomad"),
    ("mkdocs gh-deploy --force", "github-pages"),
    ("npx gh-pages -d build", "github-pages"),
    ("wrangler deploy", "cloudflare-workers"),
])
def test_deploy_commands(text, tool):
    assert ("deploy", tool) in cats(text)


def test_deploy_negatives():
    assert run("helm lint ./chart") == [Finding("lint", "helm", "helm lint ./chart")]
    assert categories("helm template ./chart > out.yaml") == set()
    assert categories("helm package ./chart") == {"build"}
    assert categories("helm upgrade --install web ./chart --dry-run") == set()
    assert categories("helm diff upgrade web ./chart") == set()
    assert categories("kubectl apply --dry-run=client -f k8s/") == set()
    assert categories("kubectl get pods -n prod") == set()
    assert categories("kubectl create secret generic x --from-literal=a=b --dry-run=client -o yaml") == set()
    assert categories("kind create cluster && kubectl apply -f k8s/ && pytest tests/e2e") == {"e2e-test"}
    assert categories("kubectl --context kind-ci apply -f k8s/") == set()
    assert categories("terraform plan -out tfplan") == set()
    assert categories("terraform validate") == {"lint"}
    assert categories("pulumi preview") == set()
    assert categories("vercel deploy --token $T") == set()
    assert categories("netlify deploy --dir dist") == set()
    assert categories("aws s3 ls") == set()
    assert categories("aws ecs describe-services --cluster c --services s") == set()
    assert categories("ansible-playbook --check deploy.yml") == set()
    assert categories("docker compose up -d db") == {"service-containers"}


def test_terraform_apply_is_deploy_and_provision_ansible_name_decides():
    assert categories("terraform apply -auto-approve") == {"deploy", "provision"}
    assert cats("ansible-playbook -i hosts site.yml") == {("deploy", "ansible")}
    assert cats("ansible-playbook -i hosts setup-servers.yml") == {("provision", "ansible")}
    assert cats("openstack stack create -t heat.yaml app") == {("provision", "heat")}
    assert cats("tofu apply") == {("deploy", "opentofu"), ("provision", "opentofu")}


def test_publish_vs_build():
    assert cats("docker build -t app .") == {("build", "docker")}
    assert cats("docker push ghcr.io/o/app:latest") == {("publish", "docker")}
    assert cats("docker buildx build --platform linux/amd64 -t x --push .") == {("publish", "docker")}
    assert cats("docker compose push") == {("publish", "docker-compose")}
    assert categories("npm publish --access public") == {"publish"}
    assert categories("npm publish --dry-run") == set()
    assert categories("twine upload dist/*") == {"publish"}
    assert categories("twine check dist/*") == set()
    assert categories("poetry publish --build") == {"publish"}
    assert categories("poetry build") == {"build"}
    assert categories("cargo publish --dry-run") == set()
    assert categories("cargo publish") == {"publish"}
    assert categories("gem push pkg/x.gem") == {"publish"}
    assert categories("dotnet nuget push out/*.nupkg -k $KEY") == {"publish"}
    assert categories("./gradlew publish") == {"publish"}
    assert categories("./gradlew publishToMavenLocal") == set()
    assert categories("./gradlew jib") == {"publish"}
    assert categories("./gradlew jibDockerBuild") == {"build"}
    assert categories("ko build ./cmd/app") == {"publish"}
    assert categories("ko build --local ./cmd/app") == {"build"}
    assert categories("helm push chart.tgz oci://ghcr.io/o/charts") == {"publish"}
    assert categories("crane push img.tar ghcr.io/o/app:1") == {"publish"}
    assert categories("aws s3 sync dist/ s3://bucket/releases/") == {"publish"}
    assert categories("aws s3 cp report.html s3://bucket/") == set()
    assert categories("go build ./...") == {"build"}
    assert categories("python -m build") == {"build"}


def test_publish_actions_and_steps():
    assert cats("docker/build-push-action@v5", kind="action", inputs={"push": "true"}) == {("publish", "docker")}
    assert cats("docker/build-push-action@v5", kind="action", inputs={"push": "false"}) == {("build", "docker")}
    assert cats("docker/build-push-action@v5", kind="action") == {("build", "docker")}
    cond = run("docker/build-push-action@v5", kind="action",
               inputs={"push": "${{ github.event_name != 'pull_request' }}"})
    assert [(f.category, f.tool) for f in cond] == [("publish", "docker")] and "conditional" in cond[0].detail
    assert cats("pypa/gh-action-pypi-publish@release/v1", kind="action") == {("publish", "pypi")}
    assert cats("actions/upload-artifact@v4", kind="action") == {("publish", "ci-artifact")}
    assert cats("gitlab-artifacts", kind="step") == {("publish", "ci-artifact")}
    assert cats("archiveArtifacts artifacts: 'build/libs/*.jar'", kind="step") == {("publish", "ci-artifact")}
    assert cats("actions/checkout@v4", kind="action") == set()
    assert cats("actions/setup-node@v4", kind="action") == set()


def test_deploy_named_make_target_that_only_pushes_an_image_is_publish():
    files = MemoryRepoFiles({"Makefile": "IMAGE = ghcr.io/o/app\n\ndeploy: build\n\tdocker push $(IMAGE):latest\n\n"
                                         "build:\n\tdocker build -t $(IMAGE):latest .\n"})
    assert categories("make deploy", files) == {"publish", "build"}


def test_deploy_actions_and_orbs():
    for action, tool in (("aws-actions/amazon-ecs-deploy-task-definition@v1", "aws-ecs"),
                         ("google-github-actions/deploy-cloudrun@v2", "cloud-run"),
                         ("azure/webapps-deploy@v3", "azure-webapp"), ("azure/k8s-deploy@v4", "kubernetes"),
                         ("superfly/flyctl-actions@1.5", None), ("akhileshns/heroku-deploy@v3.13.15", "heroku"),
                         ("actions/deploy-pages@v4", "github-pages"), ("peaceiris/actions-gh-pages@v3", "github-pages"),
                         ("JamesIves/github-pages-deploy-action@v4", "github-pages"),
                         ("aws-ecs/deploy-service-update", "aws-ecs"), ("heroku/deploy-via-git", "heroku"),
                         ("atlassian/aws-ecs-deploy:1.6.2", "aws-ecs"), ("plugins/ecs", "aws-ecs")):
        if tool is None:
            assert cats(action, kind="action") == set()
            assert ("deploy", "fly") in cats(action, kind="action", inputs={"args": "deploy --remote-only"})
        else:
            assert ("deploy", tool) in cats(action, kind="action"), action
    assert cats("nwtgck/actions-netlify@v3", kind="action", inputs={"production-deploy": "true"}) == {("deploy", "netlify")}
    assert cats("nwtgck/actions-netlify@v3", kind="action") == set()
    assert cats("amondnet/vercel-action@v25", kind="action", inputs={"vercel-args": "--prod"}) == {("deploy", "vercel")}
    assert cats("FirebaseExtended/action-hosting-deploy@v0", kind="action", inputs={"channelId": "live"}) == {
        ("deploy", "firebase")}
    assert cats("azure/k8s-deploy@v4", kind="action", inputs={"action": "reject"}) == set()
    assert cats("AzureWebApp@1", kind="action") == {("deploy", "azure-webapp")}
    assert cats("KubernetesManifest@1", kind="action", inputs={"action": "bake"}) == set()
    assert cats("HelmDeploy@0", kind="action", inputs={"command": "upgrade", "arguments": "--install"}) == {
        ("deploy", "helm")}
    assert cats("travis-deploy:heroku", kind="step") == {("deploy", "heroku")}
    assert cats("travis-deploy:pypi", kind="step") == {("publish", "pypi")}
    assert cats("travis-deploy:releases", kind="step") == {("publish", "github-release"), ("release", "github-release")}


def test_deploy_over_ssh_and_copies_to_hosts_are_conservative():
    assert cats('ssh deploy@host "cd /srv/app && sh deploy.sh"') == {("deploy", "ssh")}
    assert cats('ssh deploy@host "cd /srv/app && docker compose pull && docker compose up -d"') == {
        ("deploy", "docker-compose")}
    assert cats("ssh -i key deploy@host 'sudo systemctl restart app'") == {("deploy", "ssh")}
    assert cats("ssh host 'df -h'") == set()
    assert cats("appleboy/ssh-action@v1", kind="action", inputs={"script": "pm2 reload ecosystem.config.js"}) == {
        ("deploy", "ssh")}
    assert cats("rsync -avz dist/ deploy@web1:/var/www/app") == set()
    assert cats("rsync -avz dist/ deploy@web1:/var/www/app", job="deploy-production") == {("deploy", "rsync")}
    assert cats("rsync -avz ./a ./b", job="deploy") == set()
    script = MemoryRepoFiles({"scripts/deploy.sh": "#!/bin/sh\nscp app.tar.gz ops@10.0.0.5:/opt/app/\n"})
    assert cats("./scripts/deploy.sh", script) == {("deploy", "scp")}


# --------------------------------------------------------------------------------------------------
# migrate / migrate-rollback
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,tool", [
    ("alembic upgrade head", "alembic"),
    ("flask db upgrade", "alembic"),
    ("python manage.py migrate --noinput", "django"),
    ("django-admin migrate", "django"),
    ("bin/rails db:migrate", "rails"),
    ("bundle exec rake db:migrate", "rails"),
    ("rails db:prepare", "rails"),
    ("flyway -url=jdbc:x migrate", "flyway"),
    ("mvn flyway:migrate", "flyway"),
    ("./gradlew flywayMigrate", "flyway"),
    ("liquibase update", "liquibase"),
    ("mvn liquibase:update", "liquibase"),
    ("migrate -path db/migrations -database $DB_URL up", "golang-migrate"),
    ("goose -dir migrations postgres $DSN up", "goose"),
    ("npx prisma migrate deploy", "prisma"),
    ("npx knex migrate:latest", "knex"),
    ("npx sequelize-cli db:migrate", "sequelize"),
    ("npm exec typeorm migration:run -- -d src/ds.ts", "typeorm"),
    ("dotnet ef database update", "ef-core"),
    ("dbmate up", "dbmate"),
    ("sqitch deploy db:pg://x", "sqitch"),
    ("atlas migrate apply --env prod", "atlas"),
    ("diesel migration run", "diesel"),
    ("sqlx migrate run", "sqlx"),
    ("mix ecto.migrate", "ecto"),
    ("php artisan migrate --force", "laravel"),
    ("yoyo apply --batch", "yoyo"),
])
def test_migrations(text, tool):
    assert ("migrate", tool) in cats(text)


@pytest.mark.parametrize("text,tool", [
    ("alembic downgrade -1", "alembic"),
    ("bin/rails db:rollback STEP=1", "rails"),
    ("rails db:migrate:redo", "rails"),
    ("flyway undo", "flyway"),
    ("liquibase rollback-count 1", "liquibase"),
    ("migrate -path db -database $URL down 1", "golang-migrate"),
    ("goose -dir m postgres $DSN down", "goose"),
    ("npx knex migrate:rollback", "knex"),
    ("npx sequelize-cli db:migrate:undo:all", "sequelize"),
    ("npx typeorm migration:revert", "typeorm"),
    ("dbmate rollback", "dbmate"),
    ("sqitch revert -y", "sqitch"),
    ("diesel migration redo", "diesel"),
    ("sqlx migrate revert", "sqlx"),
    ("mix ecto.rollback --all", "ecto"),
    ("php artisan migrate:rollback", "laravel"),
    ("python manage.py migrate shop zero", "django"),
    ("dotnet ef database update 0", "ef-core"),
])
def test_migration_rollbacks(text, tool):
    assert ("migrate-rollback", tool) in cats(text)


def test_migration_negatives_and_django_test_runner():
    assert cats("python manage.py makemigrations --check --dry-run") == {("lint", "django")}
    assert cats("python manage.py makemigrations") == set()
    assert cats("alembic revision --autogenerate -m x") == set()
    assert cats("migrate up") == set()  # an unknown `migrate` program without golang-migrate flags
    found = run("python manage.py test")
    assert {(f.category, f.tool) for f in found} == {("test", "django"), ("migrate", "django")}
    assert "applies the migrations" in next(f.detail for f in found if f.category == "migrate")


# --------------------------------------------------------------------------------------------------
# release, release-notes, notify, reports, orchestrate, commit-traceable
# --------------------------------------------------------------------------------------------------

def test_release_automation():
    assert cats("googleapis/release-please-action@v4", kind="action") == {
        ("release", "release-please"), ("release-notes", "release-please")}
    assert cats("npx semantic-release") == {("release", "semantic-release"), ("release-notes", "semantic-release")}
    assert cats("npx semantic-release --dry-run") == set()
    assert ("release", "python-semantic-release") in cats("semantic-release version")
    assert cats("goreleaser/goreleaser-action@v5", kind="action", inputs={"args": "release --clean"}) >= {
        ("release", "goreleaser"), ("publish", "goreleaser"), ("release-notes", "goreleaser")}
    assert cats("goreleaser release --snapshot --clean") == {("build", "goreleaser")}
    assert ("release", "changesets") in cats("changesets/action@v1", kind="action")
    assert ("release", "github-release") in cats("gh release create v1.2.0 --generate-notes")
    assert ("release-notes", "github-release") in cats("gh release create v1.2.0 --generate-notes")
    assert ("release-notes", "github-release") not in cats("gh release create v1.2.0 -n 'notes'")
    assert cats("softprops/action-gh-release@v2", kind="action") == {("release", "github-release"),
                                                                      ("publish", "github-release")}
    assert ("release-notes", "github-release") in cats("softprops/action-gh-release@v2", kind="action",
                                                        inputs={"generate_release_notes": "true"})
    assert ("release-notes", "github-release") in cats("ncipollo/release-action@v1", kind="action",
                                                        inputs={"generateReleaseNotes": "true"})
    assert cats("gitlab-release-keyword", kind="step") == {("release", "gitlab-release")}
    assert cats("release-cli create --name v1 --tag-name v1") == {("release", "gitlab-release")}
    assert cats("jreleaser full-release") >= {("release", "jreleaser"), ("release-notes", "jreleaser")}
    assert cats("cargo release --execute") >= {("release", "cargo-release")}
    assert cats("cargo release") == set()
    assert cats("lerna publish from-package --yes") >= {("release", "lerna"), ("publish", "npm")}


def test_release_notes():
    assert cats("release-drafter/release-drafter@v6", kind="action") == {("release-notes", "release-drafter")}
    assert cats("orhun/git-cliff-action@v3", kind="action") == {("release-notes", "git-cliff")}
    assert cats("git cliff --latest -o CHANGELOG.md") == {("release-notes", "git-cliff")}
    assert cats("towncrier build --yes --version 1.0") == {("release-notes", "towncrier")}
    assert cats("towncrier check") == set()
    assert cats("npx conventional-changelog -p angular -i CHANGELOG.md -s") == {
        ("release-notes", "conventional-changelog")}


def test_notify():
    assert cats("slackapi/slack-github-action@v1", kind="action") == {("notify", "slack")}
    assert cats("8398a7/action-slack@v3", kind="action") == {("notify", "slack")}
    assert cats("rtCamp/action-slack-notify@v2", kind="action") == {("notify", "slack")}
    assert cats("slackSend(channel: '#builds', color: 'good')", kind="step") == {("notify", "slack")}
    assert cats("emailext body: 'x', subject: 'y', to: 'z'", kind="step") == {("notify", "email")}
    assert cats("office365ConnectorSend webhookUrl: env.HOOK", kind="step") == {("notify", "teams")}
    assert cats("curl -X POST -d @payload.json https://hooks.slack.com/services/T/B/X") == {("notify", "slack")}
    assert cats('curl -H "Content-Type: application/json" -d "$MSG" "$TEAMS_WEBHOOK_URL"') == {("notify", "teams")}
    assert cats("curl -fsSL https://example.com/install.sh") == set()


def test_reports():
    assert cats("dorny/test-reporter@v1", kind="action") == {("test-report", "test-reporter")}
    assert cats("EnricoMi/publish-unit-test-result-action@v2", kind="action") == {
        ("test-report", "publish-unit-test-result")}
    assert cats("mikepenz/action-junit-report@v4", kind="action") == {("test-report", "junit")}
    assert cats("junit 'build/test-results/**/*.xml'", kind="step") == {("test-report", "junit")}
    assert ("test-report", "gitlab-junit") in cats("gitlab-artifacts-reports:junit", kind="step")
    assert ("publish", "ci-artifact") in cats("gitlab-artifacts-reports:junit", kind="step")
    assert cats("publishHTML(target: [reportDir: 'coverage'])", kind="step") == {("test-report", "html-publisher")}
    assert cats("PublishTestResults@2", kind="action") == {("test-report", "azure-test-results")}
    assert cats("codecov/codecov-action@v4", kind="action") == {("coverage", "codecov"), ("coverage-report", "codecov")}
    assert ("coverage-report", "coveralls") in cats("coverallsapp/github-action@v2", kind="action")
    assert ("coverage-report", "gitlab-coverage") in cats("gitlab-artifacts-reports:coverage_report", kind="step")
    assert ("coverage-report", "gitlab-coverage") in cats("gitlab-coverage-keyword", kind="step")
    assert ("coverage-report", "jacoco") in cats("jacoco execPattern: '**/*.exec'", kind="step")
    assert ("coverage-report", "coverage-plugin") in cats("recordCoverage(tools: [[parser: 'COBERTURA']])", kind="step")
    assert cats("PublishCodeCoverageResults@2", kind="action") == {("coverage-report", "azure-code-coverage")}
    assert ("coverage-threshold", "code-coverage-summary") in cats(
        "irongut/CodeCoverageSummary@v1.3.0", kind="action", inputs={"fail_below_min": "true"})
    assert cats("bash <(curl -s https://codecov.io/bash)") == {("coverage", "codecov"), ("coverage-report", "codecov")}


def test_orchestrate():
    assert cats("argocd app sync web --prune") == {("deploy", "argocd"), ("orchestrate", "argocd")}
    assert ("orchestrate", "flux") in cats("flux reconcile source git flux-system")
    assert cats("spin pipeline execute --application app --name deploy") == {
        ("deploy", "spinnaker"), ("orchestrate", "spinnaker")}


def test_commit_traceable_only_when_published_or_deployed():
    assert ("commit-traceable", "docker") in cats("docker push ghcr.io/o/app:${{ github.sha }}")
    assert ("commit-traceable", "docker") in cats(
        "docker build -t ghcr.io/o/app:$CI_COMMIT_SHORT_SHA . && docker push ghcr.io/o/app:$CI_COMMIT_SHORT_SHA")
    assert ("commit-traceable", "docker") in cats(
        "TAG=$(git rev-parse --short HEAD)\ndocker build -t app:$TAG .\ndocker push app:$TAG")
    assert ("commit-traceable", "docker") in cats(
        "docker build -t app:$GITHUB_SHA -t app:latest . && docker push --all-tags app")
    assert ("commit-traceable", "helm") in cats("helm upgrade --install web chart --set image.tag=$CIRCLE_SHA1")
    assert ("commit-traceable", "kubectl") in cats("kubectl set image deploy/web web=app:$GIT_COMMIT")
    assert "commit-traceable" not in categories("docker build -t app:$GITHUB_SHA .")
    assert "commit-traceable" not in categories("echo $GITHUB_SHA > version.txt")
    assert "commit-traceable" not in categories("docker push ghcr.io/o/app:latest")
    assert ("commit-traceable", "docker") in cats("docker/build-push-action@v5", kind="action",
                                                  inputs={"push": "true", "tags": "ghcr.io/o/app:${{ github.sha }}"})
    assert ("commit-traceable", "metadata-action") in cats("docker/build-push-action@v5", kind="action", inputs={
        "push": "true", "tags": "${{ steps.meta.outputs.tags }}", "labels": "${{ steps.meta.outputs.labels }}"})
    assert "commit-traceable" not in categories("docker/build-push-action@v5", kind="action",
                                                inputs={"push": "false", "tags": "app:${{ github.sha }}"})
    assert cats("docker/metadata-action@v5", kind="action") == set()


# --------------------------------------------------------------------------------------------------
# Expansion through repository files
# --------------------------------------------------------------------------------------------------

MAKEFILE = """\
PYTHON ?= python3
.PHONY: all ci test lint loop deploy

all: ci

ci: lint test

lint:
\t@$(PYTHON) -m ruff check .

test:
\t-$(PYTHON) -m pytest --cov=app tests

loop:
\t$(MAKE) loop2

loop2:
\t$(MAKE) loop

e2e:
\tcd web && npx playwright test
"""


def test_make_target_expands_to_recipe_with_chain():
    files = MemoryRepoFiles({"Makefile": MAKEFILE})
    found = run("make test", files)
    assert {(f.category, f.tool) for f in found} == {("test", "pytest"), ("coverage", "pytest-cov")}
    assert found[0].detail == "make test -> Makefile:12 python3 -m pytest --cov=app tests"


def test_make_prerequisites_default_goal_and_dash_c():
    files = MemoryRepoFiles({"Makefile": MAKEFILE, "sub/Makefile": "check:\n\tgo test ./...\n"})
    ci = run("make ci", files)
    assert {(f.category, f.tool) for f in ci} >= {("lint", "ruff"), ("test", "pytest")}
    assert "Makefile:6 ci: lint test" in next(f.detail for f in ci if f.category == "lint")
    assert {("build", "make"), ("lint", "ruff"), ("test", "pytest")} <= cats("make", files)
    assert cats("make -C sub check", files) == {("test", "go")}
    assert cats("make -n test", files) == set()
    assert cats("make e2e", files) == {("e2e-test", "playwright")}


def test_make_recursion_is_cycle_safe():
    files = MemoryRepoFiles({"Makefile": MAKEFILE, "a.mk": "x: x\n\t$(MAKE) x\n"})
    assert cats("make loop", files) == set()
    assert cats("make -f a.mk x", files) == set()


def test_make_without_makefile_judges_by_target_name():
    assert cats("make test") == {("test", "make")}
    assert cats("make -C build check") == {("test", "make")}
    assert cats("make deploy") == set()


def test_npm_scripts_chain_and_default_test_script():
    pkg = {"scripts": {"ci": "npm run lint && jest --coverage", "lint": "eslint .",
                       "test": "echo \"Error: no test specified\" && exit 1",
                       "e2e": "start-server-and-test start http://localhost:3000 cy:run", "cy:run": "cypress run",
                       "test:integration": "jest --config jest.integration.config.js",
                       "test:all": "run-s lint test:*", "build": "tsc -p ."}}
    files = MemoryRepoFiles({"package.json": json.dumps(pkg)})
    assert run("npm test", files) == []
    ci = run("npm run ci", files)
    assert {(f.category, f.tool) for f in ci} == {("lint", "eslint"), ("test", "jest"), ("coverage", "jest")}
    assert next(f.detail for f in ci if f.category == "test") == \
        "npm run ci -> package.json scripts.ci: jest --coverage"
    assert next(f.detail for f in ci if f.category == "lint") == \
        "npm run ci -> package.json scripts.ci: npm run lint -> package.json scripts.lint: eslint ."
    assert cats("yarn e2e", files) == {("e2e-test", "cypress")}
    assert cats("pnpm run test:integration", files) == {("integration-test", "jest")}
    assert cats("npm run test:all", files) >= {("lint", "eslint"), ("integration-test", "jest")}
    assert cats("yarn build", files) == {("build", "tsc")}
    assert cats("npm run missing", files) == set()
    assert cats("yarn eslint src", files) == {("lint", "eslint")}
    assert cats("npm test") == {("test", "npm")}


def test_npm_prefix_and_cd_change_the_package():
    files = MemoryRepoFiles({"web/package.json": json.dumps({"scripts": {"test": "vitest run"}})})
    assert cats("npm --prefix web test", files) == {("test", "vitest")}
    assert cats("cd web && npm test", files) == {("test", "vitest")}
    assert cats("yarn --cwd web test", files) == {("test", "vitest")}
    assert cats("pnpm -C web test", files) == {("test", "vitest")}


def test_shell_script_expansion():
    files = MemoryRepoFiles({
        "scripts/ci.sh": "#!/usr/bin/env bash\nset -euo pipefail\necho 'running pytest'\npytest -q\n./scripts/lint.sh\n",
        "scripts/lint.sh": "#!/bin/sh\nflake8 .\n",
        "tools/gen.py": "#!/usr/bin/env python\nprint('pytest')\n",
    })
    found = run("./scripts/ci.sh", files)
    assert {(f.category, f.tool) for f in found} == {("test", "pytest"), ("lint", "flake8")}
    assert next(f.detail for f in found if f.category == "test") == "./scripts/ci.sh -> scripts/ci.sh:4 pytest -q"
    assert cats("bash scripts/ci.sh", files) == {("test", "pytest"), ("lint", "flake8")}
    assert cats("sh -e ./scripts/lint.sh", files) == {("lint", "flake8")}
    assert cats("./tools/gen.py", files) == set()
    assert cats("./scripts/missing.sh", files) == set()


def test_script_that_runs_itself_is_cycle_safe():
    files = MemoryRepoFiles({"ci.sh": "pytest\n./ci.sh\n"})
    assert cats("./ci.sh", files) == {("test", "pytest")}


def test_tox_envs():
    files = MemoryRepoFiles({"tox.ini": "[tox]\nenvlist = py{311,312}, lint, type\n\n[testenv]\ncommands =\n"
                                        "    pytest --cov {posargs:tests}\n\n[testenv:lint]\ncommands = flake8 src\n\n"
                                        "[testenv:type]\ncommands = python -c 'pass'\n\n[testenv:integration]\n"
                                        "commands = pytest {posargs}\n"})
    assert cats("tox -e lint", files) == {("lint", "flake8")}
    assert cats("tox -e type", files) == {("lint", "tox")}
    assert cats("tox -e py312", files) == {("test", "pytest"), ("coverage", "pytest-cov")}
    assert cats("tox -e integration", files) == {("integration-test", "pytest")}
    assert cats("tox", files) >= {("test", "pytest"), ("lint", "flake8"), ("lint", "tox")}
    assert cats("tox") == {("test", "tox")}
    assert cats("tox -e lint") == {("lint", "tox")}
    assert "tox.ini:6" in detail("tox -e py311", files, "test")


def test_tox_toml_and_pyproject():
    files = MemoryRepoFiles({"pyproject.toml": "[tool.tox]\nenv_list = [\"3.12\", \"lint\"]\n[tool.tox.env_run_base]\n"
                                               "commands = [[\"pytest\", {replace = \"posargs\", default = [\"tests\"]}]]\n"
                                               "[tool.tox.env.lint]\ncommands = [[\"ruff\", \"check\", \".\"]]\n"})
    assert cats("tox run", files) == {("test", "pytest"), ("lint", "ruff")}


def test_nox_sessions():
    files = MemoryRepoFiles({"noxfile.py": "import nox\nnox.options.sessions = ['tests']\n\n"
                                           "@nox.session(python=['3.11', '3.12'])\ndef tests(session):\n"
                                           "    session.install('-e', '.')\n    session.run('pytest', '--cov', *session.posargs)\n\n"
                                           "@nox.session(name='type-check')\ndef mypy(session):\n    session.run('mypy', 'src')\n"})
    assert cats("nox", files) == {("test", "pytest"), ("coverage", "pytest-cov")}
    assert cats("nox -s type-check", files) == {("lint", "mypy")}
    assert cats("nox -s tests-3.12", files) == {("test", "pytest"), ("coverage", "pytest-cov")}
    assert "noxfile.py:7 pytest --cov" in detail("nox -s tests", files, "test")
    assert cats("nox") == {("test", "nox")}


def test_pre_commit_hooks():
    files = MemoryRepoFiles({".pre-commit-config.yaml": """\
repos:
  - repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v4.5.0
    hooks:
      - id: trailing-whitespace
  - repo: https://github.com/astral-sh/ruff-pre-commit
    rev: v0.4.0
    hooks: [{id: ruff}, {id: ruff-format}]
  - repo: https://github.com/pre-commit/mirrors-mypy
    rev: v1.9.0
    hooks:
      - id: mypy
  - repo: https://github.com/gitleaks/gitleaks
    rev: v8.18.0
    hooks:
      - id: gitleaks
  - repo: local
    hooks:
      - id: shellcheck-local
        name: shellcheck
        entry: shellcheck
        language: system
"""})
    assert cats("pre-commit run --all-files", files) == {("lint", "ruff"), ("lint", "mypy"),
                                                         ("security-scan", "gitleaks"), ("lint", "shellcheck")}
    assert cats("pre-commit run mypy --all-files", files) == {("lint", "mypy")}
    assert cats("pre-commit install", files) == set()
    assert cats("pre-commit/action@v3.0.1", files, kind="action") >= {("lint", "ruff")}
    assert cats("pre-commit run --all-files") == set()


def test_just_and_taskfile():
    files = MemoryRepoFiles({
        "justfile": "set shell := [\"bash\", \"-c\"]\n\ndefault: lint test\n\nlint:\n    cargo clippy\n\n"
                    "test *ARGS:\n    cargo test {{ARGS}}\n",
        "Taskfile.yml": "version: '3'\ntasks:\n  default:\n    deps: [lint]\n  lint:\n    cmds: [golangci-lint run]\n"
                        "  test:\n    cmds:\n      - cmd: go test -cover ./...\n  ci:\n    cmds:\n      - task: test\n",
    })
    assert cats("just", files) == {("lint", "clippy"), ("test", "cargo")}
    assert cats("just test --nocapture", files) == {("test", "cargo")}
    assert cats("task", files) == {("lint", "golangci-lint")}
    assert cats("task ci", files) == {("test", "go"), ("coverage", "go-cover")}
    assert cats("task --list", files) == set()


def test_composer_scripts_and_pyproject_runners():
    files = MemoryRepoFiles({
        "composer.json": json.dumps({"scripts": {"test": ["@phpstan", "@php vendor/bin/phpunit"],
                                                 "phpstan": "phpstan analyse"}}),
        "pyproject.toml": "[tool.poe.tasks]\ntest = \"pytest\"\ncheck = [\"lint\", \"test\"]\nlint = \"ruff check .\"\n"
                          "[tool.pdm.scripts]\nci = {composite = [\"lint\", \"pytest --cov\"]}\nlint = \"flake8\"\n"
                          "[tool.hatch.envs.default.scripts]\ncov = \"pytest --cov {args}\"\n",
    })
    assert cats("composer test", files) == {("lint", "phpstan"), ("test", "phpunit")}
    assert cats("poe check", files) == {("lint", "ruff"), ("test", "pytest")}
    assert cats("pdm run ci", files) == {("lint", "flake8"), ("test", "pytest"), ("coverage", "pytest-cov")}
    assert cats("hatch run cov", files) == {("test", "pytest"), ("coverage", "pytest-cov")}


def test_rake_default_task():
    files = MemoryRepoFiles({"Rakefile": "require 'rspec/core/rake_task'\nRSpec::Core::RakeTask.new(:spec)\n"
                                         "task default: %i[spec rubocop]\n"})
    assert cats("bundle exec rake", files) == {("test", "rake"), ("lint", "rubocop")}
    assert cats("bundle exec rake") == set()


def test_local_composite_action_is_expanded():
    files = MemoryRepoFiles({".github/actions/ci/action.yml": "runs:\n  using: composite\n  steps:\n"
                                                             "    - run: pytest\n      shell: bash\n"
                                                             "    - uses: codecov/codecov-action@v4\n"})
    assert cats("./.github/actions/ci", files, kind="action") == {("test", "pytest"), ("coverage", "codecov"),
                                                                  ("coverage-report", "codecov")}


def test_expansion_depth_is_limited():
    files = MemoryRepoFiles({f"s{i}.sh": f"./s{i + 1}.sh\n" for i in range(6)} | {"s6.sh": "pytest\n"})
    assert cats("./s3.sh", files) == set()  # s3 -> s4 -> s5 -> s6 is four expansions deep
    assert cats("./s4.sh", files) == {("test", "pytest")}


def test_suite_names_relabel_test_runs():
    files = MemoryRepoFiles({"Makefile": "test-integration:\n\tgo test ./...\n\ntest-e2e:\n\tgo test ./e2e/...\n",
                             "package.json": json.dumps({"scripts": {"test:e2e": "jest --config ./test/jest-e2e.json"}})})
    assert cats("make test-integration", files) == {("integration-test", "go")}
    assert cats("make test-e2e", files) == {("e2e-test", "go")}
    assert cats("npm run test:e2e", files) == {("e2e-test", "jest")}


def test_repository_scripts_named_like_programs_and_prefixed_programs():
    files = MemoryRepoFiles({
        "scripts/test": "#!/bin/sh -e\nexport PREFIX=\"\"\n${PREFIX}coverage run -m pytest \"$@\"\nscripts/coverage\n",
        "scripts/coverage": "#!/bin/sh -e\n${PREFIX}coverage report --fail-under=100\n",
        "gradlew": "#!/bin/sh\nexec java -jar gradle/wrapper/gradle-wrapper.jar \"$@\"\n",
    })
    assert cats("scripts/test", files) == {("coverage", "coverage-py"), ("test", "pytest"),
                                           ("coverage-threshold", "coverage-py")}
    assert ("test", "gradle") in cats("./gradlew test", files)  # a launcher: the program decides, not the file
    assert cats(".\\gradlew.bat assemble", files) == {("build", "gradle")}


def test_working_directory_is_inferred_or_given():
    files = MemoryRepoFiles({"backend/scripts/prestart.sh": "#!/bin/bash\nalembic upgrade head\nbash scripts/test.sh\n",
                             "backend/scripts/test.sh": "pytest\n", "scripts/test.sh": "kubectl apply -f k8s\n",
                             "ui/package.json": json.dumps({"scripts": {"test": "jest"}})})
    assert cats("bash scripts/prestart.sh", files) == {("migrate", "alembic"), ("test", "pytest")}
    assert cats("npm test", files) == {("test", "jest")}
    assert cats("bash scripts/test.sh", files) == {("deploy", "kubectl")}
    assert cats("bash scripts/test.sh", files, cwd="backend") == {("test", "pytest")}


def test_wrapper_functions_variables_and_exports():
    assert cats('run() {\n  echo "+ $*"\n  "$@"\n}\nrun helm upgrade --install app ./chart') == {("deploy", "helm")}
    assert cats('ls dist/* | xargs $guard gh release create v1 --') >= {("release", "github-release")}
    assert cats("$SUDO docker push ghcr.io/o/app:1") == {("publish", "docker")}
    assert cats("export DOCKER_HOST=ssh://deploy@prod\ndocker compose up -d") == {("deploy", "docker-compose")}
    assert ("coverage", "simplecov") in cats("export COVERAGE=true\nbundle exec rspec")
    assert cats("pytest --version") == set()
    assert cats("command -v ginkgo >/dev/null || go install github.com/onsi/ginkgo/v2/ginkgo") == set()
    assert cats("python -m pytest --version") == set()


def test_suite_targets_with_unrecognised_commands_are_judged_by_name():
    files = MemoryRepoFiles({"Makefile": "test-e2e: build\n\t./end-to-end-test.sh\n\nbuild:\n\tgo build ./...\n\n"
                                         "docs:\n\t./gen-docs.sh\n\nnoop-test:\n\techo nothing to do\n",
                             "package.json": json.dumps({"scripts": {"test": "node test/run.js"}}),
                             "integration_test/test.sh": "mix test --include database\n"})
    assert cats("make test-e2e", files) == {("build", "go"), ("e2e-test", "make")}
    assert "judged by the name 'test-e2e'" in detail("make test-e2e", files, "e2e-test")
    assert cats("make docs", files) == set()
    assert cats("make noop-test", files) == set()
    assert cats("npm test", files) == {("test", "npm")}
    assert cats("./integration_test/test.sh", files) == {("integration-test", "exunit")}


def test_test_jobs_and_suites_do_not_deploy():
    assert cats("kubectl apply -f k8s/", job="e2e-tests") == set()
    assert cats("kubectl create deploy k6 --image kennethreitz/httpbin --port 80", job="k6_test_run") == set()
    assert cats("kubectl apply -f k8s/", job="deploy-e2e-env") == {("deploy", "kubectl")}
    assert cats("kubectl apply -f k8s/", job="build") == {("deploy", "kubectl")}
    files = MemoryRepoFiles({"Makefile": "test-e2e:\n\thelm upgrade --install app chart\n\tgo test ./e2e/...\n"})
    assert cats("make test-e2e", files) == {("e2e-test", "go")}
    assert creates_local_cluster(Command("helm/kind-action@v1", 1, "action"))
    assert creates_local_cluster(Command("curl -sfL https://get.k3s.io | sh -", 1))
    assert creates_local_cluster(Command("kind create cluster --name ci", 1))
    assert not creates_local_cluster(Command("kubectl apply -f k8s", 1))
    assert not creates_local_cluster(Command("azure/setup-kubectl@v4", 1, "action"))


# --------------------------------------------------------------------------------------------------
# Actions, steps and tasks of other CI systems
# --------------------------------------------------------------------------------------------------

def test_azure_tasks():
    assert cats("Docker@2", kind="action", inputs={"command": "build"}) == {("build", "docker")}
    assert cats("Docker@2", kind="action") == {("publish", "docker")}
    assert cats("Bash@3", kind="action", inputs={"targetType": "inline", "script": "npm ci\nnpx jest"}) == {
        ("test", "jest")}
    assert ("test", "dotnet") in cats("DotNetCoreCLI@2", kind="action", inputs={"command": "test"})
    assert cats("DotNetCoreCLI@2", kind="action", inputs={"command": "build"}) == {("build", "dotnet")}
    assert ("lint", "sonarqube") in cats("Maven@4", kind="action", inputs={"goals": "package", "sonarQubeRunAnalysis": "true"})
    assert cats("TerraformTaskV4@4", kind="action", inputs={"command": "apply"}) == {("deploy", "terraform"),
                                                                                     ("provision", "terraform")}
    assert cats("TerraformTaskV4@4", kind="action", inputs={"command": "plan"}) == set()


def test_jenkins_steps():
    assert cats("docker.build(\"app:${env.GIT_COMMIT}\")", kind="step") == {("build", "docker")}
    assert cats("app.push(\"${env.GIT_COMMIT}\")", kind="step") == {("publish", "docker"), ("commit-traceable", "docker")}
    assert cats("sh 'make test'", kind="step") == {("test", "make")}
    assert cats("input message: 'Deploy?'", kind="step") == set()
    assert cats("build job: 'deploy-prod'", kind="step") == set()


def test_markers_of_other_ci_parsers():
    assert cats("gitlab-template:Security/SAST.gitlab-ci.yml", kind="action") == {("security-scan", "gitlab-sast")}
    assert cats("travis-deploy:heroku", kind="action") == {("deploy", "heroku")}
    assert cats("drone-plugin:plugins/docker", kind="action", inputs={"repo": "o/app"}) == {("publish", "docker")}
    assert cats("drone-plugin:plugins/docker", kind="action", inputs={"dry_run": "true"}) == {("build", "docker")}
    assert cats("woodpecker-plugin:appleboy/drone-ssh", kind="action", inputs={"script": "systemctl restart app"}) == {
        ("deploy", "ssh")}
    assert cats("gcb:gcr.io/kaniko-project/executor", kind="action", inputs={"args": "--destination=gcr.io/p/a:1"}) == {
        ("publish", "kaniko")}
    assert cats("gcb:gcr.io/cloud-builders/gke-deploy", kind="action", inputs={"args": "run --filename=k8s/"}) == {
        ("deploy", "kubernetes")}
    assert cats("gcb-artifacts:objects", kind="step") == {("publish", "ci-artifact")}
    assert cats("docker push gcr.io/p/app:$SHORT_SHA", kind="step") == {("publish", "docker"), ("commit-traceable", "docker")}
    assert cats("tekton-task:kaniko", kind="action") == {("publish", "kaniko")}
    assert cats("tekton-task:git-clone", kind="action") == set()
    assert cats("appveyor-deploy:NuGet", kind="action") == {("publish", "nuget")}
    assert cats("docker-compose#v4.16.0", kind="action", inputs={"push": "app"}) == {("publish", "docker-compose")}
    assert cats("junit-annotate#v2.4.1", kind="action") == {("test-report", "junit-annotate")}
    assert cats("store_test_results test-results", kind="step") == {("test-report", "circleci-test-results")}
    assert cats("store_artifacts coverage", kind="step") == {("publish", "ci-artifact")}
    assert cats("publish $(Build.ArtifactStagingDirectory)", kind="step") == {("publish", "ci-artifact")}
    assert cats("gcr.io/kaniko-project/executor:v1.9", kind="action", inputs={"args": "--destination=x"}) == {
        ("publish", "kaniko")}
    assert cats("semaphore-promotion:deploy.yml", kind="action") == set()
    assert cats("checkout scm", kind="step") == set()
    assert cats("timeout(time: 10, unit: 'MINUTES')", kind="step") == set()
    assert cats("ansiblePlaybook(playbook: 'deploy.yml', inventory: 'hosts')", kind="step") == {("deploy", "ansible")}


def test_gitlab_markers():
    assert cats("gitlab-trigger:group/deployer", kind="step") == set()
    assert cats("gitlab-template:Jobs/Code-Quality.gitlab-ci.yml", kind="step") == {("lint", "gitlab-code-quality")}
    assert ("deploy", "gitlab-auto-deploy") in cats("gitlab-template:Auto-DevOps.gitlab-ci.yml", kind="step")
    assert cats("gitlab-artifacts-reports:dotenv", kind="step") == {("publish", "ci-artifact")}


# --------------------------------------------------------------------------------------------------
# API, caching, speed
# --------------------------------------------------------------------------------------------------

def test_classifier_instance_caches_file_reads():
    files = MemoryRepoFiles({"Makefile": MAKEFILE, "package.json": json.dumps({"scripts": {"test": "jest"}})})
    clf = CommandClassifier(files)
    for _ in range(3):
        assert ("test", "pytest") in {(f.category, f.tool) for f in clf.classify(Command("make test", 1))}
        assert clf.classify(Command("npm test", 2)) == [Finding("test", "jest", "npm test -> package.json scripts.test: jest")]
    assert files.reads == 2


def test_module_classify_reuses_one_classifier_per_files_object():
    files = MemoryRepoFiles({"Makefile": MAKEFILE})
    run("make test", files)
    run("make lint", files)
    assert files.reads == 1


def test_broken_repository_files_do_not_raise():
    files = MemoryRepoFiles({"package.json": "{not json", "tox.ini": "[[[", ".pre-commit-config.yaml": ": - [",
                             "noxfile.py": "def (", "Taskfile.yml": "tasks: [", "pyproject.toml": "= x"})
    for text in ("npm test", "tox", "pre-commit run -a", "nox", "task", "poe x", "pdm run x", "hatch run x"):
        run(text, files)


def test_fast_enough():
    files = MemoryRepoFiles({"Makefile": MAKEFILE, "package.json": json.dumps({"scripts": {"ci": "npm run lint",
                                                                                          "lint": "eslint ."}})})
    texts = ["make ci", "npm run ci", "docker build -t x . && docker push x", "pytest --cov", "kubectl apply -f k8s",
             "helm upgrade --install x .", "go test ./...", "echo hi"]
    start = time.perf_counter()
    clf = CommandClassifier(files)
    for i in range(400):
        for t in texts:
            clf.classify(Command(f"{t} # {i}", i))
    assert time.perf_counter() - start < 5


def test_rake_default_in_a_rails_app_is_the_test_suite():
    from collectors.commands import classify
    from collectors.pipelines.model import Command
    from collectors.repofiles import MemoryRepoFiles

    rakefile = "require_relative 'config/application'\n\nHuginn::Application.load_tasks\n"
    rspec = MemoryRepoFiles({"Rakefile": rakefile, "Gemfile": "gem 'rspec-rails'\n"})
    found = classify(Command("bundle exec rake", 3), rspec)
    assert [(f.category, f.tool) for f in found if f.category == "test"] == [("test", "rake")]
    minitest = MemoryRepoFiles({"Rakefile": rakefile, "Gemfile": "gem 'rails'\n"})
    assert any(f.category == "test" for f in classify(Command("bin/rake", 1), minitest))
    plain = MemoryRepoFiles({"Rakefile": "task :hello do\nend\n"})
    assert not any(f.category == "test" for f in classify(Command("rake", 1), plain))


def test_third_party_pre_commit_actions_expand_the_repository_hooks():
    from collectors.commands import classify
    from collectors.pipelines.model import Command
    from collectors.repofiles import MemoryRepoFiles

    files = MemoryRepoFiles({".pre-commit-config.yaml": "repos:\n  - repo: https://github.com/antonbabenko/pre-commit-terraform\n    rev: v1\n    hooks:\n      - id: terraform_fmt\n      - id: terraform_tflint\n"})
    found = classify(Command("clowdhaus/terraform-composite-actions/pre-commit@v1.14.0", 5, kind="action"), files)
    assert any(f.category == "lint" for f in found)
    assert not classify(Command("acme/other-action@v1", 5, kind="action"), files)


def test_a_make_target_named_like_tests_that_runs_tests_in_containers_is_a_test_run():
    from collectors.commands import classify
    from collectors.pipelines.model import Command
    from collectors.repofiles import MemoryRepoFiles

    files = MemoryRepoFiles({"Makefile": "run-telemetry-tests: start\n\tdocker build -t t ./test/telemetry\n\tdocker run --rm t\n\nbuild-test-images:\n\tdocker build -t x .\n"})
    found = classify(Command("make run-telemetry-tests", 1), files)
    assert any(f.category == "test" and "judged by the name" in f.detail for f in found)
    assert not any(f.category == "test" for f in classify(Command("make build-test-images", 1), files))


# --------------------------------------------------------------------------------------------------
# Hand-labelling round: real pipelines that were misread
# --------------------------------------------------------------------------------------------------

def test_azure_developer_cli_deploys_and_provisions():
    assert cats("azd deploy --no-prompt") == {("deploy", "azd")}
    assert cats("azd up --no-prompt") == {("deploy", "azd"), ("provision", "azd")}
    assert cats("azd provision --no-prompt") == {("provision", "azd")}
    assert cats("azd provision --preview") == set()
    assert cats("azd auth login --client-id x") == set()


@pytest.mark.parametrize("ref, expected", [
    ("org/infra/.github/workflows/codeql-analysis.yml@main", {("security-scan", "codeql")}),
    ("org/infra/.github/workflows/brakeman.yml@main", {("security-scan", "brakeman")}),
    ("org/infra/.github/workflows/rubocop.yml@v1", {("lint", "rubocop")}),
    ("org/infra/.github/workflows/build-push-arm-image.yml@main", {("publish", "docker")}),
    ("org/infra/.github/workflows/deploy.yml@main", {("deploy", "reusable-workflow")}),
    ("org/infra/.github/workflows/e2e-tests.yml@main", {("e2e-test", "reusable-workflow")}),
    ("org/infra/.github/workflows/lint-agents-md.yml@main", set()),  # linting a markdown file is not code analysis
    ("org/infra/.github/workflows/label-sync.yml@main", set()),
])
def test_reusable_workflows_of_other_repositories_are_judged_by_their_file_name(ref, expected):
    assert cats(ref, kind="action") == expected


def test_circleci_orb_deploy_jobs_and_node_run():
    assert cats("hokusai/deploy-staging", kind="action") == {("deploy", "hokusai")}
    assert cats("hokusai/deploy-production", kind="action") == {("deploy", "hokusai")}
    assert cats("someorb/deploy-status", kind="action") == set()
    files = MemoryRepoFiles({"package.json": '{"scripts": {"type-check": "tsc", "build": "tsc", "test": "jest"}}'})
    assert cats("node/run", files, kind="action", inputs={"pkg-manager": "yarn", "yarn-run": "type-check"}) == {("lint", "tsc")}
    assert cats("node/run", files, kind="action", inputs={"npm-run": "build"}) == {("build", "tsc")}
    assert categories("node/test", files, kind="action", inputs={"pkg-manager": "yarn"}) == {"test"}


def test_plain_tsc_is_a_type_check_only_in_a_script_or_job_named_so():
    files = MemoryRepoFiles({"package.json": '{"scripts": {"typecheck": "tsc", "build:types": "tsc"}}'})
    assert cats("npm run typecheck", files) == {("lint", "tsc")}
    assert cats("npm run build:types", files) == {("build", "tsc")}
    assert cats("tsc", job="Type check") == {("lint", "tsc")}
    assert cats("tsc", job="build") == {("build", "tsc")}


def test_a_job_named_for_a_suite_relabels_its_unresolved_test_runs():
    # `rails test ${{ matrix.tests }}` in a job called system-tests runs the Rails system (browser) tests.
    assert categories("bundle exec rails test ${{ matrix.tests }}", job="system-tests") == {"e2e-test"}
    assert categories("pytest", job="integration-tests") == {"integration-test"}
    assert categories("pytest", job="unit") == {"test"}


def test_deploy_hooks_of_hosting_services_deploy():
    assert cats("curl -X POST -d {} ${BUILD_HOOK}") == {("deploy", "deploy-hook")}
    assert cats("curl -X POST https://api.netlify.com/build_hooks/abc") == {("deploy", "netlify")}
    assert cats("curl -fsS $RENDER_DEPLOY_HOOK_URL") == {("deploy", "deploy-hook")}
    assert cats("curl -X POST https://api.render.com/deploy/srv-123?key=x") == {("deploy", "render")}
    assert cats("curl -fsSL https://example.com/install.sh") == set()


# --------------------------------------------------------------------------------------------------
# Round-4 regressions (made-up repositories)
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("php${{ matrix.php }} ./vendor/bin/phpunit", {("test", "phpunit")}),
    ("php${{ matrix.php }} artisan migrate --force", {("migrate", "laravel")}),
    ("php$PHP_VERSION artisan migrate:rollback --force", {("migrate-rollback", "laravel")}),
    ("python${{ matrix.python-version }} -m pytest tests", {("test", "pytest")}),
])
def test_interpreter_named_with_its_version_from_a_matrix_or_variable(text, expected):
    assert cats(text) == expected


def test_a_projects_own_cli_publishing_to_a_hosting_platform_deploys():
    assert cats("mytool publish cloudrun data.db --service=demo") == {("deploy", "cloudrun")}
    found = cats("mytool deploy fly --version-note=$GITHUB_SHA")
    assert ("deploy", "fly") in found and ("commit-traceable", "fly") in found
    assert cats("mytool publish docs") == set()          # not a hosting platform
    assert ("deploy", "cloudrun") not in cats("./scripts/x publish cloudrun")  # a script path is read, not guessed


def test_release_plz_action_by_command_input():
    assert cats("release-plz/action@0123456789abcdef", kind="action", inputs={"command": "release"}) == {
        ("release", "release-plz"), ("publish", "crates-io")}
    assert cats("release-plz/action@v0.5", kind="action", inputs={"command": "release-pr"}) == {
        ("release", "release-plz"), ("release-notes", "release-plz")}
    assert ("publish", "crates-io") in cats("release-plz/action@v0.5", kind="action")


def test_dotnet_test_of_a_solution_with_integration_test_projects():
    files = MemoryRepoFiles({
        "App.sln": 'Project("{FAE04EC0}") = "Api", "src\\Api\\Api.csproj", "{1}"\n'
                   'Project("{FAE04EC0}") = "Api.UnitTests", "tests\\Api.UnitTests\\Api.UnitTests.csproj", "{2}"\n'
                   'Project("{FAE04EC0}") = "Api.FunctionalTests", "tests\\Api.FunctionalTests\\Api.FunctionalTests.csproj", "{3}"\n',
        "Web.slnf": json.dumps({"solution": {"path": "App.sln", "projects": ["src\\Api\\Api.csproj", "tests\\Api.UnitTests\\Api.UnitTests.csproj"]}}),
    })
    assert cats("dotnet test", files) == {("test", "dotnet"), ("integration-test", "dotnet")}
    assert cats("dotnet test App.sln --no-build", files) == {("test", "dotnet"), ("integration-test", "dotnet")}
    assert cats("dotnet test Web.slnf", files) == {("test", "dotnet")}
    assert cats("dotnet test tests/Api.UnitTests", files) == {("test", "dotnet")}


def test_woodpecker_plugins_trivy_release_helper_and_buildx_tags():
    assert cats("woodpeckerci/plugin-trivy", kind="action") == {("security-scan", "trivy")}
    assert cats("woodpeckerci/plugin-ready-release-go", kind="action") == {
        ("release", "ready-release-go"), ("release-notes", "ready-release-go")}
    found = cats("woodpeckerci/plugin-docker-buildx", kind="action", inputs={"tag": "next-${CI_COMMIT_SHA:0:10}"})
    assert found == {("publish", "docker"), ("commit-traceable", "docker")}
    assert cats("woodpeckerci/plugin-surge-preview", kind="action") == {("deploy", "surge")}


def test_fastlane_lane_running_instrumented_tests_on_a_device_farm_is_e2e():
    files = MemoryRepoFiles({"fastlane/Fastfile": "platform :android do\n  lane :ui_tests do\n"
                                                  "    gradle(tasks: %w[assembleDebugAndroidTest])\n"
                                                  "    android_firebase_test(model: 'Pixel2')\n  end\nend\n"})
    assert ("e2e-test", "device-ui-tests") in cats("bundle exec fastlane ui_tests", files)


def test_git_push_of_a_deployment_branch_deploys_only_from_deploy_named_scopes():
    assert cats("git push origin HEAD:release", job="deploy") == {("deploy", "git-push")}
    assert cats("git push -f origin +main:refs/heads/production", job="ship it") == {("deploy", "git-push")}
    assert cats("git push origin main:production", pipeline=".github/workflows/deploy.yml") == {("deploy", "git-push")}
    assert cats("git push origin production", git_branch="production", job="deploy") == {("deploy", "git-push")}
    assert cats("git push", git_branch="deploy", job="deploy") == {("deploy", "git-push")}
    assert cats("git push origin main:production") == set()  # not a deploy-named job or workflow
    assert cats("git push origin main --follow-tags", job="release") == set()
    assert cats("git push origin refs/tags/v1.2.0", job="deploy") == set()
    assert cats("git push --tags origin HEAD:release", job="release") == set()
    assert cats("git push origin HEAD:release/1.2", job="deploy") == set()


def test_background_datastores_and_production_hosts():
    assert cats("docker run -d -p 5432:5432 postgres:15") == {("service-containers", "docker"), ("service-datastore", "docker")}
    assert cats("docker run -d -p 80:80 myapp") == set()
    assert cats("docker run -d --name app myapp:latest", host=True) == {("deploy", "docker")}
    assert cats("sudo systemctl restart app", host=True) == {("deploy", "ssh")}
    assert cats("helm test app") == set()
    assert cats("helm test app", local_cluster=True) == {("e2e-test", "helm")}
