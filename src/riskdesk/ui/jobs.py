"""Long work off the GUI thread, one way: ``Jobs``.

Exports, imports, rescoring, the dashboard's and the Drift page's figures and the
backup check all run through it. The work is a plain function
``work(progress, cancel) -> result`` on the shared contract of ``riskdesk.progress``:
it reports ``progress(done, total)``, polls ``cancel()`` and raises ``Cancelled`` (or a
subclass) to stop. It runs in a pool thread and touches no widget; everything it
reports arrives as signals on the GUI thread.

Every job gets a number. Starting another job asks the running one to stop and drops
whatever it still reports, so a slow, stale answer never overwrites a fresh one. Jobs
run one at a time, in order: the next starts once the previous has stopped, so two
jobs of one owner never use the register at the same time, and the GUI never waits.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from riskdesk.progress import CancelFn, Cancelled, ProgressFn

Work = Callable[[ProgressFn, CancelFn], object]
Describe = Callable[[Exception], str]


def describe_error(exc: Exception) -> str:
    """The message a person sees when a job fails (the exception's own words)."""
    return str(exc) or type(exc).__name__


class _Relay(QObject):
    # Emitted in the worker, delivered on the GUI thread; each carries the job's number.
    progress = Signal(int, int, int)
    done = Signal(int, object)
    cancelled = Signal(int, str)
    failed = Signal(int, str)


class _Job(QRunnable):
    def __init__(
        self,
        number: int,
        work: Work,
        relay: _Relay,
        cancel: threading.Event,
        cancelled_by: tuple[type[BaseException], ...],
        describe: Describe,
    ) -> None:
        super().__init__()
        self.number, self.work, self.relay, self.cancel = number, work, relay, cancel
        self.cancelled_by, self.describe = cancelled_by, describe

    def run(self) -> None:  # worker thread: no widgets here
        number, relay = self.number, self.relay

        def progress(done: int, total: int) -> None:
            relay.progress.emit(number, done, total)

        # RuntimeError: the owner (and its relay) was deleted while this ran; nobody is
        # left to tell.
        with contextlib.suppress(RuntimeError):
            try:
                result = self.work(progress, self.cancel.is_set)
            except self.cancelled_by as exc:
                relay.cancelled.emit(number, str(exc))
            except Exception as exc:  # reported to the person, never lost in a thread
                relay.failed.emit(number, self.describe(exc))
            else:
                relay.done.emit(number, result)


class Jobs(QObject):
    """Runs its owner's long work, one job at a time; reports the current job only.

    ``cancelled_by`` names the exceptions that mean "stopped on request" (``Cancelled``
    and its subclasses by default); ``describe`` turns any other into the ``failed``
    message.
    """

    progress = Signal(int, int)  # done, total
    done = Signal(object)  # the work's result
    cancelled = Signal(str)  # the Cancelled exception's message
    failed = Signal(str)  # what went wrong, in plain words

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        cancelled_by: tuple[type[BaseException], ...] = (Cancelled,),
        describe: Describe = describe_error,
    ) -> None:
        super().__init__(parent)
        self._cancelled_by, self._describe = cancelled_by, describe
        # The pool is created before the relay so it is destroyed first: its destructor
        # waits for a running job before that job's relay goes away.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.progress.connect(self._on_progress)
        self._relay.done.connect(self._on_done)
        self._relay.cancelled.connect(self._on_cancelled)
        self._relay.failed.connect(self._on_failed)
        self._cancel = threading.Event()
        self.number = 0  # the current job's number; older numbers are stale
        self.running = False  # the current job has not reported its end yet

    def start(self, work: Work) -> int:
        """Run ``work`` after any running job, which is asked to stop and goes unheard."""
        self._cancel.set()
        self._cancel = threading.Event()
        self.number += 1
        self.running = True
        self._pool.start(
            _Job(
                self.number,
                work,
                self._relay,
                self._cancel,
                self._cancelled_by,
                self._describe,
            )
        )
        return self.number

    def cancel(self) -> None:
        """Ask the current job to stop at its next check; it then reports ``cancelled``."""
        self._cancel.set()

    @property
    def cancelling(self) -> bool:
        """Cancel was asked for and the current job has not stopped yet."""
        return self.running and self._cancel.is_set()

    def discard(self) -> None:
        """Forget the current job: ask it to stop and drop whatever it still reports."""
        self._cancel.set()
        self.number += 1
        self.running = False

    def wait(self, msecs: int = -1) -> bool:
        """Block until no job runs (closing a window); False if ``msecs`` passed first."""
        return bool(self._pool.waitForDone(msecs))

    # --- news from the worker, on the GUI thread ---------------------------------------
    def _current(self, number: int) -> bool:
        return self.running and number == self.number

    def _on_progress(self, number: int, done: int, total: int) -> None:
        if self._current(number):
            self.progress.emit(done, total)

    def _on_done(self, number: int, result: object) -> None:
        if self._current(number):
            self.running = False
            self.done.emit(result)

    def _on_cancelled(self, number: int, message: str) -> None:
        if self._current(number):
            self.running = False
            self.cancelled.emit(message)

    def _on_failed(self, number: int, message: str) -> None:
        if self._current(number):
            self.running = False
            self.failed.emit(message)
