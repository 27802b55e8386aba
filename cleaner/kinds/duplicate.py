"""``duplicate``: a line that repeats the line right above it.

Scrapers often print a caption twice, or a title once as a link and once as a
heading. The first copy stays (unless another rule drops it); the repeat goes.
With ``prefix: true`` a line that is the start of the line above it, at least
``min_chars`` long and not ending a sentence, counts as a repeat too: a caption
printed once with its credit and once without. ``match`` is optional and narrows which lines count.

    - id: repeated-line
      kind: duplicate
      prefix: true
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cleaner.rule import Page, Removal, Rule, boolean, positive_int
from cleaner.textstats import ends_sentence


def _norm(text: str) -> str:
    return " ".join(text.split())


class DuplicateRule(Rule):
    kind = "duplicate"
    needs_match = False
    params = frozenset({"prefix", "min_chars"})
    prefix: bool = False
    min_chars: int = 20

    def configure(self, spec: dict[str, Any], timeout: float) -> None:
        self.prefix = boolean(spec, "prefix", False)
        self.min_chars = positive_int(spec, "min_chars", 20, minimum=1)

    def apply(self, page: Page) -> Iterator[Removal]:
        previous: str | None = None
        norms = page.memo.norms
        texts = page.texts
        for i in page.nonblank():
            text = texts[i]
            current = norms.get(text)
            if current is None:
                current = norms[text] = _norm(text)
            if (
                previous is not None
                and self._repeats(current, previous)
                and (self.match is None or self.matches(page, i))
            ):
                yield Removal(i, self.id)
            previous = current

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
