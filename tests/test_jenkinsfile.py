"""Jenkinsfile parser: triggers, stages and their conditions, steps, the Groovy scanner."""

from __future__ import annotations

import textwrap

import pytest

from collectors.detectors.interface import DetectionContext, RepoIdentity
from collectors.pipelines.jenkinsfile import PARSERS, is_jenkinsfile
from collectors.pipelines.model import Job, Pipeline
from collectors.repofiles import MemoryRepoFiles

PARSER = PARSERS[0]


def ctx_for(files: dict[str, str], default_branch: str | None = "main") -> DetectionContext:
    return DetectionContext(files=MemoryRepoFiles(files), repo=RepoIdentity(name="group/proj", default_branch=default_branch))


def parse(text: str, default_branch: str | None = "main") -> Pipeline:
    text = textwrap.dedent(text).lstrip("\n")
    [pipeline] = PARSER.parse("Jenkinsfile", text, ctx_for({"Jenkinsfile": text}, default_branch))
    assert pipeline.system == "jenkins"
    return pipeline


def job(pipeline: Pipeline, job_id: str) -> Job:
    found = pipeline.job(job_id)
    assert found is not None, f"no job {job_id} in {[j.id for j in pipeline.jobs]}"
    return found


def shell(j: Job) -> list[tuple[str, int]]:
    return [(c.text, c.line) for c in j.commands if c.kind == "shell"]


def steps(j: Job) -> list[str]:
    return [c.text for c in j.commands if c.kind == "step"]


# -- candidates -----------------------------------------------------------------------------------

def test_candidates_skip_dead_copies_and_examples() -> None:
    files = {name: "node { sh 'x' }" for name in [
        "Jenkinsfile", "ci/deploy.Jenkinsfile", "build.jenkinsfile", "Jenkinsfile.groovy", "jenkins/Jenkinsfile.release",
        "Jenkinsfile.old", "Jenkinsfile.bak", "Jenkinsfile.orig", "Jenkinsfile.disabled", "Jenkinsfile.sample",
        "Jenkinsfile.example", "old/Jenkinsfile.release.bak", "examples/Jenkinsfile", "docs/Jenkinsfile", "Jenkinsfile.yaml",
        "JenkinsfileX", "README.md",
    ]}
    assert sorted(PARSER.candidates(ctx_for(files))) == [
        "Jenkinsfile", "Jenkinsfile.groovy", "build.jenkinsfile", "ci/deploy.Jenkinsfile", "jenkins/Jenkinsfile.release",
    ]


@pytest.mark.parametrize(("name", "expected"), [
    ("Jenkinsfile", True), ("Jenkinsfile.old", False), ("Jenkinsfile-deploy", True), ("Jenkinsfile.txt", False),
    ("jenkinsfile", False), ("Jenkinsfile.deploy.disabled", False),
])
def test_is_jenkinsfile(name: str, expected: bool) -> None:
    assert is_jenkinsfile(name) is expected


# -- triggers -------------------------------------------------------------------------------------

DECLARATIVE_POLL = """
    pipeline {
        agent any
        triggers {
            pollSCM('H/15 * * * *')
        }
        stages {
            stage('Build') {
                steps {
                    sh 'make'
                }
            }
        }
    }
"""


def test_declarative_poll_scm() -> None:
    p = parse(DECLARATIVE_POLL)
    assert p.triggers == {"poll"}
    assert p.triggers_known is True
    assert p.trigger_lines == {"poll": 4}
    assert p.line == 3  # the triggers block
    assert "pollSCM H/15 * * * *" in p.notes
    build = job(p, "Build")
    assert build.triggers == {"poll"}
    assert build.default_branch is True
    assert shell(build) == [("make", 9)]


def test_declarative_trigger_kinds() -> None:
    p = parse("""
        pipeline {
            agent none
            triggers {
                cron('@daily')
                githubPush()
                upstream(upstreamProjects: 'lib-a,lib-b', threshold: hudson.model.Result.SUCCESS)
                issueCommentTrigger('.*retest.*')
            }
            stages { stage('x') { steps { sh 'true' } } }
        }
    """)
    assert p.triggers == {"schedule", "push", "upstream", "comment"}
    assert p.trigger_lines == {"schedule": 4, "push": 5, "upstream": 6, "comment": 7}
    assert "cron @daily" in p.notes and "upstream lib-a,lib-b" in p.notes


