"""Every item model in ``ui/`` passes pytest-qt's model tester, filled with demo rows.

Models are found the way a user meets them: behind the views of every page, the use
editor, the catalogue dialog and the import wizard. A model class added to ``ui/`` that
none of these shows fails ``test_every_model_class_in_ui_is_checked`` until it is
reached here too.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QAbstractItemModel, QAbstractProxyModel
from PySide6.QtWidgets import QAbstractItemView, QWidget, QWizard
from pytestqt.qtbot import QtBot

import riskdesk.ui
from riskdesk.service.evidence import add_evidence
from riskdesk.ui.dialogs.catalogue import CatalogueDialog
from riskdesk.ui.dialogs.import_wizard.wizard import ImportWizard
from riskdesk.ui.main_window import MainWindow

CSV = (
    "Use case,Where,Status,Supplier,Owner\n"
    "Tutor bot,Maths,Pilot,Acme,Jo Bloggs\n"
    "Rota planner,HR,live,ACME ,Sam Roe\n"
)


def model_classes() -> set[type[QAbstractItemModel]]:
    """The concrete model classes defined in ``riskdesk.ui`` (bases others extend excluded)."""
    for info in pkgutil.walk_packages(riskdesk.ui.__path__, "riskdesk.ui."):
        importlib.import_module(info.name)
    found: set[type[QAbstractItemModel]] = set()
    pending: list[type[QAbstractItemModel]] = [QAbstractItemModel]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("riskdesk.ui."):
                found.add(sub)
    return {c for c in found if not any(s in found for s in c.__subclasses__())}


def models_in(widget: QWidget) -> list[QAbstractItemModel]:
    """The riskdesk models behind every view inside ``widget`` (through any proxies)."""
    out: list[QAbstractItemModel] = []
    for view in widget.findChildren(QAbstractItemView):
        model = view.model()
        while isinstance(model, QAbstractProxyModel):
            model = model.sourceModel()
        if (
            model is not None
            and type(model).__module__.startswith("riskdesk.ui.")
            and not any(model is seen for seen in out)  # one model may feed two views
        ):
            out.append(model)
    return out


@pytest.fixture
def shown_models(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> list[QAbstractItemModel]:
    models: list[QAbstractItemModel] = []
    essay = next(u for u in window.service.rows("ai_use") if u["name"] == "Essay grading assistant")
    # The demo holds no evidence files (issue 18): one on the essay use fills those models.
    add_evidence(window.service, b"bias test", title="Bias test", to=[f"use:{essay['id']}"])
    for key in list(window.pages):
        window.show_page(key)
    drift = window.pages["drift"]
    # The drift lists load off the GUI thread once the page is shown.
    qtbot.waitUntil(
        lambda: all(v.model().rowCount() > 0 for v in drift.findChildren(QAbstractItemView))
    )
    models += models_in(window)

    # As if it came from a spreadsheet: the columns kept show on its Imported details tab.
    window.service.update("ai_use", essay["id"], {"source_record": '{"Personal data":"Names"}'})
    editor = window.use_editor(essay["id"])
    qtbot.addWidget(editor)
    models += models_in(editor)
    coder = next(u for u in window.service.rows("ai_use") if u["name"] == "Autonomous coding agent")
    agent_editor = window.use_editor(coder["id"])  # issue 17: an agent's permission inventory
    qtbot.addWidget(agent_editor)
    models += models_in(agent_editor)

    dialog = CatalogueDialog(window.service, window.history, essay["id"], window)
    qtbot.addWidget(dialog)
    dialog.search.setText("bias")
    models += models_in(dialog)

    path = tmp_path / "register.csv"
    path.write_text(CSV, "utf-8")
    wizard = ImportWizard(window.service, window.history, window.settings, window, path)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.button(QWizard.WizardButton.NextButton).click()  # to the column mapping
    wizard.button(QWizard.WizardButton.NextButton).click()  # to "Translate values"
    wizard.button(QWizard.WizardButton.NextButton).click()  # to the preview
    qtbot.waitUntil(lambda: wizard.state.preview is not None, timeout=20_000)
    models += models_in(wizard)
    return models


def test_every_model_class_in_ui_is_checked(shown_models: list[QAbstractItemModel]) -> None:
    classes = model_classes()
    assert classes, "no model classes found under riskdesk.ui"
    missing = classes - {type(m) for m in shown_models}
    assert not missing, f"not shown anywhere this test looks: {sorted(c.__name__ for c in missing)}"


def test_every_model_passes_the_model_tester(
    shown_models: list[QAbstractItemModel], qtmodeltester: Any
) -> None:
    for model in shown_models:
        qtmodeltester.check(model, force_py=True)
    # Checked with rows in them, not only empty: each class shows demo data somewhere.
    filled = {type(m) for m in shown_models if m.rowCount() > 0}
    assert filled == {type(m) for m in shown_models}
