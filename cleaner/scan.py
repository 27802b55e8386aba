"""One multi-pattern scan per page finds the lines each rule's patterns may match.

Every ``regex`` pattern of a rule set is read (with Python's own parser, like the
literal prefilters of ``cleaner.matching``) and written out again as a looser pattern
for Hyperscan: one that matches wherever the original may, and perhaps elsewhere too.
Hyperscan runs all of them over a page's UTF-8 bytes in one pass, and the exact
pattern then runs (with its timeout) only on the lines the scan names. So a decision
never depends on the scan: it only spares the exact pattern lines it cannot match.

How a pattern is loosened, and why that still finds every line it matches:

- each character class keeps exactly its ASCII members (with both cases under
  ignore-case) and takes any run of non-ASCII bytes as a possible member, so a
  character outside ASCII never needs to be classified;
- ``\\b``, ``\\B`` and lookarounds consume nothing and are dropped: dropping a condition
  only widens what matches; a positive lookaround at the top of a branch is also kept
  as a pattern of its own the line must match too (``^(?=.*\\d)...``); atomic groups
  and possessive repeats become plain ones, lazy repeats greedy ones, a back-reference
  any text of the line, a long bounded repeat an unbounded one;
- no class nor ``.`` matches ``\\n``: the page is the lines joined by ``\\n``, and the
  exact pattern runs on one line, which holds none, so a match never crosses lines;
- ``^`` and ``$`` are read per line (multi-line mode), as the exact pattern sees them;
  Hyperscan takes them only at a pattern's edges, so branches are split apart
  (``^a|b$`` as ``^a`` and ``b$``) and anchors left inside are dropped; a line start
  followed by any text (``^.*``, ``^.{0,40}?``) goes with that text, as the rest lies
  in the line either way;
- a pattern not ending in ``$`` ends with ``[^\\n]*$``, so a match is reported once, at
  the end of the line where it starts: the scan maps that end to its line.

A pattern this module cannot read (``regex``-only syntax, an unknown property), or one
it would let through on a line of plain prose, leaves its matcher to the old path, the
literal prefilters. So does a page the loosened patterns cannot vouch for: one holding
a character that ignore-case matching folds onto an ASCII letter (the Kelvin sign onto
k), or a lone surrogate, which has no UTF-8.

Hyperscan is optional: without it (or with ``CLEANER_PURE_PYTHON=1`` in the
environment) every matcher takes the old path, with the same decisions.
"""

from __future__ import annotations

import os
import platform
import re
import sys
import warnings
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from itertools import accumulate
from typing import Any

import regex

from cleaner.cache import cached, key_of
from cleaner.matching import _FUZZY, Matcher, _sre, _sre_parse


@lru_cache(maxsize=1)
def hyperscan() -> Any:
    """The ``hyperscan`` module, or None where it is not installed (imported on first
    use: a run whose rules never scan a page does not pay for it)."""
    try:
        import hyperscan as module
    except ImportError:  # pragma: no cover - platforms without a wheel
        return None
    return module


def available() -> bool:
    """Whether the fast scan can run here: Hyperscan imports and is not turned off."""
    if os.environ.get("CLEANER_PURE_PYTHON", "") not in ("", "0"):
        return False
    return hyperscan() is not None


#: non-ASCII characters ``regex`` matches to an ASCII letter when it ignores case; a
#: page holding one takes the old path (``tests/test_fast_match.py`` recomputes this)
FOLDS_TO_ASCII: dict[str, str] = {
    "\u0130": "iI",  # LATIN CAPITAL LETTER I WITH DOT ABOVE
    "\u0131": "iI",  # LATIN SMALL LETTER DOTLESS I
    "\u017f": "sS",  # LATIN SMALL LETTER LONG S
    "\u212a": "kK",  # KELVIN SIGN
}
_UNSAFE = regex.compile("[" + "".join(FOLDS_TO_ASCII) + "]")


class Unsupported(ValueError):
    """A pattern (or part) this converter does not read; its matcher takes the old path."""


# ---- the ASCII members of the classes a pattern may name ----

_ASCII = [chr(c) for c in range(128)]


