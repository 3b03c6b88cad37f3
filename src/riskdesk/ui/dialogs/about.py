"""The About box text: version, data folder, register in use, third-party notices."""

from __future__ import annotations

import html

from riskdesk import __version__
from riskdesk.paths import data_dir, resource_path
from riskdesk.service.register import RegisterService


def about_text(service: RegisterService) -> str:
    notices = resource_path("THIRD_PARTY_NOTICES.md")
    return (
        f"<h3>riskdesk {__version__}</h3>"
        "<p>A desktop AI risk register for organisations that deploy AI.</p>"
        f"<p><b>Register:</b> {html.escape(service.register.display_name)}<br>"
        f"<b>Data folder:</b> {html.escape(str(data_dir()))}</p>"
        "<p>Built with Qt / PySide6 (LGPL v3), SQLAlchemy and SQLModel (MIT), Alembic (MIT), "
        "reportlab (BSD), openpyxl (MIT), platformdirs (MIT).</p>"
        "<p>Framework data: NIST AI RMF 1.0 and NIST AI 600-1 (public domain, U.S. "
        "Government works); OWASP Top 10 for LLM Applications and for Agentic "
        "Applications (CC BY-SA 4.0); EU AI Act (© European Union, reuse authorised); "
        "MIT AI Risk Repository (CC BY 4.0). Public incidents: AI Incident Database "
        "(incidentdatabase.ai), Responsible AI Collaborative, CC BY-SA 4.0; snapshot of "
        "February 2026.</p>"
        f"<p>Full notices: {html.escape(str(notices))}</p>"
    )
