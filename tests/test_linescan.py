"""The compiled line-scan kernel against its pure-Python reference: same values, same output.

Skipped where the extension is not built (no C compiler at install time); CI builds it,
so there both paths run on the same input here.
"""

from __future__ import annotations

import gzip
import json
import random
import sys

import numpy as np
import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

import cleaner
from cleaner import linescan, linescan_py
from cleaner.features import CHROME_WORDS, PageLines, page_features
from cleaner.page import Memo
from cleaner.textstats import word_count

from .conftest import FIXTURES, shared_or_skip

compiled = linescan.compiled_kernel
pytestmark = pytest.mark.skipif(
    compiled is None,
    reason="cleaner._linescan is not built (no C compiler at install time): only the "
    "pure-Python path exists here",
)

MARKS = (" | ", " • ", " · ", " » ", " / ", " > ", " :: ", "||", "")
SAMPLES = [
    "",
    "   ",
    "Copyright © 2024 Elwyn Gazette. All rights reserved.",
    "COPYRIGHT Cookie-Policy | Privacy | Menü | Zurück | Schlagwörter",
    "İSTANBUL — Σ ΟΔΟΣ ΤΕΛΟΣ, ǅemal ﬁle Ⅻ ½ ٣٤ 𝟘𝟙 _snake_case_",
    "Posted 3 hours ago · 12:30 · [ 5 comments ]",
    "Home | | News || Sport ||| Weather :: : :: Contact » / > •",
    "日本語の文章です。中文句子在这里。한국어 문장입니다.",
    "tabs\tand\u00a0no-break\u2003spaces\u200b and \U0001f600 emoji!",
]


def _all_characters(step: int = 1) -> list[str]:
    """Every code point, a few thousand to a line, surrogates and controls included."""
    chars = [chr(c) for c in range(0, sys.maxunicode + 1, step)]
    return ["".join(chars[k : k + 4096]) for k in range(0, len(chars), 4096)]


@pytest.mark.parametrize("text", SAMPLES)
def test_line_counts_samples(text: str) -> None:
    assert compiled.count_words(text) == linescan_py.count_words(text)
    assert compiled.line_counts(text, CHROME_WORDS, MARKS) == linescan_py.line_counts(
        text, CHROME_WORDS, MARKS
    )


def test_line_counts_every_character() -> None:
    # each character on its own word (between spaces), and runs of all of them
    for chunk in _all_characters():
        spaced = " ".join(chunk)
        for text in (chunk, spaced, chunk.upper(), spaced.lower()):
            assert compiled.count_words(text) == linescan_py.count_words(text)
            assert compiled.line_counts(text, CHROME_WORDS, MARKS) == linescan_py.line_counts(
                text, CHROME_WORDS, MARKS
            )


@given(st.text(max_size=200), st.frozensets(st.text(max_size=12), max_size=8))
def test_line_counts_any_text(text: str, chrome: frozenset[str]) -> None:
    words = [*chrome, *CHROME_WORDS]
    text += " " + " ".join(words[:5]).upper()
    assert compiled.count_words(text) == linescan_py.count_words(text)
    for vocabulary in (chrome, CHROME_WORDS):
        assert compiled.line_counts(text, vocabulary, MARKS) == linescan_py.line_counts(
            text, vocabulary, MARKS
        )


#: lines built around each character: the shapes ``own_row`` reads by hand (time, year,
#: "ago", a comment head, a count), with the character inside, beside or instead of a part
SHAPES = (
    "{c}12:30{c}",
    "at 9{c}45 pm",
    "{c}1999{c}",
    "20{c}4",
    "{c}ago{c}",
    "vor{c}5",
    "vor {c}12 Tagen",
    "il{c}y a",
    "{c}hace 3",
    "Jane says{c}:",
    "{c}wrote{c}...",
    "napisał{c}…",
    "{c}12 comments{c}",
    "[{c}167 comments ]",
    "[ 167{c}comments{c}]",
    "{c}...",
    "word{c}…{c}",
)
#: the words of the case-blind shapes, each with one letter left for a character to fill
#: (so that a character ``re`` folds into a letter, as U+017F into "s", is tried there)
BLIND = tuple(
    f"{word[:j]}{{c}}{word[j + 1 :]}{end}"
    for words, end in (
        (("ago", "vor 5", "il y a", "hace"), ""),
        (("says", "said", "wrote", "schreibt", "sagt", "schrieb", "dit"), ":"),
        (("écrit", "dice", "escribió", "napisał"), "…"),
    )
    for word in words
    for j in range(len(word))
)
OWN_ARGS = ((0.0, 0.0, False, False), (3.0, 0.3, True, True), (41.0, 1.0, False, False))