@cache
def _members(pattern: str) -> frozenset[int]:
    """The ASCII code points ``pattern`` (one character) matches, asked of ``regex``."""
    compiled = regex.compile(pattern)
    return frozenset(c for c in range(128) if compiled.fullmatch(_ASCII[c]))


_CATEGORIES = {
    _sre.CATEGORY_DIGIT: r"\d",
    _sre.CATEGORY_NOT_DIGIT: r"\D",
    _sre.CATEGORY_SPACE: r"\s",
    _sre.CATEGORY_NOT_SPACE: r"\S",
    _sre.CATEGORY_WORD: r"\w",
    _sre.CATEGORY_NOT_WORD: r"\W",
}
#: the Unicode properties the rules use, by the placeholder that stands for each while
#: Python's parser reads the pattern (code points of a private-use plane)
_PROPERTIES = ("L", "Lu", "Ll", "Lt", "N", "Nd", "P", "S", "Z", "Zs")
_PLACEHOLDER = 0xF0000
_PROPERTY = regex.compile(r"(?<!\\)((?:\\\\)*)\\([pP])\{\^?([A-Za-z_]+)\}")


def _placeholder(match: regex.Match[str]) -> str:
    name = match.group(3)
    if name not in _PROPERTIES or "^" in match.group(0):
        raise Unsupported(f"property {match.group(0)}")
    code = _PLACEHOLDER + 2 * _PROPERTIES.index(name) + (match.group(2) == "P")
    return match.group(1) + chr(code)


def _placeholder_members(code: int) -> frozenset[int]:
    index, negated = divmod(code - _PLACEHOLDER, 2)
    return _members(("\\P{%s}" if negated else "\\p{%s}") % _PROPERTIES[index])


# ---- writing a parsed pattern out for Hyperscan ----

#: one or more non-ASCII bytes: any character outside ASCII, as UTF-8
NON_ASCII = r"[\x80-\xff]+"
#: how long a bounded repeat may be before it is read as unbounded (compile time)
MAX_BOUND = 16


def _byte(code: int) -> str:
    return chr(code) if chr(code).isalnum() else f"\\x{code:02x}"


def _swapcase(codes: Iterable[int]) -> set[int]:
    out = set(codes)
    for c in list(out):
        if chr(c).isalpha():
            out.update((ord(chr(c).lower()), ord(chr(c).upper())))
    return out


@lru_cache(maxsize=1)
def _every_character() -> str:
    """Every code point but the surrogates, once: what a case search runs over. Decoded
    from their UTF-32 bytes: joining a million one-character strings would briefly hold
    some 100 MB."""
    codes = array("I", range(0xD800))  # four bytes an item where Python builds
    codes.extend(range(0xE000, 0x110000))
    assert codes.itemsize == 4, "a C unsigned int of four bytes"
    encoding = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"
    return codes.tobytes().decode(encoding)


@cache
def _case_partners(char: str) -> str:
    """Every character ``regex`` matches to ``char`` when it ignores case (``char``
    too), asked of ``regex`` itself over all of Unicode: runs only while compiling."""
    pattern = regex.compile(regex.escape(char), regex.V0 | regex.IGNORECASE)
    return "".join(sorted(set(pattern.findall(_every_character()))))


def _spell(codes: list[int], extra: str = "") -> str:
    """Sorted ASCII codes (and ``extra``, a range spelled out) as one bracket expression."""
    if len(codes) == 1 and not extra:
        return _byte(codes[0])
    runs: list[list[int]] = []
    for c in codes:
        if runs and c == runs[-1][1] + 1:
            runs[-1][1] = c
        else:
            runs.append([c, c])
    parts = [
        _byte(a) if a == b else f"{_byte(a)}{_byte(b)}" if b == a + 1 else f"{_byte(a)}-{_byte(b)}"
        for a, b in runs
    ]
    return "[" + "".join(parts) + extra + "]"


