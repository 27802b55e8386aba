"""What every rule kind shares: identity, scope, examples, and the page it reads."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from math import inf
from typing import Any, ClassVar
from urllib.parse import urlsplit

from cleaner.matching import Matcher, MatchTimeout, Span, SpecError
from cleaner.page import Page

__all__ = ["Page", "Removal", "Rule", "RuleTimeout", "Scope", "host_of"]


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


def site_host(url: str | None) -> str:
    """The site a URL names, as learning and training group pages: its host without
    ``www.`` ("" without a URL)."""
    return host_of(url).removeprefix("www.") if url else ""


@dataclass(frozen=True)
class Scope:
    """Where a rule applies: any page (empty scope), pages of ``sites``, or pages ``detect``
    finds; with ``html`` set, only text extracted from HTML; with ``markdown`` set, only
    Markdown pages, whose raw lines its matches read."""

    sites: tuple[str, ...] = ()
    detect: Matcher | None = None
    html: bool = False  # only on text extracted from an HTML page (``input: html``)
    markdown: bool = False  # only on Markdown pages, reading raw lines (``input: markdown``)

    @property
    def generic(self) -> bool:
        return not self.sites and self.detect is None and not self.html and not self.markdown

    def applies(self, host: str, text: str, html: bool = False, markdown: bool = False) -> bool:
        if (self.html and not html) or (self.markdown and not markdown):
            return False
        if not self.sites and self.detect is None:
            return True
        if host and any(host == s or host.endswith("." + s) for s in self.sites):
            return True
        if self.detect is not None:
            try:
                return self.detect.search(text) is not None
            except MatchTimeout:
                return False
        return False


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
    #: kinds whose verdict on a line depends on that line's text alone (not on its
    #: neighbours or the page): run again on the same text, they find nothing new
    local: ClassVar[bool] = False

    id: str
    description: str = ""
    match: Matcher | None = None
    scope: Scope = field(default_factory=Scope)
    chrome_examples: tuple[str, ...] = ()
    keep_examples: tuple[str, ...] = ()
    path: str = ""
    line: int = 0
    #: what the rule removes marks an edge of the article ("All rights reserved"): the
    #: content detector never keeps a run of lines across it
    boundary: bool = False

    def configure(self, spec: dict[str, Any], timeout: float) -> None:
        """Read kind-specific keys from ``spec``; raise SpecError on bad values."""

    def apply(self, page: Page) -> Iterator[Removal]:
        raise NotImplementedError

    def matchers(self) -> list[Matcher]:
        """Every matcher the rule holds (its match and any kind-specific ones)."""
        return [v for v in vars(self).values() if isinstance(v, Matcher)]

    def search(self, matcher: Matcher, page: Page, i: int) -> Span | None:
        try:
            return page.search(matcher, i)
        except MatchTimeout:
            raise RuleTimeout(self.id, i) from None

    def candidates(self, page: Page) -> list[int]:
        """Lines ``matches`` may be true for, in order; it is false on every other line."""
        assert self.match is not None
        return page.candidates(self.match)

    def matches(self, page: Page, i: int) -> bool:
        assert self.match is not None
        if page.blank[i]:
            return False
        try:  # ``search`` inlined: this runs on every candidate line of every rule
            return page.search(self.match, i) is not None
        except MatchTimeout:
            raise RuleTimeout(self.id, i) from None


def positive_int(spec: dict[str, Any], key: str, default: int, *, minimum: int = 0) -> int:
    value = spec.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise SpecError(f"'{key}' must be a whole number >= {minimum}")
    return value


def non_negative_number(spec: dict[str, Any], key: str, default: float) -> float:
    """A weight that may be fractional (a cost in words): any finite number >= 0."""
    value = spec.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < inf:
        raise SpecError(f"'{key}' must be a number >= 0")
    return float(value)


def boolean(spec: dict[str, Any], key: str, default: bool) -> bool:
    value = spec.get(key, default)
    if not isinstance(value, bool):
        raise SpecError(f"'{key}' must be true or false")
    return value


def matcher(spec: dict[str, Any], key: str, timeout: float) -> Matcher | None:
    if key not in spec or spec[key] is None:
        return None
    return Matcher(spec[key], timeout=timeout)
