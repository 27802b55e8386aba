"""``content``: find the article on a page no rule has seen, and drop what lies around it.

Runs late, on the lines the other rules left. Every non-blank line gets a prose score
from cheap measures: its length in words (characters for CJK), the share of its words
that are stopwords of the page's language, and whether it ends a sentence. The main
article is the run of lines with the highest total score (menus, teaser lists and
footers cost points, paragraphs earn them), found in one pass. The run then grows over
the article lines beside it that scored too little on their own (short sentences,
sub-headings over their paragraph, paragraphs that lost their final stop, text in
another language) until a line only chrome looks like stops it. Inside the run short
lines are headings, quotes and list items and stay; only long stretches of menu items
go. Everything outside the run goes.

Some prose earns nothing, however long: teasers cut off mid-sentence ("... trapped in
vi...") with no whole paragraph beside them, and lines printed twice on a page or
opening with another line of it (a headline, then its summary). A line the ``pitch``
matcher finds ("Sign up for our newsletter") costs what chrome costs and stops the run
at its edge; a line the ``trailer`` matcher finds ("Reporting by ...") closes the
article as a sentence does. On English pages a line that opens with a Title Case
headline earns what lone prose earns. A link printed twice on one line (title, then
the image's alt text) is not prose at all. The page's language
is told from its sentences, so a menu or a date archive cannot vote for another one. A
hard-wrapped paragraph (plain-text pages, mail archives) is judged as one. Lines a
``boundary`` rule removed (a rights notice) with chrome right below them split the
page: the run never crosses one. Any other line a rule removed still costs the run
``removed_cost`` where it stood: a share bar the rules took away keeps parting the
article from the teasers below it. Two knobs lean towards precision and cost some recall
on lists inside articles, so the default pack keeps them low: ``list_cost`` (what each
line of a stretch of ``list_lines`` non-prose lines costs; a stretch a colon introduces
is the article's own list) and ``title_bonus`` (what the first paragraph below a repeat
of the page's title, its first line, earns).

    - id: content
      kind: content
      min_words: 8
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, pairwise
from typing import Any, NamedTuple

from cleaner import language, linescan
from cleaner.matching import Matcher, SpecError
from cleaner.page import Memo
from cleaner.rule import Page, Removal, Rule, matcher, non_negative_number, positive_int
from cleaner.textstats import CJK, CJK_BLOCKS, ends_sentence

_WORD = re.compile(r"\w+")
_ENGLISH = "English"  # the stoplist name of the language whose headlines are Title Case
# separators of a link list or breadcrumb printed on one line
_LIST_MARKS = (" | ", " • ", " · ", " » ", " / ")


def _ratio(spec: dict[str, Any], key: str, default: float) -> float:
    value = spec.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise SpecError(f"'{key}' must be a number between 0 and 1")
    return float(value)


class LineStats(NamedTuple):  # a tuple: built and hashed for every line of a run
    words: float  # words, or CJK characters / 2
    density: float  # share of tokens that are stopwords (1.0 on CJK lines)
    ends: bool
    titled: bool = False  # starts with a Title Case headline (a teaser: headline + summary)


def measure(
    texts: Sequence[str], blank: list[bool], memo: Memo | None = None
) -> list[LineStats | None]:
    """Stats for every non-blank line, with the page's language told once from all of it.

    Each line is tokenized once per run: ``memo`` (the run's, shared by its passes) keeps
    every line's tokens and, per page language, its stats, so a later pass over the
    same lines only tells the language again. The spaceless-script measures run only
    on pages that hold such characters at all, and only on their non-ASCII lines."""
    memo = memo if memo is not None else Memo()
    tokens = [memo.words(t) for t, b in zip(texts, blank, strict=True) if not b]
    joined = "\n".join(t for t, b in zip(texts, blank, strict=True) if not b)
    any_cjk = not joined.isascii() and CJK_BLOCKS.search(joined) is not None
    lang: str | None = None
    cjk_page = any_cjk and language.is_cjk(joined)
    if not cjk_page:
        lang = language.detect(_sentence_words(texts, blank, tokens))
    known: dict[str, LineStats] = memo.store(f"content.stats:{any_cjk}:{cjk_page}:{lang}")
    stop = language.stopwords(lang) if not cjk_page else frozenset()
    english = lang == _ENGLISH
    out: list[LineStats | None] = []
    for text, b in zip(texts, blank, strict=True):
        if b:
            out.append(None)
            continue
        stats = known.get(text)
        if stats is None:
            stats = known[text] = _line_stats(text, memo.words(text), any_cjk, stop, english)
        out.append(stats)
    return out


def _sentence_words(
    texts: Sequence[str], blank: list[bool], tokens: list[list[str]], enough: int = 50
) -> list[str]:
    """The words that tell the page's language: those of its sentences, when it has
    enough of them. Menus, date archives and link lists vote for whatever language
    their abbreviations happen to be stopwords of ("Mar", "May", "Jun")."""
    shown = (t for t, b in zip(texts, blank, strict=True) if not b)
    words: list[str] = []
    for t, ws in zip(shown, tokens, strict=True):
        if len(ws) >= 6 and ends_sentence(t):
            words.extend(ws)
    return words if len(words) >= enough else list(chain.from_iterable(tokens))


def _line_stats(
    text: str, toks: list[str], any_cjk: bool, stop: frozenset[str], english: bool
) -> LineStats:
    """One line's stats on a page of the given kind (see ``measure``)."""
    ends = ends_sentence(text) and not _cut_short(text)
    if any_cjk and not text.isascii():
        cjk = len(CJK.findall(text))
        if cjk:
            latin = len(_WORD.findall(CJK.sub(" ", text)))
            return LineStats(latin + cjk / 2, 1.0, ends)
    n = len(toks)
    hits = sum(map(stop.__contains__, toks))
    density = (hits / n if n else 0.0) if stop else 1.0
    return LineStats(float(n), density, ends, english and _title_case(text))


# the function words English Title Case capitalises and running prose does not
_TITLED = frozenset(
    {"of", "in", "to", "at", "for", "on", "by", "and", "or", "the", "a", "an", "with"}
    | {"from", "after", "over", "into", "as", "is", "are", "be", "your", "our", "its"}
    | {"his", "her", "their", "this", "that", "what", "how", "why", "who", "will", "can"}
    | {"has", "have"}
)


def _title_case(text: str, reach: int = 12, run: int = 6) -> bool:
    """Whether the line opens with a headline in Title Case ("Death Of A Student-Athlete
    In Dearborn"): two capitalised function words among its first words, none after a
    stop, or ``run`` capitalised words in a row. Running prose capitalises a function
    word only to open a sentence, and names run three or four words long."""
    found = 0
    words = text.split(None, reach)[:reach]
    row = 0
    for word in words:
        if word[:1].isupper():
            row += 1
            if row >= run:
                return True
        elif not word[:1].isdigit():
            row = 0
    previous = text[:1]
    for word in words[1:]:
        titled = word[:1].isupper() and word.lower().strip(",:;\"'") in _TITLED
        if titled and not previous.endswith((".", "!", "?", ":", '"', "”")):
            found += 1
            if found >= 2:
                return True
        previous = word
    return False


def _cut_short(text: str) -> bool:
    """A teaser cut off by the page ("... trapped in vi...", "the plague,..."): its
    dots end no sentence."""
    tail = text.rstrip()
    if not tail.endswith(("...", "…")):
        return False
    before = tail.rstrip(".…")[-1:]
    return before == "," or before.isalpha()


def _ends_paragraph(text: str, s: LineStats) -> bool:
    """Whether the line ends as a paragraph does: a sentence, or a colon leading into a
    list or quote. A long teaser summary alone between headlines often has no stop."""
    return s.ends or text.rstrip().endswith((":", "“", "«"))


def _doubled(text: str) -> bool:
    """A link printed twice on one line (its title, then the image's alt text)."""
    half = len(text) // 2
    left, right = text[:half].strip(), text[half:].strip()
    return len(left) >= 20 and left == right and not ends_sentence(left)


class ContentRule(Rule):
    kind = "content"
    needs_match = False
    late = True
    params = frozenset(
        {"min_words", "long_words", "min_density", "short_cost", "alone_words", "alone_share"}
        | {"title_words", "trailer", "menu_lines", "menu_words", "list_lines", "list_cost"}
        | {"title_bonus", "pitch", "removed_cost"}
    )

    min_words: int = 8  # a line that ends a sentence with this many words is prose
    long_words: int = 20  # ... or one this long without the final stop
    min_density: float = 0.2  # share of stopwords prose needs
    short_cost: int = 3  # what a line of chrome costs the run, in words
    alone_words: int = 30  # prose shorter than this with no prose beside it ...
    alone_share: float = 0.3  # ... earns only this share of its words (a teaser)
    title_words: int = 25  # a line up to this long right above the run is its headline
    trailer: Matcher | None = None  # a credit line right below the run ("Reporting by ...")
    pitch: Matcher | None = None  # a sign-up pitch: costs and reads as chrome
    menu_lines: int = 5  # this many short lines in a row inside the run are a menu ...
    menu_words: int = 3  # ... when none has more words than this (0: never)
    list_lines: int = 3  # this many non-prose lines in a row are a list of links ...
    list_cost: float = 3.0  # ... and each costs the run this much, in words
    title_bonus: int = 0  # what the page's title repeated as a headline earns, in words
    removed_cost: float = 0.0  # what each line other rules removed costs the run, in words

    def configure(self, spec: dict[str, Any], timeout: float) -> None:
        self.min_words = positive_int(spec, "min_words", 8, minimum=1)
        self.long_words = positive_int(spec, "long_words", 20, minimum=1)
        self.min_density = _ratio(spec, "min_density", 0.2)
        self.short_cost = positive_int(spec, "short_cost", 3)
        self.alone_words = positive_int(spec, "alone_words", 30)
        self.alone_share = _ratio(spec, "alone_share", 0.3)
        self.title_words = positive_int(spec, "title_words", 25)
        self.trailer = matcher(spec, "trailer", timeout)
        self.pitch = matcher(spec, "pitch", timeout)
        self.menu_lines = positive_int(spec, "menu_lines", 5, minimum=1)
        self.menu_words = positive_int(spec, "menu_words", 3)
        self.list_lines = positive_int(spec, "list_lines", 3, minimum=1)
        self.list_cost = non_negative_number(spec, "list_cost", 3.0)
        self.title_bonus = positive_int(spec, "title_bonus", 0)
        self.removed_cost = float(positive_int(spec, "removed_cost", 0))

    def is_prose(self, s: LineStats) -> bool:
        if s.density < self.min_density:
            return False
        return (s.ends and s.words >= self.min_words) or s.words >= self.long_words

    def apply(self, page: Page) -> Iterator[Removal]:
        own = measure(page.texts, page.blank, page.memo)
        lines = [i for i, s in enumerate(own) if s is not None]
        stats = _unwrap(page, own, lines)
        if not lines:
            return
        keys = [page.texts[i].strip() for i in lines]
        copies = Counter(keys)
        repeated = [copies[key] > 1 for key in keys]
        heads = _heads(copies)
        prose = [
            self.is_prose(stats[i]) and not _doubled(page.texts[i])  # type: ignore[arg-type]
            for i in lines
        ]
        if not any(prose):
            return
        pitched = self._matching(self.pitch, page, lines)
        scores = []
        last = len(lines) - 1
        teaser = _cut_teasers(page, lines, prose)
        intro = [page.texts[i].rstrip().endswith(":") for i in lines]
        listed = _stretches(prose, self.list_lines, intro)
        for k, i in enumerate(lines):
            if not prose[k] or pitched[k]:
                scores.append(-(self.list_cost if listed[k] else float(self.short_cost)))
                continue
            if repeated[k] or teaser[k] or _opens_with(keys[k], heads):
                scores.append(0.0)
                continue
            st = stats[i]
            assert st is not None
            words = st.words
            alone = not (k > 0 and prose[k - 1]) and not (k < last and prose[k + 1])
            lone = alone and (words < self.alone_words or not _ends_paragraph(page.texts[i], st))
            if lone or st.titled:
                words *= self.alone_share
            # a hard-wrapped paragraph is judged whole; each of its lines earns its share
            scores.append(words * own[i].words / st.words if st is not own[i] else words)  # type: ignore[union-attr]
        if self.removed_cost:
            for k, gone in enumerate(_removed_before(page, lines)):
                scores[k] -= self.removed_cost * gone
        if self.title_bonus:
            for k in _headlines(page, lines, self.title_words)[:1]:
                lead = next((j for j in range(k + 1, len(lines)) if prose[j]), None)
                if lead is not None:  # the article's first paragraph, below byline and date
                    scores[lead] += self.title_bonus
        fixed = {k: CHROME for k, hit in enumerate(pitched) if hit}
        # a credit line closes the article as a sentence would: a list above it belongs
        trailers = self._matching(self.trailer, page, lines)
        fixed.update((k, SENTENCE) for k, hit in enumerate(trailers) if hit)
        shapes = _Shapes(page, stats, lines, fixed, intro)
        segment = _segments(page, shapes)
        start, end = best_run(scores, segment)
        lo = segment.index(segment[start])
        hi = len(segment) - 1 - segment[::-1].index(segment[start])
        start, end = _grow(shapes, start, end, lo, hi)
        start, end = self._edges(page, stats, lines, start, end, lo, hi)
        menu = self._menus(page, stats, lines, start, end)
        for k, i in enumerate(lines):
            if start <= k <= end and k not in menu:
                continue
            yield Removal(i, self.id)

    def _matching(self, found: Matcher | None, page: Page, lines: list[int]) -> list[bool]:
        """Which of ``lines`` ``found`` matches; only its candidates are searched."""
        if found is None:
            return [False] * len(lines)
        maybe = set(page.candidates(found))
        return [i in maybe and self.search(found, page, i) is not None for i in lines]

    def _menus(
        self, page: Page, stats: list[LineStats | None], lines: list[int], start: int, end: int
    ) -> set[int]:
        """Positions in the run that belong to a long stretch of menu-like lines."""
        out: set[int] = set()
        if not self.menu_words:
            return out
        stretch: list[int] = []
        for k in range(start, end + 2):
            s = stats[lines[k]] if k <= end else None
            if s is not None and _menu_item(page.texts[lines[k]], s, self.menu_words):
                stretch.append(k)
                continue
            if len(stretch) >= self.menu_lines:
                out.update(stretch)
            stretch = []
        return out

    def _edges(
        self,
        page: Page,
        stats: list[LineStats | None],
        lines: list[int],
        start: int,
        end: int,
        lo: int,
        hi: int,
    ) -> tuple[int, int]:
        """Widen the grown run by its headline above and a credit line below."""
        if start > lo:
            head = stats[lines[start - 1]]
            if head is not None and 3 <= head.words <= self.title_words and not head.ends:
                start -= 1
        below = end + 1
        if below <= hi and self.trailer and self.search(self.trailer, page, lines[below]):
            end = below
        return start, end


SENTENCE, WORDY, CHROME = "S", "W", "C"


def _shape(text: str, s: LineStats) -> str:
    """How a line reads at the run's edge: a sentence, a few words without a stop, or chrome.

    Chrome here is only what no article line looks like: one or two words without a
    stop (menu items, labels, counters) or a link list printed on one line."""
    if sum(text.count(mark) for mark in _LIST_MARKS) >= 2:
        return CHROME
    if s.ends and s.words >= 2:
        return SENTENCE
    if not s.ends and s.words >= 3:
        return WORDY
    return CHROME


class _Shapes:
    """Line shapes by position, worked out only for the lines the run's edges reach."""

    def __init__(
        self,
        page: Page,
        stats: list[LineStats | None],
        lines: list[int],
        fixed: dict[int, str],
        intro: list[bool],
    ) -> None:
        self.page, self.stats, self.lines = page, stats, lines
        self.known = dict(fixed)  # shapes a matcher settled
        self.intro = intro  # which lines end in a colon

    def __len__(self) -> int:
        return len(self.lines)

    def introduces(self, k: int) -> bool:
        """Whether line ``k`` ends in a colon, leading into a list."""
        return self.intro[k]

    def __getitem__(self, k: int) -> str:
        if k not in self.known:
            i = self.lines[k]
            self.known[k] = _shape(self.page.texts[i], self.stats[i])  # type: ignore[arg-type]
        return self.known[k]


def _grow(shapes: _Shapes, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    """Extend the run over the article lines beside it (within ``lo``..``hi``), until
    chrome stops it.

    Sentences join the run one by one. Lines without a final stop (sub-headings,
    paragraphs whose stop the scraper lost) join as a block only when the block leads
    on to a sentence (or, below the run, to the end of its segment: the page's end or
    an edge): a list of teaser headlines that ends in a menu stays outside. Below the
    run, a block that a colon introduces ("Ingredients:", "Our picks:") is the
    article's own list and joins wherever it leads."""
    n = hi + 1
    k = end + 1
    while k < n:
        if shapes[k] == SENTENCE:
            end = k
            k += 1
            continue
        if shapes[k] != WORDY:
            break
        j = k
        while j < n and shapes[j] == WORDY:
            j += 1
        listed = shapes.introduces(k - 1) or shapes.introduces(k)
        if j < n and shapes[j] != SENTENCE and not listed:
            break
        end, k = j - 1, j
    k = start - 1
    while k >= lo:
        if shapes[k] == SENTENCE:
            start = k
            k -= 1
            continue
        if shapes[k] != WORDY:
            break
        j = k
        while j >= lo and shapes[j] == WORDY:
            j -= 1
        if j < lo or shapes[j] != SENTENCE:
            break
        start, k = j + 1, j
    return start, end


def _removed_before(page: Page, lines: list[int]) -> list[int]:
    """For each of ``lines``, how many input lines other rules removed between it and
    the line above it: chrome a rule knew still parts what stood around it."""
    origin = page.origin
    # the page keeps its blank lines, so every input line missing between two page
    # lines is a removal
    gaps = (origin[i] - origin[above] - (i - above) for above, i in pairwise(lines))
    return [0, *gaps]


def _menu_item(text: str, s: LineStats, max_words: int) -> bool:
    """A menu or tag label: a few words, no digits, no sentence."""
    return s.words <= max_words and not s.ends and not any(c.isdigit() for c in text)


_TITLE_SEPARATORS = re.compile(r"\s+[-–—|:·•»]\s+")


def _headlines(page: Page, lines: list[int], max_words: int) -> list[int]:
    """Positions of the lines that repeat the page's title (its first line, without the
    site name) as the article's headline: the article starts right there."""
    first = page.texts[lines[0]].strip()
    parts = _TITLE_SEPARATORS.split(first)
    title = set(_WORD.findall(max(parts, key=len).lower()))
    if not 3 <= len(title) <= max_words:
        return []
    out = []
    for k in range(1, len(lines)):
        text = page.texts[lines[k]]
        if len(text) > 4 * len(first):
            continue
        words = set(_WORD.findall(text.lower()))
        if len(words) >= 3 and len(words & title) >= 0.7 * len(words | title):
            out.append(k)
    return out


def _heads(lines: Iterable[str]) -> dict[str, set[str]]:
    """The page's lines of four to twenty words, by their first four words."""
    out: dict[str, set[str]] = {}
    for line in lines:
        words = line.split()
        if 4 <= len(words) <= 20:
            out.setdefault(" ".join(words[:4]), set()).add(" ".join(words))
    return out


def _opens_with(text: str, heads: dict[str, set[str]]) -> bool:
    """Whether ``text`` opens with another, shorter line of the page (a headline printed
    alone and again with its summary)."""
    words = text.split(None, 20)
    found = heads.get(" ".join(words[:4]))
    if not found:
        return False
    return any(" ".join(words[:n]) in found for n in range(4, min(20, len(words) - 1) + 1))


def _unwrap(page: Page, stats: list[LineStats | None], lines: list[int]) -> list[LineStats | None]:
    """Stats that judge a hard-wrapped paragraph (text broken into lines of about 70
    characters, as plain-text pages and mail archives print it) as one paragraph: every
    line of it gets the stats of the whole. A line wraps into the next when it is long,
    ends no sentence, and the next line, right below it, goes on in lower case."""
    out = list(stats)
    k = 0
    while k < len(lines):
        j = k
        while (
            j + 1 < len(lines)
            and lines[j + 1] == lines[j] + 1
            and _wraps(page.texts[lines[j]], page.texts[lines[j + 1]])
        ):
            j += 1
        if j > k:
            group = [stats[i] for i in lines[k : j + 1]]
            words = sum(s.words for s in group)  # type: ignore[union-attr]
            whole = LineStats(
                words,
                sum(s.density * s.words for s in group) / words if words else 0.0,  # type: ignore[union-attr]
                group[-1].ends,  # type: ignore[union-attr]
                group[0].titled,  # type: ignore[union-attr]
            )
            for i in lines[k : j + 1]:
                out[i] = whole
        k = j + 1
    return out


def _wraps(text: str, following: str) -> bool:
    line = text.rstrip()
    return 45 <= len(line) <= 100 and following[:1].islower() and not ends_sentence(line)


def _cut_teasers(page: Page, lines: list[int], prose: list[bool]) -> list[bool]:
    """Prose lines cut off by the page ("... may soon...") with no whole paragraph on
    either side: a list of teasers. A paragraph that ends in a stylistic ellipsis, or
    an article's last paragraph cut off by a paywall, stands beside whole ones."""
    cut = [p and _cut_short(page.texts[i]) for p, i in zip(prose, lines, strict=True)]
    whole = [p and not c for p, c in zip(prose, cut, strict=True)]
    last = len(lines) - 1
    return [
        c and not (k > 0 and whole[k - 1]) and not (k < last and whole[k + 1])
        for k, c in enumerate(cut)
    ]


def _stretches(prose: list[bool], min_lines: int, intro: list[bool]) -> list[bool]:
    """Which lines lie in a stretch of at least ``min_lines`` non-prose lines in a row.

    Between an article's paragraphs stand single headings and quotes; a stretch of
    headlines, menu items and dates is a list of links, and costs the run ``list_cost``
    a line where a single line costs ``short_cost`` (the default pack sets both to 1).
    The lines after one that ends in a colon ("Here are the highlights:") are the list
    it introduces, the article's own: they cost ``short_cost`` like a heading."""
    out = [False] * len(prose)
    k = 0
    while k < len(prose):
        if prose[k]:
            k += 1
            continue
        j = k
        while j < len(prose) and not prose[j]:
            j += 1
        introduced = next((m for m in range(k - 1, j) if m >= 0 and intro[m]), j - 1)
        if introduced + 1 - k >= min_lines:
            out[k : introduced + 1] = [True] * (introduced + 1 - k)
        k = j
    return out


def _segments(page: Page, shapes: _Shapes) -> list[int]:
    """For every line, the number of article edges above it: a run never spans two
    segments. An edge is a line a boundary rule removed (a rights notice) with chrome
    right below it (menu items, labels); a notice followed by a sentence or a heading
    stands inside the text."""
    lines = shapes.lines
    out = [0] * len(lines)
    if not page.edges:
        return out
    edges = sorted(page.edges)
    segment = 0
    for k, i in enumerate(lines):
        if k and bisect_left(edges, page.origin[i]) > bisect_left(edges, page.origin[lines[k - 1]]):
            segment += shapes[k] == CHROME  # the shape _grow reads, worked out once
        out[k] = segment
    return out


def best_run(scores: Sequence[float], segment: Sequence[int] | None = None) -> tuple[int, int]:
    """The (first, last) index of the contiguous run with the highest sum (Kadane) that
    lies within one segment (``segment``: each score's segment number; None: one);
    compiled where built (``cleaner.linescan``)."""
    return linescan.best_run(scores, segment)