def _class(codes: Iterable[int], non_ascii: bool, repeat: str = "") -> str:
    """One character of a class (with ``repeat``, a run of them) as bytes: its ASCII
    members, and any non-ASCII character when ``non_ascii``."""
    ascii_codes = sorted(set(codes) - {10})  # never across a line
    if not ascii_codes and not non_ascii:
        raise Unsupported("a class that matches nothing on a line")
    if repeat and non_ascii:  # a run of such characters: a run of such bytes
        return _spell(ascii_codes, "\\x80-\\xff") + repeat
    spelled = _spell(ascii_codes) if ascii_codes else ""
    if repeat:
        return (spelled if len(ascii_codes) > 1 else f"(?:{spelled})") + repeat
    if not non_ascii:
        return spelled
    return f"(?:{spelled}|{NON_ASCII})" if spelled else NON_ASCII


#: how a part of a pattern treats case: bit 1, the pattern ignores it there (classes
#: take both cases of each letter); bit 2, Hyperscan ignores it (HS_FLAG_CASELESS: a
#: letter stands as it is)
Case = int
IGNORED, CASELESS = 1, 2


def _icase(codes: Iterable[int], case: Case) -> set[int]:
    return _swapcase(codes) if case & IGNORED else set(codes)


def _char(op: Any, arg: Any, case: Case) -> tuple[set[int], bool] | None:
    """A one-character item as (ASCII members, may be non-ASCII); None for a non-ASCII
    literal matched exactly (spelled as its bytes) and for anything longer."""
    if op is _sre.LITERAL:
        if arg < 128:
            return _icase([arg], case), False
        if arg >= _PLACEHOLDER:
            return _icase(_placeholder_members(arg), case), True
        return None  # spelled out (see ``_item``)
    if op is _sre.NOT_LITERAL:
        return set(range(128)) - (_icase([arg], case) if arg < 128 else set()), True
    if op is _sre.ANY:
        return set(range(128)), True
    if op is _sre.IN:
        return _in(arg, case)
    return None


def _in(items: Any, case: Case) -> tuple[set[int], bool]:
    """A character set: its exact ASCII members, and whether it may hold more."""
    codes: set[int] = set()
    non_ascii = False
    negate = False
    for op, arg in items:
        if op is _sre.NEGATE:
            negate = True
        elif op is _sre.LITERAL:
            if arg < 128:
                codes.add(arg)
            elif arg >= _PLACEHOLDER:
                codes |= _placeholder_members(arg)
                non_ascii = True
            else:
                non_ascii = True
                if case & IGNORED:
                    codes.update(FOLDS_TO_ASCII.get(chr(arg), "").encode())
        elif op is _sre.RANGE:
            low, high = arg
            codes.update(range(low, min(high, 127) + 1))
            if high >= 128:
                non_ascii = True
                if case & IGNORED:
                    for special, folds in FOLDS_TO_ASCII.items():
                        if low <= ord(special) <= high:
                            codes.update(folds.encode())
        elif op is _sre.CATEGORY and arg in _CATEGORIES:
            codes |= _members(_CATEGORIES[arg])
            non_ascii = True
        else:
            raise Unsupported(f"class member {op}")
    codes = _icase(codes, case)
    if negate:
        # every ASCII code the set leaves out, with its other case, is left out here
        # too, and nothing more: what the set matches, this matches
        return set(range(128)) - codes, True
    return codes, non_ascii


def _bound(low: int, high: int) -> str:
    low = min(low, MAX_BOUND)  # a lower minimum, or no maximum, only matches more
    if high == _sre.MAXREPEAT or high > MAX_BOUND:
        return {0: "*", 1: "+"}.get(low, f"{{{low},}}")
    if (low, high) == (0, 1):
        return "?"
    return f"{{{low},{high}}}"


def _repeat(sub: Any, low: int, high: int, case: Case) -> str:
    items = list(sub)
    one = _char(*items[0], case) if len(items) == 1 else None
    if one is not None:
        codes, non_ascii = one
        if non_ascii and high != _sre.MAXREPEAT:
            high *= 4  # a character is up to four bytes
        return _class(codes, non_ascii, _bound(low, high))
    if high > 1:  # Hyperscan writes a bounded repeat of a group out in full: unbound it
        low, high = min(low, 1), _sre.MAXREPEAT
    return f"(?:{_sequence(items, case)}){_bound(low, high)}"


