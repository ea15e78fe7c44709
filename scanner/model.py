"""Maturity models and their rules, loaded from data files and validated as a whole.

A model file (`model.yaml`) declares levels, areas, practices and threshold defaults. Rule files
(`rules*.yaml`) hold CEL rules for the model's practices. Every problem found while loading is
reported as `file:line: reason` through `RuleFileError`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from scanner import celapi
from scanner.errors import RuleFileError
from scanner.signals import CATALOG
from scanner.yamlfile import LineDict, line_of, load_with_lines, yaml_error_line, yaml_error_reason

PracticeKind = Literal["gate", "baseline"]
SeenFrom = Literal["files", "history", "attest"]
PRACTICE_ID = re.compile(r"^(?P<area>[a-z][a-z0-9-]*)\.(?P<level>[1-9])\.(?P<slug>[a-z0-9][a-z0-9-]*)$")
DEFAULT_MODEL = "cd-maturity"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class LevelDef(_Strict):
    number: int = Field(ge=1, le=9)
    """Level number; 1 is the floor every area starts at."""
    id: str
    """Stable id, e.g. `defined`."""
    name: str
    """Display name, e.g. `Defined`."""


class AreaDef(_Strict):
    id: str
    """Area id, e.g. `build`."""
    name: str
    """Display name, e.g. `Build & Deploy`."""
    applies_if: str | None = None
    """Optional CEL: when it is false, every practice of the area is `not_applicable`."""
    not_applicable_reason: str | None = None
    """Words shown when the area does not apply, e.g. `no datastore found`."""


class ThresholdDef(_Strict):
    value: float
    """Default value; the config's `[thresholds]` overrides it."""
    description: str
    """What the number means and its unit."""


class PracticeDef(_Strict):
    id: str
    """`<area>.<level>.<slug>`, a public contract."""
    words: str
    """The matrix's own words."""
    kind: PracticeKind
    """`gate` must hold to reach the level; `baseline` is reported and never blocks."""
    seen_from: list[SeenFrom]
    """What can observe it: files, history, attest."""

    @field_validator("id")
    @classmethod
    def _id_shape(cls, v: str) -> str:
        if not PRACTICE_ID.match(v):
            raise ValueError(f"practice id {v!r} is not <area>.<level>.<slug>")
        return v

    @property
    def area(self) -> str:
        return self.id.split(".")[0]

    @property
    def level(self) -> int:
        return int(self.id.split(".")[1])


class ModelFile(_Strict):
    id: str
    """Model id, e.g. `cd-maturity`."""
    version: str
    """Bumped whenever a practice id or level semantics change."""
    name: str
    """Display name."""
    description: str = ""
    """What the model is and where it comes from."""
    levels: list[LevelDef]
    """The levels, lowest first."""
    areas: list[AreaDef]
    """The areas (rows of the matrix)."""
    thresholds: dict[str, ThresholdDef] = {}
    """Numbers that rules compare against, with their defaults."""
    practices: list[PracticeDef]
    """Every practice (cell content) of the matrix."""


class RuleDef(_Strict):
    id: str
    """Rule id, unique within a model, e.g. `build.3.commit-hook-ci/webhook-trigger`."""
    practice: str
    """The practice the rule decides."""
    expression: str
    """CEL over `signals` and `thresholds`; true means met, false not met, an error unknown."""
    motivation: str
    """Why the practice matters (Scorecard-style)."""
    implementation: str
    """What the rule looks at, in words."""
    remediation: str
    """What to do to meet it."""
    applies_if: str | None = None
    """Optional CEL: when false, the practice is `not_applicable` for this rule."""
    disabled: bool = False
    """In an override file, `disabled: true` removes the rule of that id."""


class RuleFile(_Strict):
    model: str = DEFAULT_MODEL
    """The id of the model these rules are for."""
    rules: list[RuleDef]
    """The rules."""


# --- CEL ------------------------------------------------------------------------------------

_CEL_FUNCTIONS = {
    "size", "has", "matches", "contains", "startsWith", "endsWith", "int", "uint", "double",
    "string", "bytes", "bool", "timestamp", "duration", "type", "dyn", "exists", "all",
    "exists_one", "map", "filter", "max", "min",
}
_STRING_LITERAL = re.compile(r"'''.*?'''|\"\"\".*?\"\"\"|'(?:\\.|[^'\\])*'|\"(?:\\.|[^\"\\])*\"", re.S)
_SIGNAL_REF = re.compile(r"\bsignals((?:\.[A-Za-z_][A-Za-z0-9_]*)+)")
_THRESHOLD_REF = re.compile(r"\bthresholds\.([A-Za-z_][A-Za-z0-9_]*)")
_COMPREHENSION_VAR = re.compile(r"\.(?:exists|all|exists_one|map|filter)\(\s*([A-Za-z_]\w*)\s*,")


