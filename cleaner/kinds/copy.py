"""``copy``: a long line that copies text the page prints elsewhere in shorter lines.

A page's text sometimes holds its article twice: once in paragraphs, and once more on
a single line, the structured data a page carries for search engines (an
``articleBody``) or a print version rendered into the text. A line of at least
``min_words`` words goes when ``share`` or more of its 4-word shingles (the unit the
news score counts) stand in shorter lines of the page, no one of them holding half of
it; the paragraphs stay. A long line whose words stand nowhere else is article text,
however long, and so is one of two near-identical paragraphs: both stay.

    - id: article-copy-line
      kind: copy
      min_words: 50
      share: 0.8
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from cleaner.labels import SHINGLE, shingles
from cleaner.matching import SpecError
from cleaner.rule import Page, Removal, Rule, positive_int


class CopyRule(Rule):
    kind = "copy"
    needs_match = False
    params = frozenset({"min_words", "share"})
    min_words: int = 50
    share: float = 0.8

    def configure(self, spec: dict[str, Any], timeout: float) -> None:
        self.min_words = positive_int(spec, "min_words", 50, minimum=SHINGLE)
        share = spec.get("share", 0.8)
        if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 < share <= 1:
            raise SpecError("'share' must be a number above 0 and at most 1")
        self.share = float(share)

    def apply(self, page: Page) -> Iterator[Removal]:
        lines = list(page.nonblank())
        # most pages hold no line this long: nothing to read word by word
        if not any(len(page.texts[i].split(None, self.min_words)) > self.min_words for i in lines):
            return
        words_of = page.memo.words
        words = {i: words_of(page.texts[i]) for i in lines}
        # the words of the lines shorter than each long line: a shingle holding a word
        # no shorter line holds stands in none, and most long lines are paragraphs
        by_size = sorted(lines, key=lambda i: len(words[i]))
        long_lines = [i for i in by_size if len(words[i]) >= self.min_words]
        shorter: set[str] = set()
        k = 0
        suspects = []
        for i in long_lines:
            while k < len(by_size) and len(words[by_size[k]]) < len(words[i]):
                shorter.update(words[by_size[k]])
                k += 1
            if self._may_copy(words[i], shorter):
                suspects.append(i)
        suspects.sort()  # page order
        if not suspects:
            return
        # each shingle's shortest line: one pass over the page, not one per long line
        shortest: dict[tuple[str, ...], tuple[int, int]] = {}
        for i in lines:
            size = len(words[i])
            for s in shingles(words[i]):
                if size < shortest.get(s, (size + 1, i))[0]:
                    shortest[s] = (size, i)
        for i in suspects:
            size = len(words[i])
            own = shingles(words[i])
            found = Counter(j for j in (shortest[s] for s in own) if j[0] < size)
            # gathered from several lines: one near-identical paragraph is no copy
            if found.total() >= self.share * len(own) and max(found.values()) <= len(own) / 2:
                yield Removal(i, self.id)

    def _may_copy(self, own: list[str], shorter: set[str]) -> bool:
        """Whether a long line may be a copy: a shingle holding a word that no shorter
        line holds stands in no shorter line, so when those shingles leave fewer than
        ``share`` of the line's, it is none (an article's paragraph has words of its
        own; a copy has none)."""
        shingles = len(own) - SHINGLE + 1
        # stop once more shingles hold a word of the line's own than a copy may: in a
        # paragraph that comes within its first few words
        need = self.share * shingles
        blocked = 0
        last = -SHINGLE  # the last word of the line's own so far
        for k, word in enumerate(own):
            if word not in shorter:
                # the shingles holding word k start SHINGLE - 1 words before it to at
                # it; those that also hold the last own word are counted already
                first = max(last + 1, k - SHINGLE + 1, 0)
                blocked += max(min(k, shingles - 1) - first + 1, 0)
                last = k
                if shingles - blocked < need:
                    return False
        return True
