"""What the line model looks at: a row of plain measures for every line of a page.

One sweep over the page's non-blank lines measures each line on its own (length,
stopword share in the page's language, sentence end, capitals, digits, punctuation,
list separators, a few chrome words, comment and date shapes); a second pass adds where
the line stands (before the first prose line, inside the page's prose, after the last)
and what its neighbours look like, so that a short line between paragraphs reads
differently from the same line inside a menu. Every feature has a name (``NAMES``), and
the rule file stores each weight beside the name of what it weighs.

Nothing here is fitted: the measures are fixed and cheap, and the weights that turn them
into a decision live in the rule file (see ``cleaner.linemodel``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from cleaner import linescan, linescan_py
from cleaner.kinds.content import LineStats, measure
from cleaner.page import Memo

_WORD = re.compile(r"\w+")
_LIST_MARKS = (" | ", " • ", " · ", " » ", " / ", " > ", " :: ")
_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")
#: Chinese and Korean function characters (Japanese kana are counted by range)
_CJK_FUNCTION = frozenset(
    "的了是在和有也不这我他她就都而及与着或被之其为以所到说要会对은는이가을를에의와과도로한다"
)
#: words that name the parts of a site, not an article's subject (English, German,
#: French, Spanish, Italian, Polish, Dutch): their share of a line's words is a feature
CHROME_WORDS = frozenset(
    "advertisement anzeige werbung publicité publicidad pubblicità reklama cookie cookies"
    " privacy datenschutz confidentialité privacidad prywatności subscribe subscription"
    " abonnieren abonnez suscríbete newsletter newsletters login logout register signup"
    " anmelden registrieren connexion share teilen partager compartir condividi udostępnij"
    " facebook twitter instagram pinterest linkedin whatsapp youtube tiktok email e-mail"
    " comment comments kommentar kommentare commentaire commentaires comentarios commenti"
    " komentarze reply antworten répondre responder rispondi odpowiedz tags tag"
    " schlagwörter menu menü navigation home startseite accueil inicio search suche"
    " recherche buscar copyright rights reserved impressum imprint contact kontakt print"
    " drucken related verwandte loading click klicken here hier more mehr plus más read"
    " lesen lire leer weiterlesen next previous zurück weiter sponsored views likes follow"
    " folgen rss feed archive archiv categories kategorien category kategorie posted"
    " veröffentlicht updated aktualisiert photo foto image bild getty reuters afp dpa ap"
    " source quelle".split()
)
#: measures of one line alone
OWN = (
    "log_words",
    "words_1",
    "words_2",
    "words_3_4",
    "words_5_7",
    "words_8_12",
    "words_13_20",
    "words_21_40",
    "words_41",
    "log_chars_per_word",
    "density",
    "density_0",
    "density_high",
    "ends_sentence",
    "ends_colon",
    "ends_cut",
    "ends_other",
    "starts_quote",
    "starts_bullet",
    "starts_lower",
    "capital_share",
    "titled",
    "digit_share",
    "punct_share",
    "comma_per_word",
    "list_marks",
    "pipe",
    "chrome_share",
    "chrome_any",
    "copyright",
    "at_or_url",
    "time",
    "year",
    "ago",
    "comment_head",
    "count_shape",
    "repeated",
    "opens_other",
    "title_like",
    "doubled",
    "prose",
    "cjk",
    "blank_above",
    "blank_below",
    "removed_above",
    "removed_below",
    "edge_above",
    "edge_below",
)
_ON_PAGE = OWN.index("repeated")  # the first of the measures that need the page
#: measures of the neighbours, at each offset of ``OFFSETS``
NEIGHBOUR = ("prose", "log_words", "ends_sentence", "chrome_share", "list_marks", "words_1")
OFFSETS = (-2, -1, 1, 2)
#: where the line stands on the page
PLACE = (
    "first",
    "last",
    "relative_position",
    "before_prose",
    "after_prose",
    "prose_share_above",
    "prose_share_below",
    "log_prose_lines_above",
    "log_prose_lines_below",
    "window_prose_3",
    "window_prose_8",
    "window_words_3",
    "window_short_3",
    "between_prose",
    "same_shape_run",
    "prose_run",
    "isolated_prose",
    "window_isolated_8",
    "period_2",
    "comment_marks_above",
    "title_like_above",
    "relative_words",
    "below_title",
    "window_headings_5",
    "window_isolated_5",
    "prose_either_side",
    "window_cards_8",
    "titled_prose",
    "in_long_run",
    "log_distance_to_long_run",
    "before_long_runs",
    "after_long_runs",
    "stamp_line",
    "log_stamps_above",
    "log_stamps_below",
    "past_edge",
    "before_edge",
)
#: what the page's markup says of the line (Markdown: ``cleaner.markdown.layout``); all
#: zero on plain text
MARKUP = (
    "markup",
    "link_share",
    "all_links",
    "link_item",
    "heading_major",
    "heading_minor",
    "list_item",
    "table_row",
    "window_links_3",
)
NAMES: tuple[str, ...] = (
    *OWN,
    *(f"{name}@{o:+d}" for o in OFFSETS for name in NEIGHBOUR),
    *PLACE,
    *MARKUP,
)


@dataclass(frozen=True)
class PageLines:
    """The page as the model reads it: every line's current text, which are blank, and
    around each non-blank line how many input lines other rules removed."""

    texts: Sequence[str]
    blank: Sequence[bool]
    removed_above: Sequence[int]  # per line: input lines removed right above it
    edge_above: Sequence[bool]  # per line: a boundary rule's removal among them
    #: per line, what the markup said of it (link share, heading level, list item,
    #: table row: ``cleaner.markdown.Layout``); None for plain text
    layout: Sequence[Sequence[float]] | None = None

    def shown(self) -> list[int]:
        return [i for i, b in enumerate(self.blank) if not b]


def _title_words(text: str) -> set[str]:
    parts = re.split(r"\s+[-–—|:·•»]\s+", text.strip())
    return set(_WORD.findall(max(parts, key=len).lower()))


def _like_title(words: frozenset[str], title: set[str]) -> bool:
    """Whether a line's ``words`` (lower-cased) are mostly the title's."""
    return len(words) >= 3 and len(words & title) >= 0.7 * len(words | title)


def _cjk_density(text: str) -> float | None:
    """On a line in a script written without spaces, the share of its characters that are
    function characters (Japanese kana particles and endings, Chinese and Korean
    particles): what the stopword share measures elsewhere. None on other lines."""
    cjk = len(_CJK.findall(text))
    if not cjk:
        return None
    return sum(c in _CJK_FUNCTION or "\u3040" <= c <= "\u309f" for c in text) / cjk


def own_row(text: str, s: LineStats) -> np.ndarray:
    """The measures of one line alone (``OWN`` up to ``count_shape``: the rest need the
    page), in one pass over its characters where the kernel is compiled
    (``cleaner.linescan``): words, their capitals and chrome words, digits, punctuation,
    list separators, and the time, year, comment and count shapes."""
    density = s.density
    if density == 1.0 and not text.isascii():
        own = _cjk_density(text.strip())
        density = density if own is None else own
    return linescan.own_row(text, s.words, density, s.ends, s.titled, CHROME_WORDS, _LIST_MARKS)


class _Line(NamedTuple):
    """What the feature pass reads of a line's text alone, kept for the run."""

    own: np.ndarray  # ``own_row``
    head: str  # its first four words
    whole: str | None  # all its words, when it has 4 to 20 (a headline a line may open with)
    split: list[str]  # its first 20 words, and the rest of it
    words: frozenset[str]  # its lower-cased words (``Memo.words``)
    doubled: bool  # the same text twice in a row
    prose: bool  # a line of running text


