"""The match part of a rule: regular expressions and literal phrases.

A match spec is a mapping with any of these keys (a line matches if any part does):

- ``regex``: a pattern or a list of patterns for the ``regex`` module, searched in the line;
- ``phrases``: literal lines; the whole line, stripped of surrounding white space, must equal one;
- ``contains``: literal phrases found anywhere in the line;
- ``ignore_case``: true to compare case-insensitively (default false).

Patterns run with a per-match timeout so a catastrophic user pattern cannot hang a run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import regex

DEFAULT_TIMEOUT = 0.25
_KEYS = {"regex", "phrases", "contains", "ignore_case"}


class SpecError(ValueError):
    """A match spec that cannot be used; the loader adds file, line and rule id."""


class MatchTimeout(Exception):
    """A pattern ran past its timeout on one line."""


def _strings(value: Any, key: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return list(value)
    raise SpecError(f"'{key}' must be a string or a non-empty list of strings")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


class Matcher:
    """Compiled form of one match spec."""

    def __init__(self, spec: Any, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        if isinstance(spec, str):
            spec = {"regex": spec}
        if not isinstance(spec, Mapping):
            raise SpecError("a match must be a mapping with 'regex', 'phrases' or 'contains'")
        unknown = set(spec) - _KEYS
        if unknown:
            raise SpecError(f"unknown match key '{sorted(unknown)[0]}' (expected regex, phrases, "
                            "contains, ignore_case)")
        if not ({"regex", "phrases", "contains"} & set(spec)):
            raise SpecError("a match needs 'regex', 'phrases' or 'contains'")
        ignore_case = spec.get("ignore_case", False)
        if not isinstance(ignore_case, bool):
            raise SpecError("'ignore_case' must be true or false")
        self.ignore_case = ignore_case
        self.timeout = timeout
        flags = regex.V0 | (regex.IGNORECASE if ignore_case else 0)
        self.patterns: list[regex.Pattern[str]] = []
        for pattern in _strings(spec["regex"], "regex") if "regex" in spec else []:
            try:
                self.patterns.append(regex.compile(pattern, flags))
            except regex.error as exc:
                raise SpecError(f"regex {pattern!r} does not compile: {exc}") from None
        fold = str.casefold if ignore_case else str
        self._fold = fold
        self.phrases = frozenset(
            fold(p.strip()) for p in _strings(spec["phrases"], "phrases")
        ) if "phrases" in spec else frozenset()
        self.contains = tuple(
            fold(p) for p in _strings(spec["contains"], "contains")
        ) if "contains" in spec else ()

    def search(self, text: str) -> Span | None:
        """Return the first matching span in ``text``, or None.

        Raises MatchTimeout when a pattern runs past the timeout.
        """
        if self.phrases:
            stripped = text.strip()
            if self._fold(stripped) in self.phrases:
                start = text.index(stripped) if stripped else 0
                return Span(start, start + len(stripped))
        if self.contains:
            folded = self._fold(text)
            for phrase in self.contains:
                # casefold can change lengths (ß -> ss); fall back to the whole line then
                at = folded.find(phrase)
                if at >= 0:
                    if len(folded) == len(text):
                        return Span(at, at + len(phrase))
                    return Span(0, len(text))
        for pattern in self.patterns:
            try:
                found = pattern.search(text, timeout=self.timeout)
            except TimeoutError:
                raise MatchTimeout(pattern.pattern) from None
            if found:
                return Span(found.start(), found.end())
        return None

    def finditer(self, text: str) -> list[Span]:
        """All non-overlapping matches of the regex patterns and contained phrases."""
        spans: list[Span] = []
        folded = self._fold(text)
        if len(folded) == len(text):
            for phrase in self.contains:
                at = folded.find(phrase)
                while at >= 0 and phrase:
                    spans.append(Span(at, at + len(phrase)))
                    at = folded.find(phrase, at + len(phrase))
        for pattern in self.patterns:
            try:
                spans.extend(Span(m.start(), m.end())
                             for m in pattern.finditer(text, timeout=self.timeout)
                             if m.end() > m.start())
            except TimeoutError:
                raise MatchTimeout(pattern.pattern) from None
        return spans
