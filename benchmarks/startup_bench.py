"""Start-up time: process start to the main window shown, bundled and from source.

Prints figures; not a timed test. Needs a built bundle (packaging/build). The GUI runs
on Qt's offscreen platform unless --display is given (then the current $DISPLAY).

    python benchmarks/startup_bench.py [--runs 7] [--bundle packaging/dist/riskdesk]

"Shown" is the moment the app prints ``riskdesk: window shown`` — a zero-delay timer
queued right after ``window.show()`` (``RISKDESK_QUIT_AFTER_MS``, ui/app.py), so it fires
on the first pass of the event loop, once the window is up. The one-folder bundle's
target is 1.5 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "packaging" / "dist"
TARGET_S = 1.5
MARKER = b"riskdesk: window shown"


def time_to_window(command: list[str], env: dict[str, str], timeout: float = 60.0) -> float:
    """Seconds from spawning ``command`` to the window-shown line on its stderr."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    shown: float | None = None
    lines: list[bytes] = []
    for line in proc.stderr:  # the app quits itself shortly after the marker
        lines.append(line)
        if shown is None and MARKER in line:
            shown = time.perf_counter() - start
    proc.wait(timeout=timeout)
    if shown is None or proc.returncode != 0:
        raise RuntimeError(f"{command[0]} exit {proc.returncode}: {b''.join(lines).decode()}")
    return shown


def time_to_exit(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def make_demo(db: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "riskdesk", "demo", "--db", str(db)],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--bundle", type=Path, default=DIST / "riskdesk")
    parser.add_argument("--onefile", type=Path, default=DIST / "riskdesk-onefile")
    parser.add_argument("--display", action="store_true", help="use $DISPLAY, not offscreen")
    args = parser.parse_args()

    exe_name = "riskdesk.exe" if sys.platform == "win32" else "riskdesk"
    candidates = {
        "bundle, one-folder": [str(args.bundle / exe_name)],
        "bundle, one-file": [str(args.onefile)],
        "python -m riskdesk": [sys.executable, "-m", "riskdesk"],
    }
    programs = {k: v for k, v in candidates.items() if Path(v[0]).is_file()}
    missing = sorted(set(candidates) - set(programs))
    if missing:
        print(f"not built, skipped: {', '.join(missing)} (run packaging/build)")

    with tempfile.TemporaryDirectory(prefix="riskdesk-startup-") as tmp:
        db = Path(tmp) / "demo.db"
        make_demo(db)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("RISKDESK_", "QT_"))}
        env |= {
            "RISKDESK_DATA_DIR": str(Path(tmp) / "data"),
            "RISKDESK_QUIT_AFTER_MS": "100",
            "RISKDESK_NO_FIRST_RUN": "1",
        }
        if not args.display:
            env["QT_QPA_PLATFORM"] = "offscreen"

        print(f"demo register (28 uses), {args.runs} runs each, first run reported apart")
        print(f"{'program':22} {'first':>7} {'median':>7} {'min':>7}  {'--version':>9}")
        results: dict[str, float] = {}
        for label, command in programs.items():
            gui = [*command, "--db", str(db)]
            first = time_to_window(gui, env)  # cold-ish: page cache, font cache
            runs = [time_to_window(gui, env) for _ in range(args.runs)]
            version = statistics.median(
                time_to_exit([*command, "--version"], env) for _ in range(3)
            )
            results[label] = statistics.median(runs)
            print(
                f"{label:22} {first:6.2f}s {statistics.median(runs):6.2f}s "
                f"{min(runs):6.2f}s  {version:8.2f}s"
            )

    onedir = results.get("bundle, one-folder")
    if onedir is not None:
        verdict = "within" if onedir <= TARGET_S else "OVER"
        print(f"one-folder bundle: {onedir:.2f} s to the window, {verdict} the {TARGET_S} s target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
