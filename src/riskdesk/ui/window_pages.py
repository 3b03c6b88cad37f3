"""The main window's pages, built in their navigation order with what each empty page offers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from riskdesk.service import queries
from riskdesk.ui.models.register_models import (
    IncidentTableModel,
    PersonTableModel,
    RiskTableModel,
    UseTableModel,
    VendorTableModel,
)
from riskdesk.ui.models.table_model import QueryTableModel
from riskdesk.ui.pages.controls import ControlsPage
from riskdesk.ui.pages.dashboard import DashboardActions, DashboardPage
from riskdesk.ui.pages.dashboard_extras import PathActions
from riskdesk.ui.pages.drift import DriftPage
from riskdesk.ui.pages.evidence import EvidencePage  # issue 18
from riskdesk.ui.pages.frameworks import FrameworksPage
from riskdesk.ui.pages.models_panel import ModelsPanel, vendor_extras  # issue 17
from riskdesk.ui.pages.table_page import EmptyAction, TablePage
from riskdesk.ui.widgets.vendor_banner import ConcentrationBanner  # issue 17

if TYPE_CHECKING:
    from riskdesk.ui.main_window import MainWindow


@dataclass(frozen=True)
class Pages:
    uses: TablePage
    risks: TablePage
    people: TablePage
    vendors: TablePage
    incidents: TablePage
    vendor_banner: ConcentrationBanner  # issue 17
    models_panel: ModelsPanel  # issue 17: the model catalogue, under the vendors
    dashboard: DashboardPage
    controls: ControlsPage
    frameworks: FrameworksPage
    drift: DriftPage
    evidence: EvidencePage  # issue 18


def build_pages(window: MainWindow) -> Pages:
    """Build every page and add it to ``window`` (this order is also the keyboard focus
    order between them; the dashboard goes first in the navigation).

    The table pages start without rows: each reads its ids when first shown (the
    window's stale pages), so a register of 100,000 uses paints its first window
    without sorting every table."""
    service, editors = window.service, window.editors
    # What an empty page offers besides its own New…: bringing a spreadsheet in, or
    # looking around the demo register first.
    fill: list[EmptyAction] = [
        ("&Import a spreadsheet…", window.open_import_wizard),
        ("Open the &demo", window.open_demo),
    ]

    def record_page(
        entity: str,
        model: QueryTableModel,
        add_text: str,
        noun: tuple[str, str],
        empty_text: str,
        empty_actions: list[EmptyAction],
        stretch_column: int = 1,
    ) -> TablePage:
        """A page of people, vendors or incidents: opened and added by the record dialog."""
        return TablePage(
            f"{noun[1]}",
            model,
            on_open=lambda i: editors.edit_record(entity, i),
            on_add=lambda: editors.edit_record(entity, None),
            on_delete=lambda i: editors.delete_record(entity, i),
            stretch_column=stretch_column,
            add_text=add_text,
            noun=noun,
            empty_text=empty_text,
            empty_actions=empty_actions,
        )

    uses = TablePage(
        "uses",
        UseTableModel(queries.uses(service), window, load=False),
        on_open=editors.edit_use,
        on_add=lambda: editors.edit_use(None),
        on_delete=editors.delete_use,
        add_text="&New AI use…",
        noun=("AI use", "AI uses"),
        empty_text="<b>No AI uses yet.</b><br>List every AI tool or system your "
        "organisation uses or is trying out: chatbots, writing aids, screening or "
        "scoring tools, AI features inside software you already have.",
        empty_actions=[("&New AI use…", lambda: editors.edit_use(None)), *fill],
    )
    risks = TablePage(
        "risks",
        RiskTableModel(queries.risks(service), window, load=False),
        on_open=editors.edit_risk,
        on_add=editors.new_risk,
        on_delete=editors.delete_risk,
        add_text="&Add risk…",
        noun=("risk", "risks"),
        empty_text="<b>No risks yet.</b><br>Each AI use has its own risks: what could "
        "go wrong, how likely and how bad, before and after controls. Add them from a "
        "use's Risks tab, its Suggested risks, or the catalogue.",
        empty_actions=[("&Add risk…", editors.new_risk), *fill],
    )
    people = record_page(
        "person",
        PersonTableModel(queries.people(service), window, load=False),
        "&Add person…",
        stretch_column=2,  # titles are long, names short
        noun=("person", "people"),
        empty_text="<b>No people yet.</b><br>Add the people who own, review and "
        "assure your AI uses, so each use can name its owners.",
        empty_actions=[("&Add person…", lambda: editors.edit_record("person", None)), *fill],
    )
    vendors = record_page(
        "vendor",
        VendorTableModel(queries.vendors(service), window, load=False),
        "&Add vendor…",
        noun=("vendor", "vendors"),
        empty_text="<b>No vendors yet.</b><br>Add the companies whose AI products or "
        "models you use; an AI use then names its vendor.",
        empty_actions=[("&Add vendor…", lambda: editors.edit_record("vendor", None)), *fill],
    )
    incidents = record_page(
        "incident",
        IncidentTableModel(queries.incidents(service), window, load=False),
        "&Log incident…",
        stretch_column=4,
        noun=("incident", "incidents"),
        empty_text="<b>No incidents logged.</b><br>When an AI use goes wrong, or nearly "
        "does, log it here: what happened, how bad, and which risks it realised.",
        empty_actions=[("&Log incident…", lambda: editors.edit_record("incident", None))],
    )
    window.add_page("uses", "AI uses", uses)
    window.add_page("risks", "Risks", risks)
    window.add_page("people", "People", people)
    window.add_page("vendors", "Vendors", vendors)
    vendor_banner, models_panel = vendor_extras(vendors, window.history)  # issue 17
    window.add_page("incidents", "Incidents", incidents)
    window.nav.setCurrentRow(0)
    dashboard = DashboardPage(
        service,
        DashboardActions(
            open_use=editors.open_use_on_gaps,
            open_risk=editors.edit_risk,
            filter_uses=window.filter_on(uses, "uses"),
            filter_risks=window.filter_on(risks, "risks"),
            show_page=window.show_page,
            path=PathActions(  # issue 14: the first-run path's buttons
                window.open_import_wizard,
                window.new_use,
                window.edit_use,
                window.show_page,
                window.open_export_dialog,
                editors.open_use_on,
            ),
        ),
        window,
    )
    window.add_page("dashboard", "Dashboard", dashboard, first=True)
    frameworks = FrameworksPage(service, window.history, window)
    controls = ControlsPage(
        service, window.history, lambda key: editors.delete_record("control", key), window
    )
    window.add_page("controls", "Controls", controls)
    window.add_page("frameworks", "Frameworks", frameworks)
    drift = DriftPage(
        service,
        on_open=editors.open_record,
        on_review=editors.record_review,
        on_history=editors.show_history,
        parent=window,
        empty_actions=[("&New AI use…", lambda: editors.edit_use(None)), *fill],
    )
    window.add_page("drift", "Drift", drift)
    evidence = EvidencePage(service, window.history, editors.open_record, window)
    window.add_page("evidence", "Evidence", evidence)  # issue 18
    return Pages(
        uses=uses,
        risks=risks,
        people=people,
        vendors=vendors,
        incidents=incidents,
        vendor_banner=vendor_banner,
        models_panel=models_panel,
        dashboard=dashboard,
        controls=controls,
        frameworks=frameworks,
        drift=drift,
        evidence=evidence,
    )
