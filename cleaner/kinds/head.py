"""``head``: everything above a marker, when the marker stands above the article.

For menus and site banners printed before the headline, ended by a recognisable
line such as "Skip to main content" or a site's section label. The marker counts
only when there is less running prose above it than below it. The marker line goes
too unless ``include_marker: false``.

    - id: skip-to-content
      kind: head
      match: {regex: '^Skip to (main )?content$', ignore_case: true}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cleaner.rule import Page, Removal, Rule, boolean


class HeadRule(Rule):
    kind = "head"
    params = frozenset({"include_marker"})
    include_marker: bool = True

    def configure(self, spec: dict[str, Any], timeout: float) -> None:
        self.include_marker = boolean(spec, "include_marker", True)

    def apply(self, page: Page) -> Iterator[Removal]:
        last = None
        for i in self.candidates(page):
            if self.matches(page, i) and page.prose_above(i) < page.prose_below(i):
                last = i
        if last is None:
            return
        end = last + 1 if self.include_marker else last
        yield from (Removal(j, self.id) for j in range(end) if not page.blank[j])
