#!/usr/bin/env python3
"""One benchmark suite (issue 19): every command and GUI figure, against floors, with limits.

Builds demo registers of each size once (``riskdesk demo --uses N``, cached under
benchmarks/out/ by size and by a hash of the code that writes a register), then runs
each command in its own process and records wall time, CPU time (user + system) and
peak RSS (``os.wait4``: the process and everything it waited for). Beside each figure
it measures, in the same run, the *floor*: the least work that could produce the same
result (SQLite counting or scanning, hashing the audit chain's bytes, openpyxl
write-only of the same cells, reportlab drawing as many one-line-table pages) and,
for the board pack, a peer: LibreOffice converting the same workbook to PDF.

Writes docs/benchmarks.md and exits 1 when a figure passes a limit in ``LIMITS``
(2 when a command failed). Not a timed test: the figures are for reading, and the
limits are checked on demand (a CI step), not in pytest.

    python benchmarks/run_all.py [--sizes 0,1000,10000,100000] [--only summary,check]
        [--skip gui,soffice] [--repeat 1] [--profile 10000] [--profile-memory 1000]
        [--judge wall|cpu] [--peer-sizes 1000,10000] [--no-limits] [--render]

``--profile SIZE`` also runs each command at SIZE under cProfile, ``--profile-memory
SIZE`` under tracemalloc (much slower: use 1000), and the document lists the top
functions and the lines holding memory at the peak (full listings under
benchmarks/out/profiles/; a later figures-only run of the same source shows them too).
``--render`` rewrites the document from benchmarks/out/last-run.json, e.g. after
changing ``LIMITS`` or after stopping a long run.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import signal
import sqlite3
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "riskdesk"
OUT = ROOT / "benchmarks" / "out"
DOC = ROOT / "docs" / "benchmarks.md"
DEMO = 0  # size 0: the curated demo register (28 uses)
NO_REGISTER = -1  # figures that open no register (--version, --help)
MB = 1024 * 1024


# --- limits -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Limit:
    """One rule a run must keep. ``figure`` is a figure key or "*" (every command)."""

    figure: str
    kind: str  # "seconds" (wall), "rss_mb", "growth" (100k / 10k wall), "floor_ratio"
    limit: float
    size: int | None = None  # the register size it applies to; None: every size
    source: str = "issue 19"


LIMITS: tuple[Limit, ...] = (
    Limit("*", "rss_mb", 500, None, "issue 19 §1: bounded memory"),
    Limit("*", "growth", 11, 100_000, "issue 19 §2: 100k ≤ 11× 10k"),
    Limit("summary", "seconds", 1.0, 100_000, "issue 19 §2"),
    Limit("check", "seconds", 3.0, 10_000, "issue 19 §2"),
    Limit("version", "seconds", 0.15, None, "issue 19 §3"),
    Limit("help", "seconds", 0.15, None, "issue 19 §3"),
    Limit("summary", "seconds", 0.5, DEMO, "issue 19 §3: summary on the demo"),
    Limit("gui-dashboard", "seconds", 0.3, 10_000, "issue 19 §4"),
    Limit("gui-first-paint", "seconds", 2.0, 100_000, "issue 19 §4"),
    Limit("gui-search", "seconds", 0.1, 100_000, "issue 19 §4"),
    Limit("gui-sort", "seconds", 0.1, 100_000, "issue 19 §4"),
    Limit("xlsx", "floor_ratio", 1.5, 10_000, "export benchmark: ≤ 1.5× write-only floor"),
    Limit("pdf", "seconds", 2.0, 10_000, "export benchmark"),
    Limit("pdf-appendix", "seconds", 30.0, 10_000, "export benchmark"),
)


# --- figures ----------------------------------------------------------------------------------
@dataclass
class Figure:
    key: str  # "summary", "gui-sort", ...
    label: str  # what was run, as a reader would type it
    size: int
    seconds: float | None = None  # wall
    cpu: float | None = None  # user + system, this process and its children
    rss_mb: float | None = None
    floor: str = ""  # what the floor does
    floor_seconds: float | None = None
    note: str = ""
    error: str = ""
    cached: bool = False


@dataclass
class Run:
    seconds: float
    cpu: float
    rss_mb: float
    code: int
    stdout: str
    stderr: str
    timed_out: bool = False


def measure(
    cmd: Sequence[str],
    *,
    env: dict[str, str],
    timeout: float,
    cwd: Path | None = None,
    keep_stdout: bool = False,
) -> Run:
    """Run ``cmd``; wall time, CPU time and peak RSS from wait4 (no polling error)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(cmd),
            stdout=out if keep_stdout else subprocess.DEVNULL,
            stderr=err,
            env=env,
            cwd=cwd,
            start_new_session=True,  # a timeout kills the whole group (soffice.bin too)
        )
        fired = threading.Event()

        def kill() -> None:
            fired.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(
            seconds=seconds,
            cpu=usage.ru_utime + usage.ru_stime,
            rss_mb=usage.ru_maxrss / 1024,  # kilobytes on Linux
            code=proc.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace")[-4000:],
            timed_out=fired.is_set(),
        )


def riskdesk(*args: str) -> list[str]:
    return [sys.executable, "-m", "riskdesk", *args]


