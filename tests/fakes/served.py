"""What every fake server shares: a ThreadingHTTPServer on 127.0.0.1 in a daemon thread, started and
stopped as a context manager, and the registry of injected faults. Each fake brings its own request
handler (which reaches the fake as `self.server.fake`) and its own kinds of fault."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar


@dataclass
class RequestRecord:
    """One request a fake answered (the GitLab and Jenkins fakes; the GitHub fake also records points)."""

    method: str
    path: str
    query: str
    status: int
    ms: float
    fault: str | None = None


class FakeHandler(BaseHTTPRequestHandler):
    """Hands every request to the fake (`self.server.fake._serve(self)`), keeps connections alive, logs nothing."""

    protocol_version = "HTTP/1.1"
    timeout = 60  # idle keep-alive connections are closed after this
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms delayed-ACK stalls
    server_name: ClassVar[str] = "fake"
    """The `Server` header the real service sends."""

    def version_string(self) -> str:
        return self.server_name

    def do_GET(self) -> None:  # noqa: N802
        self.server.fake._serve(self)  # type: ignore[attr-defined]

    do_POST = do_HEAD = do_PUT = do_PATCH = do_DELETE = do_GET

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def json_types(value: Any, where: str = "", out: dict[str, set[str]] | None = None) -> dict[str, set[str]]:
    """Key path -> the JSON types seen there (list items share the path `where[]`): to hold a fake's
    payloads to recorded real ones, key by key."""
    out = {} if out is None else out
    kind = {bool: "boolean", int: "number", float: "number", str: "string", list: "array", dict: "object", type(None): "null"}[type(value)]
    out.setdefault(where, set()).add(kind)
    if isinstance(value, dict):
        for k, v in value.items():
            json_types(v, f"{where}.{k}", out)
    elif isinstance(value, list):
        for v in value:
            json_types(v, f"{where}[]", out)
    return out


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 256


class ServedFake:
    """Base of FakeGitHub, FakeGitLab and FakeJenkins: the HTTP lifecycle, nothing about the API."""

    handler: ClassVar[type[BaseHTTPRequestHandler]]
    """The request handler class of the fake."""
    thread_name: ClassVar[str] = "fake"
    """Name of the serving thread (shows in thread dumps)."""

    def _init_served(self, host: str, port: int) -> None:
        self._host, self._port = host, port
        self._stop = threading.Event()
        """Set on stop(): faults that hang (timeouts) wake up and give up."""
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None
        self._faults: list[Any] = []
        self._faults_lock = threading.Lock()

    # ---- faults: each has `kind`, `pattern` (a regex on path + query), `method`, `remaining` and `hits`

    def _add_fault(self, fault: Any) -> Any:
        with self._faults_lock:
            self._faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        with self._faults_lock:
            self._faults.clear()

    def _take_fault(self, method: str, target: str) -> Any | None:
        """The first fault still armed that matches this request, spent by one."""
        with self._faults_lock:
            for f in self._faults:
                if f.remaining > 0 and (f.method is None or f.method == method) and f.pattern.search(target):
                    f.remaining -= 1
                    f.hits += 1
                    return f
        return None

    def start(self):  # noqa: ANN201 - returns the fake itself
        self._stop.clear()
        self._httpd = _Server((self._host, self._port), self.handler)
        self._httpd.fake = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name=self.thread_name, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self):  # noqa: ANN204
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._httpd is not None, "start the fake first"
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT`, without a trailing slash."""
        return f"http://{self._host}:{self.port}"