@pytest.mark.parametrize(("call", "expected"), [
    ("gitlab(triggerOnPush: true, triggerOnMergeRequest: true, branchFilterType: 'All')", {"push", "pull_request"}),
    ("gitlab(triggerOnPush: false, triggerOnMergeRequest: true)", {"pull_request"}),
    ("gitlab(triggerOnMergeRequest: false)", {"push"}),
    ("gitlab(triggerOnNoteRequest: true, noteRegex: 'rebuild')", {"push", "pull_request", "comment"}),
    ("GenericTrigger(genericVariables: [[key: 'ref', value: '$.ref']], token: 'abc')", {"push"}),
    ("bitbucketPush()", {"push"}),
    ("cron('')", set()),
    # BRANCH_NAME exists only in a multibranch pipeline, which Jenkins also builds on SCM events.
    ("cron(env.BRANCH_NAME == 'main' ? 'H 2 * * *' : '')", {"schedule", "push"}),
])
def test_trigger_calls(call: str, expected: set[str]) -> None:
    p = parse("pipeline {\n  triggers {\n    " + call + "\n  }\n  stages { stage('a') { steps { sh 'x' } } }\n}\n")
    assert p.triggers == expected
    assert p.triggers_known is True


def test_scripted_properties_pipeline_triggers() -> None:
    p = parse("""
        properties([
            buildDiscarder(logRotator(numToKeepStr: '10')),
            pipelineTriggers([
                pollSCM('H/5 * * * *'),
                cron('H 2 * * 1-5'),
                githubPush(),
                [$class: 'ReverseBuildTrigger', upstreamProjects: 'core', threshold: 'SUCCESS'],
            ])
        ])
        node {
            stage('Build') {
                sh './gradlew build'
            }
        }
    """)
    assert p.triggers == {"poll", "schedule", "push", "upstream"}
    assert p.trigger_lines["poll"] == 4 and p.trigger_lines["schedule"] == 5
    assert "pollSCM H/5 * * * *" in p.notes and "cron H 2 * * 1-5" in p.notes
    assert job(p, "Build").triggers == {"poll", "schedule", "push", "upstream"}
    assert steps(job(p, "Build")) == []  # properties/buildDiscarder are not steps


def test_commented_out_triggers_are_ignored() -> None:
    p = parse("""
        // triggers { pollSCM('H/5 * * * *') }
        pipeline {
            agent any
            /*
            triggers {
                cron('@hourly')
            }
            */
            stages {
                stage('Build') {
                    steps {
                        // sh 'make deploy'
                        echo "pollSCM('* * * * *') is just text here // not a comment"
                        sh 'make' // trailing comment
                    }
                }
            }
        }
    """)
    assert p.triggers == frozenset()
    assert p.triggers_known is False
    assert shell(job(p, "Build")) == [("make", 14)]


def test_no_triggers_means_unknown() -> None:
    p = parse("""
        pipeline {
            agent any
            stages {
                stage('Build') { steps { sh 'mvn -B verify' } }
                stage('Deploy') {
                    when { branch 'main' }
                    steps { sh './deploy.sh' }
                }
            }
        }
    """)
    assert p.triggers == frozenset()
    assert p.triggers_known is False
    assert any("configured on the Jenkins server" in n for n in p.notes)
    build, deploy = job(p, "Build"), job(p, "Deploy")
    assert build.triggers == frozenset() and deploy.triggers == frozenset()
    assert deploy.default_branch is True
    other = parse("""
        pipeline { stages { stage('Deploy') { when { branch 'release' } steps { sh 'x' } } } }
    """)
    assert job(other, "Deploy").default_branch is False


def test_only_unknown_triggers_leave_triggers_unknown() -> None:
    p = parse("pipeline {\n triggers { gerrit(serverName: 'x') }\n stages { stage('a') { steps { sh 'x' } } }\n}\n")
    assert p.triggers == frozenset() and p.triggers_known is False
    assert any("gerrit" in n for n in p.notes)
    assert any("not understood: what starts this pipeline" in n for n in p.notes)


# -- stages and conditions ------------------------------------------------------------------------