def child(kind: str, *args: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--child", kind, *args]


# --- the registers ----------------------------------------------------------------------------
# Service modules that only read a register, and that nothing writing one calls
# (``oversight`` is not one: governance snapshots its gap inputs into the register).
READ_ONLY_SERVICE = frozenset(
    {
        "chain_heads.py",
        "dashboard.py",
        "dashboard_ranked.py",
        "dashboard_rows.py",
        "dashboard_state.py",
        "gap_counts.py",
        "integrity.py",
        "ladder_sql.py",
        "queries.py",
        "record_history.py",
        "sql_readable.py",
        "summary.py",
    }
)


def code_key(whole: bool = False) -> str:
    """A hash of everything that writes a register (not ui/, reports/, cli/ or the
    read-only service modules).

    ``whole``: of all of riskdesk, so profiles are reused only for the code they profiled.
    """
    digest = hashlib.sha256()
    for path in sorted(SRC.rglob("*")):
        rel = path.relative_to(SRC)
        if not path.is_file() or (not whole and rel.parts[0] in ("ui", "reports", "cli")):
            continue
        if not whole and rel.parts[0] == "service" and rel.name in READ_ONLY_SERVICE:
            continue
        if "__pycache__" in rel.parts or path.suffix in (".pyc", ".pyo"):
            continue
        digest.update(str(rel).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def size_label(size: int) -> str:
    if size == NO_REGISTER:
        return "—"
    return "demo (28)" if size == DEMO else f"{size:,}"


def build_register(size: int, out_dir: Path, env: dict[str, str], timeout: float) -> Figure:
    """The cached register of ``size`` uses, built by ``riskdesk demo`` when missing."""
    reg_dir = out_dir / "registers"
    reg_dir.mkdir(parents=True, exist_ok=True)
    stem = f"uses-{size}-{code_key()}"
    db, meta = reg_dir / f"{stem}.db", reg_dir / f"{stem}.json"
    label = "demo" if size == DEMO else f"demo --uses {size}"
    if db.exists() and meta.exists():
        fig = Figure(**json.loads(meta.read_text()))
        fig.cached = True
        return fig
    for stale in reg_dir.glob(f"uses-{size}-*"):
        stale.unlink()
    tmp = reg_dir / f"{stem}.building.db"
    tmp.unlink(missing_ok=True)
    args = ["demo", "--db", str(tmp), "--seed", "7"] + (
        [] if size == DEMO else ["--uses", str(size)]
    )
    run = measure(riskdesk(*args), env=env, timeout=timeout)
    fig = Figure("demo", label, size, run.seconds, run.cpu, run.rss_mb)
    if run.code != 0:
        fig.error = failure(run)
        return fig
    tmp.rename(db)
    meta.write_text(json.dumps(asdict(fig)))
    return fig


def failure(run: Run) -> str:
    if run.timed_out:
        return f"timed out after {run.seconds:.0f} s"
    lines = [x for x in run.stderr.strip().splitlines() if x.strip()]
    return f"exit {run.code}: {lines[-1] if lines else 'no message'}"


# --- floors (run as children: ``run_all.py --child floor-… DB [FILE]``) ---------------------
def floor_summary(db: str) -> dict[str, Any]:
    """The counts ``summary`` prints, as SQLite aggregates."""
    start = time.perf_counter()
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    for table in ("ai_use", "risk", "person", "vendor", "incident", "control"):
        con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
    con.execute("SELECT stage, COUNT(*) FROM ai_use GROUP BY stage").fetchall()
    con.execute("SELECT tier, COUNT(*) FROM ai_use WHERE stage != 'retired' GROUP BY tier")
    con.close()
    return {"seconds": time.perf_counter() - start}


def floor_gaps(db: str) -> dict[str, Any]:
    """One pass over every row the gap rules read (uses, risks, leavers, challenges)."""
    start = time.perf_counter()
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = 0
    for sql in (
        "SELECT * FROM ai_use",
        "SELECT * FROM risk",
        "SELECT id FROM person WHERE has_left",
        "SELECT DISTINCT use_id FROM challenge",
    ):
        for _row in con.execute(sql):
            rows += 1
    con.close()
    return {"seconds": time.perf_counter() - start, "rows": rows}


def floor_check(db: str) -> dict[str, Any]:
    """SQLite's integrity check, then reading the audit chain and hashing its bytes.

    The hash is recomputed exactly as service/audit.py does (so the floor does the
    chain's real work); ``mismatched`` counts events whose stored hash differs, which
    would mean this floor's idea of the format is wrong, not that the register is.
    """
    start = time.perf_counter()
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    con.execute("PRAGMA integrity_check").fetchall()
    integrity = time.perf_counter() - start
    sha256, dumps = hashlib.sha256, json.dumps
    events = mismatched = 0
    prev: str | None = None  # the first event links to the genesis hash
    cursor = con.execute(
        "SELECT at, actor, action, entity, entity_id, before, after, prev_hash, hash "
        "FROM audit_event ORDER BY id"
    )
    for at, actor, action, entity, entity_id, before, after, prev_hash, stored in cursor:
        at_text = str(at)[:19].replace(" ", "T")
        content = dumps(
            [at_text, actor, action, entity, entity_id, before, after],
            separators=(",", ":"),
            ensure_ascii=False,
        )
        digest = sha256((prev_hash + content).encode("utf-8")).hexdigest()
        mismatched += digest != stored or (prev is not None and prev_hash != prev)
        prev = stored
        events += 1
    con.close()
    return {
        "seconds": time.perf_counter() - start,
        "integrity_seconds": integrity,
        "events": events,
        "mismatched": mismatched,
    }


def floor_xlsx(db: str, workbook: str) -> dict[str, Any]:
    """openpyxl write-only of exactly the cells of our export (read first, not timed)."""
    from openpyxl import Workbook, load_workbook

    source = load_workbook(workbook, read_only=True)
    sheets = [(ws.title, [tuple(r) for r in ws.iter_rows(values_only=True)]) for ws in source]
    source.close()
    cells = sum(len(rows) * (len(rows[0]) if rows else 0) for _t, rows in sheets)
    out = Path(tempfile.mkdtemp(prefix="riskdesk-floor-")) / "floor.xlsx"
    start = time.perf_counter()
    wb = Workbook(write_only=True)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(out)
    seconds = time.perf_counter() - start
    shutil.rmtree(out.parent, ignore_errors=True)
    return {"seconds": seconds, "cells": cells}


def floor_pdf(db: str, pages: str) -> dict[str, Any]:
    """Read uses and risks, and draw as many pages of one-line tables as our pack has."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import PageBreak, SimpleDocTemplate, Table, TableStyle

    start = time.perf_counter()
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = [
        tuple("" if v is None else str(v) for v in r)
        for sql in (
            "SELECT id, name, department, stage, tier, exposure, owner_first_id, "
            "next_review FROM ai_use",
            "SELECT id, title, use_id, owner_id, inherent_likelihood * inherent_impact, "
            "residual_likelihood * residual_impact, status, due_date FROM risk",
        )
        for r in con.execute(sql)
    ]
    con.close()
    per_page = 70
    style = TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), "Helvetica", 7),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.whitesmoke]),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
    )
    widths = [30, 150, 70, 50, 50, 30, 60, 50]

    def story() -> Iterable[Any]:
        for page in range(int(pages)):
            chunk = [rows[(page * per_page + i) % len(rows)][:8] for i in range(per_page)]
            table = Table(chunk, colWidths=widths, rowHeights=10)
            table.setStyle(style)
            yield table
            yield PageBreak()

    out = Path(tempfile.mkdtemp(prefix="riskdesk-floor-")) / "floor.pdf"
    SimpleDocTemplate(str(out), pagesize=A4).build(list(story()))
    seconds = time.perf_counter() - start
    shutil.rmtree(out.parent, ignore_errors=True)
    return {"seconds": seconds, "rows": len(rows)}


FLOORS: dict[str, Callable[..., dict[str, Any]]] = {
    "floor-summary": floor_summary,
    "floor-gaps": floor_gaps,
    "floor-check": floor_check,
    "floor-xlsx": floor_xlsx,
    "floor-pdf": floor_pdf,
}


# --- GUI figures (child) ----------------------------------------------------------------------
def gui_figures(db: str) -> dict[str, Any]:
    """First paint, dashboard figures, search and sort through the uses table (offscreen)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    start = time.perf_counter()
    from PySide6.QtCore import QSettings, Qt, QThreadPool
    from PySide6.QtWidgets import QApplication

    from riskdesk.service.register import RegisterService
    from riskdesk.store.db import open_register
    from riskdesk.ui.app import after_start, build_window

    app = QApplication(sys.argv)
    service = RegisterService(open_register(db, create=False))
    settings = QSettings(
        str(Path(os.environ["RISKDESK_DATA_DIR"]) / "s.ini"), QSettings.Format.IniFormat
    )
    window = build_window(service, settings)
    window.show()
    window.repaint()
    app.processEvents()
    window.grab()  # forces a full paint of every visible widget
    result: dict[str, Any] = {"gui-first-paint": time.perf_counter() - start}
    after_start(window)
    for pool in [QThreadPool.globalInstance(), *window.findChildren(QThreadPool)]:
        pool.waitForDone(600_000)
    app.processEvents()

    from riskdesk.service.dashboard import dashboard_data

    # The dashboard keeps its figures while the audit head stands still, so timing a repeat
    # call would read ~0 ms. The figure a user waits for is the one after an edit: an
    # audited change to a use, then the dashboard again (worst of 3). A count from
    # scratch (first open, a new day) is kept as a note.
    t = time.perf_counter()
    dashboard_data(service, cached=False)
    result["gui-dashboard-cold"] = time.perf_counter() - t
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as con:
        use_ids = [r for (r,) in con.execute("SELECT id FROM ai_use ORDER BY id")]
    samples = []
    for i, use_id in enumerate(use_ids[:: max(1, len(use_ids) // 3)][:3]):
        service.update("ai_use", use_id, {"monitoring": f"benchmark edit {i}"})
        t = time.perf_counter()
        dashboard_data(service)
        samples.append(time.perf_counter() - t)
    result["gui-dashboard"] = max(samples)

    window.show_page("uses")
    page = window.uses_page
    app.processEvents()
    samples = []
    for text in ("c", "ch", "cha", "chat"):
        t = time.perf_counter()
        page.search.setText(text)
        page.view.viewport().repaint()
        samples.append(time.perf_counter() - t)
    result["gui-search"] = max(samples)
    page.search.clear()
    app.processEvents()
    samples = []
    for column, order in (
        (page.model.NAME, Qt.SortOrder.AscendingOrder),
        (page.model.EXPOSURE, Qt.SortOrder.DescendingOrder),
        (page.model.TIER, Qt.SortOrder.DescendingOrder),
    ):
        t = time.perf_counter()
        page.view.sortByColumn(column, order)
        page.view.viewport().repaint()
        samples.append(time.perf_counter() - t)
    result["gui-sort"] = max(samples)
    window.close()
    return result


GUI_LABELS = {
    "gui-first-paint": "GUI: start to first painted window",
    "gui-dashboard": "GUI: dashboard figures after an edit",
    "gui-search": "GUI: search keystroke → table (worst of 4)",
    "gui-sort": "GUI: column sort (worst of 3)",
}


# --- profiles (child: ``--child profile-mem -- ARGV``) --------------------------------------
def memory_profile(argv: list[str]) -> dict[str, Any]:
    """Run the command under tracemalloc; the riskdesk lines holding memory at its peak."""
    import contextlib
    import tracemalloc

    from riskdesk.cli.main import main

    tracemalloc.start(15)  # deep enough to leave SQLAlchemy, cheap enough at 10k
    best: list[Any] = [None, 0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            current, _peak = tracemalloc.get_traced_memory()
            if current > best[1] * 1.2 and current > 50 * MB:
                best[0], best[1] = tracemalloc.take_snapshot(), current

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        code = main(argv)
    done.set()
    sampler.join()
    _current, peak = tracemalloc.get_traced_memory()
    snapshot = best[0] or tracemalloc.take_snapshot()
    by_line: dict[str, int] = {}
    for stat in snapshot.statistics("traceback"):
        where = "(outside riskdesk)"
        for frame in reversed(stat.traceback):  # innermost riskdesk frame
            if "/riskdesk/" in frame.filename:
                rel = frame.filename.split("/riskdesk/", 1)[1]
                where = f"riskdesk/{rel}:{frame.lineno}"
                break
        by_line[where] = by_line.get(where, 0) + stat.size
    top = sorted(by_line.items(), key=lambda kv: -kv[1])[:8]
    return {
        "code": code,
        "traced_peak_mb": peak / MB,
        "snapshot_mb": best[1] / MB,
        "top": [(where, size / MB) for where, size in top],
    }


def cpu_hotspots(prof: Path, n: int = 3) -> dict[str, list[tuple[str, float]]]:
    """Top functions by self time, and riskdesk functions by cumulative time."""
    import pstats

    stats = pstats.Stats(str(prof))
    total = max((v[3] for v in stats.stats.values()), default=0.0)  # type: ignore[attr-defined]

    def name(func: tuple[str, int, str]) -> str:
        filename, line, fn = func
        if "/riskdesk/" in filename:
            filename = "riskdesk/" + filename.split("/riskdesk/", 1)[1]
        elif "site-packages/" in filename:
            filename = filename.split("site-packages/", 1)[1]
        elif filename.startswith("~"):
            return fn
        else:
            filename = Path(filename).name
        return f"{filename}:{line} {fn}"

    items = stats.stats.items()  # type: ignore[attr-defined]
    by_self = sorted(items, key=lambda kv: -kv[1][2])[:n]
    ours = [
        kv
        for kv in items
        if "/riskdesk/" in kv[0][0]
        and "/cli/" not in kv[0][0]
        and kv[1][3] < 0.95 * total  # skip the wrappers that contain everything
    ]
    by_cum = sorted(ours, key=lambda kv: -kv[1][3])[:n]
    return {
        "self": [(name(f), v[2]) for f, v in by_self],
        "cumulative": [(name(f), v[3]) for f, v in by_cum],
        "total": [("total", total)],
    }


# --- the suite --------------------------------------------------------------------------------
@dataclass
class Suite:
    sizes: list[int]
    out_dir: Path
    only: set[str]
    skip: set[str]
    repeat: int
    timeout: float
    peer_timeout: float = 900
    peer_sizes: frozenset[int] = frozenset({1_000, 10_000})  # LibreOffice: hours at 100k
    work: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="riskdesk-bench-")))
    figures: list[Figure] = field(default_factory=list)
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    profiles_note: str = ""
    log: Callable[[str], None] = print
    on_figure: Callable[[], None] = lambda: None  # saves the results so far

    @property
    def env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("RISKDESK_", "QT_")) and k != "PYTHONDONTWRITEBYTECODE"
        }
        # Bytecode cached as on a user's machine (Python writes it on the first start;
        # the bundle ships it), but outside the tree. Without it every command paid
        # ~0.25 s recompiling riskdesk's sources, which no user pays twice.
        env |= {
            "RISKDESK_DATA_DIR": str(self.work / "data"),
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHONPYCACHEPREFIX": str(self.work / "pycache"),
        }
        return env

    def wanted(self, key: str) -> bool:
        group = key.split("-")[0] if key.startswith(("gui", "pdf")) else key
        names = {key, group}
        if self.only and not names & self.only:
            return False
        return not names & self.skip

    def add(self, fig: Figure) -> Figure:
        self.figures.append(fig)
        shown = "—" if fig.seconds is None else f"{fig.seconds:8.3f} s"
        rss = "" if fig.rss_mb is None else f"{fig.rss_mb:6.0f} MB"
        floor = "" if fig.floor_seconds is None else f"  floor {fig.floor_seconds:.3f} s"
        problem = f"  ERROR {fig.error}" if fig.error else ""
        self.log(f"  {size_label(fig.size):>14}  {fig.label:<42} {shown} {rss}{floor}{problem}")
        self.on_figure()  # a run stopped later keeps this figure
        return fig

    def best(self, cmd: list[str], timeout: float | None = None, **kw: Any) -> Run:
        runs = [
            measure(cmd, env=self.env, timeout=timeout or self.timeout, **kw)
            for _ in range(self.repeat)
        ]
        ok = [r for r in runs if r.code == 0]
        return min(ok, key=lambda r: r.seconds) if ok else runs[-1]

    def floor(self, kind: str, *args: str) -> tuple[float | None, dict[str, Any], str]:
        run = self.best(child(kind, *args), keep_stdout=True)
        if run.code != 0:
            return None, {}, failure(run)
        data = json.loads(run.stdout.strip().splitlines()[-1])
        return float(data["seconds"]), data, ""

    def command(self, key: str, label: str, size: int, argv: list[str]) -> Figure:
        run = self.best(riskdesk(*argv))
        fig = Figure(key, label, size, run.seconds, run.cpu, run.rss_mb)
        if run.code != 0:
            fig.error = failure(run)
        return fig

    def run(self) -> None:
        self.env_dirs()
        if self.wanted("version"):
            self.quick()
        for size in self.sizes:
            self.log(f"register of {size_label(size)} uses")
            try:
                self.size(size)
            except Exception as exc:  # a broken figure must not lose the others
                self.add(Figure("suite", "the suite itself", size, error=repr(exc)))
        shutil.rmtree(self.work, ignore_errors=True)

    def env_dirs(self) -> None:
        (self.work / "data").mkdir(parents=True, exist_ok=True)
        # the first start after installing: compile once, before anything is timed. The
        # libraries too: with PYTHONPYCACHEPREFIX set Python reads no __pycache__ beside
        # the sources, so the first command to import PySide6, openpyxl or reportlab paid
        # for compiling them (the GUI's first paint: ~1.1 s warm, ~2.4 s when first)
        libraries = sysconfig.get_paths()["purelib"]
        for tree in (str(SRC), libraries):
            measure([sys.executable, "-m", "compileall", "-q", tree], env=self.env, timeout=1800)

    def quick(self) -> None:
        for key, flag in (("version", "--version"), ("help", "--help")):
            runs = [measure(riskdesk(flag), env=self.env, timeout=60) for _ in range(7)]
            run = min(runs, key=lambda r: r.seconds)
            fig = Figure(key, f"riskdesk {flag}", NO_REGISTER, run.seconds, run.cpu, run.rss_mb)
            fig.note = "best of 7"
            if run.code != 0:
                fig.error = failure(run)
            self.add(fig)

    def size(self, size: int) -> None:
        built = self.add(build_register(size, self.out_dir, self.env, self.timeout))
        if built.error:
            return
        if built.cached:
            built.note = "from the cached build (same code)"
        cached = self.out_dir / "registers" / f"uses-{size}-{code_key()}.db"
        db = self.work / f"register-{size}.db"
        shutil.copyfile(cached, db)  # commands and floors never touch the cache
        s = str(db)

        if self.wanted("summary"):
            fig = self.command("summary", "summary --json", size, ["summary", "--json", "--db", s])
            fig.floor = "SQLite COUNT / GROUP BY of the same counts"
            fig.floor_seconds, _d, err = self.floor("floor-summary", s)
            fig.error = fig.error or err
            self.add(fig)
        if size == DEMO:
            return
        if self.wanted("gaps"):
            fig = self.command("gaps", "gaps --json", size, ["gaps", "--json", "--db", s])
            fig.floor = "SQLite scan of uses, risks, leavers, challenges"
            fig.floor_seconds, _d, err = self.floor("floor-gaps", s)
            fig.error = fig.error or err
            self.add(fig)
        if self.wanted("check"):
            fig = self.command("check", "check", size, ["check", "--db", s])
            fig.floor = "PRAGMA integrity_check + read and SHA-256 the audit chain"
            fig.floor_seconds, data, err = self.floor("floor-check", s)
            fig.error = fig.error or err
            if data:
                fig.note = (
                    f"{data['events']:,} events; integrity_check {data['integrity_seconds']:.2f} s"
                    + (
                        f"; floor hash differs on {data['mismatched']:,}"
                        if data["mismatched"]
                        else ""
                    )
                )
            self.add(fig)
        xlsx = self.work / f"register-{size}.xlsx"
        if self.wanted("xlsx") or self.wanted("soffice"):
            argv = ["export", "--format", "xlsx", "--out", str(xlsx), "-q", "--db", s]
            fig = self.command("xlsx", "export --format xlsx", size, argv)
            if self.wanted("xlsx") and not fig.error:
                fig.floor = "openpyxl write-only of the same cells"
                fig.floor_seconds, data, err = self.floor("floor-xlsx", s, str(xlsx))
                fig.error = err
                fig.note = f"{data.get('cells', 0):,} cells" if data else ""
            if self.wanted("xlsx"):
                self.add(fig)
        for key, label, extra in (
            ("pdf", "export --format pdf --no-appendix", ["--no-appendix"]),
            ("pdf-appendix", "export --format pdf (full appendix)", []),
        ):
            if not self.wanted(key):
                continue
            pack_db = self.work / f"pack-{size}.db"
            shutil.copyfile(cached, pack_db)  # a pack records itself in its register
            out = self.work / f"{key}-{size}.pdf"
            argv = ["export", "--format", "pdf", *extra, "--out", str(out), "-q"]
            fig = self.command(key, label, size, [*argv, "--db", str(pack_db)])
            if not fig.error:
                pages = pdf_pages(out)
                fig.floor = f"reportlab: read uses and risks, draw {pages:,} table pages"
                fig.floor_seconds, _d, err = self.floor("floor-pdf", s, str(pages))
                fig.error = err
                fig.note = f"{pages:,} pages"
            self.add(fig)
        if self.wanted("csv"):
            out = self.work / f"tables-{size}.zip"
            argv = ["export", "--format", "csv", "--out", str(out), "-q", "--db", s]
            self.add(self.command("csv", "export --format csv (zip)", size, argv))
        if self.wanted("soffice") and xlsx.exists() and size in self.peer_sizes:
            self.soffice(size, xlsx)
        if self.wanted("gui"):
            self.gui(size, s)

    def soffice(self, size: int, xlsx: Path) -> None:
        soffice = shutil.which("soffice")
        fig = Figure("soffice", "peer: LibreOffice xlsx → PDF", size)
        if soffice is None:
            fig.note = "soffice is not installed here"
            self.add(fig)
            return
        profile = self.work / "lo-profile"
        cmd = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(self.work / "lo"),
            str(xlsx),
        ]
        measure([*cmd[:2], "--headless", "--terminate_after_init"], env=self.env, timeout=120)
        run = measure(cmd, env=self.env, timeout=self.peer_timeout)
        fig.seconds, fig.cpu, fig.rss_mb = run.seconds, run.cpu, run.rss_mb
        pdf = self.work / "lo" / f"{xlsx.stem}.pdf"
        if run.timed_out:
            fig.note = f"did not finish in {self.peer_timeout:.0f} s (stopped)"
            fig.seconds = None
        elif run.code != 0 or not pdf.exists():
            fig.note = f"failed: {failure(run)}"
        else:
            fig.note = f"{pdf_pages(pdf):,} pages (profile already initialised)"
        self.add(fig)

    def gui(self, size: int, db: str) -> None:
        run = measure(child("gui", db), env=self.env, timeout=self.timeout, keep_stdout=True)
        if run.code != 0:
            self.add(
                Figure("gui-first-paint", GUI_LABELS["gui-first-paint"], size, error=failure(run))
            )
            return
        data = json.loads(run.stdout.strip().splitlines()[-1])
        for key, label in GUI_LABELS.items():
            fig = Figure(key, label, size, data[key])
            if key == "gui-dashboard" and "gui-dashboard-cold" in data:
                fig.note = (
                    "after an audited edit to a use (worst of 3); counted from scratch: "
                    f"{data['gui-dashboard-cold'] * 1000:.0f} ms"
                )
            if key == "gui-first-paint":
                fig.rss_mb, fig.cpu = run.rss_mb, run.cpu
                fig.note = "peak RSS and CPU: the whole GUI process"
            self.add(fig)

    # profiles
    def profile(self, size: int, *, cpu: bool = True, memory: bool = True) -> None:
        """cProfile and/or tracemalloc of each command at ``size`` (slow: not the figures).

        tracemalloc slows allocation-heavy code down 10× or more, so it is worth running
        at a smaller size than cProfile."""
        pdir = self.out_dir / "profiles"
        pdir.mkdir(parents=True, exist_ok=True)
        cached = self.out_dir / "registers" / f"uses-{size}-{code_key()}.db"
        if not cached.exists():
            built = build_register(size, self.out_dir, self.env, self.timeout)
            if built.error:
                self.log(f"profile: cannot build {size}: {built.error}")
                return
        db = self.work / f"profile-{size}.db"
        jobs: list[tuple[str, list[str]]] = [
            ("demo", ["demo", "--uses", str(size), "--db", str(self.work / "p-demo.db")]),
            ("summary", ["summary", "--json", "--db", str(db)]),
            ("gaps", ["gaps", "--json", "--db", str(db)]),
            ("check", ["check", "--db", str(db)]),
            ("xlsx", ["export", "--format", "xlsx", "--out", str(self.work / "p.xlsx"), "-q"]),
            (
                "pdf",
                [
                    "export",
                    "--format",
                    "pdf",
                    "--no-appendix",
                    "--out",
                    str(self.work / "p.pdf"),
                    "-q",
                ],
            ),
            (
                "pdf-appendix",
                ["export", "--format", "pdf", "--out", str(self.work / "pa.pdf"), "-q"],
            ),
            ("csv", ["export", "--format", "csv", "--out", str(self.work / "p.zip"), "-q"]),
        ]
        for key, argv in jobs:
            if not self.wanted(key):
                continue
            if "--db" not in argv:
                argv = [*argv, "--db", str(db)]
            entry: dict[str, Any] = self.profiles.setdefault(f"{key}@{size}", {})
            if cpu:
                shutil.copyfile(cached, db)
                (self.work / "p-demo.db").unlink(missing_ok=True)
                prof = pdir / f"{key}-{size}.prof"
                cmd = [sys.executable, "-m", "cProfile", "-o", str(prof), "-m", "riskdesk"]
                run = measure([*cmd, *argv], env=self.env, timeout=self.timeout * 3)
                if run.code == 0:
                    entry["cpu"] = cpu_hotspots(prof)
                    write_profile_text(prof, pdir / f"{key}-{size}.txt")
                else:
                    entry["cpu_error"] = failure(run)
            if memory:
                shutil.copyfile(cached, db)
                (self.work / "p-demo.db").unlink(missing_ok=True)
                mem = measure(
                    child("profile-mem", "--", *argv),
                    env=self.env,
                    timeout=self.timeout * 5,
                    keep_stdout=True,
                )
                if mem.code == 0:
                    entry["memory"] = json.loads(mem.stdout.strip().splitlines()[-1])
                else:
                    entry["memory_error"] = failure(mem)
            self.log(f"  profiled {key} at {size:,}")
            self.on_figure()