@dataclass(frozen=True)
class CompiledExpression:
    source: str
    program: Any
    signal_keys: tuple[str, ...]
    threshold_names: tuple[str, ...]


def _resolve_signal(path: str) -> str | None:
    """The catalog key a `signals.a.b.c` path reads: the longest declared prefix."""
    parts = path.split(".")
    for n in range(len(parts), 0, -1):
        key = ".".join(parts[:n])
        if key in CATALOG:
            return key
    return None


def compile_expression(source: str, thresholds: set[str], where: tuple[str, int | None]) -> CompiledExpression:
    path, line = where
    try:
        program = celapi.compile(source)
    except Exception as exc:  # the binding raises ValueError with a multi-line message
        first = str(exc).splitlines()
        detail = next((ln for ln in first if "Syntax error" in ln or "ERROR" in ln), first[0] if first else "")
        raise RuleFileError(path, line, f"CEL syntax error in {source!r}: {detail.strip()}") from None
    bare = _STRING_LITERAL.sub('""', source)
    keys: list[str] = []
    for m in _SIGNAL_REF.finditer(bare):
        dotted = m.group(1)[1:]
        key = _resolve_signal(dotted)
        if key is None:
            hint = difflib.get_close_matches(dotted, CATALOG.keys(), n=1)
            suggestion = f" (did you mean {hint[0]}?)" if hint else ""
            raise RuleFileError(path, line, f"no collector declares signal 'signals.{dotted}'{suggestion}")
        if key not in keys:
            keys.append(key)
    names = [m.group(1) for m in _THRESHOLD_REF.finditer(bare)]
    for name in names:
        if name not in thresholds:
            raise RuleFileError(path, line, f"unknown threshold 'thresholds.{name}' (declared: {', '.join(sorted(thresholds)) or 'none'})")
    bound = set(_COMPREHENSION_VAR.findall(bare))
    for var in program.variables():
        if var not in {"signals", "thresholds"} | bound:
            raise RuleFileError(path, line, f"unknown variable {var!r} in {source!r}; rules read only 'signals' and 'thresholds'")
    for fn in program.functions():
        if fn[0].isalpha() and fn not in _CEL_FUNCTIONS:
            raise RuleFileError(path, line, f"unknown CEL function {fn!r} in {source!r}")
    return CompiledExpression(source, program, tuple(keys), tuple(dict.fromkeys(names)))


# --- loaded model ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    definition: RuleDef
    expression: CompiledExpression
    applies_if: CompiledExpression | None
    origin: str
    """`file:line` where the rule was defined."""

    @property
    def id(self) -> str:
        return self.definition.id


@dataclass
class Model:
    definition: ModelFile
    origin: str
    area_conditions: dict[str, CompiledExpression] = field(default_factory=dict)
    rules: dict[str, Rule] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.definition.id

    @property
    def practices(self) -> list[PracticeDef]:
        return self.definition.practices

    def practice(self, practice_id: str) -> PracticeDef | None:
        return next((p for p in self.definition.practices if p.id == practice_id), None)

    def rules_for(self, practice_id: str) -> list[Rule]:
        return [r for r in self.rules.values() if r.definition.practice == practice_id]

    def level_name(self, number: int) -> str:
        return next((lv.name for lv in self.definition.levels if lv.number == number), str(number))

    @property
    def threshold_defaults(self) -> dict[str, float]:
        return {k: v.value for k, v in self.definition.thresholds.items()}


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(str(path), None, f"cannot read: {exc.strerror or exc}") from None
    try:
        data = load_with_lines(text)
    except yaml.YAMLError as exc:
        raise RuleFileError(str(path), yaml_error_line(exc), yaml_error_reason(exc)) from None
    if not isinstance(data, dict):
        raise RuleFileError(str(path), 1, "expected a mapping at the top level")
    return data


def _validate(cls: type[BaseModel], data: Any, path: Path) -> Any:
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        dotted = ".".join(str(p) for p in loc) or "(top)"
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown field"
        elif err["type"] == "missing":
            msg = "field required"
        raise RuleFileError(str(path), line_of(data, loc), f"{dotted}: {msg}") from None


