"""``duplicate``: a line that repeats the line right above it.

Scrapers often print a caption twice, or a title once as a link and once as a
heading. The first copy stays (unless another rule drops it); the repeat goes.
With ``prefix: true`` a line that is the start of the line above it, at least
``min_chars`` long and not ending a sentence, counts as a repeat too: a caption
printed once with its credit and once without. ``match`` is optional and narrows which
lines count.

With ``pair: true`` the rule looks at two lines at once instead: a short label and a
title, neither ending a sentence, printed twice in a row ("Business / Stocks edge down /
Business / Stocks edge down"), as a teaser card is rendered once as the image's link and
once as the text link. The repeat goes; the first copy stays, as a song's repeated
chorus would. The label has at most ``max_words`` words.

    - id: repeated-line
      kind: duplicate
      prefix: true
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cleaner.rule import Page, Removal, Rule, boolean, positive_int
from cleaner.textstats import ends_sentence


class DuplicateRule(Rule):
    kind = "duplicate"
    needs_match = False
    params = frozenset({"prefix", "min_chars", "pair", "max_words"})
    prefix: bool = False
    min_chars: int = 20
    pair: bool = False
    max_words: int = 5

    def configure(self, spec: dict[str, Any], timeout: float) -> None:
        self.prefix = boolean(spec, "prefix", False)
        self.min_chars = positive_int(spec, "min_chars", 20, minimum=1)
        self.pair = boolean(spec, "pair", False)
        self.max_words = positive_int(spec, "max_words", 5, minimum=1)

    def apply(self, page: Page) -> Iterator[Removal]:
        if self.pair:
            yield from self._pairs(page)
            return
        previous: str | None = None
        for i in page.nonblank():
            current = page.normed(i)
            if (
                previous is not None
                and self._repeats(current, previous)
                and (self.match is None or self.matches(page, i))
            ):
                yield Removal(i, self.id)
            previous = current

    def _pairs(self, page: Page) -> Iterator[Removal]:
        lines = list(page.nonblank())
        norms = [page.normed(i) for i in lines]
        taken = -1  # the last position already removed
        for p in range(3, len(lines)):
            label, title = norms[p - 1], norms[p]
            if (
                norms[p - 3] == label
                and norms[p - 2] == title
                and label != title
                and len(label.split()) <= self.max_words
                and not ends_sentence(label)
                and not ends_sentence(title)
                and (self.match is None or self.matches(page, lines[p - 1]))
            ):
                for q in range(max(p - 1, taken + 1), p + 1):
                    yield Removal(lines[q], self.id)
                taken = p

    def _repeats(self, current: str, previous: str) -> bool:
        if current == previous:
            return True
        # only a fragment can be a prefix repeat: a full sentence is article text
        return (
            self.prefix
            and len(current) >= self.min_chars
            and previous.startswith(current)
            and not ends_sentence(current)
        )