def write_profile_text(prof: Path, out: Path) -> None:
    import io
    import pstats

    buf = io.StringIO()
    stats = pstats.Stats(str(prof), stream=buf)
    stats.sort_stats("tottime").print_stats(30)
    stats.sort_stats("cumulative").print_stats(40)
    out.write_text(buf.getvalue())


def pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


# --- limits and the document ------------------------------------------------------------------
@dataclass(frozen=True)
class Verdict:
    limit: Limit
    figure: Figure
    value: float
    passed: bool

    def __str__(self) -> str:
        unit = {"seconds": " s", "rss_mb": " MB", "growth": "×", "floor_ratio": "× floor"}
        u = unit[self.limit.kind]
        return (
            f"{self.figure.label} at {size_label(self.figure.size)}: {self.limit.kind} "
            f"{self.value:.3g}{u} {'≤' if self.passed else '>'} {self.limit.limit:g}{u} "
            f"({self.limit.source})"
        )


def timed(fig: Figure, judge: str = "wall") -> float | None:
    """The figure's seconds: wall, or CPU where measured (``--judge cpu``). First paint
    is judged on wall time always: its CPU is the whole GUI process's (every figure
    measured after the paint too), not the paint's."""
    if fig.key == "gui-first-paint":
        return fig.seconds
    return fig.cpu if judge == "cpu" and fig.cpu is not None else fig.seconds


