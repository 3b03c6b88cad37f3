"""Attach the features beyond the core register to a main window.

Each later feature (dashboard, exports, governance pages, catalogue…) adds one line
here, so ``MainWindow`` stays small and each feature can be tested on its own.
"""

from __future__ import annotations

from riskdesk.ui.main_window import MainWindow


def attach(window: MainWindow) -> None:
    from riskdesk.service.oversight import gaps_for_use

    window.gaps_for_use = lambda use_id: gaps_for_use(window.service, use_id)

    from riskdesk.ui.dashboard import attach_dashboard

    attach_dashboard(window)

    from riskdesk.ui import catalogue_dialog, frameworks_page

    frameworks_page.attach(window)  # Frameworks (coverage) and Controls pages
    catalogue_dialog.attach(window)  # Edit ▸ Add risk from catalogue…

    from riskdesk.ui.classify_dialog import make_classifier

    window.classifier = make_classifier(window.service.scoring_config)

    from riskdesk.ui.settings_dialog import attach_settings

    attach_settings(window)  # Edit ▸ Scoring settings…

    from riskdesk.ui import export_dialog

    export_dialog.attach(window)  # File ▸ Export… (xlsx, board pack, csv)

    from riskdesk.ui import import_action

    import_action.attach(window)  # File ▸ Import… (Ctrl+I), above Export…

    from riskdesk.ui.governance_attach import attach_governance

    attach_governance(window)  # Drift page, calendar, backups, record history, incidents
