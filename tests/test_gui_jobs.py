"""ui/jobs.py: long work in a pool thread, its news on the GUI thread, stale news dropped."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from riskdesk.progress import CancelFn, Cancelled, Progress, ProgressFn
from riskdesk.ui.jobs import Jobs, Work

WAIT = 10_000  # ms: generous for a loaded machine; a passing test takes milliseconds


@pytest.fixture
def jobs(qtbot: QtBot) -> Iterator[Jobs]:
    owner = QObject()
    runner = Jobs(owner)
    yield runner
    runner.cancel()
    runner.wait(WAIT)


def record(jobs: Jobs) -> dict[str, list[object]]:
    """Everything the jobs report, signal by signal."""
    seen: dict[str, list[object]] = {"progress": [], "done": [], "cancelled": [], "failed": []}
    jobs.progress.connect(lambda done, total: seen["progress"].append((done, total)))
    jobs.done.connect(seen["done"].append)
    jobs.cancelled.connect(seen["cancelled"].append)
    jobs.failed.connect(seen["failed"].append)
    return seen


def test_progress_then_the_result_arrive_on_the_gui_thread(jobs: Jobs, qtbot: QtBot) -> None:
    seen = record(jobs)
    threads: list[threading.Thread] = []

    def work(progress: ProgressFn, cancel: CancelFn) -> str:
        threads.append(threading.current_thread())
        tracker = Progress(3, progress, cancel, step=1)
        for _ in range(3):
            tracker.add()
        return "figures"

    with qtbot.waitSignal(jobs.done, timeout=WAIT) as blocker:
        number = jobs.start(work)
        assert jobs.running  # start returns at once; the work runs elsewhere
    assert number == jobs.number == 1
    assert blocker.args == ["figures"]
    assert seen["progress"] == [(1, 3), (2, 3), (3, 3)]
    assert threads and threads[0] is not threading.main_thread()
    assert not jobs.running
    assert seen["cancelled"] == seen["failed"] == []


def test_a_failure_is_reported_in_plain_words(jobs: Jobs, qtbot: QtBot) -> None:
    seen = record(jobs)

    def broken(_progress: ProgressFn, _cancel: CancelFn) -> None:
        raise OSError("disk full")

    with qtbot.waitSignal(jobs.failed, timeout=WAIT) as blocker:
        jobs.start(broken)
    assert blocker.args == ["disk full"]
    assert not jobs.running and seen["done"] == []

    def silent(_progress: ProgressFn, _cancel: CancelFn) -> None:
        raise KeyError()

    with qtbot.waitSignal(jobs.failed, timeout=WAIT) as blocker:
        jobs.start(silent)
    assert blocker.args == ["KeyError"]  # an exception without words is named


def test_describe_words_the_failure(qtbot: QtBot) -> None:
    jobs = Jobs(describe=lambda exc: f"could not read: {exc.args[0]}")

    def broken(_progress: ProgressFn, _cancel: CancelFn) -> None:
        raise ValueError("row 3")

    with qtbot.waitSignal(jobs.failed, timeout=WAIT) as blocker:
        jobs.start(broken)
    assert blocker.args == ["could not read: row 3"]


def test_cancel_stops_the_job_at_its_next_check(jobs: Jobs, qtbot: QtBot) -> None:
    seen = record(jobs)
    release = threading.Event()

    def work(progress: ProgressFn, cancel: CancelFn) -> str:
        tracker = Progress(10, progress, cancel, step=1, message="stopped: nothing written")
        release.wait(WAIT / 1000)
        for _ in range(10):
            tracker.add()
        return "finished anyway"

    with qtbot.waitSignal(jobs.cancelled, timeout=WAIT) as blocker:
        jobs.start(work)
        assert not jobs.cancelling
        jobs.cancel()
        assert jobs.cancelling
        release.set()
    assert blocker.args == ["stopped: nothing written"]
    assert seen["done"] == [] and seen["progress"] == []
    assert not jobs.running and not jobs.cancelling


def test_other_exceptions_can_mean_cancelled(qtbot: QtBot) -> None:
    class Stopped(Exception):
        pass

    jobs = Jobs(cancelled_by=(Cancelled, Stopped))

    def work(_progress: ProgressFn, _cancel: CancelFn) -> None:
        raise Stopped("import cancelled")

    with qtbot.waitSignal(jobs.cancelled, timeout=WAIT) as blocker:
        jobs.start(work)
    assert blocker.args == ["import cancelled"]


def test_a_stale_jobs_news_is_dropped(jobs: Jobs, qtbot: QtBot) -> None:
    seen = record(jobs)
    release = threading.Event()
    asked_to_stop: list[bool] = []

    def slow(progress: ProgressFn, cancel: CancelFn) -> str:
        release.wait(WAIT / 1000)
        asked_to_stop.append(cancel())
        progress(1, 1)  # it ignores the request and reports anyway
        return "old figures"

    def fresh(progress: ProgressFn, _cancel: CancelFn) -> str:
        progress(5, 5)
        return "new figures"

    with qtbot.waitSignal(jobs.done, timeout=WAIT) as blocker:
        first = jobs.start(slow)
        second = jobs.start(fresh)  # replaces the first, which is still running
        release.set()
    assert (first, second) == (1, 2)
    assert blocker.args == ["new figures"]
    assert asked_to_stop == [True]
    assert seen["done"] == ["new figures"]
    assert seen["progress"] == [(5, 5)]


def test_a_discarded_job_goes_unheard(jobs: Jobs, qtbot: QtBot) -> None:
    seen = record(jobs)
    release = threading.Event()

    def slow(_progress: ProgressFn, _cancel: CancelFn) -> str:
        release.wait(WAIT / 1000)
        return "old figures"

    jobs.start(slow)
    jobs.discard()
    assert not jobs.running
    release.set()
    # Jobs report in order: once the next job's result is in, the first one's is too.
    with qtbot.waitSignal(jobs.done, timeout=WAIT):
        jobs.start(lambda _p, _c: "next")
    assert seen["done"] == ["next"]


def test_jobs_run_one_at_a_time_in_order(jobs: Jobs, qtbot: QtBot) -> None:
    release = threading.Event()
    running = threading.Lock()
    overlaps: list[str] = []
    order: list[str] = []

    def job(name: str) -> Work:
        def work(_progress: ProgressFn, _cancel: CancelFn) -> str:
            if not running.acquire(blocking=False):
                overlaps.append(name)
                return name
            try:
                release.wait(WAIT / 1000)
                order.append(name)
            finally:
                running.release()
            return name

        return work

    with qtbot.waitSignal(jobs.done, timeout=WAIT) as blocker:
        for name in ("a", "b", "c"):
            jobs.start(job(name))
        release.set()
    assert blocker.args == ["c"]
    assert order == ["a", "b", "c"] and overlaps == []
