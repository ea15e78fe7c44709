"""The `maturity` command line."""

from __future__ import annotations

import json
import logging
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

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_GATE, EXIT_PARTIAL = 0, 1, 2, 3, 4
FORMAT_NAMES = ("table", "json", "markdown", "jsonl")


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
    targets: Annotated[Optional[list[str]], typer.Argument(help="Local paths, github:OWNER[/REPO], gitlab:GROUP[/PROJECT], jenkins:URL[/job/FOLDER]. Default: the config's targets, else '.'.", show_default=False)] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table | json | markdown | jsonl (one report per line)")] = "table",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the report to FILE instead of standard output.")] = None,
    config: Annotated[Optional[Path], typer.Option("--config", "-c", help="Configuration file (TOML).")] = None,
    rules: Annotated[Optional[list[Path]], typer.Option("--rules", help="Rule file or folder that adds or overrides rules (repeatable).")] = None,
    fail_under: Annotated[Optional[str], typer.Option("--fail-under", help="Exit 3 when an overall level is below LEVEL (1-5 or a level name).")] = None,
    github_url: Annotated[Optional[str], typer.Option("--github-url", help="GitHub API base URL (GitHub Enterprise Server: https://HOST/api/v3).")] = None,
    gitlab_url: Annotated[Optional[str], typer.Option("--gitlab-url", help="GitLab instance URL (self-managed: https://gitlab.example.com).")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 4 when any repository could not be scanned.")] = False,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the API cache (ETags, trees, files, history).")] = False,
    include_archived: Annotated[bool, typer.Option("--include-archived", help="Scan an owner's archived repositories too.")] = False,
    include_forks: Annotated[bool, typer.Option("--include-forks", help="Scan an owner's forks too.")] = False,
    database: Annotated[Optional[str], typer.Option("--database", help="Store results here (SQLAlchemy URL). Default with --config: [scanner] database, else maturity.db beside the config.")] = None,
    no_store: Annotated[bool, typer.Option("--no-store", help="Do not store the results, even with --config.")] = False,
) -> None:
    """Scan repositories and report their CD maturity level per area, with the evidence behind it."""
    from scanner.config import load_settings, read_config_file
    from scanner.formats import FORMATS
    from scanner.scan import RemoteOptions, ScanOptions, is_single_repository, prepare_model, target_entry

    if format not in FORMATS and format != "jsonl":
        raise UsageError(f"--format: unknown format {format!r} (use {', '.join(FORMAT_NAMES)})")
    data, text = read_config_file(config) if config is not None else ({}, None)
    options = ScanOptions(settings=load_settings(config, data), config_path=config, config_text=text, rules=list(rules or []))
    _setup_logging(options)
    if include_archived or include_forks:
        gh = options.settings.github.model_copy(update={"include_archived": include_archived or options.settings.github.include_archived,
                                                        "include_forks": include_forks or options.settings.github.include_forks})
        options.settings = options.settings.model_copy(update={"github": gh})
    entries = [target_entry(t) for t in targets or []]
    from_config = not entries and bool(options.settings.targets)
    if from_config:
        entries = list(options.settings.targets)
    if not entries:
        entries = [target_entry(".")]
    prepared = prepare_model(options)
    model = prepared[0]
    gate = None
    if fail_under is not None:
        names = {lv.id: lv.number for lv in model.definition.levels} | {lv.name.lower(): lv.number for lv in model.definition.levels}
        gate = _level_number(fail_under, names)
        if not 1 <= gate <= max(names.values()):
            raise UsageError(f"--fail-under: level {gate} is outside 1..{max(names.values())}")
    remote = RemoteOptions(github_url=github_url, gitlab_url=gitlab_url, cache=not no_cache)
    single = len(entries) == 1 and not from_config
    store = None
    if not no_store and (database is not None or config is not None):
        from scanner.runner import open_store

        store = open_store(options, database)
    try:
        if single and is_single_repository(entries[0]) and store is None and format != "jsonl":
            _write_single(_scan_one(entries[0], options, prepared, remote), output, format, gate)
            return
        names = [*(targets or [])] or [_entry_name(e) for e in entries]
        if format == "jsonl":
            _scan_jsonl(entries, names, options, prepared, remote, store, output, gate, strict)
            return
        run, usage = _scan_run(entries, names, options, prepared, remote, store)
    finally:
        if store is not None:
            store.close()
    one_repository = is_single_repository(entries[0]) or (entries[0].kind == "gitlab" and entries[0].name in usage.get("gitlab_projects", ()))
    if single and one_repository and len(run.reports) == 1 and not run.failures:
        # one repository asked for (gitlab:GROUP/PROJECT may be either, until GitLab says): its report
        _write_single(run.reports[0], output, format, gate)
        return
    _write(output, lambda stream, color: FORMATS[format].write_run(run, stream, color))
    err = Console(stderr=True, soft_wrap=True, highlight=False)
    if run.failures:
        err.print(f"{len(run.failures)} of {len(run.failures) + len(run.reports)} repositories could not be scanned", markup=False)
    if gate is not None:
        below = [r.target.name for r in run.reports if r.overall.level < gate]
        if below:
            err.print(f"maturity gate: {len(below)} repositories below level {gate}: {', '.join(below[:10])}{' …' if len(below) > 10 else ''}", markup=False)
            raise typer.Exit(EXIT_GATE)
    if strict and run.failures:
        raise typer.Exit(EXIT_PARTIAL)


