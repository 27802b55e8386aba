"""Named word lists that patterns share: ``{month}`` in a pattern, ``words: [month]`` in a match.

A rule file may define vocabularies under a top-level ``vocabulary:`` key, and a file
may hold nothing else (the default ones live in ``rules/vocabulary/``). Every vocabulary
a rule set loads, and the default ones, can be used by every rule of it; a name is
defined once (a second, identical definition, as in a copy of a file, is skipped). A
vocabulary is a list of words, or a mapping with an optional ``description`` and a
list per language (``en:``, ``de:`` ...) or ``words:`` for words of no language in
particular::

    vocabulary:
      month:
        description: Month names and the abbreviations datelines use.
        en: [January, February, Jan, Feb, Sept]
        de: [Januar, Februar, März, Mär]
      weekday_en: [Monday, Tuesday]

A word is literal text: nothing in it is a pattern, except that white space matches any
run of white space, a final ``*`` takes any letters after the stem (``powiedział*``), and
an entry that is just ``{other}`` (or ``{other.de}``) takes in another vocabulary's words.

A vocabulary may instead name a piece of a pattern that several rules share, under
``pattern:`` (it may use other vocabularies; it has no languages, and no word list can
take it in)::

    vocabulary:
      sentence:
        description: A sentence, not a label.
        pattern: '[.!?]$'

In a pattern, ``{name}`` stands for any word of the vocabulary and ``{name.de}`` for one
of its German words: a non-capturing group of the escaped words, longest first, that
neither starts nor ends inside a run of letters (a digit may touch it: "9:25pm"). A
reference is a lower-case name of at least two characters (letters, digits, single
underscores) in braces, so it never reads as a repeat (``{2,5}``), a property
(``\\p{Lu}``, ``\\N{...}``) or a fuzzy constraint (``{e}``, ``{e<=1}``). A name in
braces that no vocabulary defines is an error; ``\\{name}`` is the text itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import regex

from cleaner.errors import RuleError
from cleaner.matching import SpecError

NAME = regex.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
LANGUAGE = regex.compile(r"^[a-z]{2,3}$")
#: ``\p{..}``, ``\N{..}`` and ``\x{..}`` (kept whole), any other escaped character, or a reference
_TOKEN = regex.compile(
    r"\\[pPNx]\{[^}]*\}|\\.|\{([a-z][a-z0-9]*(?:_[a-z0-9]+)*)(?:\.([a-z]{2,3}))?\}",
    regex.DOTALL,
)
_INCLUDE = regex.compile(r"^\{([a-z][a-z0-9]*(?:_[a-z0-9]+)*)(?:\.([a-z]{2,3}))?\}$")
#: the key of words of no language in particular
NEUTRAL = "words"
#: the key of a named piece of a pattern
PATTERN = "pattern"


@dataclass(frozen=True)
class Entry:
    """One vocabulary as its file defines it: words per language ("words" for none)."""

    name: str
    languages: Mapping[str, tuple[str, ...]]
    description: str = ""
    path: str = ""
    line: int = 0
    #: a named piece of a pattern (``languages`` holds it under "pattern"), not words
    is_pattern: bool = False


def parse(data: Any, path: str, line: int, key_lines: Mapping[str, int]) -> list[Entry]:
    """The entries of a file's ``vocabulary:`` mapping; a RuleError names file and line."""
    if not isinstance(data, Mapping):
        raise RuleError(path, line, None, "'vocabulary' must map names to lists of words")
    entries = []
    for name, value in data.items():
        at = key_lines.get(name, line)
        if not isinstance(name, str) or not NAME.match(name) or len(name) < 2:
            raise RuleError(
                path,
                at,
                None,
                f"vocabulary name {name!r} must be lower case: letters, digits and single "
                "underscores, at least two characters",
            )
        entries.append(_entry(name, value, path, at))
    return entries


