"""The `maturity` command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table
from typer.exceptions import TyperException

from scanner.errors import MaturityError, UsageError

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Continuous-Delivery maturity, inferred from evidence.", pretty_exceptions_enable=False)
rules_app = typer.Typer(no_args_is_help=True, help="Validate and list maturity models and rules.")
config_app = typer.Typer(no_args_is_help=True, help="Validate configuration files.")
app.add_typer(rules_app, name="rules")
app.add_typer(config_app, name="config")

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_GATE = 0, 1, 2, 3
FORMAT_NAMES = ("table", "json", "markdown")


def _level_number(value: str, level_names: dict[str, int]) -> int:
    key = value.strip().lower()
    if key.isdigit():
        return int(key)
    if key in level_names:
        return level_names[key]
    ids = [k for k in level_names if " " not in k]
    raise UsageError(f"--fail-under: unknown level {value!r} (use a number or one of: {', '.join(ids)})")


@app.command()
def scan(
    path: Annotated[str, typer.Argument(help="A local checkout or directory.")] = ".",
    format: Annotated[str, typer.Option("--format", "-f", help="table | json | markdown")] = "table",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the report to FILE instead of standard output.")] = None,
    config: Annotated[Optional[Path], typer.Option("--config", "-c", help="Configuration file (TOML).")] = None,
    rules: Annotated[Optional[list[Path]], typer.Option("--rules", help="Rule file or folder that adds or overrides rules (repeatable).")] = None,
    fail_under: Annotated[Optional[str], typer.Option("--fail-under", help="Exit 3 when the overall level is below LEVEL (1-5 or a level name).")] = None,
) -> None:
    """Scan a repository and report its CD maturity level per area, with the evidence behind it."""
    from scanner.config import load_settings, read_config_file
    from scanner.formats import FORMATS
    from scanner.scan import ScanOptions, prepare_model, scan_path

    if format not in FORMATS:
        raise UsageError(f"--format: unknown format {format!r} (use {', '.join(FORMAT_NAMES)})")
    data, text = read_config_file(config) if config is not None else ({}, None)
    options = ScanOptions(settings=load_settings(config, data), config_path=config, config_text=text, rules=list(rules or []))
    prepared = prepare_model(options)
    model = prepared[0]
    gate = None
    if fail_under is not None:
        names = {lv.id: lv.number for lv in model.definition.levels} | {lv.name.lower(): lv.number for lv in model.definition.levels}
        gate = _level_number(fail_under, names)
        if not 1 <= gate <= max(names.values()):
            raise UsageError(f"--fail-under: level {gate} is outside 1..{max(names.values())}")
    report = scan_path(path, options, prepared)
    if output is not None:
        try:
            with output.open("w", encoding="utf-8") as stream:
                FORMATS[format].write(report, stream, color=False)
        except OSError as exc:
            raise UsageError(f"--output: cannot write {output}: {exc.strerror}") from None
    else:
        FORMATS[format].write(report, sys.stdout, color=sys.stdout.isatty())
    if gate is not None and report.overall.level < gate:
        Console(stderr=True, soft_wrap=True).print(f"maturity gate: overall level {report.overall.level} is below {gate}")
        raise typer.Exit(EXIT_GATE)


@rules_app.command("check")
def rules_check(
    paths: Annotated[list[Path], typer.Argument(help="Rule files, rule folders, or a model folder.")],
    model: Annotated[str, typer.Option(help="Model the rules are for.")] = "cd-maturity",
) -> None:
    """Validate rule or model files; prints `file:line: reason` for the first problem."""
    from scanner.model import check_paths

    loaded = check_paths(paths, model)
    print(f"ok: model {loaded.id} {loaded.definition.version}: {len(loaded.practices)} practices, {len(loaded.rules)} rules")


@rules_app.command("list")
def rules_list(
    model: Annotated[str, typer.Option(help="Model id.")] = "cd-maturity",
    rules: Annotated[Optional[list[Path]], typer.Option("--rules", help="Extra rule files or folders.")] = None,
) -> None:
    """Print every practice with its kind and rules."""
    from scanner.model import load_model

    loaded = load_model(model, list(rules or []))
    console = Console(highlight=False)
    table = Table(title=f"{loaded.definition.name} ({loaded.id} {loaded.definition.version})")
    table.add_column("Practice", no_wrap=True)
    table.add_column("Kind")
    table.add_column("Seen from")
    table.add_column("Rules")
    for p in loaded.practices:
        rs = loaded.rules_for(p.id)
        words = "\n".join(f"{r.id}: {r.expression.source}" for r in rs) or "— (attest)"
        table.add_row(f"{p.id}\n{p.words}", p.kind, ", ".join(p.seen_from), words)
    console.print(table)


@config_app.command("check")
def config_check(file: Annotated[Path, typer.Argument(help="Configuration file (TOML).")]) -> None:
    """Validate a configuration file, one line per problem."""
    from scanner.config import check_config

    problems = check_config(file)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        raise typer.Exit(EXIT_USAGE)
    print(f"ok: {file}")


@app.command()
def signals(format: Annotated[str, typer.Option("--format", "-f", help="table | json")] = "table") -> None:
    """List the signal catalog (the keys of the report's `signals`)."""
    from dataclasses import asdict

    from scanner.signals import CATALOG

    if format == "json":
        print(json.dumps([asdict(s) for s in CATALOG.values()], indent=2))
        return
    table = Table(title="Signals")
    for col in ("Key", "Type", "Merge", "Seen in", "Meaning"):
        table.add_column(col)
    for s in CATALOG.values():
        table.add_row(s.key, s.type, s.merge, s.origin, s.description)
    Console(highlight=False).print(table)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the scan report."""
    from scanner.schema import report_schema

    print(json.dumps(report_schema(), indent=2))


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    args = [a for a in args if a != "--debug"]
    if not args or args in (["rules"], ["config"]):
        args.append("--help")
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        result = app(args=args, prog_name="maturity", standalone_mode=False)
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        err.print("aborted")
        return EXIT_FAILURE
    except TyperException as exc:
        err.print(f"error: {exc.format_message()}", markup=False)
        return EXIT_USAGE
    except MaturityError as exc:
        if debug:
            raise
        err.print(f"error: {exc}", markup=False)
        return exc.exit_code
    except KeyboardInterrupt:
        err.print("interrupted")
        return 130
    except Exception as exc:  # noqa: BLE001 - one clean line unless --debug
        if debug:
            raise
        err.print(f"error: unexpected {type(exc).__name__}: {exc} (run with --debug for the traceback)", markup=False)
        return EXIT_FAILURE
    # Without standalone mode, an exit code raised inside a command comes back as the result.
    return result if isinstance(result, int) else EXIT_OK


def entry() -> None:
    sys.exit(main())
