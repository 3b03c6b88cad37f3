"""A private PostgreSQL server for the tests marked ``postgres`` (loaded by conftest.py).

One cluster per test session, in a temporary folder, reachable only through a unix
socket in that folder (``listen_addresses=''``: no TCP at all). initdb refuses to run as
root, so under root the cluster runs as the ``postgres`` OS user (Debian's package
creates it). A missing PostgreSQL fails these tests loudly: ``tools/test`` installs it.

Each test gets a database of its own, copied from a migrated template (``CREATE
DATABASE … TEMPLATE``), so migrations run once per session. The register suites that
run on both databases (tests/conftest.py ``backend``) use one scratch database instead,
put back to a snapshot before each test: a CREATE DATABASE costs 1–2 s on a busy
2-core machine, restoring a snapshot a few hundredths.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from riskdesk.service.register import RegisterService
from riskdesk.store.db import Register, open_register

PG_ROOT = Path("/usr/lib/postgresql")


def _bin_dir() -> Path:
    versions = sorted(
        (p for p in PG_ROOT.glob("*/bin") if (p / "initdb").exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if not versions:
        pytest.fail(
            "PostgreSQL is not installed (no initdb under /usr/lib/postgresql): "
            "run tools/system-packages.sh test as root",
            pytrace=False,
        )
    return versions[-1]


def _free_port() -> int:
    # Only names the socket file (.s.PGSQL.<port>); the server listens on no TCP port.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgServer:
    socket_dir: Path
    port: int
    _names: Iterator[int]
    data: Path | None = None

    def require_password(self, login: str) -> None:
        """Make ``login`` authenticate with its password (scram) instead of the
        cluster's ``trust``: the first matching pg_hba.conf line wins."""
        assert self.data is not None
        hba = self.data / "pg_hba.conf"
        line = f"local all {login} scram-sha-256\n"
        if line not in hba.read_text():
            hba.write_text(line + hba.read_text())
            self.sql("SELECT pg_reload_conf()")
        import time

        import psycopg

        for _ in range(100):  # the reload is asynchronous: wait until it bites
            try:
                psycopg.connect(
                    host=str(self.socket_dir), port=self.port, user=login, dbname="postgres"
                ).close()
            except psycopg.OperationalError:
                return
            time.sleep(0.05)
        raise AssertionError(f"{login} still connects without a password")

    def url(self, database: str, user: str = "postgres", password: str | None = None) -> str:
        login = f"{user}:{password}" if password else user
        return f"postgresql://{login}@/{database}?host={self.socket_dir}&port={self.port}"

    def sql(self, statement: str, database: str = "postgres") -> None:
        """Run one statement as the superuser, outside a transaction (CREATE DATABASE)."""
        import psycopg

        with psycopg.connect(
            host=str(self.socket_dir),
            port=self.port,
            user="postgres",
            dbname=database,
            autocommit=True,
        ) as conn:
            conn.execute(statement)  # type: ignore[arg-type]

    def new_database(self, template: str = "template0") -> str:
        name = f"rd_test_{next(self._names)}"
        self.sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return name