def _sequence(items: Any, case: Case) -> str:
    return "".join(_item(op, arg, case) for op, arg in items)


_REPEATS = tuple(
    op
    for op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None))
    if op is not None
)
_LINE_START = (_sre.AT_BEGINNING, _sre.AT_BEGINNING_STRING, _sre.AT_BEGINNING_LINE)
_LINE_END = (_sre.AT_END, _sre.AT_END_STRING, _sre.AT_END_LINE)


def _item(op: Any, arg: Any, case: Case) -> str:
    if op is _sre.LITERAL and arg < 128 and (case != IGNORED or not chr(arg).isalpha()):
        return _byte(arg)
    one = _char(op, arg, case)
    if one is not None:
        return _class(*one)
    if op is _sre.LITERAL:  # a non-ASCII character: it, or any it matches ignoring case
        spelled = sorted(
            "".join(f"\\x{b:02x}" for b in char.encode("utf-8"))
            for char in (_case_partners(chr(arg)) if case & IGNORED else chr(arg))
        )
        return spelled[0] if len(spelled) == 1 else "(?:" + "|".join(spelled) + ")"
    if op is _sre.AT:
        # \\b, \\B, and ^ or $ inside the pattern: a condition dropped (Hyperscan takes
        # anchors only at the edges, see ``_alternatives``)
        return ""
    if op in (_sre.ASSERT, _sre.ASSERT_NOT):
        return ""
    if op is _sre.SUBPATTERN:
        _group, add, remove, sub = arg
        inner = case
        if add & _sre.SRE_FLAG_IGNORECASE:
            inner |= IGNORED
        if remove & _sre.SRE_FLAG_IGNORECASE:
            inner &= ~IGNORED  # HS_FLAG_CASELESS stays: it only matches more
        return f"(?:{_sequence(sub, inner)})"
    if op is _sre.BRANCH:
        return "(?:" + "|".join(_sequence(b, case) for b in arg[1]) + ")"
    if op in _REPEATS:
        low, high, sub = arg
        return _repeat(sub, low, high, case)
    if op is getattr(_sre, "ATOMIC_GROUP", None):
        return f"(?:{_sequence(arg, case)})"
    if op is _sre.GROUPREF:
        return "[^\\n]*"  # the text a group matched: some text of the line
    if op is _sre.GROUPREF_EXISTS:
        _group, yes, no = arg
        no_part = _sequence(no, case) if no else ""
        return f"(?:{_sequence(yes, case)}|{no_part})"
    raise Unsupported(f"pattern item {op}")


#: how many alternatives one pattern may become (see ``_alternatives``), how many
#: branches a group inside it may have to be split, and how deep splits go
MAX_ALTERNATIVES = 64
MAX_SPLIT = 8
MAX_DEPTH = 4


def _plain_group(item: tuple[Any, Any]) -> bool:
    """A group that changes no flags: the same as its contents written in its place."""
    op, arg = item
    return op is _sre.SUBPATTERN and not arg[1] and not arg[2]


def _alternatives(items: Any, depth: int = 0) -> list[list[Any]]:
    """The pattern as branches to match separately (``^a|b$`` as ``^a`` and ``b$``,
    ``x(?:a|b)`` as ``xa`` and ``xb``), so that each keeps the anchors at its own
    edges and its lookaheads at its top level (see ``_requirements``)."""
    flat: list[Any] = []
    for item in items:  # a plain group is the same as its contents in its place
        flat.extend(_alternatives(item[1][3], MAX_DEPTH)[0] if _plain_group(item) else [item])
    if depth >= MAX_DEPTH:
        return [flat]
    for n, (op, arg) in enumerate(flat):
        if op is _sre.BRANCH and (len(flat) == 1 or len(arg[1]) <= MAX_SPLIT):
            out = [
                alt
                for branch in arg[1]
                for alt in _alternatives([*flat[:n], *branch, *flat[n + 1 :]], depth + 1)
            ]
            if len(out) <= MAX_ALTERNATIVES:
                return out
            break
    return [flat]


