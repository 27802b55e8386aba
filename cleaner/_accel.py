"""The one switch between compiled code and its pure-Python reference.

Every compiled path (the line-scan kernel, a match prefilter) asks here first, so a user
or a test can force the reference path with ``CLEANER_PURE_PYTHON=1`` and get the same
output from code they can read and step through.
"""

from __future__ import annotations

import os

ENV = "CLEANER_PURE_PYTHON"


def pure_python() -> bool:
    """Whether compiled code must be left unused (``CLEANER_PURE_PYTHON`` set, not 0)."""
    return os.environ.get(ENV, "").strip() not in ("", "0")
