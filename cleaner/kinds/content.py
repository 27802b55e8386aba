"""``content``: find the article on a page no rule has seen, and drop what lies around it.

Runs late, on the lines the other rules left. Every non-blank line gets a prose score
from cheap measures: its length in words (characters for CJK), the share of its words
that are stopwords of the page's language, and whether it ends a sentence. The main
article is the run of lines with the highest total score (menus, teaser lists and
footers cost points, paragraphs earn them), found in one pass. Inside the run short
lines are headings, quotes and list items and stay; only long stretches of chrome go.
Outside it, a line stays only when it is article prose standing right beside the run
(a paragraph the run's edges missed); everything else there goes.

    - id: content
      kind: content
      min_words: 8
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import regex

from cleaner import language
from cleaner.matching import Matcher, SpecError
from cleaner.rule import Page, Removal, Rule, matcher, positive_int
from cleaner.textstats import ends_sentence

_WORD = regex.compile(r"\w+")
_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\p{Thai}]")


def _ratio(spec: dict[str, Any], key: str, default: float) -> float:
    value = spec.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise SpecError(f"'{key}' must be a number between 0 and 1")
    return float(value)


@dataclass(frozen=True)
class LineStats:
    words: float  # words, or CJK characters / 2
    density: float  # share of tokens that are stopwords (1.0 on CJK lines)
    ends: bool


def measure(texts: list[str], blank: list[bool]) -> list[LineStats | None]:
    """Stats for every non-blank line, with the page's language told once from all of it."""
    lowered = [t.lower() for t in texts]
    tokens = [_WORD.findall(t) if not b else [] for t, b in zip(lowered, blank, strict=True)]
    joined = "\n".join(t for t, b in zip(texts, blank, strict=True) if not b)
    cjk_page = language.is_cjk(joined)
    stop = frozenset() if cjk_page else language.stopwords(
        language.detect(w for ws in tokens for w in ws)
    )
    out: list[LineStats | None] = []
    for text, b, toks in zip(texts, blank, tokens, strict=True):
        if b:
            out.append(None)
            continue
        cjk = len(_CJK.findall(text)) if cjk_page else 0
        if cjk:
            latin = len(_WORD.findall(_CJK.sub(" ", text)))
            out.append(LineStats(latin + cjk / 2, 1.0, ends_sentence(text)))
            continue
        n = len(toks)
        hits = sum(1 for w in toks if w in stop) if stop else 0
        density = hits / n if n and stop else (1.0 if not stop else 0.0)
        out.append(LineStats(float(n), density, ends_sentence(text)))
    return out


