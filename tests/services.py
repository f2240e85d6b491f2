"""Services of a test's own: a free port on 127.0.0.1, a wait on a condition (not a
sleep), and a redis-server on a private port that keeps nothing on disk. Tests that
stop a service stop one of these, never the shared ones."""

import socket
import subprocess
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, seconds=10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


class OwnRedis:
    """A redis-server of the test's own, on a private port, keeping nothing on disk."""

    def __init__(self, port):
        self.port = port
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_for(self.answers), "redis-server did not start"

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        assert wait_for(lambda: not self.answers())

    def answers(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False
