"""Split text into lines and join them back, byte for byte.

Only ``\\n`` ends a line: JSON strings may legally hold U+2028 and friends, and a
scraped page may hold a lone ``\\r``; neither starts a new line here. A ``\\r``
before the ``\\n`` belongs to the line ending, so CRLF files stay CRLF.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Line:
    """One line of input: its text and the ending that followed it ("" on the last line)."""

    text: str
    ending: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def split_lines(text: str) -> list[Line]:
    """Split ``text`` on ``\\n`` keeping each line's own ending (``\\n``, ``\\r\\n`` or "")."""
    if not text:
        return []
    parts = text.split("\n")
    lines: list[Line] = []
    last = len(parts) - 1
    for i, part in enumerate(parts):
        if i == last:
            if part:
                lines.append(Line(part, ""))
            break
        if part.endswith("\r"):
            lines.append(Line(part[:-1], "\r\n"))
        else:
            lines.append(Line(part, "\n"))
    return lines


def join_lines(lines: list[Line]) -> str:
    return "".join(line.text + line.ending for line in lines)
