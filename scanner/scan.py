"""The scan pipeline: collect -> evidence -> signals -> verdicts -> levels -> one report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import scanner
from collectors.interface import Collection
from collectors.local import LocalCollector, LocalSettings
from scanner.attestations import Attestation, attestation_evidence, parse_attestations
from scanner.config import Settings
from scanner.errors import ConfigError, UsageError
from scanner.evidence import Evidence, utcnow
from scanner.levels import infer_levels
from scanner.model import Model, load_model
from scanner.report import ModelInfo, ScanReport, ToolInfo
from scanner.signals import fold
from scanner.verdicts import judge


@dataclass
class ScanOptions:
    settings: Settings = field(default_factory=Settings)
    """The loaded configuration."""
    config_path: Path | None = None
    """Where the configuration came from, for locators of its attestations."""
    config_text: str | None = None
    """The configuration file's text, read once, for the line numbers of its attestations."""
    rules: list[Path] = field(default_factory=list)
    """Extra rule files / folders from the command line."""


def prepare_model(options: ScanOptions) -> tuple[Model, dict[str, float]]:
    extra = [Path(p) for p in options.settings.scanner.rules] + list(options.rules)
    model_ref = options.settings.scanner.model
    if Path(model_ref).is_dir():
        model = load_model(extra_rules=[Path(model_ref), *extra])
    else:
        model = load_model(model_ref, extra)
    thresholds = model.threshold_defaults
    unknown = sorted(set(options.settings.thresholds) - set(thresholds))
    if unknown:
        raise ConfigError(f"{options.config_path or 'config'}: thresholds: unknown threshold(s) {', '.join(unknown)} (known: {', '.join(sorted(thresholds))})")
    thresholds.update({k: float(v) for k, v in options.settings.thresholds.items()})
    return model, thresholds


def config_attestations(options: ScanOptions) -> list[tuple[Attestation, str]]:
    origin = str(options.config_path or "config")
    found, problems = parse_attestations(options.settings.attestations or None, origin, options.config_text)
    if problems:
        raise ConfigError(problems[0])
    return found


def build_report(model: Model, collection: Collection, thresholds: dict[str, float], extra_attestations: list[tuple[Attestation, str]], today: date | None = None) -> ScanReport:
    """Fold a collection into signals, judge every practice and infer levels."""
    warnings = list(collection.warnings)
    attested, att_warnings = attestation_evidence(
        [*extra_attestations, *collection.attestations], {p.id for p in model.practices}, today or date.today()
    )
    warnings.extend(att_warnings)
    ordered = sorted(collection.evidence, key=lambda e: (e.key, e.locator, e.observed))
    evidence: list[Evidence] = [e.model_copy(update={"id": f"e{i}"}) for i, e in enumerate(ordered, 1)]
    start = len(evidence) + 1
    attestations: dict[str, Evidence] = {}
    for offset, (practice, e) in enumerate(sorted(attested.items())):
        attestations[practice] = e.model_copy(update={"id": f"e{start + offset}"})
    evidence.extend(attestations.values())
    signals = fold(evidence)
    verdicts = judge(model, signals, evidence, thresholds, attestations, warnings)
    areas, overall = infer_levels(model, verdicts)
    return ScanReport(
        tool=ToolInfo(name="maturity-scanner", version=scanner.__version__),
        model=ModelInfo(id=model.id, version=model.definition.version, name=model.definition.name),
        scanned_at=utcnow(),
        target=collection.target,
        evidence=evidence,
        signals=signals,
        practices=verdicts,
        areas=areas,
        overall=overall,
        thresholds=thresholds,
        warnings=warnings,
    )


def scan_path(path: str, options: ScanOptions, prepared: tuple[Model, dict[str, float]] | None = None) -> ScanReport:
    """Scan a local checkout. `prepared` is the result of `prepare_model` when the caller has it already."""
    if not path:
        raise UsageError("no path given")
    model, thresholds = prepared or prepare_model(options)
    attestations = config_attestations(options)
    collector = LocalCollector(LocalSettings(production_patterns=tuple(options.settings.scanner.production_patterns)))
    collection = collector.collect(path)
    return build_report(model, collection, thresholds, attestations)
