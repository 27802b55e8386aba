"""Split text into lines and join them back, byte for byte.

Only ``\\n`` ends a line: JSON strings may legally hold U+2028 and friends, and a
scraped page may hold a lone ``\\r``; neither starts a new line here. A ``\\r``
before the ``\\n`` belongs to the line ending, so CRLF files stay CRLF. Lines come as
two parallel lists, texts and endings: the form the engine's hot path wants.
"""

from __future__ import annotations


def split(text: str) -> tuple[list[str], list[str]]:
    """The lines of ``text`` and the ending of each (``\\n``, ``\\r\\n``, or "" at the end)."""
    if not text:
        return [], []
    texts = text.split("\n")
    last = texts.pop()
    endings = ["\n"] * len(texts)
    if "\r" in text:
        for i, part in enumerate(texts):
            if part.endswith("\r"):
                texts[i] = part[:-1]
                endings[i] = "\r\n"
    if last:
        texts.append(last)
        endings.append("")
    return texts, endings


def join(texts: list[str], endings: list[str]) -> str:
    return "".join(t + e for t, e in zip(texts, endings, strict=True))
