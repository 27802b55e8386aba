"""``block``: a heading and the list under it, until a stated end.

For "Most Read", "Hot Opinion", "Related articles": a heading line (``match``) followed
by a list of teasers. The block runs over the lines below the heading and stops at the
first of:

- a line matching ``end`` (kept, unless ``include_end: true``);
- a line of running prose, when ``end_on_prose`` is true (the default): a list
  of links does not hold full sentences, so prose (or a line of 20 words or more,
  a paragraph that lost its final stop) means the article is back;
- ``max_lines`` non-blank lines (default 30; 0 drops the heading alone).

``above: N`` also drops the N non-blank lines right above the heading (a video
title printed above its consent notice, say), unless they are running prose.

    - id: most-read-list
      kind: block
      match: {regex: '^(Most Read|Most Popular)$', ignore_case: true}
      max_lines: 20
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cleaner.matching import Matcher
from cleaner.rule import Page, Removal, Rule, boolean, matcher, positive_int
from cleaner.textstats import is_prose, word_count

#: a line this long is a paragraph even without its final stop: no teaser title runs so long
PARAGRAPH_WORDS = 20


class BlockRule(Rule):
    kind = "block"
    params = frozenset({"end", "include_end", "end_on_prose", "max_lines", "above"})

    end: Matcher | None = None
    include_end: bool = False
    end_on_prose: bool = True
    max_lines: int = 30
    above: int = 0

    def configure(self, spec: dict[str, Any], timeout: float) -> None:
        self.end = matcher(spec, "end", timeout)
        self.include_end = boolean(spec, "include_end", False)
        self.end_on_prose = boolean(spec, "end_on_prose", True)
        self.max_lines = positive_int(spec, "max_lines", 30)
        self.above = positive_int(spec, "above", 0)

    def apply(self, page: Page) -> Iterator[Removal]:
        n = len(page)
        i = 0
        for heading in self.candidates(page):
            if heading < i or not self.matches(page, heading):
                continue
            i = heading
            if self.above:
                before = [j for j in range(i - 1, -1, -1) if not page.blank[j]][: self.above]
                # a title or label above the heading goes; a sentence of prose never does
                yield from (
                    Removal(j, self.id) for j in sorted(before) if not is_prose(page.texts[j])
                )
            yield Removal(i, self.id)
            taken = 0
            j = i + 1
            while j < n and taken < self.max_lines:
                if page.blank[j]:
                    j += 1
                    continue
                if self.end is not None and self.search(self.end, page, j):
                    if self.include_end:
                        yield Removal(j, self.id)
                        j += 1
                    break
                if self.end_on_prose and _paragraph(page.texts[j]):
                    break
                yield Removal(j, self.id)
                taken += 1
                j += 1
            i = max(j, i + 1)


def _paragraph(text: str) -> bool:
    """Running prose, or a line long enough to be a paragraph that lost its final stop."""
    return is_prose(text) or word_count(text) >= PARAGRAPH_WORDS
