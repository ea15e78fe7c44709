"""`maturity daemon`: scans the configured targets on a schedule, stores the results, and serves them over HTTP.

One process holds the store's `daemon` lock row (heartbeated from a thread); a second daemon on the same
database refuses to start. Scans run one at a time, from an APScheduler 3 `BackgroundScheduler` (in-memory job
store) or from `POST /api/scans`. SIGTERM / SIGINT stop the scan between repositories (the runner records it
as interrupted), stop the scheduler and the HTTP server, release the lock and close the store.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import sys
import threading
import time
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit
from uuid import uuid4

from scanner.errors import MaturityError

if TYPE_CHECKING:
    from scanner.run_report import RunReport
    from scanner.scan import ScanOptions

log = logging.getLogger("maturity.daemon")

LOCK_NAME = "daemon"
HEARTBEAT_S = 5.0
"""Seconds between heartbeats of the lock row."""
DEFAULT_INTERVAL_S = 3600
"""Seconds between scans when the config gives neither `cron` nor `interval_seconds`."""
SHUTDOWN_SCAN_WAIT_S = 8.0
"""How long a shutdown waits for a running scan to stop between repositories."""
EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_REFUSED = 2


def stale_after(heartbeat_s: float = HEARTBEAT_S) -> int:
    """Seconds without a heartbeat after which another daemon may take the lock."""
    return int(max(60, 3 * heartbeat_s))


def make_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid4().hex[:8]}"


def _holder_is_dead(holder: str) -> bool:
    """True when `holder` names a process of this host that no longer runs (a daemon that was killed)."""
    parts = holder.rsplit(":", 2)
    if len(parts) != 3 or parts[0] != socket.gethostname():
        return False
    try:
        pid = int(parts[1])
    except ValueError:
        return False
    if pid <= 0 or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def _setup_logging() -> None:
    parent = logging.getLogger("maturity")
    if not parent.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        parent.addHandler(handler)
        if parent.level == logging.NOTSET:
            parent.setLevel(logging.WARNING)
    log.setLevel(logging.INFO)


def _say(line: str) -> None:
    """One line to standard error, flushed (start-up refusals, the listening address)."""
    print(line, file=sys.stderr, flush=True)


def _utc(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.isoformat()


def jsonable(obj: Any) -> Any:
    """Store rows (dataclasses, named tuples, pydantic models) as plain JSON values."""
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    if isinstance(obj, datetime):
        return _utc(obj)
    if isinstance(obj, date):
        return obj.isoformat()
    if hasattr(obj, "model_dump"):
        return obj.model_dump(mode="json")
    if is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: jsonable(getattr(obj, f.name)) for f in fields(obj)}
    if hasattr(obj, "_asdict"):
        return {k: jsonable(v) for k, v in obj._asdict().items()}
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in obj]
    return str(obj)


def repo_summary(result: Any) -> dict[str, Any]:
    """One entry of `GET /api/repos`."""
    report = getattr(result, "report", None)
    scanned_at = getattr(report, "scanned_at", None) or getattr(result, "created_at", None)
    return {
        "provider": result.provider,
        "name": result.name,
        "url": result.url,
        "scan_id": result.scan_id,
        "scanned_at": _utc(scanned_at),
        "overall_level": result.overall_level,
        "area_levels": jsonable(result.area_levels),
    }


@dataclass
class LastScan:
    trigger: str
    started_at: datetime
    finished_at: datetime
    report: RunReport | None
    error: str | None = None

    @property
    def duration_s(self) -> float:
        return max(0.0, (self.finished_at - self.started_at).total_seconds())

    @property
    def errors(self) -> int:
        if self.report is None:
            return 1
        return len(self.report.failures)

    def as_json(self) -> dict[str, Any]:
        return {
            "trigger": self.trigger,
            "scan_id": getattr(self.report, "scan_id", None),
            "status": (getattr(self.report, "status", None) or "completed") if self.report is not None else "failed",
            "started_at": _utc(self.started_at),
            "finished_at": _utc(self.finished_at),
            "duration_seconds": round(self.duration_s, 3),
            "repositories": len(self.report.reports) if self.report is not None else 0,
            "failures": self.errors if self.report is not None else 0,
            "error": self.error,
        }


class Daemon:
    """The daemon's state, shared by the scheduler's job, the HTTP handlers and the shutdown."""

    def __init__(self, options: ScanOptions, store: Any, holder: str) -> None:
        self.options = options
        self.store = store
        self.holder = holder
        self.stop = threading.Event()
        """Set on shutdown: the runner stops between repositories."""
        self.done = threading.Event()
        """Set when the daemon should shut down (a signal, a lost lock)."""
        self.exit_code = EXIT_OK
        self._scan_lock = threading.Lock()
        """Held while a scan runs: one scan at a time."""
        self._state_lock = threading.Lock()
        self.last: LastScan | None = None
        self.scans_total = 0
        self._threads: list[threading.Thread] = []

    # -- scans ---------------------------------------------------------------------------------------

    @property
    def scanning(self) -> bool:
        return self._scan_lock.locked()

    def start_scan(self, trigger: str) -> threading.Thread | None:
        """Start a scan in a thread of its own; None when one is running already (or the daemon stops)."""
        if self.stop.is_set() or not self._scan_lock.acquire(blocking=False):
            return None
        try:
            thread = threading.Thread(target=self._scan, args=(trigger,), name=f"maturity-scan-{trigger}", daemon=True)
            with self._state_lock:
                self._threads = [t for t in self._threads if t.is_alive()] + [thread]
            thread.start()
        except BaseException:
            self._scan_lock.release()
            raise
        return thread

    def scheduled_scan(self) -> None:
        """The scheduler's job: a scan, waited for (so `max_instances=1` means something) until a shutdown gives up on it."""
        thread = self.start_scan("daemon")
        if thread is None:
            if not self.stop.is_set():
                log.info("scheduled scan skipped: a scan is running")
            return
        while thread.is_alive():
            thread.join(0.5)
            if self.done.is_set() and self.stop.is_set():
                # The shutdown waits for the scan itself; the executor's thread must not keep the process alive.
                return

    def _scan(self, trigger: str) -> None:
        from scanner.runner import run_configured

        started = datetime.now(timezone.utc)
        targets = len(self.options.settings.targets)
        log.info("scan started (%s): %d target(s)", trigger, targets)
        report = None
        error = None
        try:
            report = run_configured(self.options, self.store, trigger=trigger, stop=self.stop)
        except Exception as exc:  # noqa: BLE001 - one line, and the daemon goes on
            error = " ".join(f"{type(exc).__name__}: {exc}".split()) if not isinstance(exc, MaturityError) else " ".join(str(exc).split())
            log.error("scan failed (%s): %s", trigger, error)
        finally:
            finished = datetime.now(timezone.utc)
            last = LastScan(trigger, started, finished, report, error)
            with self._state_lock:
                self.last = last
                self.scans_total += 1
            self._scan_lock.release()
        if report is not None:
            usage = ", ".join(f"{u.provider} {u.requests} request(s)" for u in report.api)
            state = {"completed": "finished"}.get(str(getattr(report, "status", None) or "completed"), str(getattr(report, "status", "")))
            log.info("scan %s (%s) in %.1fs: %d repositories scanned, %d failed%s", state, trigger, last.duration_s,
                     len(report.reports), len(report.failures), f"; API: {usage}" if usage else "")

    def wait_for_scans(self, timeout: float) -> bool:
        """Wait for running scans to end; False when one still runs after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._state_lock:
            threads = list(self._threads)
        for t in threads:
            t.join(max(0.0, deadline - time.monotonic()))
        return not any(t.is_alive() for t in threads)

    # -- views ---------------------------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        with self._state_lock:
            last = self.last
        return {"status": "ok", "scanning": self.scanning, "last_scan": last.as_json() if last else None}

    def metrics_text(self) -> str:
        from scanner.metrics import render_metrics

        with self._state_lock:
            last, total = self.last, self.scans_total
        return render_metrics(
            self.store.latest_results(),
            last.report if last else None,
            last_duration_s=last.duration_s if last else None,
            last_errors=last.errors if last else None,
            scans_total=total,
            scanning=self.scanning,
        )

    # -- the lock --------------------------------------------------------------------------------------

    def heartbeat_loop(self, every: float = HEARTBEAT_S) -> None:
        while not self.done.wait(every):
            try:
                ok = self.store.heartbeat(LOCK_NAME, self.holder)
            except Exception as exc:  # noqa: BLE001 - a database hiccup; the next heartbeat tries again
                log.warning("lock heartbeat failed: %s", " ".join(str(exc).split()))
                continue
            if not ok:
                log.error("lost the daemon lock on %s (another daemon took it over); stopping", self.store.url_display)
                self.exit_code = EXIT_FAILURE
                self.stop.set()
                self.done.set()
                return


# -- HTTP -------------------------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    maturity: Daemon


class Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "maturity-scanner"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        log.debug("%s - %s", self.address_string(), format % args)

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, value: Any) -> None:
        self._send(status, json.dumps(value, ensure_ascii=False).encode("utf-8"), "application/json")

    def _dispatch(self, method: str) -> None:
        try:
            self._route(method)
        except BrokenPipeError:
            pass
        except Exception as exc:  # noqa: BLE001 - never a traceback to a client
            log.error("%s %s failed: %s: %s", method, self.path, type(exc).__name__, " ".join(str(exc).split()))
            try:
                self._json(500, {"error": "internal error"})
            except OSError:
                pass

    def do_GET(self) -> None:  # noqa: N802 - the base class's naming
        self._dispatch("GET")

    def do_HEAD(self) -> None:  # noqa: N802
        self._dispatch("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch("POST")

    def do_PUT(self) -> None:  # noqa: N802
        self._dispatch("PUT")

    def do_DELETE(self) -> None:  # noqa: N802
        self._dispatch("DELETE")

    def _route(self, method: str) -> None:
        d = self.server.maturity
        path = urlsplit(self.path).path
        parts = [unquote(p) for p in path.split("/") if p]
        if method == "GET" and parts == ["healthz"]:
            return self._json(200, d.health())
        if method == "GET" and parts == ["metrics"]:
            from scanner.metrics import CONTENT_TYPE

            return self._send(200, d.metrics_text().encode("utf-8"), CONTENT_TYPE)
        if parts[:2] == ["api", "scans"] and len(parts) == 2:
            if method == "GET":
                return self._json(200, [jsonable(s) for s in d.store.scans()])
            if method == "POST":
                self._drain()
                if d.start_scan("api") is None:
                    return self._json(409, {"error": "a scan is running"})
                return self._json(202, {"status": "started"})
            return self._json(405, {"error": f"method {method} not allowed"})
        if method == "GET" and parts == ["api", "repos"]:
            return self._json(200, [repo_summary(r) for r in d.store.latest_results()])
        if method == "GET" and len(parts) >= 4 and parts[:2] == ["api", "repos"]:
            provider, rest = parts[2], parts[3:]
            name = "/".join(rest)
            if rest[-1] == "history" and len(rest) >= 2:
                base = "/".join(rest[:-1])
                # A repository whose name ends in /history (owner "acme", repository "history") wins only when
                # there is no repository `base`.
                if d.store.latest_result(provider, base) is not None or d.store.latest_result(provider, name) is None:
                    rows = d.store.history(repo=base, provider=provider)
                    if not rows and d.store.latest_result(provider, base) is None:
                        return self._json(404, {"error": f"unknown repository {provider}/{base}"})
                    return self._json(200, [jsonable(r) for r in rows])
            result = d.store.latest_result(provider, name)
            if result is None:
                return self._json(404, {"error": f"unknown repository {provider}/{name}"})
            return self._json(200, result.report.model_dump(mode="json"))
        return self._json(404, {"error": "not found"})

    def _drain(self) -> None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        if 0 < length <= 1 << 20:
            self.rfile.read(length)


def parse_bind(bind: str) -> tuple[str, int]:
    host, sep, port = bind.rpartition(":")
    if not sep:
        raise ValueError(f"http.bind: expected HOST:PORT, got {bind!r}")
    host = host.strip("[]") or "127.0.0.1"
    try:
        number = int(port)
    except ValueError:
        raise ValueError(f"http.bind: bad port in {bind!r}") from None
    if not 0 <= number <= 65535:
        raise ValueError(f"http.bind: bad port in {bind!r}")
    return host, number


def make_server(daemon: Daemon, bind: str) -> _Server:
    host, port = parse_bind(bind)
    server_cls = _Server
    if ":" in host:
        server_cls = type("_Server6", (_Server,), {"address_family": socket.AF_INET6})
    server = server_cls((host, port), Handler)
    server.maturity = daemon
    return server


def make_trigger(settings: Any) -> tuple[Any, str]:
    """The scan job's trigger, and how to describe it."""
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    schedule = settings.schedule
    if schedule.cron:
        try:
            return CronTrigger.from_crontab(schedule.cron, timezone=timezone.utc), f"cron {schedule.cron!r} (UTC)"
        except ValueError as exc:
            raise ValueError(f"schedule.cron: {' '.join(str(exc).split())}") from None
    seconds = schedule.interval_seconds or DEFAULT_INTERVAL_S
    return IntervalTrigger(seconds=seconds), f"every {seconds}s"