def _line(text: str, s: LineStats, memo: Memo) -> _Line:
    words = text.split(None, 20)
    half = len(text) // 2
    return _Line(
        own=own_row(text, s),
        head=" ".join(words[:4]),
        whole=" ".join(words) if 4 <= len(words) <= 20 else None,
        split=words,
        words=frozenset(memo.words(text)),
        doubled=len(text) >= 40 and text[:half].strip() == text[half:].strip(),
        prose=s.density >= 0.2 and ((s.ends and s.words >= 8) or s.words >= 20),
    )


def _opens_with(words: list[str], headlines: set[str]) -> bool:
    """Whether the line of ``words`` opens with one of ``headlines`` (4 to 20 words) and
    goes on past it."""
    return any(" ".join(words[:m]) in headlines for m in range(4, min(20, len(words) - 1) + 1))


def page_features(page: PageLines, memo: Memo | None = None) -> tuple[list[int], np.ndarray]:
    """The non-blank lines of ``page`` and a feature row for each (columns: ``NAMES``)."""
    shown = page.shown()
    if not shown:
        return shown, np.zeros((0, len(NAMES)))
    memo = memo if memo is not None else Memo()
    known: dict[tuple[str, LineStats], _Line] = memo.store("features.line")
    stats = measure(page.texts, list(page.blank), memo)
    keys = [page.texts[i].strip() for i in shown]
    lines = []
    for text, i in zip(keys, shown, strict=True):
        s = stats[i]
        assert s is not None
        line = known.get((text, s))
        if line is None:  # a later pass of the same run reads the same lines again
            line = known[text, s] = _line(text, s, memo)
        lines.append(line)
    copies = Counter(keys)
    heads: dict[str, set[str]] = {}
    for line in lines:
        if line.whole is not None:
            heads.setdefault(line.head, set()).add(line.whole)
    title = _title_words(keys[0])
    cjk_page = any(s is not None and s.density == 1.0 and not s.titled for s in stats) and any(
        not t.isascii() for t in keys
    )
    n = len(shown)
    at = np.asarray(shown)
    blank = np.asarray(page.blank, dtype=bool)
    removed = np.asarray(page.removed_above, dtype=float)[at]
    edge = np.asarray(page.edge_above, dtype=bool)[at]
    # the next non-blank line is the next line shown; past the last, nothing was removed
    removed_below = np.append(removed[1:], 0.0)
    edge_below = np.append(edge[1:], False)
    title_like = [False] * n
    if len(title) >= 3:
        title_like[1:] = [_like_title(line.words, title) for line in lines[1:]]
    opens = []
    for line in lines:
        found = heads.get(line.head)
        opens.append(bool(found) and _opens_with(line.split, found))
    prose = [line.prose for line in lines]
    own = np.empty((n, len(OWN)))
    own[:, :_ON_PAGE] = [line.own for line in lines]
    own[:, _ON_PAGE:] = np.column_stack(
        [
            [copies[text] > 1 for text in keys],
            opens,
            title_like,
            [line.doubled for line in lines],
            prose,
            np.full(n, cjk_page),
            (at > 0) & blank[np.maximum(at - 1, 0)],
            (at + 1 < len(blank)) & blank[np.minimum(at + 1, len(blank) - 1)],
            np.log1p(removed),
            np.log1p(removed_below),
            edge,
            edge_below,
        ]
    )
    markup = _markup(
        [page.layout[i] for i in shown] if page.layout is not None else None, n=len(shown)
    )
    return shown, np.hstack([own, _neighbours(own), _place(own, prose), markup])


