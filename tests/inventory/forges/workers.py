"""Real Celery workers (and Redis servers) for the tests: processes on the test database."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
CELERY = str(Path(sys.executable).with_name("celery"))


def database_url() -> str:
    """The test database, as a DATABASE_URL a worker process can open."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(settings_dict['NAME']).resolve()}"
    user = settings_dict.get("USER") or ""
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgresql://{user}{password}@{host}{port}/{settings_dict['NAME']}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def worker_env(*, redis_url: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    """Everything a worker needs: the test database, this Redis, queues of its own (no other
    worker takes its tasks), files in ``tmp_path``; ``extra`` overrides settings."""
    queue = f"crawl-test-{uuid.uuid4().hex[:12]}"
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "CELERY_RESULT_BACKEND": redis_url,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "CELERY_CONTROL_QUEUE": f"{queue}-control",
        "OPENDATA_DIR": str(tmp_path / "opendata"),
        "LOGITHEQUE_VAR_DIR": str(tmp_path / "var"),
        "WORKER_LIVENESS_FILE": str(tmp_path / "worker.alive"),
        "BEAT_LIVENESS_FILE": str(tmp_path / "beat.alive"),
        "GITHUB_TOKEN": "",
        **extra,
    }


@dataclass
class Worker:
    """``celery worker`` in a session of its own (so the whole of it can be killed at once)."""

    env: dict[str, str]
    log_path: Path
    pool: str = "solo"
    concurrency: int = 1
    beat: bool = False
    process: subprocess.Popen | None = field(default=None, init=False)

    def start(self) -> Worker:
        name = f"{self.env['CELERY_TASK_DEFAULT_QUEUE']}-{uuid.uuid4().hex[:6]}@%h"
        command = [CELERY, "-A", "config", "worker", "-P", self.pool, "--concurrency",
                   str(self.concurrency), "-l", "info", "-n", name, "--without-gossip",
                   "--without-mingle"]  # fmt: skip
        if self.beat:
            schedule = self.log_path.with_suffix(f".{uuid.uuid4().hex[:6]}.schedule")
            command += ["-B", "--schedule", str(schedule)]
        with self.log_path.open("a") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        return self

    def restart_if_exited(self) -> bool:
        """Start the worker again if it exited, as a process manager does; True if it did."""
        if self.process is None or self.process.poll() is None:
            return False
        self.start()
        return True

    def kill(self) -> None:
        """kill -9 the worker and everything it started, as when its node is lost."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@dataclass
class RedisServer:
    """A redis-server of the test's own on a free port, without persistence: a restart loses
    every queued message, as a crashed broker without a disk would."""

    directory: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = field(default=None, init=False)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as probe:
                    probe.sendall(b"PING\r\n")
                    if probe.recv(16).startswith(b"+PONG"):
                        return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def restart(self) -> None:
        self.stop()
        self.start()
