"""``inline``: strip the matched spans from a line and keep the rest.

For chrome glued to article text, such as "(photo credit: REUTERS)" at the end of
a sentence. A line left with nothing but white space is dropped whole. The pattern
should take the white space before the span with it, so nothing is left dangling.

    - id: photo-credit-span
      kind: inline
      match: {regex: '\\s*\\(photo credit: [^)]*\\)'}
"""

from __future__ import annotations

from collections.abc import Iterator

from cleaner.matching import MatchTimeout
from cleaner.rule import Page, Removal, Rule, RuleTimeout


class InlineRule(Rule):
    kind = "inline"
    local = True

    def apply(self, page: Page) -> Iterator[Removal]:
        assert self.match is not None
        for i in self.candidates(page):
            try:
                spans = self.match.finditer(page.texts[i])
            except MatchTimeout:
                raise RuleTimeout(self.id, i) from None
            if spans:
                yield Removal(i, self.id, tuple(sorted(spans, key=lambda s: s.start)))
