"""Shared helpers: paths, the default engine, and a way to run the CLI in-process."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

import cleaner
from cleaner.engine import Engine

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
SHARED = ROOT.parent / "shared"

# CI explores the same examples on every run, so a red build points at the change that
# made it; runs by hand explore new ones (HYPOTHESIS_PROFILE unset).
settings.register_profile("ci", derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def shared_or_skip(*parts: str) -> Path:
    """A path under ../shared, or skip: that data ships beside the project, not in it."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared benchmark data sits beside the checkout")
    return path


@pytest.fixture(scope="session")
def default_engine() -> Engine:
    return cleaner.engine()


@pytest.fixture(scope="session", autouse=True)
def _scan_database_compiled() -> None:
    """Compile the default rules' scan database (``cleaner.scan``) before any test: a
    cold cache says so on stderr once, which a test that reads stderr must not see."""
    cleaner.engine().scanner  # noqa: B018


@dataclass
class Result:
    code: int
    out: str
    err: str
    out_bytes: bytes = b""


def run_cli(*args: str, stdin: bytes = b"", cwd: Path | None = None) -> Result:
    """Run ``cleaner`` as a user would, in a subprocess."""
    proc = subprocess.run(
        [sys.executable, "-m", "cleaner.cli", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        timeout=120,
    )
    return Result(
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
        proc.stdout,
    )


def run_main(args: list[str], monkeypatch: pytest.MonkeyPatch, stdin: bytes = b"") -> Result:
    """Run ``cleaner.cli.main`` in this process (faster than a subprocess)."""
    from cleaner import cli

    out, err = io.BytesIO(), io.StringIO()
    fake_in = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    fake_out = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    monkeypatch.setattr(sys, "stdin", fake_in)
    monkeypatch.setattr(sys, "stdout", fake_out)
    monkeypatch.setattr(sys, "stderr", err)
    code = cli.main(args)
    fake_out.flush()
    return Result(code, out.getvalue().decode("utf-8", "replace"), err.getvalue(), out.getvalue())


def default_sigint() -> None:
    """Give a child process Ctrl-C as a terminal would.

    A test run started in the background inherits SIGINT ignored, and Python keeps an
    ignored SIGINT ignored; the tests of Ctrl-C need the default handler back.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)
