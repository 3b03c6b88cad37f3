"""The bundle's entry point: the same ``main`` as the ``riskdesk`` console script."""

import os
import sys


def _coerce_c_locale() -> None:
    # The ``python`` executable switches a C/POSIX locale to C.UTF-8 at start-up
    # (PEP 538); PyInstaller's bootloader does not, so started with no LANG (a bare
    # service account, `env -i`) Qt would warn and switch on its own. Do what CPython does.
    if not sys.platform.startswith("linux"):
        return
    current = os.environ.get("LC_ALL") or os.environ.get("LC_CTYPE") or os.environ.get("LANG")
    if current in (None, "", "C", "POSIX"):
        os.environ["LC_CTYPE"] = "C.UTF-8"


def _null_stdio_when_windowed() -> None:
    # riskdesk-gui.exe (windowed, Windows) starts with sys.stdout/stderr = None; code
    # that reports to stderr (the GUI's excepthook, logging) must not crash on that.
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115


if __name__ == "__main__":
    _coerce_c_locale()
    _null_stdio_when_windowed()

    from riskdesk.cli.main import main

    sys.exit(main())
