"""Where the shared reference data lives: ``../shared/reference`` beside the checkout.

CI clones the repository with a copy of shared/ beside it; a developer's checkout has
the same layout. ``RISKDESK_REFERENCE_DIR`` overrides it.
"""

from __future__ import annotations

import os
from pathlib import Path

REFERENCE_DIR = Path(
    os.environ.get(
        "RISKDESK_REFERENCE_DIR",
        Path(__file__).resolve().parents[2] / "shared" / "reference",
    )
)