def _scan_jsonl(entries, names, options, prepared, remote, store, output: Optional[Path], gate: Optional[int], strict: bool) -> None:  # noqa: ANN001
    """One line per repository, written as each one is judged (a crash loses nothing already written)."""
    try:
        stream = output.open("w", encoding="utf-8") if output is not None else sys.stdout
    except OSError as exc:
        raise UsageError(f"--output: cannot write {output}: {exc.strerror}") from None

    def line(report) -> None:  # noqa: ANN001
        stream.write(report.model_dump_json() + "\n")
        stream.flush()

    try:
        run, _usage = _scan_run(entries, names, options, prepared, remote, store, on_report=line)
    finally:
        if output is not None:
            stream.close()
    err = Console(stderr=True, soft_wrap=True, highlight=False)
    for failure in run.failures:
        err.print(f"not scanned: {failure.target}: {failure.error}", markup=False)
    if gate is not None and any(r.overall.level < gate for r in run.reports):
        raise typer.Exit(EXIT_GATE)
    if strict and run.failures:
        raise typer.Exit(EXIT_PARTIAL)


def _write_single(report, output: Optional[Path], format: str, gate: Optional[int]) -> None:  # noqa: ANN001
    from scanner.formats import FORMATS

    _write(output, lambda stream, color: FORMATS[format].write(report, stream, color))
    if gate is not None and report.overall.level < gate:
        Console(stderr=True, soft_wrap=True).print(f"maturity gate: overall level {report.overall.level} is below {gate}")
        raise typer.Exit(EXIT_GATE)


def _entry_name(entry) -> str:  # noqa: ANN001
    if entry.kind == "local":
        return entry.path
    return f"{entry.kind}:{entry.name or entry.url}"


def _write(output: Optional[Path], render) -> None:  # noqa: ANN001
    if output is not None:
        try:
            with output.open("w", encoding="utf-8") as stream:
                render(stream, False)
        except OSError as exc:
            raise UsageError(f"--output: cannot write {output}: {exc.strerror}") from None
    else:
        render(sys.stdout, sys.stdout.isatty())


def _scan_one(entry, options, prepared, remote):  # noqa: ANN001, ANN202
    """One repository, unstored: a local path (a bad one is a usage error), or through the runner."""
    from scanner.errors import CollectorError
    from scanner.runner import run
    from scanner.scan import scan_path

    if entry.kind == "local":
        return scan_path(entry.path, options, prepared)
    result = run([entry], [_entry_name(entry)], options, prepared, remote=remote)
    if result.failures:
        raise CollectorError(f"{result.failures[0].target}: {result.failures[0].error}")
    if not result.reports:
        raise CollectorError(f"{_entry_name(entry)}: nothing to scan")
    return result.reports[0]


