"""Deploy detectors: iac.tools, deploy.manifests / orchestrators, release.strategies,
deploy.standard_process, deploy.scripts, db.migrations_in_deploy (from files, not CI)."""

from __future__ import annotations

import textwrap

import pytest

from collectors.detectors.files_deploy import DETECTORS, env_name
from collectors.detectors.interface import DetectionContext
from collectors.detectors.manifests import parse_hcl, parse_manifests
from collectors.repofiles import MemoryRepoFiles
from scanner.signals import CATALOG


def scan(files: dict[str, str]) -> DetectionContext:
    ctx = DetectionContext(files=MemoryRepoFiles({p: textwrap.dedent(t).lstrip("\n") for p, t in files.items()}))
    for detector in DETECTORS:
        detector.detect(ctx)
    return ctx


def names(ctx: DetectionContext, key: str) -> set[str]:
    return {v for e in ctx.evidence if e.key == key for v in e.value}  # type: ignore[union-attr]


def locators(ctx: DetectionContext, key: str, value: object = None) -> list[str]:
    return [e.locator for e in ctx.evidence if e.key == key and (value is None or e.value == value)]


def flag(ctx: DetectionContext, key: str) -> bool:
    return any(e.value is True for e in ctx.evidence if e.key == key)


def test_contract() -> None:
    assert DETECTORS
    assert len({d.name for d in DETECTORS}) == len(DETECTORS)
    for detector in DETECTORS:
        assert detector.provides <= CATALOG.keys(), detector.name


def test_only_positive_evidence_and_nothing_on_an_empty_repo() -> None:
    ctx = scan({"README.md": "We do canary releases with helm upgrade and kubectl apply.\n", "src/app.py": "print('hi')\n"})
    assert ctx.evidence == []
    assert ctx.warnings == []


# --------------------------------------------------------------------------------------------
# iac.tools
# --------------------------------------------------------------------------------------------

def test_terraform_needs_resource_module_or_provider_blocks() -> None:
    ctx = scan({
        "infra/main.tf": """
            # resource "aws_s3_bucket" "commented" {}
            terraform {
              required_version = ">= 1.5"
            }

            resource "aws_s3_bucket" "logs" {
              bucket = "logs-${var.env}"
              tags   = { Name = "logs" }
            }
        """,
        "modules/vars/variables.tf": 'variable "env" {\n  type = string\n}\n',
    })
    assert names(ctx, "iac.tools") == {"terraform"}
    assert locators(ctx, "iac.tools", ["terraform"]) == ["infra/main.tf:6"]


def test_variables_only_terraform_is_not_iac() -> None:
    ctx = scan({"variables.tf": 'variable "env" {\n  default = "x"\n}\n'})
    assert names(ctx, "iac.tools") == set()


def test_many_iac_tools() -> None:
    ctx = scan({
        "main.tofu": 'provider "aws" {\n  region = "eu-west-1"\n}\n',
        "chart/Chart.yaml": "apiVersion: v2\nname: api\nversion: 0.1.0\n",
        "k8s/base/kustomization.yaml": "resources:\n  - deployment.yaml\n",
        "ansible/ansible.cfg": "[defaults]\ninventory = hosts\n",
        "ansible/site.yml": "- hosts: web\n  become: true\n  roles:\n    - app\n",
        "Pulumi.yaml": "name: infra\nruntime: python\n",
        "cfn/stack.yaml": "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n"
            "    Properties:\n      BucketName: !Sub '${AWS::StackName}-b'\n",
        "sam/template.yaml": "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n"
            "    Properties:\n      Handler: app.handler\n",
        "heat/stack.yaml": "heat_template_version: 2018-08-31\nresources:\n  server:\n    type: OS::Nova::Server\n",
        "crossplane/xrd.yaml": "apiVersion: apiextensions.crossplane.io/v1\nkind: CompositeResourceDefinition\nmetadata:\n  name: xdb\n",
        "azure/main.bicep": "param location string\nresource sa 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  name: 'x'\n}\n",
        "azure/azuredeploy.json": '{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": []}',
        "cdk/cdk.json": '{"app": "npx ts-node bin/app.ts"}',
        "fn/serverless.yml": "service: fn\nprovider:\n  name: aws\n",
        "live/prod/terragrunt.hcl": 'terraform {\n  source = "../../modules/app"\n}\n',
        "images/base.pkr.hcl": 'source "amazon-ebs" "base" {\n  region = "eu-west-1"\n}\n',
        "Vagrantfile": 'Vagrant.configure("2") do |config|\nend\n',
    })
    assert names(ctx, "iac.tools") == {
        "opentofu", "helm", "kustomize", "ansible", "pulumi", "cloudformation", "sam", "heat", "crossplane",
        "bicep", "arm", "cdk", "serverless", "terragrunt", "terraform", "packer", "vagrant",
    }
    assert "cfn/stack.yaml:1" in locators(ctx, "iac.tools", ["cloudformation"])
    assert locators(ctx, "iac.tools", ["sam"]) == ["sam/template.yaml:1"]
    assert ctx.warnings == []


def test_docker_compose_and_lookalikes_are_not_iac() -> None:
    ctx = scan({
        "docker-compose.yml": "services:\n  web:\n    image: nginx\n",
        "k8s/ingress.yaml": "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  tls:\n    - hosts:\n        - a.example.com\n",
        "config/hosts.yml": "hosts:\n  - a\ntasks: []\n",  # a mapping, not a list of plays
        "package.json": '{"name": "x", "description": "uses AWS::S3 in words"}',
    })
    assert names(ctx, "iac.tools") == set()
    assert names(ctx, "deploy.manifests") == {"kubernetes"}


# --------------------------------------------------------------------------------------------
# deploy.manifests / deploy.orchestrators
# --------------------------------------------------------------------------------------------

DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          image: api:1
"""


def test_kubernetes_manifests_need_workload_kinds() -> None:
    ctx = scan({
        "deploy/api.yaml": "---\n# comment\n" + DEPLOYMENT.lstrip("\n"),
        "deploy/config.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  mode: canary\n",
    })
    assert names(ctx, "deploy.manifests") == {"kubernetes"}
    assert locators(ctx, "deploy.manifests") == ["deploy/api.yaml:4"]


def test_configmap_and_crds_alone_are_not_deploy_manifests() -> None:
    ctx = scan({"k8s/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n", "k8s/task.yaml": "apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\n"})
    assert names(ctx, "deploy.manifests") == set()


def test_argo_cd_and_flux_are_manifests_and_orchestrators() -> None:
    ctx = scan({
        "argocd/app.yaml": "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: api\nspec:\n  project: default\n",
        "argocd/project.yaml": "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: team\n",
        "clusters/prod/apps.yaml": "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\nspec:\n  path: ./apps\n",
    })
    assert names(ctx, "deploy.manifests") == {"argo-cd", "flux"}
    assert names(ctx, "deploy.orchestrators") == {"argo-cd", "flux"}
    assert locators(ctx, "deploy.orchestrators", ["argo-cd"]) == ["argocd/app.yaml:2"]


def test_app_project_alone_is_not_an_orchestrator() -> None:
    ctx = scan({"argocd/project.yaml": "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: team\n"})
    assert names(ctx, "deploy.manifests") == {"argo-cd"}
    assert names(ctx, "deploy.orchestrators") == set()


def test_paas_descriptors() -> None:
    ctx = scan({
        "Procfile": "release: python manage.py migrate\nweb: gunicorn app:app\n",
        "app.json": '{"name": "x", "buildpacks": [{"url": "heroku/python"}]}',
        "fly.toml": 'app = "my-app"\nprimary_region = "ams"\n',
        "render.yaml": "services:\n  - type: web\n    name: api\n",
        "web/vercel.json": '{"rewrites": []}',
        "netlify.toml": '[build]\ncommand = "npm run build"\n',
        "gae/app.yaml": "runtime: python312\n",
        "cf/manifest.yml": "applications:\n  - name: api\n",
        "ecs/task-definition.json": '{"family": "api", "containerDefinitions": [{"name": "api"}]}',
        "jobs/api.nomad.hcl": 'job "api" {\n  group "web" {\n    count = 2\n  }\n}\n',
        "config/deploy.yml": "service: api\nimage: org/api\nservers:\n  - 10.0.0.1\n",
        "Capfile": 'require "capistrano/setup"\nrequire "capistrano/deploy"\n',
        "knative/service.yaml": "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: api\n",
        "openshift/dc.yaml": "apiVersion: apps.openshift.io/v1\nkind: DeploymentConfig\nmetadata:\n  name: api\n",
        "skaffold.yaml": "apiVersion: skaffold/v4beta6\nkind: Config\nbuild:\n  artifacts: []\n",
    })
    assert names(ctx, "deploy.manifests") == {
        "heroku", "fly", "render", "vercel", "netlify", "app-engine", "cloud-foundry", "ecs", "nomad", "kamal",
        "capistrano", "knative", "openshift", "skaffold",
    }
    assert locators(ctx, "deploy.manifests", ["heroku"]) == ["Procfile:2"]
    assert locators(ctx, "deploy.manifests", ["nomad"]) == ["jobs/api.nomad.hcl:1"]


def test_procfile_without_heroku_app_json_is_not_heroku() -> None:
    ctx = scan({"Procfile": "web: gunicorn app:app\n", "app.json": '{"expo": {"name": "x"}}'})
    assert names(ctx, "deploy.manifests") == set()


def test_spinnaker_pipeline_is_manifest_and_orchestrator_with_red_black() -> None:
    ctx = scan({
        ".spinnaker/pipeline.json": """
            {
              "application": "api",
              "stages": [
                {"type": "bake", "name": "Bake"},
                {"type": "deployManifest", "name": "Deploy",
                 "trafficManagement": {"enabled": true, "options": {"strategy": "redblack"}}}
              ]
            }
        """,
    })
    assert names(ctx, "deploy.manifests") == {"spinnaker"}
    assert names(ctx, "deploy.orchestrators") == {"spinnaker"}
    assert names(ctx, "release.strategies") == {"blue-green"}
    assert locators(ctx, "release.strategies") == [".spinnaker/pipeline.json:6"]


def test_helmfile_orchestrates_several_releases_only() -> None:
    one = scan({"helmfile.yaml": "releases:\n  - name: api\n    chart: ./charts/api\n"})
    assert names(one, "deploy.manifests") == {"helmfile"}
    assert names(one, "deploy.orchestrators") == set()
    two = scan({
        "helmfile.yaml": """
            environments:
              staging: {}
              production: {}
            ---
            releases:
              - name: api
                chart: ./charts/api
                values:
                  - values/{{ .Environment.Name }}.yaml
              - name: worker
                chart: ./charts/worker
        """,
    })
    assert names(two, "deploy.orchestrators") == {"helmfile"}
    assert locators(two, "deploy.orchestrators") == ["helmfile.yaml:6"]
    assert flag(two, "deploy.standard_process")
    assert two.warnings == []


# --------------------------------------------------------------------------------------------
# release.strategies
# --------------------------------------------------------------------------------------------

ROLLOUT = """
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: api
spec:
  strategy:
    {strategy}:
      steps: []
"""


def test_argo_rollouts_canary_and_blue_green() -> None:
    ctx = scan({
        "k8s/rollout.yaml": ROLLOUT.format(strategy="canary"),
        "k8s/admin.yaml": ROLLOUT.format(strategy="blueGreen"),
    })
    assert names(ctx, "release.strategies") == {"canary", "blue-green"}
    assert locators(ctx, "release.strategies", ["canary"]) == ["k8s/rollout.yaml:7"]
    assert locators(ctx, "release.strategies", ["blue-green"]) == ["k8s/admin.yaml:7"]


def test_canary_words_and_examples_are_not_strategies() -> None:
    ctx = scan({
        "README.md": "```yaml\nkind: Rollout\nspec:\n  strategy:\n    canary: {}\n```\n",
        "k8s/config.yaml": textwrap.dedent("""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: flags
              annotations:
                nginx.ingress.kubernetes.io/canary: "true"
            data:
              strategy: canary
              nginx.ingress.kubernetes.io/canary: "true"
        """),
        "examples/rollout.yaml": ROLLOUT.format(strategy="canary"),
        "docs/rollout.yaml": ROLLOUT.format(strategy="blueGreen"),
        "k8s/deploy.yaml": DEPLOYMENT + "  strategy:\n    type: RollingUpdate  # not canary\n",
    })
    assert names(ctx, "release.strategies") == set()


FLAGGER = """
apiVersion: flagger.app/v1beta1
kind: Canary
metadata:
  name: api
