"""What every rule kind shares: identity, scope, examples, and the page it reads."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any, ClassVar
from urllib.parse import urlsplit

from cleaner.matching import Matcher, MatchTimeout, Span, SpecError, prefilter_fold
from cleaner.textstats import prose_weight


@dataclass(frozen=True)
class Removal:
    """A rule's verdict on one line of the page: the whole line, or only some spans of it."""

    position: int
    rule_id: str
    spans: tuple[Span, ...] | None = None


class RuleTimeout(Exception):
    """A rule's pattern timed out on the line at ``position``."""

    def __init__(self, rule_id: str, position: int) -> None:
        super().__init__(rule_id, position)
        self.rule_id = rule_id
        self.position = position


def host_of(url: str) -> str:
    if "://" not in url and not url.startswith("//"):
        url = "//" + url
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


@dataclass(frozen=True)
class Scope:
    """Where a rule applies: any page (empty scope), pages of ``sites``, or pages ``detect``
    finds."""

    sites: tuple[str, ...] = ()
    detect: Matcher | None = None

    @property
    def generic(self) -> bool:
        return not self.sites and self.detect is None

    def applies(self, host: str, text: str) -> bool:
        if self.generic:
            return True
        if host and any(host == s or host.endswith("." + s) for s in self.sites):
            return True
        if self.detect is not None:
            try:
                return self.detect.search(text) is not None
            except MatchTimeout:
                return False
        return False


class Page:
    """The lines a rule reads: the current text of every line still in the document.

    Whatever is costly is computed once per page, on first use, and shared by all rules:
    prose weights, and which lines may match a matcher (found by scanning the whole
    page for the literals the matcher needs, so most patterns never run on most lines).
    """

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = texts
        self.blank = [not t.strip() for t in texts]
        self._prose: list[int] | None = None
        self._docs: dict[str, tuple[str, list[int]]] = {}
        self._candidates: dict[int, list[int]] = {}

    def __len__(self) -> int:
        return len(self.texts)

    def nonblank(self) -> Iterator[int]:
        return (i for i, b in enumerate(self.blank) if not b)

    @property
    def prose(self) -> list[int]:
        """Running totals of prose characters: ``prose[i]`` is the prose before line ``i``."""
        if self._prose is None:
            self._prose = [0, *accumulate(prose_weight(t) for t in self.texts)]
        return self._prose

    def prose_above(self, i: int) -> int:
        """Characters of prose in lines before ``i``."""
        return self.prose[i]

    def prose_below(self, i: int) -> int:
        """Characters of prose in lines after ``i``."""
        prose = self.prose
        return prose[-1] - prose[i + 1]

    def _doc(self, fold: str) -> tuple[str, list[int]]:
        """The page as one string, folded as named, and the offset where each line starts."""
        if fold not in self._docs:
            raw = self._docs["raw"][0] if "raw" in self._docs else "\n".join(self.texts)
            doc = raw if fold == "raw" else raw.casefold() if fold == "casefold" else (
                prefilter_fold(raw))
            starts = [0, *accumulate(len(x) + 1 for x in doc.split("\n"))]
            self._docs[fold] = (doc, starts)
        return self._docs[fold]

    def _lines_with(self, literal: str, fold: str, into: set[int]) -> None:
        doc, starts = self._doc(fold)
        find = doc.find
        last = len(starts) - 1
        at = find(literal)
        while at >= 0:
            i = bisect_right(starts, at) - 1
            into.add(i)
            if i + 1 >= last:
                break
            at = find(literal, starts[i + 1])

    def candidates(self, matcher: Matcher) -> list[int]:
        """Non-blank lines, in order, that ``matcher`` may match; no other line can match."""
        key = id(matcher)
        found = self._candidates.get(key)
        if found is None:
            plan = matcher.plan
            if plan is None:
                found = [i for i, b in enumerate(self.blank) if not b]
            else:
                lines: set[int] = set()
                for fold, literals in plan:
                    for literal in literals:
                        self._lines_with(literal, fold, lines)
                blank = self.blank
                found = sorted(i for i in lines if i < len(blank) and not blank[i])
            self._candidates[key] = found
        return found


@dataclass
class Rule:
    """Base of every rule kind. A kind reads its own keys in ``configure`` and yields removals."""

    kind: ClassVar[str] = ""
    #: keys a kind accepts beyond the common ones
    params: ClassVar[frozenset[str]] = frozenset()
    #: whether the kind needs a ``match``
    needs_match: ClassVar[bool] = True
    #: kinds that read the page after the other rules have run (the content detector)
    late: ClassVar[bool] = False

    id: str
    description: str = ""
    match: Matcher | None = None
    scope: Scope = field(default_factory=Scope)
    chrome_examples: tuple[str, ...] = ()
    keep_examples: tuple[str, ...] = ()
    path: str = ""
    line: int = 0

    def configure(self, spec: dict[str, Any], timeout: float) -> None:
        """Read kind-specific keys from ``spec``; raise SpecError on bad values."""

    def apply(self, page: Page) -> Iterator[Removal]:
        raise NotImplementedError

    def search(self, matcher: Matcher, page: Page, i: int) -> Span | None:
        try:
            return matcher.search(page.texts[i])
        except MatchTimeout:
            raise RuleTimeout(self.id, i) from None

    def candidates(self, page: Page) -> list[int]:
        """Lines ``matches`` may be true for, in order; it is false on every other line."""
        assert self.match is not None
        return page.candidates(self.match)

    def matches(self, page: Page, i: int) -> bool:
        assert self.match is not None
        return not page.blank[i] and self.search(self.match, page, i) is not None


def positive_int(spec: dict[str, Any], key: str, default: int, *, minimum: int = 0) -> int:
    value = spec.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise SpecError(f"'{key}' must be a whole number >= {minimum}")
    return value


def boolean(spec: dict[str, Any], key: str, default: bool) -> bool:
    value = spec.get(key, default)
    if not isinstance(value, bool):
        raise SpecError(f"'{key}' must be true or false")
    return value


def matcher(spec: dict[str, Any], key: str, timeout: float) -> Matcher | None:
    if key not in spec or spec[key] is None:
        return None
    return Matcher(spec[key], timeout=timeout)