def _markup(layout: Sequence[Sequence[float]] | None, n: int) -> np.ndarray:
    """The ``MARKUP`` columns: zeros on plain text."""
    if layout is None:
        return np.zeros((n, len(MARKUP)))
    share, level, listed, table = np.asarray(layout, dtype=float).reshape(n, 4).T
    return np.column_stack(
        [
            np.ones(n),
            share,
            share >= 0.9,
            listed * (share >= 0.5),
            (level >= 1) & (level <= 2),
            level >= 3,
            listed,
            table,
            linescan_py.window_mean(share, 3),
        ]
    ).astype(float)


def _neighbours(own: np.ndarray) -> np.ndarray:
    """The ``NEIGHBOUR`` columns of the lines at each offset (zeros past the page's ends)."""
    cols = [OWN.index(name) for name in NEIGHBOUR]
    n = len(own)
    out = []
    for offset in OFFSETS:
        shifted = np.zeros((n, len(cols)))
        if offset < 0 and n > -offset:
            shifted[-offset:] = own[:offset, cols]
        elif offset > 0 and n > offset:
            shifted[:-offset] = own[offset:, cols]
        out.append(shifted)
    return np.hstack(out)


def _median(values: np.ndarray) -> float:
    """``np.median`` of a non-empty array, without its overhead on a page's few lines."""
    ordered = np.sort(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return float((ordered[middle - 1] + ordered[middle]) / 2)


def _place(own: np.ndarray, prose: list[bool]) -> np.ndarray:
    """The ``PLACE`` columns (compiled where built: ``cleaner.linescan``)."""
    p = np.asarray(prose, dtype=float)
    words = np.expm1(own[:, OWN.index("log_words")])
    total = (words * p).sum() or 1.0
    typical = _median(words[p > 0]) if p.any() else 10.0
    rows = linescan.place(p, words, own, total, PLACE_READS)
    for row in linescan_py.PLACE_LOGGED:  # numpy's log1p on a contiguous row in both paths
        rows[row] = np.log1p(rows[row])
    rows[linescan_py.PLACE_RELATIVE] = np.log((words + 1) / (typical + 1))
    return rows.T


#: the columns of ``OWN`` the place measures read, in the order ``linescan.place`` takes them
PLACE_READS = tuple(
    OWN.index(name)
    for name in (
        "log_words",
        "words_1",
        "words_2",
        "ends_sentence",
        "list_marks",
        "comment_head",
        "ago",
        "count_shape",
        "title_like",
        "titled",
        "time",
        "year",
        "edge_above",
    )
)


def page_lines(
    texts: Sequence[str],
    blank: Sequence[bool],
    origin: Sequence[int],
    edges: frozenset[int],
    layout: Sequence[Sequence[float]] | None = None,
) -> PageLines:
    """``PageLines`` of a rule's page: ``origin`` maps its lines to input lines, so the
    input lines missing between two of them are those other rules removed; ``layout``
    is the markup's word on each input line."""
    removed, edge = [], []
    previous = -1
    for i in origin:
        removed.append(i - previous - 1)
        edge.append(any(previous < e < i for e in edges) if edges else False)
        previous = i
    mapped = [layout[i] for i in origin] if layout is not None else None
    return PageLines(texts, blank, removed, edge, mapped)