WHEN_PIPELINE = """
    pipeline {
        agent any
        triggers {
            gitlab(triggerOnPush: true, triggerOnMergeRequest: true)
        }
        stages {
            stage('Build') { steps { sh 'make' } }
            stage('Deploy') {
                when { branch 'main' }
                steps { sh 'make deploy' }
            }
            stage('Release') {
                when { buildingTag() }
                steps { sh 'make release' }
            }
            stage('Release candidate') {
                when { tag pattern: 'v\\\\d+\\\\.\\\\d+-rc\\\\d+', comparator: 'REGEXP' }
                steps { sh 'make rc' }
            }
            stage('Review') {
                when { changeRequest() }
                steps { sh 'make review-app' }
            }
            stage('Not main') {
                when { not { branch 'main' } }
                steps { sh 'make preview' }
            }
            stage('Main or tag') {
                when { anyOf { branch 'main'; buildingTag() } }
                steps { sh 'make publish' }
            }
            stage('Release branches') {
                when { branch pattern: 'release-\\\\d+', comparator: 'REGEXP' }
                steps { sh 'make rb' }
            }
            stage('Flagged') {
                when {
                    allOf {
                        branch 'main'
                        expression { return params.DEPLOY }
                    }
                }
                steps { sh 'make flagged' }
            }
            stage('Nightly only') {
                when { triggeredBy 'TimerTrigger' }
                steps { sh 'make nightly' }
            }
        }
    }
"""


def test_when_conditions() -> None:
    p = parse(WHEN_PIPELINE)
    assert p.triggers == {"push", "pull_request"}
    build = job(p, "Build")
    assert build.triggers == {"push", "pull_request"} and build.default_branch is True

    deploy = job(p, "Deploy")
    assert deploy.triggers == {"push"} and deploy.default_branch is True and deploy.tags_only is False

    for tagged in ("Release", "Release candidate"):
        j = job(p, tagged)
        assert j.triggers == {"tag"} and j.tags_only is True and j.default_branch is False

    review = job(p, "Review")
    assert review.triggers == {"pull_request"} and review.default_branch is False

    not_main = job(p, "Not main")
    assert not_main.default_branch is False and "push" in not_main.triggers

    main_or_tag = job(p, "Main or tag")
    assert main_or_tag.triggers == {"push", "tag"} and main_or_tag.default_branch is True
    assert main_or_tag.tags_only is False

    release_branches = job(p, "Release branches")
    assert release_branches.default_branch is False and release_branches.triggers == {"push"}

    flagged = job(p, "Flagged")
    assert flagged.default_branch is True and flagged.triggers == {"push"}

    assert job(p, "Nightly only").triggers == frozenset()  # no timer trigger in this pipeline


def test_stage_order_parallel_and_nested() -> None:
    p = parse("""
        pipeline {
            agent any
            stages {
                stage('Build') { steps { sh 'make' } }
                stage('Checks') {
                    parallel {
                        stage('Unit') { steps { sh 'make test' } }
                        stage('Lint') { steps { sh 'make lint' } }
                    }
                }
                stage('Ship') {
                    stages {
                        stage('Package') { steps { sh 'make package' } }
                        stage('Publish') { steps { sh 'make publish' } }
                    }
                }
            }
        }
    """)
    assert [j.id for j in p.jobs] == ["Build", "Unit", "Lint", "Package", "Publish"]
    assert p.stages == ("Build", "Unit", "Lint", "Package", "Publish")
    assert [(j.id, j.stage_index, j.needs) for j in p.jobs] == [
        ("Build", 0, ()),
        ("Unit", 1, ("Build",)),
        ("Lint", 1, ("Build",)),
        ("Package", 2, ("Unit", "Lint")),
        ("Publish", 3, ("Package",)),
    ]


def test_parent_when_applies_to_nested_stages() -> None:
    p = parse("""
        pipeline {
            triggers { githubPush() }
            stages {
                stage('Release') {
                    when { buildingTag() }
                    stages {
                        stage('Publish') { steps { sh 'make publish' } }
                    }
                }
            }
        }
    """)
    publish = job(p, "Publish")
    assert publish.tags_only is True and publish.triggers == {"tag"}


# -- input / manual -------------------------------------------------------------------------------