def _run_as(user: str | None, args: list[str]) -> None:
    cmd = ["runuser", "-u", user, "--", *args] if user else args
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode:
        pytest.fail(
            f"PostgreSQL test server: {' '.join(args[:1])} failed:\n{done.stdout}{done.stderr}",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A private cluster for this session; stopped and deleted afterwards."""
    bin_dir = _bin_dir()
    user: str | None = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.fail("running as root, but there is no postgres OS user", pytrace=False)
        user = "postgres"
    # Not under pytest's own temp folder: that one is root's only (0700) and the
    # server's user must reach its data and socket folders.
    base = Path(tempfile.mkdtemp(prefix="riskdesk-pg-"))
    data, sockets = base / "data", base / "sock"
    sockets.mkdir()
    if user:
        os.chmod(base, 0o755)
        entry = pwd.getpwnam(user)
        for path in (base, sockets):
            os.chown(path, entry.pw_uid, entry.pw_gid)
    port = _free_port()
    started = False
    try:
        _run_as(
            user,
            [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E",
             "UTF8", "--locale=C.UTF-8", "-N"],
        )  # fmt: skip
        opts = f"-p {port} -k {sockets} -c listen_addresses='' -c fsync=off -c max_connections=60"
        _run_as(
            user,
            [str(bin_dir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(base / "log"),
             "-w", "start"],
        )  # fmt: skip
        started = True
        yield PgServer(sockets, port, itertools.count(1), data)
    finally:
        if started:
            _run_as(user, [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"])
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_template(pg_server: PgServer) -> str:
    """A database at the current schema, to copy for each test."""
    name = pg_server.new_database()
    open_register(pg_server.url(name)).dispose()
    return name


@pytest.fixture
def pg_url(pg_server: PgServer, pg_template: str) -> str:
    """The URL of a fresh, migrated, empty register database of this test's own."""
    return pg_server.url(pg_server.new_database(pg_template))


@pytest.fixture
def pg_register(pg_url: str) -> Iterator[Register]:
    reg = open_register(pg_url)
    yield reg
    reg.dispose()


@pytest.fixture
def pg_service(pg_register: Register) -> RegisterService:
    return RegisterService(pg_register, actor="tester")


@pytest.fixture(scope="session")
def pg_demo_template(pg_server: PgServer, pg_template: str, demo_register_file: Path) -> str:
    """The session's demo register, copied onto the server once (``riskdesk copy``)."""
    from riskdesk.service.team import copy_register

    name = pg_server.new_database(pg_template)
    source = tempfile.mkdtemp(prefix="riskdesk-demo-")
    try:
        local = Path(source) / "demo.db"
        shutil.copy(demo_register_file, local)
        src, dst = open_register(local), open_register(pg_server.url(name))
        try:
            copy_register(src, dst)
        finally:
            src.dispose()
            dst.dispose()
    finally:
        shutil.rmtree(source, ignore_errors=True)
    return name


@pytest.fixture
def pg_demo_service(pg_server: PgServer, pg_demo_template: str) -> Iterator[RegisterService]:
    """The demo register on the server, a database of this test's own."""
    reg = open_register(pg_server.url(pg_server.new_database(pg_demo_template)))
    yield RegisterService(reg, actor="tester")
    reg.dispose()


# --- one scratch database, restored from a snapshot before each test --------------------

SNAPSHOTS = {"empty": "rd_snap_empty", "demo": "rd_snap_demo"}


class Scratch:
    """A migrated database whose public tables are put back to a snapshot (a copy of
    each table in a schema of its own) before each test: rows, ids and sequences."""

    def __init__(self, server: PgServer, database: str) -> None:
        import psycopg

        self.server, self.database = server, database
        self.url = server.url(database)
        self._conn = psycopg.connect(
            host=str(server.socket_dir), port=server.port, user="postgres", dbname=database,
            autocommit=True,
        )  # fmt: skip
        self.tables = [
            str(r[0])
            for r in self._conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'alembic_version' ORDER BY tablename"
            )
        ]
        self.sequences = [
            (str(r[0]), str(r[1]))
            for r in self._conn.execute(
                "SELECT t.relname, s.relname FROM pg_class s "
                "JOIN pg_depend d ON d.objid = s.oid AND d.deptype = 'a' "
                "JOIN pg_class t ON t.oid = d.refobjid "
                "JOIN pg_namespace n ON n.oid = t.relnamespace "
                "WHERE s.relkind = 'S' AND n.nspname = 'public'"
            )
        ]
        self.ready: set[str] = set()

    def snapshot(self, name: str) -> None:
        schema = SNAPSHOTS[name]
        sql = [f"DROP SCHEMA IF EXISTS {schema} CASCADE", f"CREATE SCHEMA {schema}"]
        sql += [f"CREATE TABLE {schema}.{t} AS SELECT * FROM public.{t}" for t in self.tables]
        self._run(sql)
        self.ready.add(name)

    def restore(self, name: str) -> None:
        schema = SNAPSHOTS[name]
        # Foreign keys are triggers: "replica" skips them while every table is refilled.
        sql = ["SET LOCAL session_replication_role = replica"]
        sql += [f"DELETE FROM public.{t}" for t in self.tables]
        sql += [f"INSERT INTO public.{t} SELECT * FROM {schema}.{t}" for t in self.tables]
        sql += [
            f"SELECT setval('public.{seq}', coalesce((SELECT max(id) FROM public.{table}), 0)"
            " + 1, false)"
            for table, seq in self.sequences
        ]
        self._run(sql)

    def _run(self, statements: list[str]) -> None:
        with self._conn.transaction():
            self._conn.execute("; ".join(statements))  # type: ignore[arg-type]

    def close(self) -> None:
        self._conn.close()


@pytest.fixture(scope="session")
def pg_scratch(pg_server: PgServer, pg_template: str) -> Iterator[Scratch]:
    scratch = Scratch(pg_server, pg_server.new_database(pg_template))
    scratch.snapshot("empty")
    yield scratch
    scratch.close()


def scratch_register(request: pytest.FixtureRequest, demo: bool) -> Register:
    """The scratch database, back at the empty or the demo register (the demo is
    copied in with ``riskdesk copy`` the first time a test asks for it)."""
    scratch: Scratch = request.getfixturevalue("pg_scratch")
    if demo and "demo" not in scratch.ready:
        from riskdesk.service.team import copy_register

        demo_file: Path = request.getfixturevalue("demo_register_file")
        scratch.restore("empty")
        folder = Path(tempfile.mkdtemp(prefix="riskdesk-demo-"))
        try:
            shutil.copy(demo_file, folder / "demo.db")
            src, dst = open_register(folder / "demo.db"), open_register(scratch.url)
            try:
                copy_register(src, dst)
            finally:
                src.dispose()
                dst.dispose()
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        scratch.snapshot("demo")
    scratch.restore("demo" if demo else "empty")
    return open_register(scratch.url)
