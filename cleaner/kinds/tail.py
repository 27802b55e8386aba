"""``tail``: from a marker to the end of the page, when the marker stands below the article.

For footers, "Tags", "Leave a Comment", comment sections, link directories: once the
marker appears after the article, nothing below it is article text. The marker counts
only when there is more running prose above it than below it, so a marker phrase
quoted early in an article never cuts the article off, and not when paragraphs follow
it straight away: a "Filed Under" line printed above the article's first paragraph
heads the article, and a comment count printed above the article's last paragraph
("51 Kommentare") is not a comment section.

    - id: tags-footer
      kind: tail
      match: {regex: '^Tags?\\b.{0,80}$'}
"""

from __future__ import annotations

from collections.abc import Iterator

from cleaner.rule import Page, Removal, Rule

# this many paragraphs right below a marker, or nothing but paragraphs down to the end
# of the page, are an article, not a tail
_PARAGRAPHS = 3


class TailRule(Rule):
    kind = "tail"

    def apply(self, page: Page) -> Iterator[Removal]:
        for i in self.candidates(page):
            if not self.matches(page, i):
                continue
            above, below = page.prose_above(i), page.prose_below(i)
            if above > 0 and above >= below and not _paragraphs_follow(page, i):
                yield from (Removal(j, self.id) for j in range(i, len(page)))
                return


def _paragraphs_follow(page: Page, i: int) -> bool:
    """Whether the first non-blank lines below line ``i``, or all of them when there are
    fewer, are paragraphs of prose."""
    prose = page.prose
    seen = 0
    for j in range(i + 1, len(page)):
        if page.blank[j]:
            continue
        if prose[j + 1] == prose[j]:  # no prose on line j
            return False
        seen += 1
        if seen == _PARAGRAPHS:
            return True
    return seen > 0
