"""TeamCity versioned settings (Kotlin DSL)."""

from __future__ import annotations

from collectors.detectors.interface import DetectionContext, RepoIdentity
from collectors.pipelines.teamcity import TeamCityParser
from collectors.repofiles import MemoryRepoFiles

SETTINGS = '''import jetbrains.buildServer.configs.kotlin.*

project {
    buildType(Build)
}

object Build : BuildType({
    vcs {
        root(DslContext.settingsRoot)
    }
    steps {
        gradle {
            // tasks = "ignored"
            tasks = "clean check"
        }
        script {
            scriptContent = """
                ./deploy.sh
            """.trimIndent()
        }
    }
    triggers {
        vcs {
            branchFilter = "+:<default>"
        }
    }
})
'''


def ctx_for(files: dict[str, str]) -> DetectionContext:
    return DetectionContext(files=MemoryRepoFiles(files), repo=RepoIdentity(name="o/r", default_branch="main", host="github.com"))


def test_teamcity_settings_triggers_and_steps() -> None:
    files = {".teamcity/settings.kts": SETTINGS,
             ".teamcity/nightly.kt": "object Nightly : BuildType({\n  triggers {\n    schedule {\n    }\n  }\n})\n"}
    ctx = ctx_for(files)
    parser = TeamCityParser()
    assert parser.candidates(ctx) == [".teamcity/settings.kts"]
    [p] = parser.parse(".teamcity/settings.kts", SETTINGS, ctx)
    assert p.system == "teamcity" and p.triggers == {"push", "schedule"} and p.triggers_known
    assert p.trigger_lines == {"push": 23}  # the vcs root block at line 8 is not a trigger
    [job] = p.jobs
    assert [(c.text, c.line) for c in job.commands] == [("gradle clean check", 14), ("./deploy.sh", 18)]


def test_teamcity_without_triggers_is_configured_on_the_server() -> None:
    text = "project {\n  buildType(B)\n}\nobject B : BuildType({\n  vcs {\n    root(X)\n  }\n})\n"
    ctx = ctx_for({".teamcity/settings.kts": text, "docs/.teamcity/settings.kts": text})
    [p] = TeamCityParser().parse(".teamcity/settings.kts", text, ctx)
    assert p.triggers == frozenset() and not p.triggers_known and p.jobs == ()
    assert TeamCityParser().candidates(ctx_for({"other/settings.kts": text})) == []
