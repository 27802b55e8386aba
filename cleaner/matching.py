"""The match part of a rule: regular expressions and literal phrases.

A match spec is a mapping with any of these keys (a line matches if any part does):

- ``regex``: a pattern or a list of patterns for the ``regex`` module, searched in the line;
- ``phrases``: literal lines; the whole line, stripped of surrounding white space, must equal one;
- ``contains``: literal phrases found anywhere in the line;
- ``words``: the name of a vocabulary, or a list of names: any of their words, found as a
  word in the line (see ``cleaner.vocabulary``);
- ``ignore_case``: true to compare case-insensitively (default false).

A pattern may name a vocabulary, ``{month}``: its words are spelled out when the matcher
is built. A matcher built with ``unless`` finds nothing in a line that the ``unless``
matcher also finds something in: the rule keeps that line.

Patterns run with a per-match timeout so a catastrophic user pattern cannot hang a run.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import regex

if TYPE_CHECKING:
    from cleaner.vocabulary import Vocabulary

if sys.version_info >= (3, 11):
    import re._constants as _sre
    import re._parser as _sre_parse
else:  # pragma: no cover - Python 3.10
    import sre_constants as _sre
    import sre_parse as _sre_parse

DEFAULT_TIMEOUT = 0.25
_KEYS = {"regex", "phrases", "contains", "words", "ignore_case"}
_FINDERS = ("regex", "phrases", "contains", "words")


class SpecError(ValueError):
    """A match spec that cannot be used; the loader adds file, line and rule id."""


class MatchTimeout(Exception):
    """A pattern ran past its timeout on one line."""


def _strings(value: Any, key: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return list(value)
    raise SpecError(f"'{key}' must be a string or a non-empty list of strings")


def prefilter_fold(text: str) -> str:
    """Fold text so that any two characters ``regex`` matches case-insensitively fold alike.

    ``str.casefold`` agrees with the ``regex`` module's simple case folding except for the
    Turkish dotted and dotless i, which ``regex`` also matches to i and I.
    """
    if "\u0130" in text or "\u0131" in text:
        text = text.replace("\u0130", "i").replace("\u0131", "i")
    return text.casefold()


@dataclass(frozen=True)
class CharClass:
    """A required character drawn from a class no literal list spells out (``\\d``).

    It stands in a set of required literals like a one-character literal; a page is
    searched for it with the ``regex`` pattern itself, so its meaning is the engine's.
    """

    pattern: str

    def __len__(self) -> int:
        return 1


#: items that match no characters: anchors (``^``, ``\b``) and lookarounds
_ZERO_WIDTH = (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT)

#: (fold, literals) entries; see ``Matcher.plan``
Plan = list[tuple[str, frozenset["str | CharClass"]]]

DIGIT = CharClass(r"\d")
#: a character set of at most this many members counts as a set of literals
MAX_SET = 32


def _char_set(items: Any) -> frozenset[str | CharClass] | None:
    """The members of a positive character set (``[>»/]``, ``[0-9]``, ``\\d``), if few."""
    out: set[str | CharClass] = set()
    for op, arg in items:
        if op is _sre.LITERAL:
            out.add(chr(arg))
        elif op is _sre.RANGE and arg[1] - arg[0] < MAX_SET:
            out.update(chr(c) for c in range(arg[0], arg[1] + 1))
        elif op is _sre.CATEGORY and arg is _sre.CATEGORY_DIGIT:
            out.add(DIGIT)
        else:  # NEGATE, other categories, wide ranges
            return None
    return frozenset(out) if 0 < len(out) <= MAX_SET else None


# Scores a set of literals by how rarely it should occur: longest shortest member wins.
def _score(literals: frozenset[str | CharClass]) -> tuple[int, int]:
    return min(len(x) for x in literals), -len(literals)


def _required(items: Any) -> frozenset[str | CharClass] | None:
    """Literals of which every match of the parsed sequence ``items`` contains one."""
    options: list[frozenset[str | CharClass]] = []
    # the strings the items since the last break spell (see ``_exact``): one of them
    # is in every match, and they are longer than what each item requires alone
    run = frozenset([""])

    def close_run() -> None:
        nonlocal run
        if run != {""}:
            options.append(run)  # type: ignore[arg-type]
        run = frozenset([""])

    for op, arg in items:
        if op in _ZERO_WIDTH:
            # ``\b``, ``^``, a lookaround: it consumes nothing, so the strings on either
            # side of it still stand together in the line
            if op is _sre.ASSERT and arg[0] == 1:
                # a lookahead: what it needs stands on the line too, which is all a
                # prefilter asks
                ahead = _required(arg[1])
                if ahead:
                    options.append(ahead)
            continue
        part = _exact(op, arg)
        if part is not None and len(run) * len(part) > MAX_SET:
            close_run()
        if part is not None:
            run = frozenset(a + b for a in run for b in part)
        else:
            close_run()
        if op is _sre.LITERAL:
            continue
        found: frozenset[str | CharClass] | None = None
        if op is _sre.IN:
            found = _char_set(arg)
        elif op is _sre.SUBPATTERN:
            _group, add_flags, _del_flags, sub = arg
            if not add_flags & _sre.SRE_FLAG_IGNORECASE:
                found = _required(sub)
        elif op is _sre.BRANCH:
            branches = [_required(b) for b in arg[1]]
            if all(b is not None for b in branches):
                found = frozenset().union(*branches)  # type: ignore[arg-type]
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) or op is getattr(
            _sre, "POSSESSIVE_REPEAT", None
        ):
            low, _high, sub = arg
            if low >= 1:
                found = _required(sub)
        elif op is getattr(_sre, "ATOMIC_GROUP", None):
            found = _required(arg)
        if found:
            options.append(found)
    close_run()
    return max(options, key=_score) if options else None


def _exact(op: Any, arg: Any) -> frozenset[str] | None:
    """The strings one parsed item always matches exactly one of, when they are few and
    none is empty: a character, a small set of characters, or a group of such items."""
    if op is _sre.LITERAL:
        return frozenset([chr(arg)])
    found: frozenset[str | CharClass] | frozenset[str] | None = None
    if op is _sre.IN:
        found = _char_set(arg)
    elif op is _sre.SUBPATTERN and not arg[1] & _sre.SRE_FLAG_IGNORECASE:
        found = _exact_run(arg[3])
    elif op is _sre.BRANCH:
        branches = [_exact_run(b) for b in arg[1]]
        if all(b is not None for b in branches):
            found = frozenset().union(*branches)  # type: ignore[arg-type]
    if not found or len(found) > MAX_SET or "" in found:
        return None
    if not all(isinstance(x, str) for x in found):
        return None
    return found  # type: ignore[return-value]


def _exact_run(items: Any) -> frozenset[str] | None:
    """``_exact`` of a whole sequence: every way through it spelled out."""
    out = frozenset([""])
    for op, arg in items:
        if op in _ZERO_WIDTH:
            continue
        part = _exact(op, arg)
        if part is None or len(out) * len(part) > MAX_SET:
            return None
        out = frozenset(a + b for a in out for b in part)
    return out


def _heads(items: Any) -> frozenset[str | CharClass] | None:
    """Non-empty strings (or character classes) one of which every match of the parsed
    sequence starts with."""
    items = [item for item in items if item[0] not in _ZERO_WIDTH]  # they consume nothing
    prefixes = frozenset([""])
    k = 0
    while k < len(items):  # spell out the items that match few exact strings
        part = _exact(*items[k])
        if part is None or len(prefixes) * len(part) > MAX_SET:
            break
        prefixes = frozenset(a + b for a in prefixes for b in part)
        k += 1
    if k:
        tails = _heads(items[k:]) if k < len(items) else None
        if (
            tails
            and len(prefixes) * len(tails) <= MAX_SET
            and all(isinstance(t, str) for t in tails)
        ):
            return frozenset(a + t for a in prefixes for t in tails)  # type: ignore[operator]
        return prefixes  # type: ignore[return-value]
    if not items:
        return None
    op, arg = items[0]
    if op is _sre.BRANCH:
        branches = [_heads(b) for b in arg[1]]
        if all(b is not None for b in branches):
            return frozenset().union(*branches)  # type: ignore[arg-type]
    elif op is _sre.SUBPATTERN and not arg[1] & _sre.SRE_FLAG_IGNORECASE:
        return _heads(arg[3])
    elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and arg[0] >= 1:
        return _heads(arg[2])
    elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):  # optional: its heads or what follows
        inner, after = _heads(arg[2]), _heads(items[1:])
        if inner and after:
            return inner | after
    elif op is _sre.IN:
        return _char_set(arg)
    return None


def _is_space_run(op: Any, arg: Any) -> bool:
    """``\\s*`` or ``\\s+``."""
    repeats = (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None))
    if op not in repeats:
        return False
    sub = list(arg[2])
    return sub == [(_sre.IN, [(_sre.CATEGORY, _sre.CATEGORY_SPACE)])]


def _anchored_heads(items: list[Any]) -> frozenset[str | CharClass] | None:
    """Heads of a sequence that starts with ``^`` and optional white space."""
    if not items or items[0] not in (
        (_sre.AT, _sre.AT_BEGINNING),
        (_sre.AT, _sre.AT_BEGINNING_STRING),
    ):
        return None
    k = 1
    while k < len(items) and (items[k][0] in _ZERO_WIDTH or _is_space_run(*items[k])):
        k += 1
    heads = _heads(items[k:])
    if not heads or any(isinstance(h, str) and (not h or h[0].isspace()) for h in heads):
        return None
    return heads


def line_heads(pattern: str) -> tuple[frozenset[str | CharClass], bool] | None:
    """For a pattern anchored at the line start (``^\\s*``), strings one of which the
    line, less its leading white space, starts with; and whether the pattern turns on
    case-insensitive matching itself. None for any other pattern.

    Every character ``\\s`` matches is one ``str.lstrip`` strips, so a line the pattern
    matches always shows one of these strings once stripped on the left.
    """
    parsed = _parse(pattern)
    if parsed is None:
        return None
    items = list(parsed.data)
    if len(items) == 1 and items[0][0] is _sre.BRANCH:  # ^a|^b: every branch anchored
        branches = [_anchored_heads(list(b)) for b in items[0][1][1]]
        if not all(branches):
            return None
        heads = frozenset().union(*branches)  # type: ignore[arg-type]
    else:
        heads = _anchored_heads(items)
    if heads is None:
        return None
    return heads, bool(parsed.state.flags & _sre.SRE_FLAG_IGNORECASE)


#: ``\\p{..}`` or ``\\P{..}`` (``regex``'s Unicode properties), not escaped
_PROPERTY = regex.compile(r"(?<!\\)((?:\\\\)*)(\\[pP](?:\{[^}]*\}|\w))")


@lru_cache(maxsize=512)
def _parse(pattern: str) -> Any:
    """The stdlib parse of ``pattern`` (``\\p{..}`` read as ``\\w``), or None.

    Kept per pattern: the line heads, the required literals and the line limits all read
    the same parse (read only), and a rule set's patterns run to over 100,000 characters
    once vocabularies are spelled out."""
    analysed = _PROPERTY.sub(r"\1\\w", pattern)
    try:
        with warnings.catch_warnings():
            # a warning means the stdlib reads the pattern differently from ``regex``
            # (POSIX classes such as [[:upper:]], nested sets): no prefilter then
            warnings.simplefilter("error")
            return _sre_parse.parse(analysed, 0)
    except Exception:  # noqa: BLE001 - anything the stdlib parser cannot read
        return None


def stdlib_reads(pattern: str) -> bool:
    """Whether the stdlib parser reads ``pattern`` (each ``\\p{..}`` read as ``\\w``,
    each a property ``regex`` knows): then ``regex``, which reads a superset, compiles
    it too."""
    return _parse(pattern) is not None and all(
        _known_property(m.group(2)) for m in _PROPERTY.finditer(pattern)
    )


@lru_cache(maxsize=256)
def _known_property(escape: str) -> bool:
    try:
        regex.compile(escape)
    except regex.error:
        return False
    return True


def _compile(pattern: str, flags: int) -> regex.Pattern[str]:
    try:
        return regex.compile(pattern, flags)
    except (regex.error, ValueError, KeyError, TypeError) as exc:
        raise SpecError(f"regex {pattern!r} does not compile: {exc}") from None


def required_literals(pattern: str) -> tuple[frozenset[str | CharClass], bool] | None:
    """Literal strings one of which every match of ``pattern`` contains, and whether the
    pattern turns on case-insensitive matching itself; None when no such set is known.

    This only narrows which lines a pattern is tried on: a pattern whose syntax Python's
    own parser does not read (``regex``-only features) is simply tried on every line.
    ``\\p{..}`` classes are read as ``\\w``: any class works, as it breaks literal runs alike.
    """
    parsed = _parse(pattern)
    if parsed is None:
        return None
    literals = _required(parsed.data)
    if not literals:
        return None
    return literals, bool(parsed.state.flags & _sre.SRE_FLAG_IGNORECASE)


_REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None))
_STARTS = ((_sre.AT, _sre.AT_BEGINNING), (_sre.AT, _sre.AT_BEGINNING_STRING))
_ENDS = ((_sre.AT, _sre.AT_END), (_sre.AT, _sre.AT_END_STRING))
# regex's fuzzy matching ("(?:abc){e<=1}"), which the stdlib reads as literal text
_FUZZY = regex.compile(r"\{[^}]*[eisd]\s*[<=]")
_UNBOUNDED = -1
#: Latin-1 bytes that are not letters: deleting them leaves a line's Latin-1 letters
_NOT_LETTERS = bytes(b for b in range(256) if not chr(b).isalpha())


def _no_letter(code: int) -> bool:
    """A character that is no letter and has no case: it matches only itself."""
    char = chr(code)
    return not char.isalpha() and char.lower() == char == char.upper()


def _set_counts(items: Any, letters: bool) -> bool:
    """Whether a character set can match a character that counts (see ``_width``)."""
    for op, arg in items:
        if op is _sre.CATEGORY and arg is _sre.CATEGORY_SPACE:
            continue
        if not letters:
            return True
        if op is _sre.CATEGORY and arg is _sre.CATEGORY_DIGIT:
            continue
        if op is _sre.LITERAL and _no_letter(arg):
            continue
        if op is _sre.RANGE and all(_no_letter(c) for c in range(arg[0], arg[1] + 1)):
            continue
        return True
    return False


def _width(items: Any, letters: bool) -> int:
    """The most characters that count a match of ``items`` can hold (``_UNBOUNDED`` when
    there is no limit): characters other than white space, or with ``letters`` only
    letters. ``\\s`` matches only white space (what ``str.split`` splits on) and ``\\d``
    only digits, so their repeats count nothing; lookarounds consume nothing."""
    total = 0
    for op, arg in items:
        if op is _sre.LITERAL:
            total += 0 if letters and _no_letter(arg) else 1
        elif op is _sre.NOT_LITERAL or op is _sre.ANY:
            total += 1
        elif op is _sre.IN:
            total += _set_counts(arg, letters)
        elif op is _sre.AT or op is _sre.ASSERT or op is _sre.ASSERT_NOT:
            continue
        elif op is _sre.BRANCH:
            widths = [_width(b, letters) for b in arg[1]]
            if _UNBOUNDED in widths:
                return _UNBOUNDED
            total += max(widths)
        elif op is _sre.SUBPATTERN:
            width = _width(arg[3], letters)
            if width == _UNBOUNDED:
                return _UNBOUNDED
            total += width
        elif op in _REPEATS:
            _low, high, sub = arg
            width = _width(sub, letters)
            if width == _UNBOUNDED or (width and high == _sre.MAXREPEAT):
                return _UNBOUNDED
            total += high * width
        else:  # group references, atomic groups, anything else: no limit known
            return _UNBOUNDED
    return total


def _at(items: Any, edge: int, anchors: tuple[tuple[Any, Any], ...]) -> bool:
    """Whether every way through the parsed sequence has one of ``anchors`` at its
    first (``edge`` 0) or last (``edge`` -1) item."""
    items = list(items)
    if not items:
        return False
    op, arg = items[edge]
    if op is _sre.BRANCH:
        return all(_at(b, edge, anchors) for b in arg[1])
    if op is _sre.SUBPATTERN:
        return _at(arg[3], edge, anchors)
    return (op, arg) in anchors


def _whole_line(items: list[Any]) -> bool:
    """Whether every match of the parsed sequence starts at ``^`` and ends at ``$``."""
    return _at(items, 0, _STARTS) and _at(items, -1, _ENDS)


@dataclass(frozen=True)
class Limits:
    """The most characters other than white space (``dense``), and the most Latin-1
    letters, a line a matcher finds anything in can hold; None where there is no limit."""

    dense: int | None
    letters: int | None

    def exceeded(self, text: str) -> bool:
        """Whether ``text`` holds more than the limits allow: the matcher finds nothing."""
        if self.dense is not None and dense_length(text) > self.dense:
            return True
        return self.letters is not None and latin_letters(text) > self.letters


def line_limits(pattern: str) -> Limits | None:
    """For a pattern that must match the whole line (``^...$``, every branch), how many
    characters a line it matches can hold at most (see ``Limits``); None for any
    other pattern, or when neither count has a limit (``.*``).

    Searched in one line (no ``\\n``), such a match spans the line from its start to its
    end, and a pattern character matches one text character, so a line with more
    characters that count cannot match: the pattern need not run on it.
    """
    if _FUZZY.search(pattern):
        return None
    parsed = _parse(pattern)
    if parsed is None:
        return None
    items = list(parsed.data)
    if not _whole_line(items):
        return None
    dense, letters = _width(items, False), _width(items, True)
    if dense == _UNBOUNDED and letters == _UNBOUNDED:
        return None
    return Limits(
        None if dense == _UNBOUNDED else dense, None if letters == _UNBOUNDED else letters
    )


def dense_length(text: str) -> int:
    """Characters of ``text`` that are not white space."""
    return len("".join(text.split()))


def latin_letters(text: str) -> int:
    """Letters of ``text`` in the Latin-1 range (A-Z, a-z, À-ÿ and the like): a cheap
    count no larger than the count of all its letters."""
    return len(text.encode("latin-1", "ignore").translate(None, _NOT_LETTERS))


# case-insensitive with full case folding, so "strasse" is found in "Straße"
_FULL_CASE = regex.V1 | regex.IGNORECASE | regex.FULLCASE


@dataclass(frozen=True)
class Span:
    start: int
    end: int


class Matcher:
    """Compiled form of one match spec."""

    def __init__(
        self,
        spec: Any,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        vocabulary: Vocabulary | None = None,
        unless: Matcher | None = None,
    ) -> None:
        if isinstance(spec, str):
            spec = {"regex": spec}
        if not isinstance(spec, Mapping):
            raise SpecError(
                "a match must be a mapping with 'regex', 'phrases', 'contains' or 'words'"
            )
        unknown = set(spec) - _KEYS
        if unknown:
            raise SpecError(
                f"unknown match key '{sorted(unknown)[0]}' (expected regex, phrases, "
                "contains, words, ignore_case)"
            )
        if not any(key in spec for key in _FINDERS):
            raise SpecError("a match needs 'regex', 'phrases', 'contains' or 'words'")
        ignore_case = spec.get("ignore_case", False)
        if not isinstance(ignore_case, bool):
            raise SpecError("'ignore_case' must be true or false")
        self.ignore_case = ignore_case
        self.timeout = timeout
        #: a line this finds something in is kept (see the module's doc)
        self.unless = unless
        self._plan: Plan | None | bool = False
        self._limits: Limits | None | bool = False
        self._flags = regex.V0 | (regex.IGNORECASE if ignore_case else 0)
        self._sources = _strings(spec["regex"], "regex") if "regex" in spec else []
        if "words" in spec or any("{" in s for s in self._sources):
            if vocabulary is None:
                from cleaner.vocabulary import current

                vocabulary = current()
            self._sources = [vocabulary.expand(s) for s in self._sources]
            if "words" in spec:
                self._sources.append(vocabulary.names(spec["words"]))
        self._patterns: list[regex.Pattern[str]] | None = None
        for pattern in self._sources:
            if not stdlib_reads(pattern):
                _compile(pattern, self._flags)  # a bad pattern is a load error
        fold = str.casefold if ignore_case else str
        self._fold = fold
        self.phrases = (
            frozenset(fold(p.strip()) for p in _strings(spec["phrases"], "phrases"))
            if "phrases" in spec
            else frozenset()
        )
        self.contains = (
            tuple(fold(p) for p in _strings(spec["contains"], "contains"))
            if "contains" in spec
            else ()
        )

    @property
    def patterns(self) -> list[regex.Pattern[str]]:
        """The compiled patterns, compiled on first use: most never run on a short input.
        A pattern the stdlib parser cannot read as written was compiled at load, so a
        bad pattern is a load error (``regex`` reads a superset of what the stdlib does)."""
        if self._patterns is None:
            self._patterns = [_compile(pattern, self._flags) for pattern in self._sources]
        return self._patterns

    def finds_empty(self) -> bool:
        """Whether this finds something in the empty line (and so, inside, in any line).
        A pattern every match of which holds a character (its stdlib parse says so)
        cannot; any other is compiled and tried."""
        if "" in self.phrases or "" in self.contains:
            return True
        return any(
            not (stdlib_reads(source) and _parse(source).getwidth()[0] > 0)
            and _compile(source, self._flags).search("") is not None
            for source in self._sources
        )

    def __getstate__(self) -> dict[str, Any]:
        """Pickle the plan but not the compiled patterns: compiling is what a cached
        load skips, and most patterns never run on a short input."""
        self.plan  # noqa: B018
        self.limits  # noqa: B018
        return {**self.__dict__, "_patterns": None}

    @property
    def plan(self) -> Plan | None:
        """What a line must contain for this matcher to find anything in it.

        A list of (fold, literals): a line can match only if, folded the named way
        ("raw", "casefold" or "prefilter", see ``prefilter_fold``), it holds one of
        the literals of some entry (a ``CharClass`` stands for any of its characters).
        A fold name ending in "^" means more: the line, folded and stripped on the
        left, starts with the literal. None when some part may match without any.
        """
        if self._plan is False:
            self._plan = self._build_plan()
        return self._plan  # type: ignore[return-value]

    @property
    def limits(self) -> Limits | None:
        """How many characters a line this matcher finds anything in can hold at most;
        None when it may find something in any line."""
        if self._limits is False:
            self._limits = self._build_limits()
        return self._limits  # type: ignore[return-value]

    def _build_limits(self) -> Limits | None:
        if self.contains:
            return None
        # a phrase equals the whole stripped line, folded: folding never turns a
        # character into white space or into nothing, so the line is no denser
        dense = [dense_length(p) for p in self.phrases]
        letters = [len(p) for p in self.phrases]
        for pattern in self._sources:
            limits = line_limits(pattern)
            if limits is None:
                return None
            dense.append(limits.dense)
            letters.append(limits.letters)
        if not dense or (None in dense and None in letters):
            return None
        return Limits(
            None if None in dense else max(dense),  # type: ignore[type-var]
            None if None in letters else max(letters),  # type: ignore[type-var]
        )

    def _build_plan(self) -> Plan | None:
        fold = "casefold" if self.ignore_case else "raw"
        plan: Plan = []
        phrases = frozenset(p for p in self.phrases if p)  # "" matches only blank lines
        if phrases:  # a whole stripped line: it starts with the phrase
            plan.append((fold + "^", phrases))
        if self.contains:
            if "" in self.contains:
                return None
            plan.append((fold, frozenset(self.contains)))
        for pattern in self._sources:
            heads = line_heads(pattern)
            if heads is not None:
                starts, inline_ignore_case = heads
                if self.ignore_case or inline_ignore_case:
                    folded = frozenset(
                        x if isinstance(x, CharClass) else prefilter_fold(x) for x in starts
                    )
                    plan.append(("prefilter^", folded))
                else:
                    plan.append(("raw^", starts))
                continue
            found = required_literals(pattern)
            if found is None:
                return None
            literals, inline_ignore_case = found
            if self.ignore_case or inline_ignore_case:
                plan.append(
                    (
                        "prefilter",
                        frozenset(
                            x if isinstance(x, CharClass) else prefilter_fold(x) for x in literals
                        ),
                    )
                )
            else:
                plan.append(("raw", literals))
        return plan

    def search(self, text: str) -> Span | None:
        """Return the first matching span in ``text``, or None (also when ``unless``
        finds something in it).

        Raises MatchTimeout when a pattern runs past the timeout.
        """
        found = self._search(text)
        if found is not None and self.unless is not None and self.unless.search(text) is not None:
            return None
        return found

    def _search(self, text: str) -> Span | None:
        if self.phrases:
            stripped = text.strip()
            if self._fold(stripped) in self.phrases:
                start = text.index(stripped) if stripped else 0
                return Span(start, start + len(stripped))
        if self.contains:
            folded = self._fold(text)
            for phrase in self.contains:
                # casefold can change lengths (ß -> ss); fall back to the whole line then
                at = folded.find(phrase)
                if at >= 0:
                    if len(folded) == len(text):
                        return Span(at, at + len(phrase))
                    return Span(0, len(text))
        for pattern in self._patterns if self._patterns is not None else self.patterns:
            try:
                found = pattern.search(text, timeout=self.timeout)
            except TimeoutError:
                raise MatchTimeout(pattern.pattern) from None
            if found:
                return Span(*found.span())
        return None

    def finditer(self, text: str) -> list[Span]:
        """All matches of the phrases (the whole stripped line), the contained phrases
        and the regex patterns; none when ``unless`` finds something in the line."""
        spans = self._finditer(text)
        if spans and self.unless is not None and self.unless.search(text) is not None:
            return []
        return spans

    def _finditer(self, text: str) -> list[Span]:
        spans: list[Span] = []
        folded = self._fold(text)
        if self.phrases:
            stripped = text.strip()
            if stripped and self._fold(stripped) in self.phrases:
                start = text.index(stripped)
                spans.append(Span(start, start + len(stripped)))
        if len(folded) == len(text):
            for phrase in self.contains:
                at = folded.find(phrase)
                while at >= 0 and phrase:
                    spans.append(Span(at, at + len(phrase)))
                    at = folded.find(phrase, at + len(phrase))
        else:  # casefold changed a length (ß -> ss): find the phrase in the line itself
            for phrase in self.contains:
                if phrase:
                    spans.extend(
                        Span(*m.span())
                        for m in regex.finditer(regex.escape(phrase), text, _FULL_CASE)
                    )
        for pattern in self.patterns:
            try:
                spans.extend(
                    Span(m.start(), m.end())
                    for m in pattern.finditer(text, timeout=self.timeout)
                    if m.end() > m.start()
                )
            except TimeoutError:
                raise MatchTimeout(pattern.pattern) from None
        return spans
