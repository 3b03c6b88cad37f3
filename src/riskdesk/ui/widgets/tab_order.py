"""Keeping Tab in the order the eye reads a dialog.

Qt puts a widget made after its window was built at the end of the window's Tab chain
(after Cancel), and a layout moved to a new parent re-parents its widgets in layout
item order. Re-order only whole widgets of one parent (``QWidget.setTabOrder`` moves a
widget with everything inside it): taking a child away from its parent's place in the
chain breaks Qt's bookkeeping and crashed the editor later.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget


def focus_chain(root: QWidget) -> list[QWidget]:
    """Every widget of ``root``'s focus chain after it, in order, up to ``root``."""
    chain: list[QWidget] = []
    widget = root.nextInFocusChain()
    while widget is not root and widget is not None and len(chain) < 100_000:
        chain.append(widget)
        widget = widget.nextInFocusChain()
    return chain


def tab_stops(root: QWidget) -> list[QWidget]:
    """The widgets Tab reaches after ``root``, in order (a spin box's or combo box's own
    line edit is its box's stop, not one of its own)."""
    stops: list[QWidget] = []
    for widget in focus_chain(root):
        proxied = widget.focusProxy() is not None
        inner = any(w.isAncestorOf(widget) for w in stops)
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and not proxied and not inner:
            stops.append(widget)
    return stops