class ContentRule(Rule):
    kind = "content"
    needs_match = False
    late = True
    params = frozenset(
        {"min_words", "long_words", "min_density", "short_cost", "alone_words", "alone_share"}
        | {"title_words", "trailer", "menu_lines", "menu_words"}
    )

    min_words: int = 8  # a line that ends a sentence with this many words is prose
    long_words: int = 20  # ... or one this long without the final stop
    min_density: float = 0.2  # share of stopwords prose needs
    short_cost: int = 3  # what a line of chrome costs the run, in words
    alone_words: int = 30  # prose shorter than this with no prose beside it ...
    alone_share: float = 0.3  # ... earns only this share of its words (a teaser)
    title_words: int = 25  # a line up to this long right above the run is its headline
    trailer: Matcher | None = None  # a credit line right below the run ("Reporting by ...")
    menu_lines: int = 5  # this many short lines in a row inside the run are a menu ...
    menu_words: int = 3  # ... when none has more words than this (0: never)

    def configure(self, spec: dict[str, Any], timeout: float) -> None:
        self.min_words = positive_int(spec, "min_words", 8, minimum=1)
        self.long_words = positive_int(spec, "long_words", 20, minimum=1)
        self.min_density = _ratio(spec, "min_density", 0.2)
        self.short_cost = positive_int(spec, "short_cost", 3)
        self.alone_words = positive_int(spec, "alone_words", 30)
        self.alone_share = _ratio(spec, "alone_share", 0.3)
        self.title_words = positive_int(spec, "title_words", 25)
        self.trailer = matcher(spec, "trailer", timeout)
        self.menu_lines = positive_int(spec, "menu_lines", 5, minimum=1)
        self.menu_words = positive_int(spec, "menu_words", 3)

    def is_prose(self, s: LineStats) -> bool:
        if s.density < self.min_density:
            return False
        return (s.ends and s.words >= self.min_words) or s.words >= self.long_words

    def apply(self, page: Page) -> Iterator[Removal]:
        stats = measure(list(page.texts), page.blank)
        lines = [i for i, s in enumerate(stats) if s is not None]
        if not lines:
            return
        keys = [" ".join(page.texts[i].split()) for i in lines]
        copies = Counter(keys)
        repeated = [copies[key] > 1 for key in keys]
        prose = [self.is_prose(stats[i]) for i in lines]  # type: ignore[arg-type]
        if not any(prose):
            return
        scores = []
        last = len(lines) - 1
        for k, i in enumerate(lines):
            if not prose[k]:
                scores.append(-float(self.short_cost))
                continue
            if repeated[k]:  # prose printed twice on a page is a teaser or a summary
                scores.append(0.0)
                continue
            words = stats[i].words  # type: ignore[union-attr]
            alone = not (k > 0 and prose[k - 1]) and not (k < last and prose[k + 1])
            if alone and words < self.alone_words:
                words *= self.alone_share
            scores.append(words)
        start, end = _best_run(scores)
        start, end = self._edges(page, stats, lines, start, end)
        menu = self._menus(page, stats, lines, start, end)
        for k, i in enumerate(lines):
            if start <= k <= end and k not in menu:
                continue
            yield Removal(i, self.id)

    def _menus(
        self, page: Page, stats: list[LineStats | None], lines: list[int], start: int, end: int
    ) -> set[int]:
        """Positions in the run that belong to a long stretch of menu-like lines."""
        out: set[int] = set()
        if not self.menu_words:
            return out
        stretch: list[int] = []
        for k in range(start, end + 2):
            s = stats[lines[k]] if k <= end else None
            if s is not None and _menu_item(page.texts[lines[k]], s, self.menu_words):
                stretch.append(k)
                continue
            if len(stretch) >= self.menu_lines:
                out.update(stretch)
            stretch = []
        return out

    def _edges(
        self, page: Page, stats: list[LineStats | None], lines: list[int], start: int, end: int
    ) -> tuple[int, int]:
        """Widen the run by its headline above and a short closing line or credit below."""
        if start > 0:
            head = stats[lines[start - 1]]
            if head is not None and 3 <= head.words <= self.title_words and not _stops(head):
                start -= 1
        if end + 1 < len(lines):
            i = lines[end + 1]
            tail = stats[i]
            closing = tail is not None and tail.ends and tail.words >= 3
            if closing or (self.trailer is not None and self.search(self.trailer, page, i)):
                end += 1
        return start, end


def _menu_item(text: str, s: LineStats, max_words: int) -> bool:
    """A menu or tag label: a few words, no digits, no sentence."""
    return s.words <= max_words and not s.ends and not any(c.isdigit() for c in text)


def _stops(s: LineStats) -> bool:
    """A line ending in a full stop reads as a sentence, not a headline."""
    return s.ends


def _best_run(scores: list[float]) -> tuple[int, int]:
    """The (first, last) index of the contiguous run with the highest sum (Kadane)."""
    best, best_span = float("-inf"), (0, 0)
    total, begin = 0.0, 0
    for k, s in enumerate(scores):
        if total <= 0:
            total, begin = s, k
        else:
            total += s
        if total > best:
            best, best_span = total, (begin, k)
    return best_span