def _entry(name: str, value: Any, path: str, line: int) -> Entry:
    def fail(message: str) -> RuleError:
        return RuleError(path, line, None, f"vocabulary '{name}': {message}")

    description = ""
    if isinstance(value, Mapping) and PATTERN in value:
        extra = set(value) - {PATTERN, "description"}
        text = value[PATTERN]
        description = value.get("description", "")
        if extra:
            raise fail(f"a pattern takes only 'description' beside it, not {sorted(extra)[0]!r}")
        if not isinstance(text, str) or not text.strip():
            raise fail("'pattern' must be a non-empty pattern")
        if text.lstrip().startswith("(?x)"):
            raise fail("'pattern' is set inside other patterns: write it without (?x)")
        if not isinstance(description, str):
            raise fail("'description' must be text")
        return Entry(name, {PATTERN: (text,)}, description.strip(), path, line, True)
    if isinstance(value, list):
        lists: dict[str, Any] = {NEUTRAL: value}
    elif isinstance(value, Mapping):
        lists = dict(value)
        description = lists.pop("description", "")
        if not isinstance(description, str):
            raise fail("'description' must be text")
        for key in lists:
            if key != NEUTRAL and not (isinstance(key, str) and LANGUAGE.match(key)):
                raise fail(
                    f"unknown key {key!r} (expected 'description', '{NEUTRAL}' or a "
                    "language code such as 'en')"
                )
        if not lists:
            raise fail("no words")
    else:
        raise fail("must be a list of words, or a mapping of languages to lists")
    languages = {}
    for key, words in lists.items():
        if (
            not isinstance(words, list)
            or not words
            or not all(isinstance(w, str) and w.strip() and w.strip() != "*" for w in words)
        ):
            raise fail(f"'{key}' must be a non-empty list of words")
        languages[key] = tuple(w.strip() for w in words)
    return Entry(name, languages, description.strip(), path, line)


class Vocabulary:
    """The vocabularies of a rule set, checked whole: every included name exists and no
    vocabulary includes itself."""

    def __init__(self, entries: Iterable[Entry] = ()) -> None:
        self.entries: dict[str, Entry] = {}
        for entry in entries:
            first = self.entries.get(entry.name)
            if first is not None and _same(first, entry):
                continue  # a copy of the same file (a rule set shipped to workers)
            if first is not None:
                raise RuleError(
                    entry.path,
                    entry.line,
                    None,
                    f"vocabulary '{entry.name}' is defined twice "
                    f"(first at {first.path}:{first.line})",
                )
            self.entries[entry.name] = entry
        self._words: dict[tuple[str, str | None], tuple[str, ...]] = {}
        self._patterns: dict[tuple[str, str | None], str] = {}
        self._expanding: list[str] = []
        for name in self.entries:
            self._resolve(name, None, ())
        for entry in self.entries.values():
            if entry.is_pattern:
                try:
                    self.pattern(entry.name)
                except SpecError as exc:
                    raise RuleError(entry.path, entry.line, None, str(exc)) from None

    def __contains__(self, name: str) -> bool:
        return name in self.entries

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries.values())

    def _resolve(self, name: str, language: str | None, chain: tuple[str, ...]) -> tuple[str, ...]:
        """Every word of ``name`` (of one language, or all), includes spelled out."""
        key = (name, language)
        found = self._words.get(key)
        if found is not None:
            return found
        entry = self.entries[name]
        if name in chain:
            loop = " -> ".join((*chain[chain.index(name) :], name))
            raise RuleError(entry.path, entry.line, None, f"vocabulary cycle: {loop}")
        if language is not None and language not in entry.languages:
            raise SpecError(self._no_language(name, language))
        words: list[str] = []
        for lang, items in entry.languages.items():
            if language is not None and lang != language:
                continue
            for item in items:
                include = _INCLUDE.match(item)
                if include is None:
                    words.append(item)
                    continue
                other, other_language = include.groups()
                if other not in self.entries:
                    raise RuleError(
                        entry.path,
                        entry.line,
                        None,
                        f"vocabulary '{name}' includes unknown vocabulary '{other}'",
                    )
                if self.entries[other].is_pattern:
                    raise RuleError(
                        entry.path,
                        entry.line,
                        None,
                        f"vocabulary '{name}' includes '{other}', which is a pattern, not words",
                    )
                try:
                    words.extend(self._resolve(other, other_language, (*chain, name)))
                except SpecError as exc:
                    raise RuleError(entry.path, entry.line, None, str(exc)) from None
        found = self._words[key] = tuple(dict.fromkeys(words))
        return found

    def _no_language(self, name: str, language: str) -> str:
        have = ", ".join(sorted(self.entries[name].languages))
        return f"vocabulary '{name}' has no language '{language}' (it has: {have})"

    def words(self, name: str, language: str | None = None) -> tuple[str, ...]:
        """The words of vocabulary ``name`` (in one language), includes spelled out."""
        if name not in self.entries:
            raise SpecError(self._unknown(name))
        return self._resolve(name, language, ())

    def pattern(self, name: str, language: str | None = None) -> str:
        """The words as a pattern: escaped, longest first, bounded by non-word characters."""
        key = (name, language)
        found = self._patterns.get(key)
        if found is None:
            entry = self.entries.get(name)
            if entry is not None and entry.is_pattern:
                found = self._piece(entry, language)
            else:
                found = alternation(self.words(name, language))
            self._patterns[key] = found
        return found

    def _piece(self, entry: Entry, language: str | None) -> str:
        """A named piece of a pattern, its own references spelled out, as a group."""
        if language is not None:
            raise SpecError(f"vocabulary '{entry.name}' is a pattern: it has no languages")
        if entry.name in self._expanding:
            loop = " -> ".join((*self._expanding[self._expanding.index(entry.name) :], entry.name))
            raise RuleError(entry.path, entry.line, None, f"vocabulary cycle: {loop}")
        self._expanding.append(entry.name)
        try:
            text = self.expand(entry.languages[PATTERN][0])
        finally:
            self._expanding.pop()
        try:
            regex.compile(text)
        except (regex.error, ValueError, KeyError, TypeError) as exc:
            raise SpecError(
                f"vocabulary '{entry.name}': the pattern does not compile: {exc}"
            ) from None
        return f"(?:{text})"

    def expand(self, pattern: str) -> str:
        """``pattern`` with every ``{name}`` and ``{name.xx}`` replaced by its words."""
        if "{" not in pattern:
            return pattern

        def replace(m: regex.Match[str]) -> str:
            name = m.group(1)
            if name is None or len(name) < 2:
                return m.group(0)
            return self.pattern(name, m.group(2))

        return _TOKEN.sub(replace, pattern)

    def names(self, spec: Any) -> str:
        """The pattern of a match's ``words:``: one name or a list of names."""
        names = [spec] if isinstance(spec, str) else spec
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            raise SpecError("'words' must name a vocabulary, or be a list of names")
        parts = []
        for item in names:
            ref = _INCLUDE.match("{" + item + "}")
            if ref is None:
                raise SpecError(f"'words' names vocabularies; {item!r} is not a vocabulary name")
            parts.append(self.pattern(*ref.groups()))
        return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"

    def _unknown(self, name: str) -> str:
        known = ", ".join(sorted(self.entries)) or "none are defined"
        return (
            f"unknown vocabulary '{name}' (known: {known}; write \\{{{name}}} for the text itself)"
        )


