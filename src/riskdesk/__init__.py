"""riskdesk: a desktop AI risk register for organisations that deploy AI."""

from __future__ import annotations

import os
import sys

_DIST = "riskdesk"
_UNKNOWN = "0.0.0+unknown"  # running from a source tree that is not installed


def _installed_version() -> str:
    """The installed distribution's version, read from its ``.dist-info/METADATA``.

    ``importlib.metadata.version`` gives the same answer but importing it (it pulls in
    the ``email`` package) and scanning every distribution costs ~0.1 s, most of
    ``riskdesk --version``. Like it, the first ``riskdesk-*.dist-info`` on ``sys.path``
    wins; anything unusual (an egg, a zip) falls back to importlib.metadata.
    """
    prefix = f"{_DIST}-"
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.startswith(prefix) and name.endswith(".dist-info"):
                try:
                    with open(os.path.join(entry, name, "METADATA"), encoding="utf-8") as fh:
                        for line in fh:
                            if line.startswith("Version:"):
                                return line.partition(":")[2].strip()
                            if not line.strip():  # end of the headers
                                break
                except OSError:
                    pass
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(_DIST)
    except PackageNotFoundError:
        return _UNKNOWN


def __getattr__(name: str) -> str:
    # Computed on first use (PEP 562), so importing riskdesk costs nothing.
    if name == "__version__":
        value = _installed_version()
        globals()["__version__"] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