def _scan_run(entries, names: list[str], options, prepared, remote, store=None, on_report=None):  # noqa: ANN001, ANN202
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from scanner.errors import CollectorError
    from scanner.runner import run

    usage: dict = {}
    failures: list = []
    show = sys.stderr.isatty()
    progress = Progress(TextColumn("[bold]scanning[/bold] {task.description}"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.fields[errors]} errors · {task.fields[left]}"), TimeElapsedColumn(),
                        console=Console(stderr=True), transient=True, disable=not show)
    local = sum(e.kind == "local" for e in entries)
    remote_totals: list[int] = []  # one per API collector, as it says how many repositories (or jobs) it has
    with progress:
        task = progress.add_task("repositories", total=local or None, errors=0, left="")

        def left() -> str:
            return ", ".join(f"{provider}: {min(u.remaining.values())} left" for provider in ("github", "gitlab")
                             if (u := usage.get(provider)) is not None and u.remaining)

        def tick(name: str, done: int, total: int) -> None:
            if done == 1 or not remote_totals:
                remote_totals.append(total)
            remote_totals[-1] = total
            progress.update(task, total=local + sum(remote_totals), description=name, left=left())

        def finished(name: str) -> None:
            progress.update(task, advance=1, description=name, left=left())

        def reported(report) -> None:  # noqa: ANN001
            finished(report.target.name)
            if on_report is not None:
                on_report(report)

        def failed(failure) -> None:  # noqa: ANN001
            failures.append(failure)
            progress.update(task, errors=len(failures))
            finished(failure.target)
            logging.getLogger("maturity").info("%s: %s", failure.target, failure.error)

        remote.progress = tick
        result = run(entries, names, options, prepared, remote=remote, store=store, trigger="cli", on_report=reported,
                     on_failure=failed, usage=usage)
    if result.failures and not result.reports:
        first = result.failures[0]
        more = f" (and {len(result.failures) - 1} more failed)" if len(result.failures) > 1 else ""
        raise CollectorError(f"nothing could be scanned: {first.target}: {first.error}{more}")
    return result, usage


class _Redact(logging.Filter):
    """Takes secrets out of every log line, whatever logged it."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s and len(s) >= 4]

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            text = record.getMessage()
            for secret in self.secrets:
                text = text.replace(secret, "***")
            record.msg, record.args = text, ()
        return True


def _setup_logging(options) -> None:  # noqa: ANN001
    """Warnings (rate-limit waits, failed repositories) to standard error, with secrets redacted."""
    import os

    secrets = [os.environ.get(name, "") for name in ("GITHUB_TOKEN", "GH_TOKEN", "GITLAB_TOKEN", "JENKINS_TOKEN")]
    for section in (options.settings.github, options.settings.gitlab, options.settings.jenkins):
        if section.token is not None:
            secrets.append(section.token.get_secret_value())
    logger = logging.getLogger("maturity")
    for handler in list(logger.handlers):
        if getattr(handler, "_maturity", False):
            logger.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler._maturity = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    handler.addFilter(_Redact(secrets))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO if os.environ.get("MATURITY_VERBOSE") else logging.WARNING)
    logger.propagate = True


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
def schema(
    document: Annotated[str, typer.Argument(help="report (one repository) | run (an org scan or many targets)")] = "report",
) -> None:
    """Print the JSON Schema of the scan report, or of the run document."""
    from scanner.schema import report_schema, run_schema

    if document not in ("report", "run"):
        raise UsageError(f"schema: unknown document {document!r} (use report or run)")
    print(json.dumps(report_schema() if document == "report" else run_schema(), indent=2))


from scanner import cli_store  # noqa: E402 - the store commands register on the same app

cli_store.register(app)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    args = [a for a in args if a != "--debug"]
    if not args or args in (["rules"], ["config"], ["db"]):
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
        err.print(f"error: {_redacted(str(exc))}", markup=False)
        return exc.exit_code
    except KeyboardInterrupt:
        err.print("interrupted")
        return 130
    except Exception as exc:  # noqa: BLE001 - one clean line unless --debug
        if debug:
            raise
        err.print(f"error: unexpected {type(exc).__name__}: {_redacted(str(exc))} (run with --debug for the traceback)", markup=False)
        return EXIT_FAILURE
    # Without standalone mode, an exit code raised inside a command comes back as the result.
    return result if isinstance(result, int) else EXIT_OK


def _redacted(text: str) -> str:
    import os

    for name in ("GITHUB_TOKEN", "GH_TOKEN", "MATURITY_GITHUB__TOKEN", "GITLAB_TOKEN", "MATURITY_GITLAB__TOKEN", "JENKINS_TOKEN",
                 "MATURITY_JENKINS__TOKEN"):
        secret = os.environ.get(name)
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return text


def entry() -> None:
    sys.exit(main())
