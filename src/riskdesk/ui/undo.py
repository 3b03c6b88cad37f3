"""Undo and redo of every edit, on top of the service layer.

An action runs first (so a validation error reaches the form that caused it), then
its ``ActionResult`` goes on the ``QUndoStack``. Undo asks the service to reverse the
result — itself an audited action — and redo reverses that reversal, so ids stay
stable and the audit trail records every step.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from riskdesk.service.errors import ServiceError, StoreError
from riskdesk.service.register import ActionResult, RegisterService


class ServiceCommand(QUndoCommand):
    def __init__(self, history: EditHistory, text: str, result: ActionResult) -> None:
        super().__init__(text)
        self._history = history
        self._result = result
        self._reversal: ActionResult | None = None
        self._first = True

    def redo(self) -> None:
        if self._first:  # the action already ran before it was pushed
            self._first = False
            return
        if (reversal := self._reversal) is not None:
            self._result = self._history.guard(lambda: self._history.service.undo(reversal))
            self._history.changed.emit()
            if self._result.changes:
                self._history.stepped.emit(f"Redone: {self.text()}")

    def undo(self) -> None:
        self._reversal = self._history.guard(lambda: self._history.service.undo(self._result))
        self._history.changed.emit()
        if self._reversal.changes:
            self._history.stepped.emit(f"Undone: {self.text()}")


class EditHistory(QObject):
    """The window's undo stack plus the service it replays on."""

    changed = Signal()  # the register changed: views reload
    failed = Signal(str)  # an undo/redo could not be applied
    # "Undone: …" / "Redone: …": Ctrl+Z changed nothing on screen a user (or a screen
    # reader) was told about, when the change was on another page or in a closed editor
    stepped = Signal(str)

    def __init__(self, service: RegisterService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.stack = QUndoStack(self)
        self.stack.setUndoLimit(500)

    def run(self, text: str, action: Callable[[], ActionResult]) -> ActionResult:
        """Run an action now; on success make it undoable. Errors propagate."""
        result = action()
        if result.changes:
            self.stack.push(ServiceCommand(self, text, result))
            self.changed.emit()
        return result

    def guard(self, fn: Callable[[], ActionResult]) -> ActionResult:
        try:
            return fn()
        except (ServiceError, StoreError) as exc:
            # The register moved on (e.g. another window edited it): drop the history
            # rather than apply a half-valid reversal.
            self.failed.emit(f"Could not undo/redo: {exc}")
            QTimer.singleShot(0, self.stack.clear)  # not while the stack is mid-undo
            return ActionResult()

    def create(self, text: str, entity: str, values: dict) -> ActionResult:  # type: ignore[type-arg]
        return self.run(text, lambda: self.service.add(entity, values))

    def update(self, text: str, entity: str, key: object, changes: dict) -> ActionResult:  # type: ignore[type-arg]
        return self.run(text, lambda: self.service.update(entity, key, changes))

    def delete(self, text: str, entity: str, key: object) -> ActionResult:
        return self.run(text, lambda: self.service.delete(entity, key))
