"""The default packs stay readable: no pattern longer than a person can read at once.

A pattern is measured as it is written in its rule file, before vocabularies are
spelled out: ``{month}`` counts as seven characters, not as the hundreds its words
expand to. A verbose pattern (``(?x)``) is measured without its layout and comments,
so laying a pattern out on several lines never counts against it. Word lists
(vocabularies) may be as long as they need; the named pieces of patterns
(``pattern:`` vocabularies) are patterns, and are held to the same limit.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from cleaner.loader import default_rules_dir

#: the longest pattern a default rule may carry, in characters
LIMIT = 400


def dense(pattern: str) -> str:
    """A verbose pattern without its layout and comments; any other pattern as it is."""
    if not pattern.lstrip().startswith("(?x)"):
        return pattern
    out: list[str] = []
    i, in_class = 0, False
    text = pattern.lstrip()
    while i < len(text):
        char = text[i]
        if char == "\\":
            out.append(text[i : i + 2])
            i += 2
            continue
        if in_class:
            if char == "]" and out[-1] not in ("[", "[^"):
                in_class = False
            out.append(char)
        elif char == "[":
            in_class = True
            if text.startswith("[^", i):
                out.append("[^")
                i += 2
                if text.startswith("]", i):  # a ']' first in a class is itself
                    out.append("]")
                    i += 1
                continue
            out.append(char)
        elif char == "#":
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
            continue
        elif not char.isspace():
            out.append(char)
        i += 1
    return "".join(out)


def _regexes(spec: Any) -> Iterator[str]:
    """Every ``regex:`` pattern in a rule's match, unless, end ... (one or a list)."""
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key == "regex":
                yield from [value] if isinstance(value, str) else value
            elif key != "examples":
                yield from _regexes(value)
    elif isinstance(spec, list):
        for item in spec:
            yield from _regexes(item)


def default_patterns() -> Iterator[tuple[str, str, str]]:
    """(file, rule id or vocabulary name, pattern) for every pattern of the default packs."""
    root = default_rules_dir()
    for path in sorted(root.rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        where = str(path.relative_to(root))
        for rule in data.get("rules") or []:
            for pattern in _regexes({k: v for k, v in rule.items() if k != "examples"}):
                yield where, rule["id"], pattern
        for name, entry in (data.get("vocabulary") or {}).items():
            if isinstance(entry, dict) and "pattern" in entry:
                yield where, name, entry["pattern"]


def test_dense_drops_layout_and_comments_only() -> None:
    assert dense("(?x) ^ a \\  b  # a comment\n [ #] c $") == "(?x)^a\\ b[ #]c$"
    assert dense("(?x) [^]x ] y") == "(?x)[^]x ]y"
    assert dense("^a b # c$") == "^a b # c$"  # not verbose: every character counts


def test_default_patterns_are_found() -> None:
    found = list(default_patterns())
    assert len(found) > 100
    assert any(name == "sentence" for _, name, _ in found)


@pytest.mark.parametrize(
    ("where", "name", "pattern"),
    [pytest.param(*p, id=f"{p[1]}-{i}") for i, p in enumerate(default_patterns())],
)
def test_no_default_pattern_is_longer_than_the_limit(where: str, name: str, pattern: str) -> None:
    length = len(dense(pattern))
    assert length <= LIMIT, (
        f"{where} {name}: a pattern of {length} characters (limit {LIMIT}); split it into "
        "a regex: list of alternatives, move its word lists into vocabularies, or lay it "
        "out as a (?x) pattern whose pieces are named vocabularies"
    )