def test_input_makes_stage_manual_and_gates_later_stages() -> None:
    p = parse("""
        pipeline {
            agent any
            triggers { pollSCM('H/5 * * * *') }
            stages {
                stage('Build') { steps { sh 'make' } }
                stage('Approve') {
                    when { branch 'main' }
                    steps { input message: 'Deploy to production?', ok: 'Ship it' }
                }
                stage('Deploy') {
                    when { branch 'main' }
                    steps { sh './deploy.sh production' }
                }
                stage('Smoke') {
                    steps { sh './smoke.sh' }
                }
            }
        }
    """)
    assert job(p, "Build").manual is False
    assert job(p, "Approve").manual is True
    assert "input message: 'Deploy to production?', ok: 'Ship it'" in steps(job(p, "Approve"))
    assert job(p, "Deploy").manual is True  # runs only where the approval ran
    assert job(p, "Smoke").manual is False  # also runs on other branches, without the approval
    assert any("Deploy waits for the input in stage Approve" in n for n in p.notes)


@pytest.mark.parametrize("body", [
    "input {\n message 'Go?'\n ok 'Yes'\n }\n steps { sh 'deploy' }",
    "steps {\n timeout(time: 1, unit: 'HOURS') { input(message: 'Go?') }\n sh 'deploy'\n }",
    "steps {\n script {\n def ok = input message: 'Go?', parameters: [booleanParam(name: 'X')]\n }\n sh 'deploy'\n }",
])
def test_input_forms(body: str) -> None:
    p = parse("pipeline { stages {\n stage('Deploy') {\n" + body + "\n}\n}\n}\n")
    assert job(p, "Deploy").manual is True
    assert [t for t, _ in shell(job(p, "Deploy"))] == ["deploy"]


# -- commands -------------------------------------------------------------------------------------

def test_shell_scripts_split_into_lines_with_their_line_numbers() -> None:
    p = parse('''
        pipeline {
            agent any
            stages {
                stage('Build') {
                    steps {
                        sh """
                            docker build \\\\
                              -t registry/app:${env.BUILD_NUMBER} .
                            # a comment

                            docker push registry/app:${env.BUILD_NUMBER}
                        """
                        sh \'\'\'
                            set -e
                            echo "it's \\\\$HOME"
                        \'\'\'
                        sh(script: "npm ci && npm test", returnStatus: true)
                        sh script: 'make lint', label: 'lint'
                        bat "msbuild app.sln"
                        powershell 'Get-ChildItem'
                        pwsh """Write-Host hi"""
                    }
                }
            }
        }
    ''')
    assert shell(job(p, "Build")) == [
        ("docker build -t registry/app:${env.BUILD_NUMBER} .", 7),
        ("docker push registry/app:${env.BUILD_NUMBER}", 11),
        ("set -e", 14),
        ('echo "it\'s \\$HOME"', 15),  # Groovy's \\ is one backslash: the shell gets \$HOME
        ("npm ci && npm test", 17),
        ("make lint", 18),
        ("msbuild app.sln", 19),
        ("Get-ChildItem", 20),
        ("Write-Host hi", 21),
    ]


def test_other_steps_are_step_commands() -> None:
    p = parse("""
        pipeline {
            agent any
            environment {
                DEPLOY_ENV = 'production'
                TOKEN = credentials('token')
            }
            stages {
                stage('Quality') {
                    steps {
                        withSonarQubeEnv('sonar') {
                            sh 'mvn sonar:sonar'
                        }
                        junit testResults: '**/surefire-reports/*.xml',
                              allowEmptyResults: true
                        recordCoverage(tools: [[parser: 'JACOCO']])
                        archiveArtifacts artifacts: 'target/*.jar', fingerprint: true
                        echo 'Deploying to production'
                    }
                }
                stage('Publish') {
                    steps {
                        script {
                            docker.build("app:${env.BUILD_ID}").push()
                        }
                        build job: 'deploy-prod', parameters: [string(name: 'VERSION', value: env.BUILD_ID)]
                        sshagent(['deploy-key']) { sh 'ssh host ./deploy.sh' }
                    }
                }
            }
            post {
                failure { slackSend channel: '#ci', message: 'failed' }
            }
        }
    """)
    quality = job(p, "Quality")
    assert quality.environment is None  # environment {} holds variables, not a deploy target
    assert steps(quality) == [
        "withSonarQubeEnv('sonar')",
        "junit testResults: '**/surefire-reports/*.xml', allowEmptyResults: true",
        "recordCoverage(tools: [[parser: 'JACOCO']])",
        "archiveArtifacts artifacts: 'target/*.jar', fingerprint: true",
    ]
    assert shell(quality) == [("mvn sonar:sonar", 11)]
    junit = next(c for c in quality.commands if c.text.startswith("junit"))
    assert junit.line == 13 and junit.input("testResults") == "**/surefire-reports/*.xml"
    publish = job(p, "Publish")
    assert steps(publish) == [
        'docker.build("app:${env.BUILD_ID}").push()',
        "build job: 'deploy-prod', parameters: [string(name: 'VERSION', value: env.BUILD_ID)]",
        "sshagent(['deploy-key'])",
    ]
    assert shell(publish) == [("ssh host ./deploy.sh", 26)]
    post = job(p, "(post)")
    assert steps(post) == ["slackSend channel: '#ci', message: 'failed'"]
    assert post.needs == ("Publish",)


