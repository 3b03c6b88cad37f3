"""The catalogue is a pure library: no Qt, no register database, no network."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
sys.modules["PySide6"] = None  # any Qt import now fails
import socket
def _no_network(*args, **kwargs):
    raise AssertionError("the catalogue opened a network connection")
socket.socket.connect = _no_network
import riskdesk.catalogue as c
c.search_catalogue("prompt injection")
c.search_incidents("chatbot")
c.suggest_risks({"autonomy": "agent_autonomous"})
c.framework_coverage(c.load_builtin_frameworks()[0], [])
loaded = sorted(m for m in sys.modules if m.split(".")[0] in {"sqlalchemy", "sqlmodel", "PySide6"})
print(",".join(m for m in loaded if sys.modules[m] is not None))
"""


def test_catalogue_runs_without_qt_database_layer_or_network() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
