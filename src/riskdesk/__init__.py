"""riskdesk: a desktop AI risk register for organisations that deploy AI."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("riskdesk")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"
