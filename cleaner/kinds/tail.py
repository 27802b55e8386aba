"""``tail``: from a marker to the end of the page, when the marker stands below the article.

For footers, "Tags", "Leave a Comment", comment sections, link directories: once the
marker appears after the article, nothing below it is article text. The marker counts
only when there is more running prose above it than below it, so a marker phrase
quoted early in an article never cuts the article off, and not when paragraphs follow
it straight away: a "Filed Under" line printed above the article's first paragraph
heads the article, and a comment count printed above the article's last paragraph
("51 Kommentare") is not a comment section. A rule with ``weigh: false`` skips both
tests: its marker cannot be article text (the "Ann on May 2, 2019 at 4:47 pm said:"
that heads a comment), so it ends the article wherever it stands below some prose.
With ``repeats: N`` a marker counts only as the first of N or more lines of the page
that match: a comment thread, each comment under its own head ("Marta said..."),
where one such line alone may be an article's.

    - id: tags-footer
      kind: tail
      match: {regex: '^Tags?\\b.{0,80}$'}
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from cleaner.rule import Page, Removal, Rule, boolean, positive_int
from cleaner.textstats import ends_sentence

# this many paragraphs right below a marker, or nothing but sentences down to the end of
# the page with some prose among them, are an article, not a tail
_PARAGRAPHS = 3


class TailRule(Rule):
    kind = "tail"
    params = frozenset({"weigh", "repeats"})

    weigh: bool = True  # weigh the prose around the marker before cutting
    repeats: int = 1  # lines of the page that must match, the marker the first of them

    def configure(self, spec: dict[str, Any], timeout: float) -> None:
        self.weigh = boolean(spec, "weigh", True)
        self.repeats = positive_int(spec, "repeats", 1, minimum=1)

    def apply(self, page: Page) -> Iterator[Removal]:
        markers: Iterable[int] = (i for i in self.candidates(page) if self.matches(page, i))
        if self.repeats > 1:  # read them all: a marker needs repeats - 1 more below it
            found = list(markers)
            markers = found[: len(found) - self.repeats + 1]
        for i in markers:
            above = page.prose_above(i)
            if above > 0 and (not self.weigh or self._below_article(page, i, above)):
                yield from (Removal(j, self.id) for j in range(i, len(page)))
                return

    @staticmethod
    def _below_article(page: Page, i: int, above: int) -> bool:
        return above >= page.prose_below(i) and not _paragraphs_follow(page, i)


def _paragraphs_follow(page: Page, i: int) -> bool:
    """Whether paragraphs follow line ``i`` straight away: its first non-blank lines below
    are prose, or every line down to the end of the page ends a sentence and one of them
    is prose (short comments that end in stops, "Toller Artikel!", are still a tail)."""
    prose, texts = page.prose, page.texts
    paragraphs: int | None = 0  # prose lines in a row right below; None once broken
    any_prose = False
    for j in range(i + 1, len(page)):
        if page.blank[j]:
            continue
        is_prose = prose[j + 1] > prose[j]
        any_prose = any_prose or is_prose
        if paragraphs is not None and is_prose:
            paragraphs += 1
            if paragraphs == _PARAGRAPHS:
                return True
            continue
        paragraphs = None
        if not ends_sentence(texts[j]):
            return False
    return any_prose
