"""Servers of our own for the fault tests and drills: a Redis and a PostgreSQL started on free ports, to be
stopped, hung, killed and started again. Never the machine's shared ones."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(condition: Callable[[], bool], timeout: float, every: float = 0.05) -> bool:
    """Whether the condition came true within so many seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(every)
    return True


def wait_until(ready: Callable[[], bool], what: str, timeout: float = 30) -> None:
    if not wait_for(ready, timeout):
        raise TimeoutError(f"{what} not ready after {timeout:.0f}s")


def _stat(pid: int | str) -> list[str]:
    """The fields of /proc/<pid>/stat after the command name: state, parent pid, ..."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _children(pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError, IndexError):
            if entry.name.isdigit() and int(_stat(entry.name)[1]) == pid:
                children.append(int(entry.name))
    return children


def _ended(pid: int) -> bool:
    """Gone, not only dead: PostgreSQL refuses to start while its old postmaster's id is still a zombie."""
    return not Path(f"/proc/{pid}").exists()


@dataclass
class RedisServer:
    """redis-server on its own port, in the foreground of a child process, keeping nothing on disk."""

    port: int = field(default_factory=free_port)
    process: "subprocess.Popen[bytes] | None" = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
        wait_until(self.answers, f"Redis on port {self.port}", timeout=10)

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def hang(self) -> None:
        """Stopped, not ended: the port still accepts connections but nothing ever answers."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)  # a hung server must run to end
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


@dataclass
class PostgresServer:
    """A PostgreSQL cluster of our own in a temporary directory, run as the postgres user (PostgreSQL refuses
    to run as root), on its own port, with trust authentication for local connections."""

    port: int = field(default_factory=free_port)
    directory: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="probation-drill-pg-")))

    @property
    def data(self) -> Path:
        return self.directory / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    @staticmethod
    def binary(name: str) -> str:
        versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
        return str(versions[-1] / name) if versions else shutil.which(name) or name

    def _as_postgres(self, *command: str, check: bool = True) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        command = (*prefix, *command)
        done = subprocess.run(command, capture_output=True, text=True, cwd=self.directory, check=False)  # noqa: S603
        if check and done.returncode:
            log = self.directory / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed: {done.stderr}\n{tail}")

    def init(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        self._as_postgres(self.binary("initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1"
        log = str(self.directory / "server.log")
        self._as_postgres(
            self.binary("pg_ctl"), "-D", str(self.data), "-o", options, "-l", log, "-w", "-t", "60", "start"
        )

    def postmaster_pid(self) -> int | None:
        pid_file = self.data / "postmaster.pid"
        return int(pid_file.read_text().split()[0]) if pid_file.exists() else None

    def kill(self) -> list[int]:
        """kill -9 the postmaster and every process it started, as a crash of the server would: no shutdown,
        no checkpoint; the next start replays the write-ahead log. Returns the process ids killed."""
        postmaster = self.postmaster_pid()
        if postmaster is None:
            return []
        killed = [postmaster, *_children(postmaster)]
        for pid in killed:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        for pid in killed:
            wait_until(partial(_ended, pid), f"process {pid} to end", timeout=30)
        return killed

    def stop(self) -> None:
        if self.postmaster_pid() is not None:
            self._as_postgres(self.binary("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)

    def remove(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)
