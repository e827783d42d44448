"""A real PostgreSQL streaming standby, for `make test-replica` and for trying the read replica by hand.

    python -m tools.replica run -- COMMAND...
        A primary cluster of its own (initdb on a free port, in a temporary directory) and a standby made from
        it with `pg_basebackup -R`, started as a hot standby streaming from it; runs COMMAND with DATABASE_URL
        (the primary) and DATABASE_REPLICA_URL (the standby) set, and PROBATION_STANDBY_DATA (its data
        directory, so a test can stop it); then stops both and removes them, whatever COMMAND did. Never
        touches the machine's shared cluster. `make test-replica` runs the marked tests this way.

    python -m tools.replica standby [--primary-port 5432] [--port 5433] [--directory /tmp/probation-replica]
        A standby of an existing cluster (the machine's own, by default), left running. The primary must allow
        replication: wal_level replica or logical and max_wal_senders > 0 (PostgreSQL's defaults; changing them
        needs a restart, so this only checks them and says so), and a pg_hba.conf line for `replication` from
        127.0.0.1 (added, once, with trust for the postgres user, then the primary's configuration reloaded: an
        idempotent change to that cluster, printed when made). Copies the whole cluster (every database).
    python -m tools.replica stop [--directory /tmp/probation-replica]
        Stops that standby and removes its directory.

PostgreSQL refuses to run as root: as root, every server command runs as the postgres user (runuser).
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from tools.drill_servers import PostgresServer, wait_until

STANDBY_DIRECTORY = Path(tempfile.gettempdir()) / "probation-replica"  # the postgres user must reach it
HBA_LINE = "host    replication     postgres        127.0.0.1/32            trust  # tools/replica.py"


def as_postgres(*command: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *command], capture_output=True, text=True, cwd=cwd, check=False)  # noqa: S603


def psql(port: int, sql: str, database: str = "postgres") -> str:
    done = as_postgres(
        PostgresServer.binary("psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", database,
        "-Atqc", sql,
    )  # fmt: skip
    if done.returncode:
        raise RuntimeError(f"psql on port {port}: {done.stderr}")
    return done.stdout.strip()


class Standby(PostgresServer):
    """A hot standby made with pg_basebackup -R (standby.signal and primary_conninfo written for it)."""

    def create_from(self, primary_port: int) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        done = as_postgres(
            self.binary("pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary_port), "-U", "postgres",
            "-D", str(self.data), "-R", "-X", "stream", "-c", "fast", "--no-sync",
            cwd=self.directory,
        )  # fmt: skip
        if done.returncode:
            raise RuntimeError(f"pg_basebackup from port {primary_port} failed: {done.stderr}")
        # Debian keeps a cluster's configuration in /etc/postgresql, so its copy has none: give it a minimal one.
        for name, text in (
            ("postgresql.conf", "hot_standby = on\n"),
            ("pg_hba.conf", "local all all trust\nhost all all 127.0.0.1/32 trust\n"),
        ):
            if not (self.data / name).exists():
                (self.data / name).write_text(text)
                if os.geteuid() == 0:
                    shutil.chown(self.data / name, "postgres", "postgres")

    def start(self) -> None:
        super().start()
        wait_until(self.streaming, f"the standby on port {self.port} streaming", timeout=60)

    def streaming(self) -> bool:
        try:
            return psql(self.port, "SELECT status FROM pg_stat_wal_receiver") == "streaming"
        except RuntimeError:
            return False


def run(command: Sequence[str]) -> int:
    primary, standby = PostgresServer(), Standby()
    try:
        primary.init()
        primary.start()
        standby.create_from(primary.port)
        standby.start()
        assert psql(standby.port, "SELECT pg_is_in_recovery()") == "t", "the standby is in recovery"
        print(f"tools.replica: primary on port {primary.port}, streaming standby on port {standby.port}", flush=True)
        env = {
            **os.environ,
            "DATABASE_URL": primary.url("probation"),
            "DATABASE_REPLICA_URL": standby.url("probation"),
            "PROBATION_STANDBY_DATA": str(standby.data),
            "PROBATION_STANDBY_PORT": str(standby.port),
        }
        psql(primary.port, "CREATE DATABASE probation")
        return subprocess.run(list(command), env=env, check=False).returncode  # noqa: S603
    finally:
        standby.stop()
        primary.stop()
        standby.remove()
        primary.remove()


def stop_standby(data: Path) -> None:
    """Stop a standby by its data directory (a test's fall-back check)."""
    as_postgres(PostgresServer.binary("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")


def start_standby(data: Path, port: int) -> None:
    directory = data.parent
    options = f"-p {port} -k {directory} -c listen_addresses=127.0.0.1"
    done = as_postgres(
        PostgresServer.binary("pg_ctl"), "-D", str(data), "-o", options, "-l", str(directory / "server.log"),
        "-w", "-t", "60", "start",
    )  # fmt: skip
    if done.returncode:
        raise RuntimeError(f"the standby did not start: {done.stderr}")


def allow_replication(primary_port: int) -> None:
    """Check the primary can stream to a standby; add the pg_hba.conf line for it once if it is missing."""
    wal_level = psql(primary_port, "SHOW wal_level")
    senders = int(psql(primary_port, "SHOW max_wal_senders"))
    if wal_level not in {"replica", "logical"} or senders < 1:
        raise SystemExit(
            f"The primary has wal_level={wal_level}, max_wal_senders={senders}: set wal_level = replica and "
            "max_wal_senders = 10 in its postgresql.conf and restart it (this script does not restart a server)."
        )
    hba = Path(psql(primary_port, "SHOW hba_file"))
    allowed = psql(
        primary_port,
        "SELECT count(*) FROM pg_hba_file_rules WHERE 'replication' = ANY(database) AND type = 'host'"
        " AND (user_name && ARRAY['postgres', 'all']) AND address IN ('127.0.0.1', 'all', 'samehost')"
        " AND auth_method = 'trust'",
    )
    if allowed != "0":
        return
    text = hba.read_text()
    if HBA_LINE not in text:
        hba.write_text(text.rstrip("\n") + "\n" + HBA_LINE + "\n")
        print(f"tools.replica: added to {hba}: {HBA_LINE}", flush=True)
    psql(primary_port, "SELECT pg_reload_conf()")


def standby(primary_port: int, port: int, directory: Path) -> None:
    allow_replication(primary_port)
    if (directory / "data").exists():
        raise SystemExit(f"{directory} already holds a standby: `python -m tools.replica stop` first")
    directory.mkdir(parents=True, exist_ok=True)
    server = Standby(port=port, directory=directory.resolve())
    server.create_from(primary_port)
    server.start()
    print(f"tools.replica: standby of port {primary_port} streaming on port {port} ({directory})")
    print(f"DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:{port}/<the primary's database>")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.replica", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="what", required=True)
    running = commands.add_parser("run", help="a primary and standby of their own around a command")
    running.add_argument("command", nargs=argparse.REMAINDER)
    made = commands.add_parser("standby", help="a standby of an existing cluster, left running")
    made.add_argument("--primary-port", type=int, default=5432)
    made.add_argument("--port", type=int, default=5433)
    made.add_argument("--directory", type=Path, default=STANDBY_DIRECTORY)
    stopping = commands.add_parser("stop", help="stop and remove that standby")
    stopping.add_argument("--directory", type=Path, default=STANDBY_DIRECTORY)
    options = parser.parse_args(argv)
    if options.what == "run":
        command = options.command[1:] if options.command[:1] == ["--"] else options.command
        if not command:
            parser.error("run needs a command after --")
        return run(command)
    if options.what == "standby":
        standby(options.primary_port, options.port, options.directory)
        return 0
    stop_standby(options.directory.resolve() / "data")
    shutil.rmtree(options.directory, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