def _any_text(op: Any, arg: Any) -> bool:
    """Whether an item is a repeat from zero of any character of a line (``.*``,
    ``[^\\n]{0,40}?``)."""
    if op not in _REPEATS or arg[0] != 0 or len(arg[2]) != 1:
        return False
    one = _char(*arg[2][0], 0)
    return one is not None and one[1] and one[0] >= set(range(128)) - {10}


def _anchored(items: list[Any], case: Case) -> str:
    """One alternative as a Hyperscan pattern: its edge anchors kept, and what reports
    the match at the end of its line. A line start followed by any text (``^.*``,
    ``^(?=.*\\d)``) says only that the rest lies in the line, which the rest says
    itself: both go, and Hyperscan no longer follows a match from every line start
    (twenty times the scan's cost for one such pattern)."""
    start = bool(items) and items[0][0] is _sre.AT and items[0][1] in _LINE_START
    if start and len(items) > 1 and _any_text(*items[1]):
        items, start = items[2:], False
    end = bool(items) and items[-1][0] is _sre.AT and items[-1][1] in _LINE_END
    body = _sequence(items, case)
    return ("^" if start else "") + f"(?:{body})" + ("$" if end else "[^\\n]*$")


def _requirements(items: list[Any], case: Case) -> list[str]:
    """Patterns a line must each match for the alternative ``items`` to match it: the
    alternative less its lookarounds, and each positive lookaround at its top level on
    its own (what it looks at lies in the line too; one right after ``^`` at the
    line start). A rule that puts its conditions in lookaheads (``^(?=.*\\d)``) is
    narrowed by them; dropped alone, they would let every line through."""
    out = [_anchored(items, case)]
    at_start = False  # right after a line start (a lookahead elsewhere looks anywhere on)
    for op, arg in items:
        if op is _sre.ASSERT:
            direction, sub = arg
            looked = list(sub)
            if direction == 1 and at_start:
                looked = [(_sre.AT, _sre.AT_BEGINNING), *looked]
            out.append(_anchored(looked, case))
        elif op is _sre.AT and arg in _LINE_START:
            at_start = True
        elif op is not _sre.ASSERT_NOT:
            at_start = False
    return out


#: lines of plain prose: a requirement that matches one of them would be met by most
#: lines of a page, and cost a report on each
_PROSE = (
    b"",
    b"The quick brown fox jumps over the lazy dog, twice.",
    b"Lorem ipsum dolor sit amet, consectetur adipiscing elit",
)


#: a line of prose past ASCII: any such character may be a member of a class (a digit,
#: a letter), and on a page in German or French nearly every line holds one
_PROSE_PAST_ASCII = ("Über die Brücke gehen wir früh, schön.".encode(),)


@lru_cache(maxsize=4096)
def _weak(expression: str, caseless: bool, lines: tuple[bytes, ...] = _PROSE) -> bool:
    """Whether a written pattern matches one of ``lines`` (by default an empty line or a
    line of plain prose): it narrows little, so it is left out of the database."""
    flags = re.MULTILINE | (re.IGNORECASE if caseless else 0)
    try:
        search = re.compile(expression.encode("ascii"), flags).search
    except re.error:  # pragma: no cover - Python reads all this module writes
        return False
    return any(search(line) is not None for line in lines)


def _narrowing(requirements: list[str], caseless: bool) -> list[str]:
    """The requirements worth a report on each line they match: none that plain prose
    meets, and, while another is left, none that prose past ASCII meets (each such
    line costs a report on most lines of a page in German)."""
    needed = [r for r in requirements if not _weak(r, caseless)]
    narrow = [r for r in needed if not _weak(r, caseless, _PROSE_PAST_ASCII)]
    return narrow or needed


#: a Hyperscan pattern and whether it runs with HS_FLAG_CASELESS
Expression = tuple[bytes, bool]
#: patterns that must all match a line (see ``_requirements``)
Alternative = tuple[Expression, ...]