def _same_own_row(text: str) -> None:
    for args in OWN_ARGS:
        ours = compiled.own_row(text, *args, CHROME_WORDS, MARKS)
        reference = linescan_py.own_row(text, *args, CHROME_WORDS, MARKS)
        assert ours.tobytes() == reference.tobytes(), (text, args)


@pytest.mark.parametrize("text", SAMPLES + [s.format(c="") for s in SHAPES + BLIND])
def test_own_row_samples(text: str) -> None:
    _same_own_row(text)


def _kinds_of_character() -> list[str]:
    """Every character below U+0250, and a few of each kind beyond: kinds told apart by
    every predicate the kernel reads (word, digit, space, letter, case) and by what the
    character lower- or upper-cases to when that is ASCII (as U+0130 and U+212A do)."""
    seen: dict[tuple, int] = {}
    chars = []
    for code in range(sys.maxunicode + 1):
        c = chr(code)
        lower, upper = c.lower(), c.upper()
        kind = (
            c.isalnum(),
            c.isdecimal(),
            c.isspace(),
            c.isalpha(),
            c.islower(),
            c.isupper(),
            lower if lower.isascii() else "",
            upper if upper.isascii() else "",
        )
        seen[kind] = seen.get(kind, 0) + 1
        if code < 0x250 or seen[kind] <= 3:
            chars.append(c)
    return chars


def test_own_row_every_kind_of_character_in_every_shape() -> None:
    for c in _kinds_of_character():
        for shape in SHAPES + BLIND:
            _same_own_row(shape.format(c=c))


@given(st.text(alphabet=st.sampled_from("sayidwrotecmn vgh0٣:.…[]'\"”» \t-_|©@İıſK"), max_size=30))
def test_own_row_any_text(text: str) -> None:
    _same_own_row(text)
    _same_own_row(text.upper())


def test_ascii_word_count_is_the_regex_one() -> None:
    # textstats.word_count counts an ASCII line's words with the kernel, not ``regex``
    line = "".join(chr(c) for c in range(128)) + " words_2 and-3 4.5"
    for text in (line, " ".join(line), line[::-1]):
        assert word_count(text) == len(regex.findall(r"\w+", text))


def test_runs_and_decoding_on_random_input() -> None:
    rng = random.Random(14)
    for _ in range(2000):
        n = rng.randrange(0, 30)
        shape = np.array([float(rng.choice((0, 1, 2, 3))) for _ in range(n)])
        assert compiled.shape_runs(shape).tobytes() == linescan_py.shape_runs(shape).tobytes()
        scores = [
            rng.choice((-3.0, -1.0, 0.0, 0.1, 2.5, 7.0, rng.uniform(-5, 9))) for _ in range(n)
        ]
        segment = sorted(rng.choice((0, 0, 0, 1, 2)) for _ in range(n))
        for seg in (None, segment):
            assert compiled.best_run(scores, seg) == linescan_py.best_run(scores, seg)
        keep = np.array([rng.random() < 0.3 for _ in range(n)], dtype=bool)
        shapes = [rng.choice(("S", "W", "W", "")) for _ in range(n)]
        likely = np.array([rng.random() < 0.6 for _ in range(n)], dtype=bool)
        for reach in (0, 2, n):
            ours = compiled.grow(keep.copy(), shapes, likely, reach)
            reference = linescan_py.grow(keep.copy(), shapes, likely, reach)
            assert ours.tolist() == reference.tolist()
            mirrored = compiled.grow(keep[::-1].copy(), shapes[::-1], likely[::-1], reach)
            assert (
                mirrored.tolist()
                == linescan_py.grow(keep[::-1].copy(), shapes[::-1], likely[::-1], reach).tolist()
            )