def test_scripted_pipeline() -> None:
    p = parse("""
        @Library(['shared-lib@v2', 'other']) _

        def deployTo(String target) {
            sh "helm upgrade --install app chart/ --namespace ${target}"
        }

        node('linux') {
            checkout scm
            stage('Build') {
                def image = docker.build("app:${env.BUILD_ID}")
                if (sh(returnStatus: true, script: 'test -f extra.sh') == 0) {
                    sh './extra.sh'
                }
            }
            stage('Test') {
                parallel(
                    unit: { sh 'npm test' },
                    e2e: { sh 'npx cypress run' }
                )
            }
            if (env.BRANCH_NAME == 'main') {
                stage('Deploy') {
                    deployTo('production')
                }
            } else {
                stage('Preview') {
                    deployTo('preview')
                }
            }
            stage 'Old style'
            bat 'build.bat'
        }
    """)
    assert p.includes == ("library:shared-lib@v2", "library:other")
    assert p.triggers_known is False
    loose = job(p, "(outside stages)")
    assert steps(loose) == ["checkout scm"]
    build = job(p, "Build")
    assert steps(build) == ['docker.build("app:${env.BUILD_ID}")']
    assert [t for t, _ in shell(build)] == ["test -f extra.sh", "./extra.sh"]
    assert [t for t, _ in shell(job(p, "Test"))] == ["npm test", "npx cypress run"]
    deploy = job(p, "Deploy")
    assert deploy.default_branch is True
    assert steps(deploy) == ["deployTo('production')"]
    assert shell(deploy) == [("helm upgrade --install app chart/ --namespace ${target}", 4)]  # function body inlined
    assert job(p, "Preview").default_branch is False
    assert [t for t, _ in shell(job(p, "Old style"))] == ["build.bat"]


def test_scripted_stage_in_tag_condition() -> None:
    p = parse("""
        properties([pipelineTriggers([githubPush()])])
        node {
            stage('Build') { sh 'make' }
            if (env.TAG_NAME) {
                stage('Release') { sh 'make release' }
            }
            if (env.CHANGE_ID != null) {
                stage('PR checks') { sh 'make pr' }
            }
        }
    """)
    assert job(p, "Release").tags_only is True and job(p, "Release").triggers == {"tag"}
    assert job(p, "PR checks").triggers == {"pull_request"}
    assert job(p, "Build").triggers == {"push"}


# -- broken files ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "pipeline {\n stages {\n stage('x') { steps { sh 'x' } }\n",
    "node { sh 'unterminated }\n",
    "node { sh 'x' } }\n",
    "/* never closed\nnode { }\n",
    "",
    "// only a comment\n",
])
def test_broken_or_empty_files_raise_value_error(text: str) -> None:
    with pytest.raises(ValueError):
        PARSER.parse("Jenkinsfile", text, ctx_for({"Jenkinsfile": text}))


def test_expression_and_scripted_branch_regexes() -> None:
    p = parse("""
        #!/usr/bin/env groovy
        pipeline {
            triggers { githubPush() }
            stages {
                stage('Deploy') {
                    when { expression { return env.BRANCH_NAME ==~ /(main|develop)/ } }
                    steps { sh 'deploy' }
                }
                stage('Hotfix') {
                    when { expression { BRANCH_NAME.startsWith('hotfix/') } }
                    steps { release() }
                }
            }
        }

        def release() {
            sh './release.sh'
        }
    """)
    assert job(p, "Deploy").default_branch is True and job(p, "Deploy").triggers == {"push"}
    assert job(p, "Hotfix").default_branch is False
    # a function defined below its use is still inlined
    assert shell(job(p, "Hotfix")) == [("./release.sh", 17)]
