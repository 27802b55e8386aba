"""The line-scan kernel in pure Python: the reference ``cleaner/_linescan.pyx`` must match.

Each function is the plain statement of one hot measure or decoding step of the line
model and the content detector: a line's word, capital, digit and punctuation counts in
one pass (or just its words), every measure the line model takes of a line alone and
of where it stands on the page, the run lengths of equal line shapes, the best-scoring
run of lines (Kadane), and the growth of kept lines over the sentences beside them.
``cleaner.linescan`` picks the compiled twin when it is built and allowed; this module is
what it must equal, value for value, and what runs where no C compiler was at hand.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np

_WORD = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")
_PUNCT = re.compile(r"[^\w\s]")
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\b")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_AGO = re.compile(r"\b(?:ago|vor\s+\d+|il y a|hace)\b", re.I)
_COMMENT_HEAD = re.compile(
    r"\b(?:says|said|wrote|schreibt|sagt|schrieb|dit|écrit|dice|escribió|napisał)\s*(?::|\.\.\.|…)\s*$",
    re.I,
)
#: how a line the comment head matches ends (``\s*$`` reads nothing on a stripped line)
_HEAD_ENDS = (":", "...", "…")
_COUNT = re.compile(r"^\W*\d+\s+\w+\W*$|\[\s*\d+\s+\w+\s*\]")
_BULLETS = ("•", "-", "*", "·", "›", "»", ">", "–", "—", "+", "▶", "►")
_QUOTES = ("“", '"', "«", "„", "‘", "'")
_ENDERS = frozenset(".!?…。！？")

#: line shapes the growth reads: a sentence, a wordy line without a stop, neither ("")
SENTENCE, WORDY = "S", "W"


def line_counts(
    text: str, chrome: frozenset[str], marks: tuple[str, ...]
) -> tuple[int, int, int, int, int, bool, int]:
    """(words, capitalised words, digits, punctuation marks, words in ``chrome``, whether
    a word is "copyright", occurrences of ``marks``) of ``text``: words are ``\\w+`` runs,
    compared lower-cased; each mark is counted as ``str.count`` counts it."""
    toks = _WORD.findall(text)
    lowered = [t.lower() for t in toks]
    return (
        len(toks),
        sum(t[:1].isupper() for t in toks),
        len(_DIGIT.findall(text)),
        len(_PUNCT.findall(text)),
        sum(t in chrome for t in lowered),
        "copyright" in lowered,
        sum(text.count(m) for m in marks),
    )


def own_row(
    text: str,
    words: float,
    density: float,
    ends: bool,
    titled: bool,
    chrome: frozenset[str],
    marks: tuple[str, ...],
) -> np.ndarray:
    """The line model's measures of one line alone (``cleaner.features.OWN`` up to
    ``count_shape``), as floats, from its text and the content measures of it
    (``words``, ``density``, ``ends``, ``titled``; see ``cleaner.kinds.content.LineStats``)."""
    stripped = text.strip()
    toks, capitals, digits, punct, hits, copyright, listed = line_counts(stripped, chrome, marks)
    n = max(toks, 1)
    chars = len(stripped)
    nonspace = max(chars - stripped.count(" "), 1)
    tail = stripped.rstrip("\"'”’»)]")
    last = tail[-1:] if tail else ""
    cut = tail.endswith(("...", "…")) and tail.rstrip(".…")[-1:].isalpha()
    row = [
        math.log1p(words),
        words <= 1,
        1 < words <= 2,
        2 < words <= 4,
        4 < words <= 7,
        7 < words <= 12,
        12 < words <= 20,
        20 < words <= 40,
        words > 40,
        math.log1p(chars / n),
        density,
        density == 0,
        density >= 0.35,
        ends,
        last == ":",
        cut,
        not ends and last not in _ENDERS and last != ":",
        stripped.startswith(_QUOTES),
        stripped.startswith(_BULLETS),
        stripped[:1].islower(),
        capitals / n,
        titled,
        digits / nonspace,
        punct / nonspace,
        stripped.count(",") / n,
        math.log1p(listed),
        "|" in stripped,
        hits / n,
        hits > 0,
        "©" in stripped or copyright,
        "@" in stripped or "http" in stripped or "www." in stripped,
        # the time, year and count shapes need a digit, the comment head a final mark
        digits > 0 and _TIME.search(stripped) is not None,
        digits > 0 and _YEAR.search(stripped) is not None,
        _AGO.search(stripped) is not None,
        stripped.endswith(_HEAD_ENDS) and _COMMENT_HEAD.search(stripped) is not None,
        digits > 0 and _COUNT.search(stripped) is not None,
    ]
    return np.asarray(row, dtype=float)


def count_words(text: str) -> int:
    """How many ``\\w+`` words ``text`` holds."""
    return len(_WORD.findall(text))


def shape_runs(shape: np.ndarray) -> np.ndarray:
    """For each line, the length of the run of neighbouring lines of its ``shape``."""
    n = len(shape)
    run = np.ones(n)
    for k in range(1, n):
        if shape[k] == shape[k - 1]:
            run[k] = run[k - 1] + 1
    for k in range(n - 2, -1, -1):
        if shape[k] == shape[k + 1]:
            run[k] = run[k + 1]
    return run


#: rows of ``place`` that hold what the caller takes numpy's ``log1p`` of, and the row
#: it fills itself: numpy's logarithms may differ from the C library's in the last bit,
#: so both paths leave them to the same numpy call on the same contiguous row
PLACE_LOGGED = (7, 8, 14, 15, 19, 29, 33, 34)
PLACE_RELATIVE = 21


def place(
    p: np.ndarray, words: np.ndarray, own: np.ndarray, total: float, columns: tuple[int, ...]
) -> np.ndarray:
    """Where each line stands on the page (``cleaner.features.PLACE``, one row per
    measure, one column per line): ``p`` marks prose lines, ``words`` counts each line's
    words, ``total`` is the page's prose words (1 if none), and ``columns`` names the
    columns of ``own`` read here (``cleaner.features.PLACE_READS``). The rows of
    ``PLACE_LOGGED`` hold counts not yet logged; ``PLACE_RELATIVE`` is left at 0."""
    (
        log_words,
        words_1,
        words_2,
        ends,
        list_marks,
        comment_head,
        ago,
        count_shape,
        title_like,
        titled,
        time,
        year,
        edge_above,
    ) = columns
    n = len(p)
    prose_words = words * p
    above = np.cumsum(prose_words) - prose_words
    below = total - above - prose_words
    lines_above = np.cumsum(p) - p
    lines_below = p.sum() - lines_above - p
    idx = np.arange(n)
    hits = np.flatnonzero(p)
    first = hits[0] if len(hits) else n
    last = hits[-1] if len(hits) else -1
    short = own[:, words_1] + own[:, words_2]
    shape = own[:, ends] * 2 + p
    run = shape_runs(shape)
    between = (idx > first) & (idx < last)
    prose_run = np.where(p > 0, run, 0.0)
    left = np.concatenate([[0.0], p[:-1]])
    right = np.concatenate([p[1:], [0.0]])
    isolated = p * (1 - left) * (1 - right)
    flips = np.zeros(n)
    if n > 2:
        flips[:-2] = (shape[:-2] == shape[2:]) & (shape[:-2] != shape[1:-1])
    marks = np.maximum.reduce([own[:, comment_head], own[:, ago], own[:, count_shape]])
    marks_above = np.cumsum(marks) - marks
    title = own[:, title_like]
    title_above = np.cumsum(title) - title
    first_title = np.flatnonzero(title)
    below_title = np.zeros(n)
    if len(first_title):
        gap = idx - first_title[0]
        below_title = np.where(gap > 0, 1.0 / np.maximum(gap, 1), 0.0)
    heading = (
        (own[:, ends] == 0) & (words >= 3) & (words <= 15) & (own[:, list_marks] == 0)
    ).astype(float)
    near_above = np.zeros(n)
    near_below = np.zeros(n)
    for step in (1, 2):
        near_above[step:] = np.maximum(near_above[step:], p[:-step])
        near_below[:-step] = np.maximum(near_below[:-step], p[step:])
    cards = np.zeros(n)
    if n > 1:
        cards[1:] = heading[:-1] * isolated[1:]
    long_run = (prose_run >= 3).astype(float)
    runs = np.flatnonzero(long_run)
    if len(runs):
        # the nearest line of a long run: the one at or after each line, or the one before
        after = np.minimum(np.searchsorted(runs, idx), len(runs) - 1)
        before = np.maximum(after - 1, 0)
        distance = np.minimum(np.abs(runs[after] - idx), np.abs(idx - runs[before]))
        before_runs, after_runs = idx < runs[0], idx > runs[-1]
    else:
        distance = np.full(n, n)
        before_runs = after_runs = np.zeros(n, dtype=bool)
    stamp = (
        (words <= 10) & (own[:, ends] == 0) & ((own[:, time] > 0) | (own[:, year] > 0))
    ).astype(float)
    stamp = np.maximum(stamp, own[:, comment_head])
    stamps_above = np.cumsum(stamp) - stamp
    stamps_below = stamp.sum() - stamps_above - stamp
    # a boundary rule's removal (a rights notice) stands where the article ends
    edge = own[:, edge_above]
    past_edge = np.cumsum(edge) > 0
    before_edge = np.cumsum(edge[::-1])[::-1] - edge > 0  # an edge above a later line
    return np.array(
        [
            idx == 0,
            idx == n - 1,
            idx / max(n - 1, 1),
            idx < first,
            idx > last,
            above / total,
            below / total,
            lines_above,
            lines_below,
            window_mean(p, 3),
            window_mean(p, 8),
            window_mean(own[:, log_words], 3),
            window_mean(short, 3),
            between,
            run,
            prose_run,
            isolated,
            window_mean(isolated, 8),
            window_mean(flips, 6),
            marks_above,
            np.minimum(title_above, 3),
            np.zeros(n),
            below_title,
            window_mean(heading, 5),
            window_mean(isolated, 5),
            near_above * near_below,
            window_mean(cards, 8),
            own[:, titled] * p,
            long_run,
            distance,
            before_runs,
            after_runs,
            stamp,
            stamps_above,
            stamps_below,
            past_edge,
            before_edge,
        ],
        dtype=float,
    )


def window_mean(values: np.ndarray, reach: int) -> np.ndarray:
    """The mean of ``values`` over each line's window of ``reach`` lines either side."""
    padded = np.concatenate([[0.0], np.cumsum(values)])
    n = len(values)
    idx = np.arange(n)
    lo = np.maximum(idx - reach, 0)
    hi = np.minimum(idx + reach + 1, n)
    return (padded[hi] - padded[lo]) / (hi - lo)


