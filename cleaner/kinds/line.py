"""``line``: drop every line the match finds.

For chrome that is recognisable on its own, wherever it stands: "Source link",
"Subscribe to our newsletter", a bare date, a photo credit.

    - id: source-link
      kind: line
      match: {phrases: ["Source link"], ignore_case: true}
"""

from __future__ import annotations

from collections.abc import Iterator

from cleaner.rule import Page, Removal, Rule, RuleTimeout


class LineRule(Rule):
    kind = "line"
    local = True

    def apply(self, page: Page) -> Iterator[Removal]:
        assert self.match is not None
        hits, timed_out = page.hits(self.match)
        for i in hits:
            yield Removal(i, self.id)
        if timed_out is not None:
            raise RuleTimeout(self.id, timed_out)
