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
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

import regex

from cleaner import linescan

_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\p{Thai}]")
_LETTER = regex.compile(r"\p{L}")
#: share of letters written in a spaceless script above which a page counts as CJK
CJK_SHARE = 0.3


def _stoplist_dir() -> Path:
    """jusText's stoplists folder, found without importing jusText (and lxml with it)."""
    spec = find_spec("justext")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("the content detector needs jusText's stoplists (pip install justext)")
    return Path(next(iter(spec.submodule_search_locations))) / "stoplists"


def _read(path: Path) -> frozenset[str]:
    return frozenset(w.lower() for w in path.read_text(encoding="utf-8").split() if w)


Index = tuple[tuple[str, ...], dict[str, bytes]]


def _build_index() -> Index:
    """Language names, and for every stopword the indices of the lists that hold it."""
    folder = _stoplist_dir()
    names = tuple(sorted(p.stem for p in folder.glob("*.txt")))
    holders: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        for word in _read(folder / f"{name}.txt"):
            holders.setdefault(word, []).append(i)
    return names, {w: bytes(ix) for w, ix in holders.items()}


@lru_cache(maxsize=1)
def stoplist_index() -> Index:
    """The vote index over all stoplists: built once, then read from the rules cache."""
    from cleaner.cache import cached, key_of

    files = sorted(_stoplist_dir().glob("*.txt"))
    stamp = [f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}".encode() for p in files]
    return cached("stoplists", key_of(stamp), _build_index)


def is_cjk(text: str) -> bool:
    """Whether most of the letters in ``text`` belong to spaceless scripts."""
    letters = len(_LETTER.findall(text))
    return letters > 0 and len(_CJK.findall(text)) >= CJK_SHARE * letters


def detect(tokens: Iterable[str]) -> str | None:
    """The stoplist name that best fits lower-cased ``tokens``; None when none fits."""
    return _vote(tuple(tokens))


# A cleaning run tells the language again on each pass, mostly from the same sentences.
@lru_cache(maxsize=4)
def _vote(tokens: tuple[str, ...]) -> str | None:
    names, holders = stoplist_index()
    counts = Counter(tokens)
    # the words vote in first-seen order, so every score is the same sum, added up in
    # the same order (compiled where built: ``cleaner.linescan``)
    best, score = linescan.vote(list(map(holders.get, counts)), list(counts.values()), len(names))
    if best < 0 or score <= 0:
        return None
    return names[best]


@lru_cache(maxsize=8)
def stopwords(language: str | None) -> frozenset[str]:
    """The stoplist of ``language`` (empty for None or an unknown name)."""
    if language is None or language not in stoplist_index()[0]:
        return frozenset()
    return _read(_stoplist_dir() / f"{language}.txt")
