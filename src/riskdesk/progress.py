"""The one progress and cancellation contract for long work (exports, imports, rescoring).

Long work runs for seconds on a big register, in a worker thread in the GUI and in the
foreground in the CLI. It reports ``progress(done, total)`` now and then and polls
``cancel()``; when cancel answers True the work raises ``Cancelled`` (or a subclass that
says what was cancelled) and leaves nothing written. Qt-free, so every layer shares it.
"""

from __future__ import annotations

from collections.abc import Callable

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]


class Cancelled(Exception):
    """The person cancelled; the work was rolled back or nothing was written."""


class Progress:
    """Counts units of work; reports every ``step`` units and checks for cancel.

    ``cancelled`` is the exception class raised on cancel, so each kind of work can say
    in its own words what was not done ("import cancelled: nothing was written").
    """

    def __init__(
        self,
        total: int,
        progress: ProgressFn | None = None,
        cancel: CancelFn | None = None,
        step: int = 500,
        cancelled: type[Cancelled] = Cancelled,
        message: str = "cancelled",
    ) -> None:
        self.total = max(total, 1)
        self.done = 0
        self._progress = progress
        self._cancel = cancel
        self._step = max(step, 1)
        self._next = self._step
        self._cancelled = cancelled
        self._message = message

    def check(self) -> None:
        """Raise the cancel exception if the person asked to stop."""
        if self._cancel is not None and self._cancel():
            raise self._cancelled(self._message)

    def add(self, units: int = 1) -> None:
        """Count ``units`` more; report and check for cancel every ``step`` units."""
        self.done += units
        if self.done >= self._next:
            self._next = self.done + self._step
            self.check()
            if self._progress is not None:
                self._progress(min(self.done, self.total), self.total)

    def finish(self) -> None:
        """Report completion (after a last cancel check)."""
        self.check()
        self.done = self.total
        if self._progress is not None:
            self._progress(self.total, self.total)