def growth(figures: Sequence[Figure], fig: Figure, judge: str = "wall") -> float | None:
    """``fig``'s time over the same figure's at a tenth of its size."""
    base = next(
        (
            f
            for f in figures
            if f.key == fig.key and f.size > 0 and f.size * 10 == fig.size and f.seconds
        ),
        None,
    )
    if base is None:
        return None
    if judge == "cpu" and (fig.cpu is None or base.cpu is None):
        judge = "wall"  # never a CPU time over a wall time
    now, then = timed(fig, judge), timed(base, judge)
    if not now or not then:
        return None
    return now / then


def check_limits(
    figures: Sequence[Figure], limits: Iterable[Limit] = LIMITS, judge: str = "wall"
) -> list[Verdict]:
    """Every limit that applies to a figure, held or passed. ``judge="cpu"`` reads
    seconds as CPU time where a process was measured: on a loaded, shared machine
    wall time mostly measures the other sessions."""
    verdicts = []
    for limit in limits:
        for fig in figures:
            if fig.error or fig.key == "soffice":  # a peer, not ours to limit
                continue
            if limit.figure != "*" and limit.figure != fig.key:
                continue
            if limit.size is not None and limit.size != fig.size:
                continue
            value: float | None
            if limit.kind == "seconds":
                value = timed(fig, judge)
            elif limit.kind == "rss_mb":
                value = fig.rss_mb
            elif limit.kind == "growth":
                value = growth(figures, fig, judge)
            else:
                value = (
                    fig.seconds / fig.floor_seconds if fig.seconds and fig.floor_seconds else None
                )
            if value is not None:
                verdicts.append(Verdict(limit, fig, value, value <= limit.limit))
    return verdicts


