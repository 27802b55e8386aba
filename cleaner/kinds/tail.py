"""``tail``: from a marker to the end of the page, when the marker stands below the article.

For footers, "Tags", "Leave a Comment", comment sections, link directories: once the
marker appears after the article, nothing below it is article text. The marker counts
only when there is more running prose above it than below it, so a marker phrase
quoted early in an article never cuts the article off.

    - id: tags-footer
      kind: tail
      match: {regex: '^Tags?\\b.{0,80}$'}
"""

from __future__ import annotations

from collections.abc import Iterator

from cleaner.rule import Page, Removal, Rule


class TailRule(Rule):
    kind = "tail"

    def apply(self, page: Page) -> Iterator[Removal]:
        for i in self.candidates(page):
            if not self.matches(page, i):
                continue
            above, below = page.prose_above(i), page.prose_below(i)
            if above > 0 and above >= below:
                yield from (Removal(j, self.id) for j in range(i, len(page)))
                return