# -- the entry point ---------------------------------------------------------------------------------------


def run_daemon(config: Path, database: str | None = None) -> int:
    """Run the daemon until SIGTERM / SIGINT. 0 after a clean shutdown, 2 when it cannot start (a bad config,
    another daemon holding the database's lock), 1 when it lost its lock or could not open the store."""
    _setup_logging()
    from scanner.config import check_config
    from scanner.errors import ConfigError
    from scanner.runner import load_options, open_store
    from scanner.scan import prepare_model

    try:
        options = load_options(Path(config))
        problems = check_config(Path(config))
        if problems:
            raise ConfigError(problems[0])
        if not options.settings.targets:
            raise ConfigError(f"{config}: no [[targets]] to scan")
        prepare_model(options)  # a bad model, rule file or threshold stops the start, not every scan
        trigger, trigger_text = make_trigger(options.settings)
        parse_bind(options.settings.http.bind)
    except MaturityError as exc:
        _say(f"error: {' '.join(str(exc).split())}")
        return exc.exit_code if exc.exit_code != EXIT_OK else EXIT_FAILURE
    except ValueError as exc:
        _say(f"error: {config}: {' '.join(str(exc).split())}")
        return EXIT_REFUSED
    try:
        store = open_store(options, database)
    except MaturityError as exc:
        _say(f"error: {' '.join(str(exc).split())}")
        return exc.exit_code or EXIT_FAILURE
    except Exception as exc:  # noqa: BLE001 - a StoreError or a driver error: one line
        _say(f"error: cannot open the store: {type(exc).__name__}: {' '.join(str(exc).split())}")
        return EXIT_FAILURE
    try:
        return _run(options, store, trigger, trigger_text)
    finally:
        try:
            store.close()
        except Exception as exc:  # noqa: BLE001
            log.warning("closing the store failed: %s", " ".join(str(exc).split()))


