"""What a run did, for ``--stats``, the progress line and the end-of-run summary.

Counts come from the units the run writes, so they are the same whatever ``--jobs`` is.
The progress line goes to stderr only when it is a terminal: logs and pipes stay clean.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TextIO

from cleaner.process import Unit

LONG_RUN = 2.0  # seconds after which a run ends with a summary line
REDRAW = 0.2  # seconds between progress redraws


@dataclass
class Stats:
    documents: int = 0
    changed: int = 0
    bytes_in: int = 0
    bytes_out: int = 0
    removed: Counter[str] = field(default_factory=Counter)  # lines removed, by rule id
    started: float = field(default_factory=time.monotonic)
    #: the document in hand is counted as changed (its parts count once)
    _counted: bool = field(default=False, init=False, repr=False, compare=False)

    def add(self, unit: Unit) -> None:
        """Count one unit; the parts of a document read in parts count as one document."""
        if not unit.continued:
            self.documents += 1
            self._counted = False
        if unit.changed and not self._counted:
            self.changed += 1
            self._counted = True
        self.bytes_in += len(unit.original)
        self.bytes_out += len(unit.cleaned)
        if not unit.emptied:
            self.removed.update(r.rule_id for r in unit.removed)

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def summary(self) -> str:
        seconds = self.elapsed()
        rate = self.bytes_in / 1e6 / seconds if seconds > 0 else 0.0
        return (
            f"{self.documents} documents, {self.changed} changed, "
            f"{_size(self.bytes_in)} in, {_size(self.bytes_out)} out, "
            f"{seconds:.1f} s ({rate:.1f} MB/s)"
        )

    def report(self) -> str:
        """The ``--stats`` block: totals, then lines removed per rule id, most first."""
        lines = [
            f"documents: {self.documents}",
            f"documents changed: {self.changed}",
            f"bytes in: {self.bytes_in}",
            f"bytes out: {self.bytes_out}",
            f"lines removed: {sum(self.removed.values())}",
        ]
        lines += [
            f"  {rule_id}: {n}"
            for rule_id, n in sorted(self.removed.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        return "\n".join(lines)


def _size(n: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000  # type: ignore[assignment]
    return f"{n} B"  # pragma: no cover


class Progress:
    """A one-line progress display on stderr, shown only when stderr is a terminal."""

    def __init__(self, stats: Stats, quiet: bool = False, stream: TextIO | None = None) -> None:
        self.stats = stats
        self.stream = stream or sys.stderr
        self.enabled = not quiet and self.stream.isatty()
        self._drawn = 0.0
        self._shown = False

    def update(self) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._drawn < REDRAW:
            return
        self._drawn = now
        self._shown = True
        self.stream.write(f"\r\x1b[Kcleaner: {self.stats.summary()}")
        self.stream.flush()

    def finish(self, quiet: bool = False) -> None:
        """Clear the progress line; after a long run on a terminal, print the summary."""
        if self._shown:
            self.stream.write("\r\x1b[K")
        if self.enabled and not quiet and self.stats.elapsed() >= LONG_RUN:
            self.stream.write(f"cleaner: {self.stats.summary()}\n")
        self.stream.flush()