def fmt_s(value: float | None) -> str:
    if value is None:
        return "—"
    return (
        f"{value * 1000:.0f} ms"
        if value < 1
        else f"{value:.2f} s"
        if value < 10
        else f"{value:.1f} s"
    )


def machine() -> dict[str, str]:
    mem = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    load = "unknown"
    with contextlib.suppress(OSError):
        load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    return {
        "cores": str(os.cpu_count()),
        "memory": mem,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "system": f"{platform.system()} {platform.release()} {platform.machine()}",
        "load": load,
    }


def run_meta(
    started: dt.datetime, machine_start: dict[str, str], argv: Sequence[str], judge: str
) -> dict[str, Any]:
    """What the document says about the run, saved with the figures for ``--render``."""
    return {
        "run": f"{started:%Y-%m-%d %H:%M} UTC",
        "argv": list(argv),
        "machine": machine_start,
        "load_end": machine()["load"],
        "code": code_key(),
        "commit": git_commit(),
        "judge": judge,
    }


def render(suite: Suite, verdicts: Sequence[Verdict], meta: dict[str, Any]) -> str:
    machine_start = meta["machine"]
    figs = suite.figures
    failed = [v for v in verdicts if not v.passed]
    lines = [
        "# Benchmarks",
        "",
        "Written by `python benchmarks/run_all.py` (issue 19); do not edit by hand. Each",
        "command ran in its own process: **wall** is what a user waits, **CPU** is user + system",
        "time (the machine is shared, so wall time includes waiting for a core; compare CPU",
        "when wall times look noisy), **peak RSS** is the process's high-water mark. The",
        "**floor** is measured in the same run: the least work that gives the same result",
        "(it does not pay the ~0.1 s interpreter start a command pays — see `--version`).",
        "Python's bytecode is compiled once before timing, as it is after a user's first",
        "start (and in the bundle); runs before 2026-12-03 11:30 UTC recompiled riskdesk's",
        "sources in every command (~0.25 s each).",
        "",
        f"- run: {meta['run']}, `{' '.join(['run_all.py', *meta['argv']])}`",
        f"- machine: {machine_start['cores']} cores, {machine_start['memory']}, "
        f"{machine_start['system']}; Python {machine_start['python']}, "
        f"SQLite {machine_start['sqlite']}",
        f"- load average (1, 5, 15 min) at start {machine_start['load']}, "
        f"at end {meta['load_end']}",
        f"- code: register builder {meta['code']}, commit {meta['commit']}",
        "",
        "## Figures",
        "",
        "| figure | uses | wall | CPU | peak RSS | floor | × floor | growth ×10 | note |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    order: dict[str, int] = {}
    for i, f in enumerate(figs):
        order.setdefault(f.key, i)  # figures in the order they were first run
    for fig in sorted(figs, key=lambda f: (order[f.key], f.size)):
        ratio = (
            f"{fig.seconds / fig.floor_seconds:.1f}×" if fig.seconds and fig.floor_seconds else "—"
        )
        g = growth(figs, fig)
        note = "; ".join(
            x for x in (fig.note, f"**failed**: {fig.error}" if fig.error else "") if x
        )
        if fig.floor:
            note = f"floor: {fig.floor}" + (f"; {note}" if note else "")
        rss = "—" if fig.rss_mb is None else f"{fig.rss_mb:,.0f} MB"
        lines.append(
            f"| {fig.label} | {size_label(fig.size)} | "
            f"{fmt_s(fig.seconds)} | {fmt_s(fig.cpu)} | {rss} | {fmt_s(fig.floor_seconds)} | "
            f"{ratio} | {f'{g:.1f}×' if g else '—'} | {note} |"
        )
    lines += [
        "",
        "## Limits",
        "",
        "The limits live in `LIMITS` at the top of benchmarks/run_all.py; the script exits 1",
        "when one is passed. Time limits are judged on "
        + (
            "**CPU time** where a process was measured (`--judge cpu`: this machine is "
            "shared, so wall time mostly measured the other sessions), wall time otherwise."
            if meta.get("judge") == "cpu"
            else "wall time."
        ),
        "",
    ]
    if not verdicts:
        lines.append("No limit applied to the sizes run.")
    else:
        lines.append(
            f"{len(verdicts) - len(failed)} of {len(verdicts)} checks hold"
            + (f"; **{len(failed)} passed their limit**:" if failed else ".")
        )
        lines.append("")
        for v in sorted(verdicts, key=lambda v: v.passed):
            lines.append(f"- {'ok' if v.passed else '**over**'}: {v}")
    if suite.profiles:
        lines += [
            "",
            "## Where the time and memory go",
            "",
            "cProfile (top 3 by self time; top 3 riskdesk functions by cumulative time,",
            "leaving out the wrappers that contain the whole command) and tracemalloc (the",
            "riskdesk line that allocated what was live at the sampled peak, 15 frames",
            "deep). Full listings: benchmarks/out/profiles/. Profilers slow the code down,",
            "so read the shares, not the seconds."
            + (f" These profiles are {suite.profiles_note}." if suite.profiles_note else ""),
            "",
        ]
        for name, entry in suite.profiles.items():
            key, _, size = name.partition("@")
            lines.append(f"### {key} at {int(size):,} uses")
            lines.append("")
            cpu = entry.get("cpu")
            if cpu:
                total = cpu["total"][0][1]
                lines.append(
                    f"- profiled total {total:.1f} s; self time: "
                    + "; ".join(f"`{n}` {t:.1f} s ({t / total:.0%})" for n, t in cpu["self"])
                )
                lines.append(
                    "- riskdesk, cumulative: "
                    + "; ".join(f"`{n}` {t:.1f} s ({t / total:.0%})" for n, t in cpu["cumulative"])
                )
            elif "cpu_error" in entry:
                lines.append(f"- cProfile run failed: {entry['cpu_error']}")
            mem = entry.get("memory")
            if mem:
                lines.append(
                    f"- tracemalloc peak {mem['traced_peak_mb']:.0f} MB (Python objects); "
                    f"live at the sampled peak ({mem['snapshot_mb']:.0f} MB): "
                    + "; ".join(f"`{w}` {m:.0f} MB" for w, m in mem["top"][:3])
                )
            elif "memory_error" in entry:
                lines.append(f"- tracemalloc run failed: {entry['memory_error']}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def write_results(
    suite: Suite, meta: dict[str, Any], doc: Path, out_dir: Path | None
) -> list[Verdict]:
    """The document, and (unless re-rendering) the figures behind it as JSON."""
    verdicts = check_limits(suite.figures, judge=meta.get("judge", "wall"))
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(render(suite, verdicts, meta), encoding="utf-8")
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        saved = {
            "meta": meta,
            "figures": [asdict(f) for f in suite.figures],
            "profiles": suite.profiles,
            "profiles_note": suite.profiles_note,
        }
        (out_dir / "last-run.json").write_text(json.dumps(saved, indent=1))
    return verdicts


def git_commit() -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except OSError:
        return "unknown"
    return done.stdout.strip() or "unknown"


def parse_sizes(text: str) -> list[int]:
    return [int(x.replace("_", "")) for x in text.split(",") if x.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default="0,1000,10000,100000",
        help="register sizes, e.g. 1000,10000 (0: the curated 28-use demo)",
    )
    parser.add_argument(
        "--only",
        default="",
        help="only these figures (comma list): "
        "version, help, demo, summary, gaps, check, xlsx, pdf, csv, soffice, gui",
    )
    parser.add_argument("--skip", default="", help="leave out these figures (comma list)")
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs per command")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per command")
    parser.add_argument(
        "--peer-timeout", type=float, default=900, help="seconds for LibreOffice (a peer)"
    )
    parser.add_argument(
        "--peer-sizes",
        default="1000,10000",
        help="sizes at which LibreOffice converts the workbook (a peer, slow: 256 s at 1,000)",
    )
    parser.add_argument(
        "--profile", type=int, metavar="SIZE", help="also cProfile each command at SIZE uses"
    )
    parser.add_argument(
        "--profile-memory",
        type=int,
        metavar="SIZE",
        help="also run each command under tracemalloc at SIZE uses (slow: use a small SIZE)",
    )
    parser.add_argument("--no-limits", action="store_true", help="report, never fail on a limit")
    parser.add_argument("--doc", type=Path, default=DOC, help="the Markdown file to write")
    parser.add_argument("--out-dir", type=Path, default=OUT, help="cached registers, profiles")
    parser.add_argument(
        "--render", action="store_true", help="only re-render --doc from the last run's figures"
    )
    parser.add_argument(
        "--judge",
        choices=("wall", "cpu"),
        default="wall",
        help="judge time limits on wall time (default) or, where measured, CPU time",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("rest", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        if args.child == "gui":
            data = gui_figures(args.rest[0])
        elif args.child == "profile-mem":
            data = memory_profile(args.rest)
        else:
            data = FLOORS[args.child](*args.rest)
        print(json.dumps(data))
        return 0

    if args.render:
        # Re-render the document from the last run's saved figures (after changing
        # LIMITS or the layout, or when a long run was stopped part-way).
        saved_run = json.loads((args.out_dir / "last-run.json").read_text())
        suite = Suite(sizes=[], out_dir=args.out_dir, only=set(), skip=set(), repeat=1, timeout=0)
        suite.figures = [Figure(**f) for f in saved_run["figures"]]
        suite.profiles = saved_run.get("profiles", {})
        suite.profiles_note = saved_run.get("profiles_note", "")
        meta = saved_run["meta"] | {"judge": args.judge}
        write_results(suite, meta, args.doc, None)
        print(f"wrote {args.doc}")
        return 0

    started = dt.datetime.now(dt.UTC)
    machine_start = machine()
    sizes = parse_sizes(args.sizes)
    suite = Suite(
        sizes=sizes,
        out_dir=args.out_dir,
        only={x.strip() for x in args.only.split(",") if x.strip()},
        skip={x.strip() for x in args.skip.split(",") if x.strip()},
        repeat=max(1, args.repeat),
        timeout=args.timeout,
        peer_timeout=args.peer_timeout,
        peer_sizes=frozenset(parse_sizes(args.peer_sizes)),
    )

    def write() -> list[Verdict]:
        meta = run_meta(started, machine_start, list(argv or sys.argv[1:]), args.judge)
        return write_results(suite, meta, args.doc, args.out_dir)

    saved = args.out_dir / "profiles" / "profiles.json"
    if not (args.profile or args.profile_memory) and saved.exists():
        # Profiling is slow, so a figures-only run shows the last profiles of this code.
        last = json.loads(saved.read_text())
        if last.get("source") == code_key(whole=True):
            suite.profiles = last["profiles"]
            suite.profiles_note = f"from the profiling run of {last['when']}, same code"
    suite.on_figure = write
    suite.run()
    if args.profile or args.profile_memory:
        suite.work.mkdir(parents=True, exist_ok=True)
        suite.env_dirs()
        for size, cpu, memory in (
            (args.profile, True, args.profile == args.profile_memory),
            (args.profile_memory, False, True),
        ):
            if size and (cpu or size != args.profile):
                suite.log(f"profiles at {size:,} uses")
                suite.profile(size, cpu=cpu, memory=memory)
        shutil.rmtree(suite.work, ignore_errors=True)
        saved.write_text(
            json.dumps(
                {
                    "source": code_key(whole=True),
                    "when": f"{started:%Y-%m-%d %H:%M} UTC",
                    "profiles": suite.profiles,
                }
            )
        )
    verdicts = write()
    print(f"wrote {args.doc}")
    errors = [f for f in suite.figures if f.error]
    failed = [v for v in verdicts if not v.passed]
    for fig in errors:
        print(f"FAILED: {fig.label} at {size_label(fig.size)}: {fig.error}", file=sys.stderr)
    for v in failed:
        print(f"OVER LIMIT: {v}", file=sys.stderr)
    if errors:
        return 2
    if failed and not args.no_limits:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
