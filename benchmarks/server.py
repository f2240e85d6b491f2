"""The suite's HTTP side: a keep-alive client for 127.0.0.1, batches of GETs over several
connections, and the gunicorn the suite starts and always stops."""

import atexit
import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import BASE_DIR

# --- HTTP ------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes
    seconds: float

    def json(self):
        return json.loads(self.body)


class Client:
    """One keep-alive HTTP/1.1 connection to 127.0.0.1, reconnecting when the server
    has closed it."""

    def __init__(self, port, timeout=120.0):
        self.port = port
        self.timeout = timeout
        self.conn = None

    def _connect(self):
        self.close()
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def open(self, path, accept="application/json"):
        """Send a GET and return the http.client response, headers read, body not."""
        for attempt in (1, 2):
            if self.conn is None:
                self._connect()
            try:
                self.conn.request("GET", path, headers={"Accept": accept})
                return self.conn.getresponse()
            except (http.client.RemoteDisconnected, ConnectionError, BrokenPipeError):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def get(self, path, accept="application/json"):
        started = time.perf_counter()
        response = self.open(path, accept)
        body = response.read()
        seconds = time.perf_counter() - started
        if response.will_close:
            self.close()
        headers = {k.lower(): v for k, v in response.getheaders()}
        return Response(response.status, headers, body, seconds)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_batch(port, paths, threads, deadline):
    """GET every path with `threads` keep-alive clients; (wall seconds, [(latency, status)])."""
    lock = threading.Lock()
    queue = list(reversed(paths))
    results = []

    def worker():
        client = Client(port)
        try:
            while time.monotonic() < deadline:
                with lock:
                    if not queue:
                        return
                    path = queue.pop()
                try:
                    response = client.get(path)
                    item = (response.seconds, response.status)
                except (OSError, http.client.HTTPException):
                    client.close()
                    item = (None, 0)
                with lock:
                    results.append(item)
        finally:
            client.close()

    started = time.perf_counter()
    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(max(1.0, deadline - time.monotonic() + 30))
    return time.perf_counter() - started, results


def query_string(params):
    return urllib.parse.urlencode(params)


WARM_REQUESTS = 16
WARM_SECONDS = 30.0


# --- gunicorn ---------------------------------------------------------------------------


def proc_status(pid):
    """VmRSS and VmHWM of a process, in bytes (None when it is gone)."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    values = {}
    for line in text.splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            key, amount = line.split(":", 1)
            values[key] = int(amount.split()[0]) * 1024
    return values


def child_pids(pid):
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        return [int(p) for p in text.split()]
    except OSError:
        pass
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                children.append(int(stat.parent.name))
    return children


class Gunicorn:
    """gunicorn serving the app under benchmarks.settings on a free 127.0.0.1 port."""

    def __init__(self, database_url, workers=2, threads=4):
        self.database_url = database_url
        self.workers = workers
        self.threads = threads
        self.port = None
        self.proc = None
        self.log_file = None

    def start(self, timeout=60.0):
        self.port = free_port()
        self.log_file = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed in stop)
            prefix="bench-gunicorn-", suffix=".log", delete=False
        )
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
            "DATABASE_URL": self.database_url,
            "PYTHONPATH": str(BASE_DIR),
        }
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "conflictapi.wsgi:application",
            "--worker-class",
            "gthread",
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--timeout",
            "900",
            "--graceful-timeout",
            "5",
            "--keep-alive",
            "60",
            "--log-level",
            "warning",
            "--no-control-socket",
        ]
        self.proc = subprocess.Popen(
            cmd,
            cwd=BASE_DIR,
            env=env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        atexit.register(self.stop)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            with contextlib.suppress(OSError, http.client.HTTPException):
                client = Client(self.port, timeout=5)
                ok = client.get("/healthz").status == 200
                client.close()
                if ok and len(self.worker_pids()) >= self.workers:
                    return self
            time.sleep(0.25)
        tail = self.log_tail()
        self.stop()
        raise RuntimeError(f"gunicorn did not come up on 127.0.0.1:{self.port}:\n{tail}")

    def worker_pids(self):
        return child_pids(self.proc.pid) if self.proc and self.proc.poll() is None else []

    def log_tail(self, lines=30):
        if self.log_file is None:
            return ""
        with contextlib.suppress(OSError):
            return "\n".join(Path(self.log_file.name).read_text().splitlines()[-lines:])
        return ""

    def stop(self):
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        if self.log_file is not None:
            self.log_file.close()
            with contextlib.suppress(OSError):
                os.unlink(self.log_file.name)
            self.log_file = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
