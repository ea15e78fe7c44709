"""TeamCity versioned settings in the Kotlin DSL (`.teamcity/settings.kts`).

The DSL is Kotlin, so it is read, not evaluated: every `.kt`/`.kts` file of the `.teamcity` folder
becomes one job, whose commands are the build steps written literally in it (`gradle { tasks = "…" }`,
`maven { goals = "…" }`, `script { scriptContent = "…" }`). Triggers come from the `triggers { }`
blocks: `vcs` (push), `schedule`, `finishBuildTrigger` (upstream). Without any, what starts the builds
is configured on the server (`triggers_known=False`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from collectors.pipelines.interface import PipelineParser
from collectors.pipelines.model import Command, Job, Pipeline

if TYPE_CHECKING:
    from collectors.detectors.interface import DetectionContext

_ENTRY = ".teamcity/settings.kts"
_TRIGGERS = (
    (re.compile(r"^[ \t]*vcs\s*\{", re.M), "push"),
    (re.compile(r"^[ \t]*schedule\s*\{", re.M), "schedule"),
    (re.compile(r"^[ \t]*finishBuildTrigger\s*\{", re.M), "upstream"),
)
_TRIGGERS_BLOCK = re.compile(r"^[ \t]*triggers\s*\{", re.M)
_STEP = re.compile(r'^[ \t]*(tasks|goals|scriptContent)\s*=\s*(?:"""(.*?)"""|"((?:[^"\\\n]|\\.)*)")', re.M | re.S)
_PROGRAM = {"tasks": "gradle", "goals": "mvn"}


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _code(text: str) -> str:
    """The text with `//` and `/* */` comments blanked (lines kept)."""
    text = re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)
    return re.sub(r"(?m)^\s*//.*$", "", text)


def _inside(text: str, start: int, pos: int) -> bool:
    """Is `pos` still inside the block opened just before `start`?"""
    depth = 0
    for ch in text[start:pos]:
        depth += ch == "{"
        depth -= ch == "}"
        if depth < 0:
            return False
    return True


class TeamCityParser(PipelineParser):
    system = "teamcity"

    def candidates(self, ctx: DetectionContext) -> list[str]:
        return [_ENTRY] if _ENTRY in ctx.files.paths else []

    def parse(self, path: str, text: str, ctx: DetectionContext) -> list[Pipeline]:
        folder = path.rsplit("/", 1)[0] + "/"
        sources = [path] + sorted(p for p in ctx.files.paths
                                  if p.startswith(folder) and p != path and p.endswith((".kt", ".kts")))
        triggers: dict[str, int] = {}
        found: list[tuple[str, str]] = []
        for source in sources:
            body = text if source == path else ctx.files.read_text(source)
            if body is None:
                continue
            body = _code(body)
            found.append((source, body))
            for block in _TRIGGERS_BLOCK.finditer(body):
                for rx, trigger in _TRIGGERS:
                    m = rx.search(body, block.end())
                    if m and trigger not in triggers and _inside(body, block.end(), m.start()):
                        # A trigger in another settings file is placed at the entry file's start.
                        triggers[trigger] = _line(body, m.start()) if source == path else 0
        active = frozenset(triggers)
        jobs: list[Job] = []
        for source, body in found:
            commands = []
            for m in _STEP.finditer(body):
                key, value = m.group(1), (m.group(2) if m.group(2) is not None else m.group(3)) or ""
                line = _line(body, m.start())
                if key in _PROGRAM:
                    if value.strip():
                        commands.append(Command(f"{_PROGRAM[key]} {value.strip()}", line, "shell", path=None if source == path else source))
                    continue
                for offset, raw in enumerate(value.splitlines()):
                    if raw.strip() and not raw.strip().startswith("#"):
                        commands.append(Command(raw.strip(), line + offset, "shell", path=None if source == path else source))
            if commands:
                name = source.rsplit("/", 1)[-1]
                jobs.append(Job(id=name, line=commands[0].line, triggers=active, commands=tuple(commands)))
        lines = {t: ln for t, ln in triggers.items() if ln}
        return [Pipeline(system=self.system, path=path, triggers=active, trigger_lines=lines, jobs=tuple(jobs),
                         triggers_known=bool(active),
                         notes=() if active else ("TeamCity triggers are configured on the server, outside the settings",))]


PARSERS: list[PipelineParser] = [TeamCityParser()]