def test_place_on_random_pages() -> None:
    """The place measures of pages of 1 to 40 lines, with and without prose, long runs,
    title repeats, stamps and boundary removals: the same bytes on both paths."""
    from cleaner.features import OWN, PLACE_READS

    rng = random.Random(21)
    for _ in range(3000):
        n = rng.randrange(1, 41)
        own = np.zeros((n, len(OWN)))
        for column in PLACE_READS:
            own[:, column] = [rng.random() < rng.choice((0.0, 0.2, 0.5, 0.9)) for _ in range(n)]
        own[:, PLACE_READS[0]] = np.log1p([rng.choice((0, 1, 2, 3, 8, 15, 40)) for _ in range(n)])
        p = np.array([float(rng.random() < rng.choice((0.0, 0.3, 0.8))) for _ in range(n)])
        words = np.expm1(own[:, PLACE_READS[0]])
        total = (words * p).sum() or 1.0
        ours = compiled.place(p, words, own, total, PLACE_READS)
        reference = linescan_py.place(p, words, own, total, PLACE_READS)
        assert ours.shape == reference.shape == (37, n)
        assert ours.tobytes() == reference.tobytes()


def test_language_vote_on_random_words() -> None:
    """Shares of 1/3, 1/7 ... added up word by word: the same scores, so the same
    winner, on both paths (ties go to the first list)."""
    rng = random.Random(8)
    for _ in range(20_000):
        languages = rng.randrange(0, 12)
        helds = [
            None
            if languages == 0 or rng.random() < 0.3
            else bytes(rng.sample(range(languages), rng.randrange(0, languages + 1)))
            for _ in range(rng.randrange(0, 30))
        ]
        counts = [rng.randrange(1, 9) for _ in helds]
        assert compiled.vote(helds, counts, languages) == linescan_py.vote(helds, counts, languages)
    # what the reference refuses, the kernel refuses too, and writes nothing past its scores
    for kernel in (compiled, linescan_py):
        with pytest.raises(ValueError):
            kernel.vote([b"\x00", None], [1], 2)
        with pytest.raises(IndexError):
            kernel.vote([b"\x00\x05"], [1], 2)


def _features(texts: list[str], compiled_path: bool) -> bytes:
    page = PageLines(texts, [not t.strip() for t in texts], [0] * len(texts), [False] * len(texts))
    with linescan.use(compiled_path):
        shown, x = page_features(page, Memo())
    return np.asarray(shown).tobytes() + x.tobytes()


def _run(engine: cleaner.Engine, text: str, url: str | None, compiled_path: bool) -> tuple:
    with linescan.use(compiled_path):
        out = engine.run(text, url)
    decisions = [(d.number, d.text, d.rule_id, tuple(map(tuple, d.spans))) for d in out.decisions]
    return out.text, decisions, [(t.rule_id, t.line) for t in out.timeouts]


def test_same_features_and_output_on_a_fixture(default_engine: cleaner.Engine) -> None:
    text = (FIXTURES / "article.txt").read_text(encoding="utf-8")
    texts = [*text.splitlines(), *SAMPLES]
    assert _features(texts, True) == _features(texts, False)
    assert _run(default_engine, text, None, True) == _run(default_engine, text, None, False)


def test_same_features_and_output_on_the_dev_pages(default_engine: cleaner.Engine) -> None:
    pages = []
    for name in ("news-dev", "web-dev"):
        path = shared_or_skip("benchdata", f"{name}.jsonl.gz")
        with gzip.open(path, "rt", encoding="utf-8") as rows:
            pages += [json.loads(line) for line in rows]
    assert len(pages) == 590
    for row in pages:
        texts = row["text"].splitlines()
        assert _features(texts, True) == _features(texts, False), row["id"]
        url = row.get("url") or None
        ours = _run(default_engine, row["text"], url, True)
        assert ours == _run(default_engine, row["text"], url, False), row["id"]
