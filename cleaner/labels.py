"""Which lines of a page are article text, told from a labelled row.

Two kinds of labels exist, as the two public benchmarks give them:

- ``gold``: the article's text. A line is article when most of its 4-token shingles
  (the unit the news score counts) occur in the gold; a line of fewer than four tokens
  when its tokens occur, in order and together, in the gold.
- ``with`` / ``without``: segments that must stay and segments that must go. A line is
  article when it lies inside a ``with`` segment (or holds one), chrome when it lies
  inside a ``without`` segment (or holds one), and unknown otherwise: a line the labels
  say nothing of teaches nothing.

Labels are 1 (article), 0 (chrome) and -1 (unknown).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

_TOKEN = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
SHINGLE = 4
ARTICLE, CHROME, UNKNOWN = 1, 0, -1


def shingles(tokens: Sequence[str]) -> list[tuple[str, ...]]:
    """The runs of ``SHINGLE`` tokens, in order (none when there are fewer tokens)."""
    return [tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1)]


def has_labels(row: Mapping[str, Any]) -> bool:
    """Whether ``row`` carries labels this module reads."""
    return isinstance(row.get("gold"), str) or isinstance(row.get("with"), list)


def line_labels(lines: Sequence[str], row: Mapping[str, Any]) -> list[int]:
    """A label for every line (blank lines get ``UNKNOWN``)."""
    if isinstance(row.get("gold"), str):
        return _from_gold(lines, row["gold"])
    return _from_segments(lines, row.get("with") or [], row.get("without") or [])


def _from_gold(lines: Sequence[str], gold: str) -> list[int]:
    tokens = _TOKEN.findall(gold)
    grams = set(shingles(tokens))
    joined = f" {' '.join(tokens)} "
    out = []
    for line in lines:
        toks = _TOKEN.findall(line)
        if not toks:
            out.append(UNKNOWN)
        elif len(toks) < SHINGLE:
            out.append(ARTICLE if f" {' '.join(toks)} " in joined else CHROME)
        else:
            own = shingles(toks)
            hits = sum(g in grams for g in own)
            out.append(ARTICLE if hits >= len(own) / 2 else CHROME)
    return out


def _collapse(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _from_segments(lines: Sequence[str], keep: Sequence[str], drop: Sequence[str]) -> list[int]:
    keep = [s for s in map(_collapse, keep) if s]
    drop = [s for s in map(_collapse, drop) if s]
    out = []
    for line in lines:
        text = _collapse(line)
        if not text:
            out.append(UNKNOWN)
            continue
        kept = any(_overlaps(text, s) for s in keep)
        dropped = any(_overlaps(text, s) for s in drop)
        out.append(ARTICLE if kept and not dropped else CHROME if dropped and not kept else UNKNOWN)
    return out


def _overlaps(line: str, segment: str) -> bool:
    """The line lies inside the segment, or the segment inside the line (a short line such
    as a lone date counts only when it is the whole segment: "2019" is in many)."""
    if segment in line:
        return True
    return len(line) >= 15 and line in segment