def superset(pattern: str, ignore_case: bool = False) -> list[Alternative] | None:
    """Hyperscan patterns (bytes, multi-line mode) that find, in a page of lines joined
    by ``\\n``, every line on which ``pattern`` finds a match: the line matches all the
    patterns of one alternative (each reported at the end of the line; an alternative
    with none may match any line). None when the pattern holds something this module
    does not read."""
    if _FUZZY.search(pattern):
        return None
    try:
        source = _PROPERTY.sub(_placeholder, pattern)
        with warnings.catch_warnings():
            # a warning means Python reads the pattern otherwise than ``regex``
            warnings.simplefilter("error")
            parsed = _sre_parse.parse(source, 0)
        caseless = ignore_case or bool(parsed.state.flags & _sre.SRE_FLAG_IGNORECASE)
        case = IGNORED | CASELESS if caseless else 0
        out = []
        for items in _alternatives(parsed.data):
            needed = _narrowing(_requirements(items, case), caseless)
            # none left: this alternative may match any line, and the scan says so
            out.append(tuple((r.encode("ascii"), caseless) for r in needed))
        return out
    except Exception:  # noqa: BLE001 - anything this module or the parser cannot read
        return None


# ---- the database of a rule set ----


def matcher_patterns(matcher: Matcher) -> list[Alternative] | None:
    """The alternatives that together find every line ``matcher`` may match, or None
    when some part of it cannot be written so (it keeps the old path)."""
    out: list[Alternative] = []
    if matcher.phrases or matcher.contains:
        if matcher.ignore_case:  # casefold comparisons: ß reads as ss
            return None
        # a phrase is the whole stripped line: it stands somewhere in the line
        for literal in [p for p in matcher.phrases if p] + list(matcher.contains):
            if not literal:
                return None
            found = superset(regex.escape(literal), False)
            if found is None:
                return None
            out.extend(found)
    for source in matcher._sources:
        found = superset(source, matcher.ignore_case)
        if found is None:
            return None
        out.extend(found)
    if not out or not all(out):  # it may match any line: the literal plan does better
        return None
    return out


def _flags(caseless: bool) -> int:
    _hs = hyperscan()
    flags = _hs.HS_FLAG_MULTILINE | _hs.HS_FLAG_ALLOWEMPTY
    return flags | _hs.HS_FLAG_CASELESS if caseless else flags


_told = False


def _tell_compiling() -> None:
    """Say once per process that a slow step runs: a cold first run takes seconds."""
    global _told
    if not _told:
        _told = True
        print(
            "cleaner: compiling the rules for the fast scan (once per rule set; cached)",
            file=sys.stderr,
            flush=True,
        )


def _database(expressions: Sequence[Expression]) -> Any:
    _hs = hyperscan()
    db = _hs.Database(mode=_hs.HS_MODE_BLOCK)
    db.compile(
        expressions=[p for p, _ in expressions],
        ids=list(range(len(expressions))),
        elements=len(expressions),
        flags=[_flags(caseless) for _, caseless in expressions],
    )
    return db


#: a matcher's alternatives, each as the ids of the expressions it needs in the
#: database (see ``Alternative``); none: the matcher keeps the old path
Plan = tuple[tuple[int, ...], ...]


#: pattern source (in characters) from which a group's database is slow to compile:
#: it is cached on disk, and compiling it is announced
LARGE = 20_000


def _compile(matchers: Sequence[Matcher], tell: bool) -> tuple[tuple[Plan, ...], bytes | None]:
    """The plan of each matcher, and the serialized database. An expression several
    alternatives need (``(?=.*\\d)`` in each) is in it once: one report per line."""
    _hs = hyperscan()
    if tell:
        _tell_compiling()
    wanted = [matcher_patterns(m) or [] for m in matchers]
    # the case search's string of every character (4 MB) is not kept past the converter
    _every_character.cache_clear()

    def numbered() -> tuple[tuple[Plan, ...], list[Expression]]:
        ids: dict[Expression, int] = {}
        plans = tuple(
            tuple(tuple(ids.setdefault(e, len(ids)) for e in alt) for alt in alternatives)
            for alternatives in wanted
        )
        return plans, list(ids)

    plans, expressions = numbered()
    try:
        db = _database(expressions) if expressions else None
    except _hs.error:  # find which it refuses (too long, too large), one at a time
        for alternatives in wanted:
            try:
                for alt in alternatives:
                    for expression in alt:
                        _database([expression])
            except _hs.error:
                alternatives.clear()  # the whole matcher takes the old path
        plans, expressions = numbered()
        db = _database(expressions) if expressions else None
    return plans, None if db is None else _hs.dumpb(db)