def _same(a: Entry, b: Entry) -> bool:
    return (a.languages, a.description, a.is_pattern) == (b.languages, b.description, b.is_pattern)


def _word(word: str) -> str:
    stem = word.endswith("*")
    text = word[:-1].rstrip() if stem else word
    body = r"\s+".join(regex.escape(part) for part in text.split())
    return body + r"\w*" if stem else body


def alternation(words: Iterable[str]) -> str:
    """A group matching any of ``words`` (see the module's doc), longest first."""
    ordered = sorted(dict.fromkeys(words), key=lambda w: -len(w.rstrip("*")))
    if not ordered:
        raise SpecError("an empty vocabulary")
    return f"(?:{_NO_LETTER_BEFORE}(?:{'|'.join(_word(w) for w in ordered)}){_NO_LETTER_AFTER})"


# a word of a vocabulary neither starts nor ends inside a run of letters; a digit may
# touch it ("9:25pm", "19Nov"): ``[^\W\d_]`` is a letter (or a mark)
_NO_LETTER_BEFORE = r"(?<![^\W\d_])"
_NO_LETTER_AFTER = r"(?![^\W\d_])"


_CURRENT: ContextVar[Vocabulary | None] = ContextVar("vocabulary", default=None)
_EMPTY = Vocabulary()


def current() -> Vocabulary:
    """The vocabulary rules being loaded now may use (an empty one outside a load)."""
    return _CURRENT.get() or _EMPTY


@contextmanager
def using(vocabulary: Vocabulary) -> Iterator[None]:
    """Matchers built inside this block read ``{name}`` from ``vocabulary``."""
    token = _CURRENT.set(vocabulary)
    try:
        yield
    finally:
        _CURRENT.reset(token)