def _take_lock(store: Any, holder: str) -> bool:
    if store.acquire_lock(LOCK_NAME, holder, stale_after()):
        return True
    current = store.lock_holder(LOCK_NAME)
    if current is not None and _holder_is_dead(current[0]):
        # A daemon of this host that was killed: its process is gone, no need to wait for the lock to go stale.
        log.warning("taking over the lock of %s, whose process is gone", current[0])
        store.release_lock(LOCK_NAME, current[0])
        return bool(store.acquire_lock(LOCK_NAME, holder, stale_after()))
    return False


def _run(options: ScanOptions, store: Any, trigger: Any, trigger_text: str) -> int:
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.jobstores.memory import MemoryJobStore
    from apscheduler.schedulers.background import BackgroundScheduler

    holder = make_holder()
    if not _take_lock(store, holder):
        current = store.lock_holder(LOCK_NAME)
        who, seen = (current[0], _utc(current[1])) if current else ("unknown", None)
        _say(f"error: another daemon ({who}, last seen {seen or 'unknown'}) is scanning {store.url_display}; not starting")
        return EXIT_REFUSED

    daemon = Daemon(options, store, holder)
    server: _Server | None = None
    scheduler = None
    heart: threading.Thread | None = None
    previous: dict[int, Any] = {}
    try:
        interrupted = store.mark_interrupted()
        if interrupted:
            log.warning("marked %d scan(s) left running by a stopped daemon as interrupted", interrupted)

        def on_signal(signum: int, frame: Any) -> None:
            daemon.stop.set()
            daemon.done.set()

        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGINT):
                previous[sig] = signal.signal(sig, on_signal)

        try:
            server = make_server(daemon, options.settings.http.bind)
        except OSError as exc:
            _say(f"error: cannot listen on {options.settings.http.bind}: {exc.strerror or exc}")
            daemon.exit_code = EXIT_FAILURE
            return EXIT_FAILURE
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.25}, name="maturity-http", daemon=True).start()
        address = server.server_address
        host = f"[{address[0]}]" if ":" in address[0] else address[0]
        _say(f"listening on http://{host}:{address[1]}")

        heart = threading.Thread(target=daemon.heartbeat_loop, name="maturity-heartbeat", daemon=True)
        heart.start()

        scheduler = BackgroundScheduler(
            jobstores={"default": MemoryJobStore()},
            executors={"default": ThreadPoolExecutor(2)},
            timezone=timezone.utc,
            daemon=True,
        )
        scheduler.add_job(
            daemon.scheduled_scan,
            trigger,
            id="scan",
            name="scan",
            coalesce=True,
            max_instances=1,
            misfire_grace_time=60,
            next_run_time=datetime.now(timezone.utc),
        )
        scheduler.start()
        log.info("daemon started on %s (lock holder %s); scans %s", store.url_display, holder, trigger_text)

        while not daemon.done.wait(0.5):
            pass
        log.info("stopping")
    finally:
        daemon.stop.set()
        daemon.done.set()
        if scheduler is not None:
            try:
                scheduler.shutdown(wait=False)
            except Exception as exc:  # noqa: BLE001
                log.warning("scheduler shutdown failed: %s", exc)
        if not daemon.wait_for_scans(SHUTDOWN_SCAN_WAIT_S):
            log.warning("a scan did not stop within %.0fs; leaving it", SHUTDOWN_SCAN_WAIT_S)
        if server is not None:
            server.shutdown()
            server.server_close()
        if heart is not None:
            heart.join(1.0)
        try:
            store.release_lock(LOCK_NAME, holder)
        except Exception as exc:  # noqa: BLE001
            log.warning("releasing the daemon lock failed: %s", " ".join(str(exc).split()))
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        log.info("stopped")
    return daemon.exit_code
