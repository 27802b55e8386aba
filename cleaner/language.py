"""Which language a page is written in, told by the stopwords it uses.

jusText ships stoplists for 100 languages, built from Wikipedia. They overlap (English
words appear in many of them), so a word counts for a language in inverse proportion
to the number of lists that hold it: shared words barely vote, distinctive ones decide.
Pages written mostly in Han, Kana or Hangul have no usable stoplist and get ``None``;
their measures fall back to characters.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import regex

_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\p{Thai}]")
_LETTER = regex.compile(r"\p{L}")
#: share of letters written in a spaceless script above which a page counts as CJK
CJK_SHARE = 0.3


@dataclass(frozen=True)
class Stoplists:
    names: tuple[str, ...]
    words: dict[str, frozenset[str]]
    #: word -> [(language index, vote weight)]
    votes: dict[str, tuple[tuple[int, float], ...]]


@lru_cache(maxsize=1)
def stoplists() -> Stoplists:
    """All jusText stoplists, lower-cased, loaded once per process."""
    import justext

    names = tuple(sorted(justext.get_stoplists()))
    words = {n: frozenset(w.lower() for w in justext.get_stoplist(n)) for n in names}
    holders: dict[str, list[int]] = {}
    for i, n in enumerate(names):
        for w in words[n]:
            holders.setdefault(w, []).append(i)
    votes = {w: tuple((i, 1.0 / len(ix)) for i in ix) for w, ix in holders.items()}
    return Stoplists(names, words, votes)


def is_cjk(text: str) -> bool:
    """Whether most of the letters in ``text`` belong to spaceless scripts."""
    letters = len(_LETTER.findall(text))
    return letters > 0 and len(_CJK.findall(text)) >= CJK_SHARE * letters


def detect(tokens: Iterable[str]) -> str | None:
    """The stoplist name that best fits lower-cased ``tokens``; None when none fits."""
    lists = stoplists()
    scores = [0.0] * len(lists.names)
    for word, n in Counter(tokens).items():
        for i, weight in lists.votes.get(word, ()):
            scores[i] += n * weight
    best = max(range(len(scores)), key=scores.__getitem__, default=None)
    if best is None or scores[best] <= 0:
        return None
    return lists.names[best]


def stopwords(language: str | None) -> frozenset[str]:
    """The stoplist of ``language`` (empty for None or an unknown name)."""
    if language is None:
        return frozenset()
    return stoplists().words.get(language, frozenset())