def _describe(matcher: Matcher) -> bytes:
    """What a matcher's expressions are made from, for the cache key."""
    parts = (matcher.ignore_case, matcher._sources, sorted(matcher.phrases), matcher.contains)
    return repr(parts).encode()


#: databases compiled or loaded in this process, by cache key: engines over the same
#: rules (a test suite builds many) share one, each with its own scratch space. The
#: serialized form (10 MB for the default rules) is not kept once loaded
_LOADED: dict[str, tuple[tuple[Plan, ...], Any]] = {}


class _Part:
    """One database: the expressions of a group of matchers, and how they combine."""

    def __init__(self, matchers: list[Matcher]) -> None:
        _hs = hyperscan()
        parts = [_hs.__version__, platform.machine(), sys.platform]
        described = [_describe(m) for m in matchers]
        key = key_of([p.encode() for p in parts] + described)
        if key not in _LOADED:
            if sum(map(len, described)) >= LARGE:
                plans, blob = cached("scan", key, lambda: _compile(matchers, tell=True))
            else:  # compiled in milliseconds: not worth a cache entry, nor a word
                plans, blob = _compile(matchers, tell=False)
            db = None if blob is None else _hs.loadb(blob, _hs.HS_MODE_BLOCK)
            _LOADED[key] = plans, db
        plans, self.db = _LOADED[key]
        #: (matcher id, its alternatives as the expression ids each needs), for every
        #: matcher whose expressions are in the database
        self.plans = [(id(m), plan) for m, plan in zip(matchers, plans, strict=True) if plan]
        self.scratch = None if self.db is None else _hs.Scratch(self.db)

    def scan(self, data: bytes, ends: list[int], found: dict[int, set[int]]) -> None:
        """Add to ``found`` the lines each matcher of this part may match."""
        hits: list[tuple[int, int]] = []
        append = hits.append

        def on_match(expression: int, _start: int, end: int, _flags: int, _context: Any) -> None:
            append((expression, end))

        if self.db is not None:
            self.db.scan(data, match_event_handler=on_match, scratch=self.scratch)
        lines: dict[int, set[int]] = {}
        for expression, end in hits:
            lines.setdefault(expression, set()).add(bisect_left(ends, end))
        empty: set[int] = set()
        for key, alternatives in self.plans:
            into = found[key] = set()
            for needed in alternatives:
                if len(needed) == 1:
                    into |= lines.get(needed[0], empty)
                else:
                    into |= set.intersection(*(lines.get(e, empty) for e in needed))


class Scanner:
    """The compiled patterns of many matchers, and the scan of a page with them.

    Each group of matchers (the rules of one folder: the default rules, a user's own)
    has a database of its own, so adding a few rules compiles only theirs. A database
    is cached on disk (``cleaner.cache``), keyed by what its patterns are made from,
    the Hyperscan version and the platform: compiling one takes seconds.
    """

    def __init__(self, groups: Iterable[Iterable[Matcher]]) -> None:
        seen: set[int] = set()
        self._parts = []
        for group in groups:
            unique = [m for m in {id(m): m for m in group}.values() if id(m) not in seen]
            seen.update(map(id, unique))
            if unique:
                self._parts.append(_Part(unique))
        #: ids of the matchers the scan covers: it names every line they may match
        self.covered = frozenset(key for part in self._parts for key, _ in part.plans)

    def scan(self, texts: Sequence[str]) -> dict[int, set[int]] | None:
        """Matcher id -> the lines (indexes into ``texts``) it may match, for every
        covered matcher; None when the page cannot be vouched for (see the module's
        doc): then no line is ruled out."""
        doc = "\n".join(texts)
        if _UNSAFE.search(doc) is not None:
            return None
        try:
            data = doc.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate
            return None
        found: dict[int, set[int]] = {}
        # the byte offset where each line ends (its "\\n"): a match is reported there
        ends = [end - 1 for end in accumulate(map((1).__add__, map(len, data.split(b"\n"))))]
        for part in self._parts:
            part.scan(data, ends, found)
        return found