def vote(helds: Sequence[bytes | None], counts: Sequence[int], languages: int) -> tuple[int, float]:
    """The stoplist a page's words vote for (``cleaner.language``): the word counted
    ``counts[k]`` times gives each list that holds it (``helds[k]``: the lists' indices,
    or None) ``counts[k] / len(helds[k])``, word by word in order; the first list with
    the highest score, and that score ((-1, 0.0) when there are no lists)."""
    scores = [0.0] * languages
    for held, n in zip(helds, counts, strict=True):
        if held:
            share = n / len(held)
            for i in held:
                scores[i] += share
    best = max(range(languages), key=scores.__getitem__, default=None)
    return (-1, 0.0) if best is None else (best, scores[best])


def best_run(scores: Sequence[float], segment: Sequence[int] | None = None) -> tuple[int, int]:
    """The (first, last) index of the contiguous run with the highest sum (Kadane) that
    lies within one segment (``segment``: each score's segment number; None: one)."""
    best, best_span = float("-inf"), (0, 0)
    total, begin = 0.0, 0
    for k, s in enumerate(scores):
        if total <= 0 or (segment is not None and segment[k] != segment[k - 1]):
            total, begin = s, k
        else:
            total += s
        if total > best:
            best, best_span = total, (begin, k)
    return best_span


def grow(keep: np.ndarray, shape: Sequence[str], likely: np.ndarray, reach: int) -> np.ndarray:
    """Below each kept line, keep the sentences that follow it, and ``WORDY`` lines that
    lead on to a sentence (or to the page's end); past ``reach`` lines from a line the
    model kept, only lines ``likely`` marks; in place (see ``cleaner.kinds.model``)."""
    n = len(keep)
    k = 1
    grown = 0  # lines grown since the last line the model kept
    while k < n:
        if keep[k]:
            k, grown = k + 1, 0
            continue
        if not keep[k - 1]:
            k += 1
            continue
        j = k
        while j < n and shape[j] == WORDY and not keep[j]:
            j += 1
        far = grown + j - k + 1 > reach and not likely[k : j + 1].all()
        if (j < n and not keep[j] and shape[j] != SENTENCE) or far:
            k = j + 1
            continue
        keep[k : j + 1] = True
        grown += j - k + 1
        k = j + 1
    return keep