spec:
  analysis:
    interval: 1m
"""


def test_flagger_canary_versus_blue_green() -> None:
    canary = FLAGGER + "    stepWeight: 10\n    maxWeight: 50\n    iterations: 3\n"
    blue_green = FLAGGER + "    iterations: 10\n    threshold: 2\n"
    a_b = FLAGGER + "    iterations: 10\n    match:\n      - headers: {}\n"
    assert names(scan({"k8s/canary.yaml": canary}), "release.strategies") == {"canary"}
    ctx = scan({"k8s/bg.yaml": blue_green})
    assert names(ctx, "release.strategies") == {"blue-green"}
    assert locators(ctx, "release.strategies") == ["k8s/bg.yaml:6"]
    assert names(scan({"k8s/ab.yaml": a_b}), "release.strategies") == {"canary"}
    legacy = FLAGGER.replace("analysis:", "canaryAnalysis:") + "    iterations: 5\n"
    assert names(scan({"k8s/legacy.yaml": legacy}), "release.strategies") == {"blue-green"}


VIRTUAL_SERVICE = """
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: api
spec:
  hosts: [api]
  http:
    - match:
        - uri: {prefix: /}
      route:
        - destination: {host: api, subset: stable}
          weight: WEIGHT
"""


def test_istio_needs_two_weighted_destinations() -> None:
    weighted = VIRTUAL_SERVICE.replace("WEIGHT", "90") + "        - destination: {host: api, subset: canary}\n          weight: 10\n"
    single = VIRTUAL_SERVICE.replace("WEIGHT", "100")
    ctx = scan({"mesh/vs.yaml": weighted})
    assert names(ctx, "release.strategies") == {"canary"}
    assert locators(ctx, "release.strategies") == ["mesh/vs.yaml:8"]
    assert names(scan({"mesh/vs.yaml": single}), "release.strategies") == set()


def test_traffic_routing_kinds() -> None:
    ctx = scan({
        "gw/route.yaml": """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: api
            spec:
              rules:
                - backendRefs:
                    - name: api-v1
                      weight: 90
                    - name: api-v2
                      weight: 10
        """,
    })
    assert names(ctx, "release.strategies") == {"canary"}
    assert locators(ctx, "release.strategies") == ["gw/route.yaml:7"]
    ingress = scan({
        "k8s/canary-ingress.yaml": """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: api-canary
              annotations:
                nginx.ingress.kubernetes.io/canary: "true"
                nginx.ingress.kubernetes.io/canary-weight: "10"
        """,
    })
    assert locators(ingress, "release.strategies", ["canary"]) == ["k8s/canary-ingress.yaml:6"]
    split = scan({"k8s/split.yaml": "apiVersion: split.smi-spec.io/v1alpha2\nkind: TrafficSplit\nmetadata:\n  name: s\nspec:\n"
        "  backends:\n    - service: a\n      weight: 90\n    - service: b\n      weight: 10\n"})
    assert names(split, "release.strategies") == {"canary"}


def test_codedeploy_in_cloudformation_and_sam() -> None:
    ctx = scan({
        "infra/deploy.yaml": """
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              Group:
                Type: AWS::CodeDeploy::DeploymentGroup
                Properties:
                  ServiceRoleArn: !GetAtt Role.Arn
                  DeploymentStyle:
                    DeploymentType: BLUE_GREEN
                    DeploymentOption: WITH_TRAFFIC_CONTROL
        """,
        "sam/template.yaml": """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  AutoPublishAlias: live
                  DeploymentPreference:
                    Type: Canary10Percent5Minutes
        """,
    })
    assert names(ctx, "release.strategies") == {"blue-green", "canary"}
    assert locators(ctx, "release.strategies", ["blue-green"]) == ["infra/deploy.yaml:8"]
    assert locators(ctx, "release.strategies", ["canary"]) == ["sam/template.yaml:8"]
    all_at_once = scan({"template.yaml": "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n"
        "    Properties:\n      DeploymentPreference:\n        Type: AllAtOnce\n"})
    assert names(all_at_once, "release.strategies") == set()


def test_codedeploy_and_weighted_target_groups_in_terraform() -> None:
    ctx = scan({
        "infra/deploy.tf": """
            resource "aws_codedeploy_deployment_group" "api" {
              app_name = aws_codedeploy_app.api.name
              deployment_config_name = "CodeDeployDefault.ECSAllAtOnce"

              deployment_style {
                deployment_option = "WITH_TRAFFIC_CONTROL"
                deployment_type   = "BLUE_GREEN"
              }
            }
        """,
        "infra/lb.tf": """
            resource "aws_lb_listener" "web" {
              load_balancer_arn = aws_lb.web.arn
              default_action {
                type = "forward"
                forward {
                  target_group {
                    arn    = aws_lb_target_group.blue.arn
                    weight = 90
                  }
                  target_group {
                    arn    = aws_lb_target_group.green.arn
                    weight = 10
                  }
                }
              }
            }
        """,
    })
    assert locators(ctx, "release.strategies", ["blue-green"]) == ["infra/deploy.tf:7"]
    assert locators(ctx, "release.strategies", ["canary"]) == ["infra/lb.tf:5"]


def test_single_target_group_and_rolling_ecs_are_not_strategies() -> None:
    ctx = scan({
        "lb.tf": 'resource "aws_lb_listener" "web" {\n  default_action {\n    forward {\n      target_group {\n        arn = "x"\n        weight = 100\n      }\n    }\n  }\n}\n',
        "ecs.tf": 'resource "aws_ecs_service" "api" {\n  deployment_controller {\n    type = "ECS"\n  }\n}\n',
    })
    assert names(ctx, "release.strategies") == set()
    assert names(ctx, "deploy.manifests") == {"ecs"}


def test_ecs_code_deploy_controller_and_appspec_are_blue_green() -> None:
    ctx = scan({
        "ecs.tf": 'resource "aws_ecs_service" "api" {\n  deployment_controller {\n    type = "CODE_DEPLOY"\n  }\n}\n',
        "appspec.yaml": "version: 0.0\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n      Properties:\n        TaskDefinition: x\n",
    })
    assert set(locators(ctx, "release.strategies", ["blue-green"])) == {"ecs.tf:3", "appspec.yaml:4"}


# --------------------------------------------------------------------------------------------
# deploy.standard_process
# --------------------------------------------------------------------------------------------

def test_kustomize_base_with_two_overlays() -> None:
    files = {
        "k8s/base/kustomization.yaml": "resources:\n  - deployment.yaml\n",
        "k8s/base/deployment.yaml": DEPLOYMENT,
        "k8s/overlays/staging/kustomization.yaml": "resources:\n  - ../../base\npatches:\n  - path: replicas.yaml\n",
        "k8s/overlays/prod/kustomization.yaml": "namespace: prod\nresources:\n  - ../../base\n",
    }
    ctx = scan(files)
    assert flag(ctx, "deploy.standard_process")
    assert locators(ctx, "deploy.standard_process") == ["k8s/overlays/prod/kustomization.yaml:3"]
    del files["k8s/overlays/prod/kustomization.yaml"]
    assert not flag(scan(files), "deploy.standard_process")


def test_helm_values_per_environment() -> None:
    chart = {"chart/Chart.yaml": "apiVersion: v2\nname: api\nversion: 1.0.0\n", "chart/values.yaml": "replicas: 1\n"}
    ctx = scan({**chart, "chart/values-staging.yaml": "replicas: 2\n", "chart/values.prod.yaml": "replicas: 3\n"})
    assert flag(ctx, "deploy.standard_process")
    assert "staging" in ctx.evidence[[e.key for e in ctx.evidence].index("deploy.standard_process")].observed
    assert not flag(scan({**chart, "chart/values-prod.yaml": "replicas: 3\n", "chart/values-schema.yaml": "x: 1\n"}), "deploy.standard_process")
    envs = scan({**chart, "deploy/envs/dev/values.yaml": "a: 1\n", "deploy/envs/production/values.yaml": "a: 2\n"})
    assert flag(envs, "deploy.standard_process")


def test_terraform_per_environment_tfvars_and_env_folders() -> None:
    main = {"main.tf": 'resource "aws_s3_bucket" "b" {\n  bucket = var.name\n}\n'}
    ctx = scan({**main, "env/prod.tfvars": 'name = "p"\n', "env/staging.tfvars": 'name = "s"\n'})
    assert flag(ctx, "deploy.standard_process")
    assert not flag(scan({**main, "env/prod.tfvars": 'name = "p"\n', "terraform.tfvars": 'name = "x"\n'}), "deploy.standard_process")
    module_call = 'module "app" {\n  source = "../../modules/app"\n  env    = "%s"\n}\n'
    folders = scan({
        "environments/staging/main.tf": module_call % "staging",
        "environments/prod/main.tf": module_call % "prod",
        "modules/app/main.tf": 'resource "aws_s3_bucket" "b" {}\n',
    })
    assert flag(folders, "deploy.standard_process")
    assert locators(folders, "deploy.standard_process") == ["environments/prod/main.tf:2"]


def test_argo_cd_application_set_over_clusters() -> None:
    ctx = scan({
        "argocd/appset.yaml": """
            apiVersion: argoproj.io/v1alpha1
            kind: ApplicationSet
            metadata:
              name: api
            spec:
              generators:
                - list:
                    elements:
                      - env: staging
                      - env: prod
              template:
                metadata:
                  name: "api-{{env}}"
        """,
    })
    assert locators(ctx, "deploy.standard_process") == ["argocd/appset.yaml:6"]
    assert names(ctx, "deploy.orchestrators") == {"argo-cd"}


# --------------------------------------------------------------------------------------------
# deploy.scripts
# --------------------------------------------------------------------------------------------

def test_deploy_script_runs_a_real_deploy_command() -> None:
    ctx = scan({
        "scripts/deploy.sh": """
            #!/usr/bin/env bash
            set -euo pipefail
            # kubectl apply -f old/   (commented out)
            echo "running kubectl apply"
            kubectl --context prod apply \\
              -f k8s/
        """,
    })
    assert locators(ctx, "deploy.scripts") == ["scripts/deploy.sh:5"]
    assert "kubectl" in ctx.evidence[0].observed


def test_deploy_target_that_only_pushes_an_image_is_not_a_deploy_script() -> None:
    ctx = scan({
        "Makefile": "IMAGE ?= org/api\n\ndeploy: build\n\tdocker push $(IMAGE)\n\nbuild:\n\tdocker build -t $(IMAGE) .\n",
        "scripts/deploy.sh": "#!/bin/sh\ndocker build -t x .\ndocker push x\n",
        "package.json": '{"scripts": {"deploy": "docker push org/web", "build": "tsc"}}',
    })
    assert not flag(ctx, "deploy.scripts")
    assert ctx.evidence == []


def test_make_deploy_target_follows_prerequisites_calls_and_variables() -> None:
    ctx = scan({
        "Makefile": textwrap.dedent("""
            HELM ?= helm
            CHART := ./chart

            .PHONY: deploy
            deploy: push ## deploy to the cluster
            \t$(MAKE) helm-upgrade

            push:
            \tdocker push org/api

            helm-upgrade:
            \t@$(HELM) upgrade --install api $(CHART)
            \tkubectl exec deploy/api -- python manage.py migrate
        """).lstrip("\n"),
    })
    assert locators(ctx, "deploy.scripts") == ["Makefile:12"]
    assert locators(ctx, "db.migrations_in_deploy") == ["Makefile:13"]


def test_a_script_not_named_deploy_is_not_a_deploy_script() -> None:
    ctx = scan({"scripts/build.sh": "kubectl apply -f k8s/\n", "Makefile": "test:\n\thelm upgrade --install x ./c\n"})
    assert not flag(ctx, "deploy.scripts")


def test_package_json_justfile_and_ssh_deploys() -> None:
    ctx = scan({
        "package.json": '{\n  "scripts": {\n    "build": "next build",\n    "deploy": "npm run build && vercel deploy --prod"\n  }\n}\n',
        "justfile": "release version:\n    git tag {{version}}\n    fly deploy --image org/app:{{version}}\n",
        "bin/deploy": "#!/bin/sh\nssh app@web1 <<'EOF'\n  cd /srv/app\n  docker compose pull\n  docker compose up -d\nEOF\n",
    })
    assert set(locators(ctx, "deploy.scripts")) == {"package.json:4", "justfile:3", "bin/deploy:5"}


def test_here_documents_are_data_unless_a_shell_reads_them() -> None:
    notes = scan({"hack/release-notes.sh": "cat <<-EOM\n## Install\nkubectl apply -n app -f install.yaml\nEOM\n"})
    assert not flag(notes, "deploy.scripts")
    fed = scan({"deploy.sh": "kubectl apply -f - <<EOF\napiVersion: v1\nkind: Namespace\nEOF\n"})
    assert locators(fed, "deploy.scripts") == ["deploy.sh:1"]
    shell = scan({"deploy.sh": "bash -s <<'EOF'\n  helm upgrade --install api ./chart\nEOF\n"})
    assert locators(shell, "deploy.scripts") == ["deploy.sh:2"]


def test_test_folders_are_not_deploy_evidence() -> None:
    ctx = scan({
        "test/manifests/app.yaml": "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: t\n",
        "e2e/rollout.yaml": ROLLOUT.format(strategy="canary"),
        "integration-tests/deploy.sh": "helm upgrade --install x ./c\n",
    })
    assert ctx.evidence == []


def test_local_docker_compose_up_is_not_a_deploy() -> None:
    ctx = scan({"scripts/deploy-local.sh": "docker compose up -d\n"})
    assert not flag(ctx, "deploy.scripts")


def test_taskfile_fabfile_capfile_and_deploy_playbooks() -> None:
    ctx = scan({
        "Taskfile.yml": "version: '3'\ntasks:\n  deploy:\n    deps: [build]\n    cmds:\n      - echo deploying\n      - task: apply\n  apply:\n"
            "    cmds:\n      - terraform -chdir=infra apply -auto-approve\n  build:\n    cmds: [go build ./...]\n",
        "fabfile.py": "from fabric import task\n\n@task\ndef deploy(c):\n    c.run('cd /srv/app && git pull')\n"
            "    c.run('sudo systemctl restart app')\n\ndef lint(c):\n    c.run('flake8')\n",
        "Capfile": 'require "capistrano/setup"\nrequire "capistrano/rails/migrations"\n',
    })
    assert set(locators(ctx, "deploy.scripts")) == {"Taskfile.yml:10", "fabfile.py:6", "Capfile:1"}
    assert locators(ctx, "db.migrations_in_deploy") == ["Capfile:2"]
    playbooks = scan({
        "ansible/deploy.yml": "- hosts: web\n  tasks:\n    - name: restart\n      service: {name: app, state: restarted}\n",
        "ansible/site.yml": "- hosts: all\n  roles: [base]\n",
    })
    assert locators(playbooks, "deploy.scripts") == ["ansible/deploy.yml:1"]


def test_playbooks_that_deploy_an_application_whatever_their_name() -> None:
    compose = scan({
        "playbook.yml": "- hosts: web\n  become: true\n  roles:\n    - common\n    - webapp\n",
        "roles/webapp/tasks/main.yml": "- name: start\n  community.docker.docker_compose_v2:\n    project_src: /srv/app\n",
        "roles/common/tasks/main.yml": "- apt: {name: git}\n",
    })
    assert locators(compose, "deploy.scripts") == ["roles/webapp/tasks/main.yml:2"]
    checkout = scan({"main.yml": "- hosts: app\n  tasks:\n    - git: {repo: 'https://example.org/app.git', dest: /srv/app}\n"
                     "    - systemd: {name: app, state: restarted}\n"})
    assert locators(checkout, "deploy.scripts") == ["main.yml:3"]
    role = scan({"main.yml": "- hosts: app\n  roles:\n    - role: deploy_app\n"})
    assert locators(role, "deploy.scripts") == ["main.yml:2"]
    base_os = scan({
        "site.yml": "- hosts: all\n  roles:\n    - common\n  tasks:\n    - apt: {name: nginx}\n    - service: {name: nginx, state: restarted}\n",
        "roles/common/tasks/main.yml": "- user: {name: deploy}\n- git: {repo: 'https://example.org/dotfiles.git', dest: /root/.dotfiles}\n",
    })
    assert not flag(base_os, "deploy.scripts")


def test_azure_developer_cli_project() -> None:
    ctx = scan({
        "azure.yaml": "name: todo\nservices:\n  web:\n    project: ./src/web\n    host: appservice\n  api:\n    project: ./src/api\n    host: containerapp\n",
        "infra/main.bicepparam": "using './main.bicep'\n",
    })
    assert locators(ctx, "deploy.manifests") == ["azure.yaml:2"] and names(ctx, "deploy.manifests") == {"azd"}
    assert names(ctx, "iac.tools") == {"bicep"}
    tf = scan({"azure.yaml": "name: x\ninfra:\n  provider: terraform\nservices:\n  api:\n    project: .\n    host: function\n", "infra/main.tf": "variable \"x\" {}\n"})
    assert names(tf, "iac.tools") == {"terraform"} and locators(tf, "iac.tools") == ["azure.yaml:2"]
    # an azure.yaml that is not an azd project, and an azd project without its infra folder
    assert not names(scan({"azure.yaml": "pool: x\nsteps: []\n"}), "deploy.manifests")
    assert names(scan({"azure.yaml": "name: x\nservices:\n  a:\n    host: aks\n"}), "iac.tools") == set()


def test_evidence_is_capped_per_value() -> None:
    ctx = scan({f"k8s/app{i}.yaml": DEPLOYMENT for i in range(6)})
    assert len(locators(ctx, "deploy.manifests", ["kubernetes"])) == 3


def test_ci_definitions_are_not_read_here() -> None:
    ctx = scan({
        ".github/workflows/deploy.yml": "on: push\njobs:\n  deploy:\n    steps:\n      - run: kubectl apply -f k8s/\n",
        ".github/kind/cluster.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n",
        ".gitlab-ci.yml": "deploy:\n  script:\n    - helm upgrade --install api ./chart\n",
    })
    assert ctx.evidence == []


def test_multi_document_manifests_are_not_taken_for_single_document_formats() -> None:
    manifest = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  template: |\n    Type: AWS::S3::Bucket\n"
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\ndata:\n  x: |\n    - hosts: all\n      tasks: []\n"
    )
    ctx = scan({"k8s/configs.yaml": manifest})
    assert ctx.warnings == []
    assert ctx.evidence == []


# --------------------------------------------------------------------------------------------
# db.migrations_in_deploy
# --------------------------------------------------------------------------------------------

HOOK_JOB = """
{{- if .Values.migrations.enabled }}
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ include "api.fullname" . }}-migrate
  labels:
    {{- include "api.labels" . | nindent 4 }}
  annotations:
    "helm.sh/hook": pre-install,pre-upgrade
    "helm.sh/hook-delete-policy": before-hook-creation
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          command: ["alembic", "upgrade", "head"]
          env:
            {{- toYaml .Values.env | nindent 12 }}
{{- end }}
"""


def test_helm_hook_migration_job_in_a_go_template() -> None:
    ctx = scan({
        "charts/api/Chart.yaml": "apiVersion: v2\nname: api\nversion: 1.0.0\n",
        "charts/api/templates/migrate-job.yaml": HOOK_JOB,
        "charts/api/templates/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n"
            "spec:\n  replicas: {{ .Values.replicas }}\n",
    })
    assert ctx.warnings == []
    assert locators(ctx, "db.migrations_in_deploy") == ["charts/api/templates/migrate-job.yaml:18"]
    assert "alembic" in next(e.observed for e in ctx.evidence if e.key == "db.migrations_in_deploy")
    assert names(ctx, "deploy.manifests") == {"helm", "kubernetes"}


def test_helm_template_read_line_by_line_when_blanking_is_not_enough() -> None:
    template = HOOK_JOB.replace(
        '          command: ["alembic", "upgrade", "head"]',
        "          {{- with .Values.extra }}{{ toYaml . }}\n          command:\n            - python\n            - manage.py\n            - migrate",
    ).replace("metadata:\n", "metadata:\n  {{ include \"x\" (dict\n     \"a\" 1) }}\n", 1)
    parsed = parse_manifests("t.yaml", template, templated=True)
    assert parsed.problems == []
    [job] = parsed.objects
    assert job.body is None  # read line by line
    assert job.annotations()["helm.sh/hook"][0] == "pre-install,pre-upgrade"
    ctx = scan({"chart/Chart.yaml": "apiVersion: v2\nname: a\nversion: 1.0.0\n", "chart/templates/job.yaml": template})
    assert ctx.warnings == []
    assert flag(ctx, "db.migrations_in_deploy")


def test_migration_job_defined_in_a_helm_helper_template() -> None:
    helper = (
        '{{/* Job spec shared by the pre- and post-upgrade migrations */}}\n'
        '{{- define "app.migrateJob" -}}\n'
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {{ .name }}\n  annotations:\n"
        "    {{- if .pre }}\n    \"helm.sh/hook\": pre-upgrade\n    {{- else }}\n    \"helm.sh/hook\": post-upgrade\n    {{- end }}\n"
        "spec:\n  template:\n    spec:\n      containers:\n        - name: migrate\n          command:\n"
        "            - bundle\n            - exec\n            - rake\n            - db:migrate\n"
        "{{- end }}\n"
        '{{- define "app.other" -}}\nname: x\n{{- end }}\n'
    )
    ctx = scan({
        "chart/Chart.yaml": "apiVersion: v2\nname: app\nversion: 1.0.0\n",
        "chart/templates/_migrate.tpl": helper,
        "chart/templates/job.yaml": '{{ include "app.migrateJob" (dict "pre" true) }}\n',
        "scripts/notes.tpl": helper,  # not a chart template
    })
    assert ctx.warnings == []
    assert locators(ctx, "db.migrations_in_deploy") == ["chart/templates/_migrate.tpl:18"]


def test_argo_presync_job_and_init_container_migrations() -> None:
    ctx = scan({
        "k8s/migrate.yaml": """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: migrate
              annotations:
                argocd.argoproj.io/hook: PreSync
            spec:
              template:
                spec:
                  containers:
                    - name: flyway
                      image: flyway/flyway:10
                      args: ["-url=jdbc:postgresql://db/app", "migrate"]
        """,
        "k8s/deploy.yaml": """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              template:
                spec:
                  initContainers:
                    - name: migrate
                      image: web:1
                      command:
                        - sh
                        - -c
                        - bundle exec rails db:migrate
                  containers:
                    - name: web
                      image: web:1
        """,
    })
    assert set(locators(ctx, "db.migrations_in_deploy")) == {"k8s/migrate.yaml:13", "k8s/deploy.yaml:11"}


def test_migration_jobs_without_deploy_hooks_do_not_count() -> None:
    ctx = scan({
        "k8s/job.yaml": "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: m\nspec:\n  template:\n    spec:\n"
            "      containers:\n        - name: m\n          command: [alembic, upgrade, head]\n",
        "k8s/test-hook.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  annotations:\n    helm.sh/hook: test\n"
            "spec:\n  containers:\n    - name: t\n      command: [alembic, upgrade, head]\n",
        "k8s/hook.yaml": "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: h\n  annotations:\n    helm.sh/hook: post-upgrade\nspec:\n  template:\n"
            "    spec:\n      containers:\n        - name: h\n          command: [./notify, --channel, ops]\n",
    })
    assert not flag(ctx, "db.migrations_in_deploy")


def test_release_phase_migrations() -> None:
    ctx = scan({
        "Procfile": "web: bin/web\nrelease: bundle exec rails db:migrate\n",
        "fly.toml": 'app = "a"\n\n[deploy]\n  release_command = "npx prisma migrate deploy"\n',
    })
    assert set(locators(ctx, "db.migrations_in_deploy")) == {"Procfile:2", "fly.toml:4"}


# --------------------------------------------------------------------------------------------
# Broken files, robustness, performance
# --------------------------------------------------------------------------------------------

def test_broken_yaml_manifest_warns_and_the_scan_goes_on() -> None:
    ctx = scan({
        "k8s/broken.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: [oops\n",
        "k8s/multi.yaml": "apiVersion: v1\nkind: Service\nmetadata: {name: a: b}\n---\n" + ROLLOUT.format(strategy="canary").lstrip("\n"),
        "k8s/api.yaml": DEPLOYMENT,
        "Chart.yaml": "name: [x\n",
        "fly.toml": "app = \n",
        "broken.tf": 'resource "a" "b" {\n  x = "unterminated\n}\n',
        "main.tf": 'resource "aws_s3_bucket" "b" {}\n',
    })
    codes = {(w.code, w.locator.split(":")[0]) for w in ctx.warnings if w.locator}
    assert ("broken-yaml", "k8s/broken.yaml") in codes
    assert ("broken-yaml", "k8s/multi.yaml") in codes
    assert ("broken-yaml", "Chart.yaml") in codes
    assert ("broken-toml", "fly.toml") in codes
    assert ("broken-hcl", "broken.tf") in codes
    assert len([w for w in ctx.warnings if w.locator and w.locator.startswith("k8s/broken.yaml")]) == 1
    assert names(ctx, "deploy.manifests") == {"kubernetes"}
    assert locators(ctx, "release.strategies") == ["k8s/multi.yaml:11"]  # the good document of the file
    assert names(ctx, "iac.tools") == {"terraform"}


def test_odd_shapes_do_not_raise() -> None:
    ctx = scan({
        "k8s/odd.yaml": "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: []\nspec: 3\n---\napiVersion: x\nkind: [a]\n",
        "k8s/list.yaml": "apiVersion: v1\nkind: List\nitems:\n  - 1\n  - apiVersion: apps/v1\n    kind: Deployment\n    metadata: {name: x}\n",
        "kustomization.yaml": "resources: 5\n",
        "package.json": '{"scripts": ["deploy"]}',
        "Taskfile.yml": "tasks:\n  deploy: 7\n",
        "serverless.yml": "- a\n",
        "render.yaml": "services: {}\n",
    })
    assert names(ctx, "deploy.manifests") == {"kubernetes", "kustomize"}


def test_large_repositories_read_only_candidate_files() -> None:
    files: dict[str, str] = {f"src/pkg{i}/mod{j}.py": "kubectl apply -f x\n" for i in range(100) for j in range(50)}
    files.update({f"src/pkg{i}/data.yaml": "key: value\n" for i in range(100)})
    files.update({f"docs/page{i}.md": "canary\n" for i in range(100)})
    files["deploy/api.yaml"] = DEPLOYMENT
    repo = MemoryRepoFiles(files)
    ctx = DetectionContext(files=repo)
    for detector in DETECTORS:
        detector.detect(ctx)
    assert names(ctx, "deploy.manifests") == {"kubernetes"}
    assert repo.reads == 101  # the YAML files only, each once


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("token", "folder", "expected"), [
    ("prod", False, "prod"), ("values", False, None), ("prod-eu", False, "prod-eu"), ("schema", False, None),
    ("test", True, None), ("test", False, "test"), ("staging", True, "staging"),
])
def test_env_name(token: str, folder: bool, expected: str | None) -> None:
    assert env_name(token, folder=folder) == expected


def test_hcl_parser_keeps_lines_and_skips_heredocs_and_comments() -> None:
    root = parse_hcl(textwrap.dedent('''
        /* resource "fake" "x" { */
        locals {
          policy = <<EOF
        { "resource": "x" }
        EOF
          url = "http://example.com/${var.a == "b" ? 1 : 2}" # trailing comment
        }
        resource "aws_lb" "x" { name = "a" }
        module "m" {
          source = "./m"
          list   = [
            1,
            2,
          ]
        }
    ''').lstrip("\n"))
    assert [(b.type, b.labels, b.line) for b in root.blocks] == [("locals", (), 2), ("resource", ("aws_lb", "x"), 8), ("module", ("m",), 9)]
    assert root.blocks[1].string("name") == "a"
    assert root.blocks[2].attributes["list"].line == 11
    assert root.blocks[0].attributes["url"].raw.startswith('"http://')


def test_terragrunt_with_a_terraform_block_also_means_terraform() -> None:
    ctx = scan({
        "live/prod/app/terragrunt.hcl": 'include "root" {\n  path = find_in_parent_folders()\n}\nterraform {\n  source = "git::https://x/modules//app"\n}\n',
        "live/root.hcl": 'remote_state {\n  backend = "s3"\n}\n',
    })
    assert names(ctx, "iac.tools") == {"terragrunt", "terraform"}
    assert "live/prod/app/terragrunt.hcl:4" in locators(ctx, "iac.tools", ["terraform"])


def test_gitops_helm_releases_mean_helm() -> None:
    ctx = scan({
        "infra/podinfo.yaml": """
            apiVersion: helm.toolkit.fluxcd.io/v2
            kind: HelmRelease
            metadata:
              name: podinfo
            spec:
              chart:
                spec:
                  chart: podinfo
            """,
        "argocd/addons.yaml": """
            apiVersion: argoproj.io/v1alpha1
            kind: ApplicationSet
            metadata:
              name: addons
            spec:
              generators:
                - clusters: {}
              template:
                spec:
                  sources:
                    - repoURL: https://charts.example.com
                      chart: '{{.values.chart}}'
                    - repoURL: https://git.example.com/values
                      ref: values
            """,
        "argocd/plain.yaml": """
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata:
              name: plain
            spec:
              source:
                repoURL: https://git.example.com/app
                path: k8s
            """,
    })
    assert names(ctx, "iac.tools") == {"helm"}
    assert sorted(locators(ctx, "iac.tools", ["helm"])) == ["argocd/addons.yaml:9", "infra/podinfo.yaml:5"]


def test_kustomize_install_variants_are_not_environments() -> None:
    base = {"manifests/base/kustomization.yaml": "resources:\n  - deployment.yaml\n"}
    variants = scan({
        **base,
        "manifests/cluster-install/kustomization.yaml": "resources:\n  - ../base\n",
        "manifests/namespace-install/kustomization.yaml": "resources:\n  - ../base\n",
    })
    assert not flag(variants, "deploy.standard_process")
    envs = scan({
        **base,
        "manifests/overlays/eu-1/kustomization.yaml": "resources:\n  - ../../base\n",
        "manifests/overlays/us-1/kustomization.yaml": "resources:\n  - ../../base\n",
    })
    assert flag(envs, "deploy.standard_process")
    staged = scan({
        **base,
        "manifests/staging/kustomization.yaml": "resources:\n  - ../base\n",
        "manifests/production/kustomization.yaml": "resources:\n  - ../base\n",
    })
    assert flag(staged, "deploy.standard_process")


def test_managed_databases_in_infrastructure_code_mean_a_datastore() -> None:
    sam = scan({"backend/service.yaml": """
        AWSTemplateFormatVersion: '2010-09-09'
        Transform: AWS::Serverless-2016-10-31
        Resources:
          CartTable:
            Type: AWS::DynamoDB::Table
            Properties:
              BillingMode: PAY_PER_REQUEST
        """})
    assert locators(sam, "db.datastore") == ["backend/service.yaml:5"]
    tf = scan({"infra/db.tf": 'resource "aws_s3_bucket" "b" {}\n\nresource "aws_db_instance" "main" {\n  engine = "postgres"\n}\n'})
    assert locators(tf, "db.datastore") == ["infra/db.tf:3"]
    assert not locators(scan({"infra/s3.tf": 'resource "aws_s3_bucket" "b" {}\n'}), "db.datastore")


def test_a_script_that_deploys_into_a_throwaway_kind_cluster_is_not_a_deploy_script():
    from collectors.detectors.files_deploy import DETECTORS
    from collectors.detectors.interface import DetectionContext
    from collectors.repofiles import MemoryRepoFiles

    def deploy_scripts(files):
        ctx = DetectionContext(files=MemoryRepoFiles(files))
        for d in DETECTORS:
            d.detect(ctx)
        return [e for e in ctx.evidence if e.key == "deploy.scripts"]

    assert deploy_scripts({"deploy/kind.sh": "#!/bin/sh\nkubectl apply -k deploy/overlays/dev\n"}) == []
    assert deploy_scripts({"deploy/up.sh": "#!/bin/sh\nkind create cluster\nhelm upgrade --install app ./chart\n"}) == []
    real = deploy_scripts({"deploy/prod.sh": "#!/bin/sh\nhelm upgrade --install app ./chart -f values-prod.yaml\n"})
    assert [e.locator for e in real] == ["deploy/prod.sh:2"]


def test_procfile_release_phase_is_a_heroku_descriptor():
    ctx = scan({"Procfile": "release: python manage.py migrate --noinput\nweb: gunicorn app.wsgi\n"})
    assert names(ctx, "deploy.manifests") == {"heroku"}
    assert locators(ctx, "deploy.manifests", ["heroku"]) == ["Procfile:1"]
    # a process list for foreman / overmind alone is not a deploy descriptor
    assert names(scan({"Procfile": "web: bin/rails server\nworker: bin/jobs\n"}), "deploy.manifests") == set()


def test_pulumi_stacks_per_environment_are_a_standard_process():
    files = {
        "infra/Pulumi.yaml": "name: site\nruntime: nodejs\n",
        "infra/Pulumi.testing.yaml": "config:\n  aws:region: us-west-2\n",
        "infra/Pulumi.production.yaml": "config:\n  aws:region: us-west-2\n",
    }
    assert flag(scan(files), "deploy.standard_process")
    one_env = {k: v for k, v in files.items() if "testing" not in k} | {"infra/Pulumi.alice.yaml": "config: {}\n"}
    assert not flag(scan(one_env), "deploy.standard_process")  # personal stacks are not environments


def test_kamal_configuration_is_a_deploy_script():
    ctx = scan({"config/deploy.yml": "service: app\nimage: org/app\nservers:\n  web:\n    - 10.0.0.1\n"})
    assert locators(ctx, "deploy.scripts", True) == ["config/deploy.yml:1"]
    assert not flag(scan({"config/deploy.yml": "production:\n  host: x\n"}), "deploy.scripts")


def test_scripts_beside_kubernetes_manifests_that_apply_them_deploy():
    ctx = scan({"kubernetes/startup.sh": "#!/bin/bash\nkubectl apply -f app-deployment.yml\n"})
    assert locators(ctx, "deploy.scripts", True) == ["kubernetes/startup.sh:2"]
    assert not flag(scan({"k8s/startup.sh": "#!/bin/bash\nkind create cluster\nkubectl apply -f app.yml\n"}), "deploy.scripts")


def test_infrastructure_programs_declaring_managed_databases():
    cdk = {
        "cdk.json": '{"app": "npx ts-node bin/app.ts"}',
        "lib/data.ts": 'import { Table } from "aws-cdk-lib/aws-dynamodb";\nexport const t = 1;\n',
    }
    assert locators(scan(cdk), "db.datastore", True) == ["lib/data.ts:1"]
    py = {"Pulumi.yaml": "name: x\nruntime: python\n", "__main__.py": "import pulumi_aws as aws\n\ndb = aws.rds.Instance('db', engine='postgres')\n"}
    assert locators(scan(py), "db.datastore", True) == ["__main__.py:3"]
    # a bucket-only program, a test of the program, and code outside any program folder are not evidence
    assert not flag(scan({"Pulumi.yaml": "name: x\n", "index.ts": "new aws.s3.Bucket('b');\n"}), "db.datastore")
    assert not flag(scan({"cdk.json": '{"app": "x"}', "test/data.test.ts": 'import "aws-cdk-lib/aws-rds";\n'}), "db.datastore")
    assert not flag(scan({"infra/cdk.json": '{"app": "x"}', "web/db.ts": 'import "aws-cdk-lib/aws-rds";\n'}), "db.datastore")
