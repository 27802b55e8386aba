"""Cheap per-line measures shared by the rule kinds: words, prose, sentence ends."""

from __future__ import annotations

import re

import regex

from cleaner import linescan

_WORD = regex.compile(r"\w+")
# Han, Hiragana, Katakana, Hangul, Thai: scripts written without spaces between words
CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\p{Thai}]")
# the blocks that hold those scripts, a superset of ``CJK`` that ``re`` finds several
# times faster: only text it finds anything in is measured the CJK way
CJK_BLOCKS = re.compile(
    "[\u0e00-\u0e7f\u1100-\u11ff\u2e80-\u2fdf\u3005-\u33ff\u3400-\u4dbf\u4e00-\u9fff"
    "\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff66-\uffdc\U00016fe0-\U00016fff"
    "\U0001aff0-\U0001b2ff\U0001f200-\U0001f2ff\U00020000-\U0003ffff]"
)
# sentence-final punctuation, and the closing quotes or brackets that may follow it
_ENDERS = frozenset(".!?…。！？؟।")
_CLOSERS = "\"'”’»)]"
# what may follow the stop: closers, and the variation selector that makes a symbol an emoji
_AFTER_STOP = _CLOSERS + "\ufe0f"

PROSE_MIN_WORDS = 8
PROSE_MIN_CJK = 25


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
#: character -> whether ``regex`` and ``re`` agree on whether it is ``\w`` (they do not
#: on combining marks, some numerals, and letters newer than Python's Unicode tables)
_AGREES: dict[str, bool] = {}


def _agrees(char: str) -> bool:
    found = _AGREES.get(char)
    if found is None:
        found = _AGREES[char] = (char.isalnum() or char == "_") == bool(_WORD.fullmatch(char))
    return found


def word_count(text: str) -> int:
    """Words in ``text``; each CJK character counts as half a word (about two make one)."""
    if text.isascii():  # no CJK, and ``\w`` is [A-Za-z0-9_] for ``regex`` as for ``re``
        return linescan.count_words(text)
    cjk = len(CJK.findall(text)) if CJK_BLOCKS.search(text) is not None else 0
    if cjk:
        return len(_WORD.findall(CJK.sub(" ", text))) + cjk // 2
    # the kernel counts ``re``'s words: the same count where every character reads alike
    if all(map(_agrees, set(_NON_ASCII.findall(text)))):
        return linescan.count_words(text)
    return len(_WORD.findall(text))


def ends_sentence(text: str) -> bool:
    """Whether the line ends a sentence (closing quotes and brackets allowed after the stop).

    String methods, not a regex: this runs on every line of every page."""
    tail = text.rstrip().rstrip(_AFTER_STOP)
    return bool(tail) and (tail[-1] in _ENDERS or _emoji(tail[-1]))


def _emoji(char: str) -> bool:
    """A pictograph: a blog sentence often ends with one instead of a stop."""
    code = ord(char)
    return 0x1F300 <= code <= 0x1FAFF or 0x2600 <= code <= 0x27BF


def is_prose(text: str) -> bool:
    """A line that reads like running text: long enough and ending a sentence."""
    return ends_sentence(text) and word_count(text) >= PROSE_MIN_WORDS


def prose_weight(text: str) -> int:
    """Characters of running text in the line (0 for anything that is not prose)."""
    return len(text.strip()) if is_prose(text) else 0
