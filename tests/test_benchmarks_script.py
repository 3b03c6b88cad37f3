"""benchmarks/run_all.py keeps working (issue 19): a tiny run, and its limit rules.

Not a timed test: the figures of a 30-use register are not checked against anything,
only that every command ran, beside its floor, and that the document was written.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "run_all.py"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("run_all", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["run_all"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_a_tiny_run_times_every_command_beside_its_floor(tmp_path: Path) -> None:
    doc, out = tmp_path / "benchmarks.md", tmp_path / "out"
    done = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--sizes",
            "30",
            "--skip",
            "gui,soffice",  # Qt start-up and LibreOffice are too slow for the suite
            "--no-limits",
            "--doc",
            str(doc),
            "--out-dir",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    figures = json.loads((out / "last-run.json").read_text())["figures"]
    by_key = {f["key"]: f for f in figures}
    assert set(by_key) == {
        "version",
        "help",
        "demo",
        "summary",
        "gaps",
        "check",
        "xlsx",
        "pdf",
        "pdf-appendix",
        "csv",
    }
    for fig in figures:
        assert not fig["error"], fig
        assert fig["seconds"] > 0 and fig["cpu"] > 0 and fig["rss_mb"] > 10, fig
    for key in ("summary", "gaps", "check", "xlsx", "pdf", "pdf-appendix"):
        assert by_key[key]["floor_seconds"] > 0, key
    # the check floor recomputes the chain's hashes exactly as the audit trail does
    assert "floor hash differs" not in by_key["check"]["note"]
    assert by_key["demo"]["size"] == 30
    # the built register is cached by size and code version, the doc holds the table
    assert len(list((out / "registers").glob("uses-30-*.db"))) == 1
    text = doc.read_text()
    assert "| summary --json | 30 |" in text and "## Limits" in text
    # --render rewrites the document from the saved figures alone
    doc.unlink()
    again = [sys.executable, str(SCRIPT), "--render", "--doc", str(doc), "--out-dir", str(out)]
    assert subprocess.run(again, capture_output=True, timeout=60).returncode == 0
    assert doc.read_text() == text


def test_limits_fail_on_growth_memory_and_seconds() -> None:
    run_all = load_script()
    Figure = run_all.Figure
    figures = [
        Figure("check", "check", 10_000, seconds=2.0, rss_mb=100),
        Figure("check", "check", 100_000, seconds=30.0, rss_mb=600),  # 15× and 600 MB
        Figure("summary", "summary --json", 10_000, seconds=1.0, rss_mb=80),
        Figure("summary", "summary --json", 100_000, seconds=0.9, rss_mb=80),
    ]
    verdicts = run_all.check_limits(figures)
    failed = {(v.figure.key, v.figure.size, v.limit.kind) for v in verdicts if not v.passed}
    assert failed == {("check", 100_000, "growth"), ("check", 100_000, "rss_mb")}
    passed = {(v.figure.key, v.figure.size, v.limit.kind) for v in verdicts if v.passed}
    assert ("summary", 100_000, "seconds") in passed  # 0.9 s ≤ 1 s
    assert ("check", 10_000, "seconds") in passed  # 2 s ≤ 3 s

    slow = [Figure("summary", "summary --json", 100_000, seconds=1.5)]
    assert [v.passed for v in run_all.check_limits(slow)] == [False]
    broken = [Figure("summary", "summary --json", 100_000, seconds=9.0, error="exit 2")]
    assert run_all.check_limits(broken) == []  # a failed command is reported, not judged


def test_time_limits_can_be_judged_on_cpu_time() -> None:
    run_all = load_script()
    # a shared machine: 0.4 s of waiting for a core, 0.06 s of work
    version = run_all.Figure("version", "riskdesk --version", -1, seconds=0.46, cpu=0.06)
    assert [v.passed for v in run_all.check_limits([version])] == [False]
    assert [v.passed for v in run_all.check_limits([version], judge="cpu")] == [True]
    gui = run_all.Figure("gui-dashboard", "dashboard", 10_000, seconds=0.5)  # no CPU figure
    assert [v.passed for v in run_all.check_limits([gui], judge="cpu")] == [False]