def _build_model(data: LineDict, path: Path) -> Model:
    mf: ModelFile = _validate(ModelFile, data, path)
    areas = {a.id for a in mf.areas}
    levels = {lv.number for lv in mf.levels}
    seen: set[str] = set()
    for i, p in enumerate(mf.practices):
        line = line_of(data, ("practices", i, "id"))
        if p.id in seen:
            raise RuleFileError(str(path), line, f"duplicate practice id {p.id!r}")
        seen.add(p.id)
        if p.area not in areas:
            raise RuleFileError(str(path), line, f"practice {p.id!r} names unknown area {p.area!r}")
        if p.level not in levels:
            raise RuleFileError(str(path), line, f"practice {p.id!r} names unknown level {p.level}")
    if sorted(levels) != list(range(1, len(levels) + 1)):
        raise RuleFileError(str(path), line_of(data, ("levels",)), "levels must be numbered 1..N")
    model = Model(mf, str(path))
    for i, a in enumerate(mf.areas):
        if a.applies_if:
            where = (str(path), line_of(data, ("areas", i, "applies_if")))
            model.area_conditions[a.id] = compile_expression(a.applies_if, set(mf.thresholds), where)
    return model


def _add_rules(model: Model, data: LineDict, path: Path, overriding: bool) -> None:
    rf: RuleFile = _validate(RuleFile, data, path)
    if rf.model != model.id:
        raise RuleFileError(str(path), line_of(data, ("model",)), f"rules are for model {rf.model!r}, but the model loaded is {model.id!r}")
    ids_here: set[str] = set()
    practice_ids = [p.id for p in model.practices]
    for i, rd in enumerate(rf.rules):
        line = line_of(data, ("rules", i))
        origin = f"{path}:{line}"
        if rd.id in ids_here:
            raise RuleFileError(str(path), line, f"duplicate rule id {rd.id!r}")
        ids_here.add(rd.id)
        if rd.id in model.rules and not overriding:
            raise RuleFileError(str(path), line, f"rule id {rd.id!r} is already defined at {model.rules[rd.id].origin}")
        if rd.disabled:
            model.rules.pop(rd.id, None)
            continue
        if rd.practice not in practice_ids:
            hint = difflib.get_close_matches(rd.practice, practice_ids, n=1)
            suggestion = f" (did you mean {hint[0]}?)" if hint else ""
            raise RuleFileError(str(path), line_of(data, ("rules", i, "practice")), f"unknown practice id {rd.practice!r}{suggestion}")
        thresholds = set(model.definition.thresholds)
        expr = compile_expression(rd.expression, thresholds, (str(path), line_of(data, ("rules", i, "expression"))))
        cond = None
        if rd.applies_if:
            cond = compile_expression(rd.applies_if, thresholds, (str(path), line_of(data, ("rules", i, "applies_if"))))
        model.rules[rd.id] = Rule(rd, expr, cond, origin)


def _yaml_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    return [path]


def builtin_models_dir() -> Path:
    return Path(str(resources.files("rules")))


def load_model(model: str = DEFAULT_MODEL, extra_rules: list[Path] | None = None) -> Model:
    """Load a built-in model by id, or a model directory/file by path, plus override rules.

    A path given in `extra_rules` may be a rule file, a directory of rule files, or a directory
    holding a `model.yaml` (a whole model, which then replaces the one named by `model`).
    """
    extra = list(extra_rules or [])
    for p in extra:
        if not p.exists():
            raise RuleFileError(str(p), None, "no such file or directory")
    parsed = {p: _read_yaml(p) for p in extra if p.is_file()}  # each file is read once
    model_dirs = [p for p in extra if p.is_dir() and (p / "model.yaml").is_file()]
    model_files = [p for p, data in parsed.items() if "practices" in data]
    if len(model_dirs) + len(model_files) > 1:
        raise RuleFileError(str((model_dirs + model_files)[1]), None, "more than one model given; pass one model and any number of rule files")
    if model_dirs:
        base_dir: Path | None = model_dirs[0]
        extra.remove(model_dirs[0])
        model_path = base_dir / "model.yaml"
    elif model_files:
        base_dir = None
        model_path = model_files[0]
        extra.remove(model_path)
    else:
        base_dir = builtin_models_dir() / model
        model_path = base_dir / "model.yaml"
        if not model_path.is_file():
            known = sorted(d.name for d in builtin_models_dir().iterdir() if (d / "model.yaml").is_file())
            raise RuleFileError(model, None, f"unknown model (built-in models: {', '.join(known)})")
    loaded = _build_model(parsed.get(model_path) or _read_yaml(model_path), model_path)
    if base_dir is not None:
        for f in _yaml_files(base_dir):
            if f.name != "model.yaml":
                _add_rules(loaded, _read_yaml(f), f, overriding=False)
    for p in extra:
        for f in _yaml_files(p):
            data = parsed[f] if f in parsed else _read_yaml(f)
            if "practices" in data:
                raise RuleFileError(str(f), data.line, "a model file among override rules; pass the model's directory instead")
            _add_rules(loaded, data, f, overriding=True)
    return loaded


def check_paths(paths: list[Path], model: str = DEFAULT_MODEL) -> Model:
    """Validate user model/rule files (as `maturity rules check` does); raises on the first problem."""
    return load_model(model, paths)
