"""The page a rule reads, and what one cleaning run remembers between its pages.

A run builds a new page each time a stage starts (the lines still in the document).
Most of what is costly about a page depends only on the text of each line, so a
``Memo`` shared by the pages of one run keeps it: where each literal a matcher needs
was found, each line's prose weight, and each matcher's verdict on a line's text.
A later page only re-reads the lines a rule has cut since (their text changed).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import accumulate
from sys import maxsize
from typing import TYPE_CHECKING, Any, TypeVar

import regex

from cleaner.matching import (
    CharClass,
    Limits,
    Matcher,
    MatchTimeout,
    Span,
    dense_length,
    latin_letters,
    prefilter_fold,
)
from cleaner.textstats import prose_weight

if TYPE_CHECKING:
    from cleaner.scan import Scanner

_FOLDS: dict[str, Callable[[str], str]] = {
    "raw": str,
    "casefold": str.casefold,
    "prefilter": prefilter_fold,
}


T = TypeVar("T")
_MISSING = object()
_WORD = re.compile(r"\w+")  # a word, as the line model and the content measures count them


@lru_cache(maxsize=64)
def _class_pattern(cls: CharClass) -> regex.Pattern[str]:
    return regex.compile(cls.pattern)


#: how many characters of a line-start literal the trie holds
START_DEPTH = 64
#: a trie node: the ids of the matchers whose literal ends here, and the next characters
Node = tuple[tuple[int, ...], dict[str, Any]]


def _trie(ends: dict[str, list[int]]) -> Node:
    """The trie of ``ends`` (literal -> ids of the matchers it ends)."""
    below: dict[str, dict[str, list[int]]] = {}
    for literal, ids in ends.items():
        if literal:
            below.setdefault(literal[0], {})[literal[1:]] = ids
    return tuple(ends.get("", ())), {ch: _trie(rest) for ch, rest in below.items()}


class LiteralTable:
    """The literals of many matchers, so one pass over a page finds the candidate lines
    of all of them (instead of one lookup per literal): line-start literals in one trie
    per fold, and literals found anywhere in one Aho-Corasick automaton per fold."""

    def __init__(self, matchers: Iterable[Matcher]) -> None:
        #: fold -> line-start literal -> ids of the matchers that need it
        self.starts: dict[str, dict[str, list[int]]] = {}
        #: fold -> character class -> ids of the matchers whose lines may start with it
        self.classes: dict[str, dict[CharClass, list[int]]] = {}
        #: fold -> literal found anywhere in a line -> ids of the matchers that need it
        self.anywhere: dict[str, dict[str, list[int]]] = {}
        #: id(matcher) -> (fold, class) of each class it needs found anywhere in a line:
        #: a page is searched for these one matcher at a time
        self.scattered: dict[int, list[tuple[str, CharClass]]] = {}
        #: id -> matcher, for every matcher with a plan
        self.matchers: dict[int, Matcher] = {}
        self._automata: dict[str, Any] = {}
        self._tries: dict[str, Node] = {}
        for matcher in matchers:
            plan = matcher.plan
            key = id(matcher)
            if plan is None or key in self.matchers:
                continue
            self.matchers[key] = matcher
            for fold, literals in plan:
                base = fold.removesuffix("^")
                for literal in literals:
                    if isinstance(literal, CharClass) and fold != base:
                        self.classes.setdefault(base, {}).setdefault(literal, []).append(key)
                    elif isinstance(literal, CharClass):
                        self.scattered.setdefault(key, []).append((fold, literal))
                    elif fold != base:  # a line-start literal: its first characters
                        # suffice to find candidates, and keep the trie shallow (a long
                        # phrase would nest one level per character)
                        head = literal[:START_DEPTH]
                        self.starts.setdefault(base, {}).setdefault(head, []).append(key)
                    else:
                        self.anywhere.setdefault(base, {}).setdefault(literal, []).append(key)

    def holders(self, text: str) -> set[int]:
        """Ids of the matchers whose plan ``text`` meets through a literal of this table
        (a line-start literal or class, or a literal found anywhere; not a class found
        anywhere, see ``scattered``)."""
        found: set[int] = set()
        for fold in self.starts:
            for ids in self.walk(fold, _FOLDS[fold](text).lstrip()):
                found.update(ids)
        for fold, classes in self.classes.items():
            first = _FOLDS[fold](text).lstrip()[:1]
            if first:
                for cls, ids in classes.items():
                    if _class_pattern(cls).match(first):
                        found.update(ids)
        for fold in self.anywhere:
            for _end, (_length, ids) in self.automaton(fold).iter(_FOLDS[fold](text)):
                found.update(ids)
        return found

    def walk(self, fold: str, head: str) -> list[tuple[int, ...]]:
        """Ids of the matchers, in groups, one of whose line-start literals of ``fold``
        a line with this ``head`` (folded, stripped on the left) starts with."""
        found = []
        below = self.trie(fold)[1]
        for ch in head:  # down the trie as far as the head spells a literal
            node = below.get(ch)
            if node is None:
                break
            ids, below = node
            if ids:
                found.append(ids)
        return found

    def trie(self, fold: str) -> Node:
        """The line-start literals of ``fold`` as a trie, built on first use: a node is
        the ids of the matchers whose literal ends there, and the nodes below it."""
        found = self._tries.get(fold)
        if found is None:
            found = self._tries[fold] = _trie(self.starts.get(fold, {}))
        return found

    def automaton(self, fold: str) -> Any:
        """The automaton of the ``fold`` literals found anywhere, built on first use:
        each literal's value is its length and the ids of the matchers that need it."""
        found = self._automata.get(fold)
        if found is None:
            import ahocorasick

            found = self._automata[fold] = ahocorasick.Automaton()
            for literal, ids in self.anywhere.get(fold, {}).items():
                found.add_word(literal, (len(literal), tuple(ids)))
            found.make_automaton()
        return found


class Memo:
    """Per-run knowledge keyed by original line number (``origin``) or by line text."""

    def __init__(
        self,
        table: LiteralTable | None = None,
        scanner: Scanner | None = None,
        scanned: dict[int, set[int]] | None = None,
    ) -> None:
        self.table = table
        #: the scan of the run's page (``Scanner.scan``: matcher id -> original lines
        #: it may match), and the scanner, to read a cut line again
        self.scanner = scanner
        self.scanned = scanned if scanned is not None else {}
        #: line text -> ids of the matchers the scanner finds that text may match
        self.scanned_text: dict[str, frozenset[int] | None] = {}
        #: original lines whose text changed since the scans below
        self.dirty: set[int] = set()
        #: id(matcher) -> original lines, in order, that may match it as they read when
        #: scanned: not blank, and not too long for it (see ``Matcher.limits``)
        self.candidates: dict[int, list[int]] = {}
        #: line text -> ids of the matchers of the table whose literals it holds
        self.holders: dict[str, set[int]] = {}
        self.prose: dict[str, int] = {}
        #: line text -> its words joined by single spaces
        self.norms: dict[str, str] = {}
        #: line text -> its lower-cased ``\w+`` words (``words``)
        self._words: dict[str, list[str]] = {}
        #: line text -> characters other than white space, and Latin-1 letters (``Limits``)
        self.counts: dict[str, tuple[int, int]] = {}
        self._per_text: dict[tuple[str, str], object] = {}
        #: id(matcher) -> text -> the matcher's first span in that text, or None
        self.found: dict[int, dict[str, Span | None]] = {}
        self._stores: dict[str, dict[Any, Any]] = {}
        #: per original line, what the page's markup said of it (``cleaner.markdown``)
        self.layout: Sequence[Sequence[float]] | None = None

    def store(self, name: str) -> dict[Any, Any]:
        """A dict kept for the run under ``name``: a rule kind's own per-text cache."""
        found = self._stores.get(name)
        if found is None:
            found = self._stores[name] = {}
        return found

    def per_text(self, kind: str, text: str, compute: Callable[[str], T]) -> T:
        """``compute(text)``, once per run for each ``kind`` and line text: for any
        per-line measure that depends on the text alone (tokens, sentence ends)."""
        key = (kind, text)
        found = self._per_text.get(key, _MISSING)
        if found is _MISSING:
            found = self._per_text[key] = compute(text)
        return found  # type: ignore[return-value]

    def words(self, text: str) -> list[str]:
        """The lower-cased ``\\w+`` words of ``text``, found once a run: the line model,
        the content measures and the ``copy`` kind all read them."""
        found = self._words.get(text)
        if found is None:
            found = self._words[text] = _WORD.findall(text.lower())
        return found

    def changed(self, origin: int) -> None:
        """Line ``origin`` was cut: its text no longer is what the scans read."""
        self.dirty.add(origin)


# characters that show nothing and are not white space to ``str.strip``: a line of only
# these (a zero-width space a web editor left as a spacer) is a blank line
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_NO_INVISIBLE = str.maketrans("", "", _INVISIBLE)


def is_blank(text: str) -> bool:
    """Whether ``text`` shows nothing: white space, or only invisible characters."""
    stripped = text.strip()
    if not stripped:
        return True
    return stripped[0] in _INVISIBLE and not stripped.translate(_NO_INVISIBLE).strip()


class Page:
    """The lines a rule reads: the current text of every line still in the document.

    ``origin[j]`` is the input line number of page line ``j``. Whatever is costly is
    computed once per page (or once per run, through the memo), on first use, and
    shared by all rules: prose weights, and which lines may match a matcher (found by
    scanning the whole page for the literals the matcher needs, so most patterns never
    run on most lines).
    """

    def __init__(
        self,
        texts: Sequence[str],
        origin: Sequence[int] | None = None,
        memo: Memo | None = None,
        edges: frozenset[int] = frozenset(),
    ) -> None:
        self.texts = texts
        self.origin = origin if origin is not None else range(len(texts))
        #: input line numbers of removed lines that mark an edge of the article
        self.edges = edges
        self.memo = memo if memo is not None else Memo()
        self.blank = [is_blank(t) for t in texts]
        self._prose: list[int] | None = None
        self._docs: dict[str, tuple[str, list[int]]] = {}
        self._heads: dict[str, list[str]] = {}
        self._lines: dict[str, list[str]] = {}  # fold -> the folded page split into lines
        self._indexes: dict[tuple[str, int], dict[str, list[int]]] = {}
        self._candidates: dict[int, list[int]] = {}
        self._position: dict[int, int] | None = None
        self._dirty_lines: set[int] | None = None

    def __len__(self) -> int:
        return len(self.texts)

    def nonblank(self) -> Iterator[int]:
        return (i for i, b in enumerate(self.blank) if not b)

    def normed(self, i: int) -> str:
        """Line ``i`` with its runs of white space made single, kept for the run."""
        text = self.texts[i]
        norms = self.memo.norms
        current = norms.get(text)
        if current is None:
            current = norms[text] = " ".join(text.split())
        return current

    @property
    def prose(self) -> list[int]:
        """Running totals of prose characters: ``prose[i]`` is the prose before line ``i``."""
        if self._prose is None:
            known = self.memo.prose
            weights = []
            for text in self.texts:
                weight = known.get(text)
                if weight is None:
                    weight = known[text] = prose_weight(text)
                weights.append(weight)
            self._prose = [0, *accumulate(weights)]
        return self._prose

    def prose_above(self, i: int) -> int:
        """Characters of prose in lines before ``i``."""
        return self.prose[i]

    def prose_below(self, i: int) -> int:
        """Characters of prose in lines after ``i``."""
        prose = self.prose
        return prose[-1] - prose[i + 1]

    def search(self, matcher: Matcher, i: int) -> Span | None:
        """``matcher.search`` on line ``i``; the verdict on a text is kept for the run."""
        text = self.texts[i]
        found = self._verdicts(matcher)
        span = found.get(text, _MISSING)
        if span is _MISSING:
            span = found[text] = matcher.search(text)  # a timeout raises and is not kept
        return span  # type: ignore[return-value]

    def hits(self, matcher: Matcher) -> tuple[list[int], int | None]:
        """The candidate lines ``matcher`` finds something in, in order; and the line it
        timed out on, if it did (the search stops there)."""
        found = self._verdicts(matcher)
        texts = self.texts
        out = []
        for i in self.candidates(matcher):
            text = texts[i]
            span = found.get(text, _MISSING)
            if span is _MISSING:
                try:
                    span = found[text] = matcher.search(text)
                except MatchTimeout:
                    return out, i
            if span is not None:
                out.append(i)
        return out, None

    def _verdicts(self, matcher: Matcher) -> dict[str, Span | None]:
        verdicts = self.memo.found.get(id(matcher))
        if verdicts is None:
            verdicts = self.memo.found[id(matcher)] = {}
        return verdicts

    def _doc(self, fold: str) -> tuple[str, list[int]]:
        """The page as one string, folded as named, and the offset where each line starts."""
        if fold not in self._docs:
            raw = self._docs["raw"][0] if "raw" in self._docs else "\n".join(self.texts)
            doc = _FOLDS[fold](raw)
            lines = self._lines[fold] = doc.split("\n")
            # each line's length and its "\n", summed in C
            starts = list(accumulate(map((1).__add__, map(len, lines)), initial=0))
            self._docs[fold] = (doc, starts)
        return self._docs[fold]

    def _heads_of(self, fold: str) -> list[str]:
        """Every line folded and stripped on the left."""
        heads = self._heads.get(fold)
        if heads is None:
            self._doc(fold)
            heads = self._heads[fold] = list(map(str.lstrip, self._lines[fold]))
        return heads

    def _head_index(self, fold: str, width: int) -> dict[str, list[int]]:
        """Lines by the first ``width`` characters of their head (see ``_heads_of``)."""
        key = (fold, width)
        index = self._indexes.get(key)
        if index is None:
            index = self._indexes[key] = {}
            wider = self._indexes.get((fold, 3))
            if width < 3 and wider is not None:  # regroup the groups: fewer than the lines
                for first, lines in wider.items():
                    index.setdefault(first[:width], []).extend(lines)
            else:
                for i, h in enumerate(self._heads_of(fold)):
                    index.setdefault(h[:width], []).append(i)
        return index

    def _scan(self, literal: str | CharClass, fold: str, into: set[int]) -> None:
        """Add the page lines whose folded text holds ``literal`` to ``into``."""
        doc, starts = self._doc(fold)
        last = len(starts) - 1
        if isinstance(literal, CharClass):
            search = _class_pattern(literal).search
            found = search(doc)
            while found is not None:
                i = bisect_right(starts, found.start()) - 1
                into.add(i)
                if i + 1 >= last:
                    break
                found = search(doc, starts[i + 1])
            return
        find = doc.find
        at = find(literal)
        while at >= 0:
            i = bisect_right(starts, at) - 1
            into.add(i)
            if i + 1 >= last:
                break
            at = find(literal, starts[i + 1])

    def _scan_table(self) -> None:
        """Scan this page once for the literals of every matcher of the run's table, and
        keep the candidates of each (see ``Memo.candidates``)."""
        table = self.memo.table
        assert table is not None
        found: dict[int, set[int]] = {key: set() for key in table.matchers}
        hits: list[tuple[Sequence[int], int]] = []  # (matcher ids, page line)
        for fold in table.starts:
            root = table.trie(fold)[1]
            for i, head in enumerate(self._heads_of(fold)):
                below = root
                for ch in head:  # ``LiteralTable.walk``, inlined: it runs on every line
                    node = below.get(ch)
                    if node is None:
                        break
                    ids, below = node
                    if ids:
                        hits.append((ids, i))
        for fold, classes in table.classes.items():  # one test per distinct first character
            for first, lines in self._head_index(fold, 1).items():
                for cls, ids in classes.items():
                    if first and _class_pattern(cls).match(first):
                        hits.extend((ids, i) for i in lines)
        for fold in table.anywhere:
            doc, starts = self._doc(fold)
            for end, (length, ids) in table.automaton(fold).iter(doc):
                hits.append((ids, bisect_right(starts, end - length + 1) - 1))
        for ids, i in hits:
            for key in ids:
                found[key].add(i)
        for key, scattered in table.scattered.items():
            for fold, cls in scattered:
                self._scan(cls, fold, found[key])
        blank, origin = self.blank, self.origin
        for key, lines in found.items():
            ordered = sorted(i for i in lines if not blank[i])
            limits = table.matchers[key].limits
            if limits is not None:
                ordered = self._within(ordered, limits)
            self.memo.candidates[key] = [origin[i] for i in ordered]

    def _scan_heads(self, literals: frozenset[str | CharClass], fold: str, into: set[int]) -> None:
        """Add the page lines that, folded and stripped on the left, start with a literal."""
        heads = self._heads_of(fold)
        by_width: dict[int, dict[str, list[int]]] = {}
        for literal in literals:
            if isinstance(literal, CharClass):  # one character: test each distinct first one
                match = _class_pattern(literal).match
                for first, lines in self._head_index(fold, 1).items():
                    if first and match(first):
                        into.update(lines)
                continue
            width = min(len(literal), 3)
            index = by_width.get(width)
            if index is None:
                index = by_width[width] = self._head_index(fold, width)
            lines = index.get(literal[:width], ())
            if len(literal) > width:
                into.update(i for i in lines if heads[i].startswith(literal))
            else:
                into.update(lines)

    def _holds(self, literal: str | CharClass, fold: str, text: str) -> bool:
        if fold.endswith("^"):
            head = _FOLDS[fold[:-1]](text).lstrip()
            if isinstance(literal, CharClass):
                return _class_pattern(literal).match(head) is not None
            return head.startswith(literal)
        folded = _FOLDS[fold](text)
        if isinstance(literal, CharClass):
            return _class_pattern(literal).search(folded) is not None
        return literal in folded

    def _positions(self) -> dict[int, int]:
        if self._position is None:
            self._position = {o: i for i, o in enumerate(self.origin)}
        return self._position

    def candidates(self, matcher: Matcher) -> list[int]:
        """Non-blank lines, in order, that ``matcher`` may match; no other line can match.

        Lines removed since a scan never come back, and lines cut since (dirty) are
        read again, so a scan made on an earlier page of the run still holds. Lines too
        long for a whole-line matcher (see ``Matcher.limits``) are left out.
        """
        key = id(matcher)
        found = self._candidates.get(key)
        if found is not None:
            return found
        memo = self.memo
        scanned = memo.scanned.get(key)
        if scanned is None and matcher.plan is None:
            found = list(self.nonblank())
            if matcher.limits is not None:
                found = self._within(found, matcher.limits)
        else:
            origins = memo.candidates.get(key)
            if origins is None and scanned is not None:
                origins = memo.candidates[key] = self._from_scan(matcher, scanned)
            elif origins is None and memo.table is not None and key in memo.table.matchers:
                self._scan_table()
                origins = memo.candidates[key]
            elif origins is None:
                origins = memo.candidates[key] = self._scan_plan(matcher)
            found = [i for i in map(self._positions().get, origins) if i is not None]
            dirty = self._dirty()
            if dirty:
                kept = [i for i in found if i not in dirty]
                again = [i for i in sorted(dirty) if self._may_match(matcher, i)]
                found = sorted(kept + again) if again else kept
        self._candidates[key] = found
        return found

    def _from_scan(self, matcher: Matcher, scanned: set[int]) -> list[int]:
        """The original lines the run's scan found ``matcher`` may match, in order, less
        those blank or too long for it on this page."""
        positions, blank = self._positions(), self.blank
        lines = sorted(i for i in map(positions.get, scanned) if i is not None and not blank[i])
        if matcher.limits is not None:
            lines = self._within(lines, matcher.limits)
        origin = self.origin
        return [origin[i] for i in lines]

    def _scan_plan(self, matcher: Matcher) -> list[int]:
        """The original lines of this page that may match ``matcher``, in order, found
        by scanning the page for each literal of its plan (a matcher no table holds)."""
        assert matcher.plan is not None
        scanned: set[int] = set()
        for fold, literals in matcher.plan:
            if fold.endswith("^"):
                self._scan_heads(literals, fold[:-1], scanned)
            else:
                for literal in literals:
                    self._scan(literal, fold, scanned)
        blank = self.blank
        lines = sorted(i for i in scanned if not blank[i])
        if matcher.limits is not None:
            lines = self._within(lines, matcher.limits)
        origin = self.origin
        return [origin[i] for i in lines]

    def _dirty(self) -> set[int]:
        """Page lines cut since the run began: their text is not what a scan read."""
        if self._dirty_lines is None:
            dirty = self.memo.dirty
            self._dirty_lines = {i for i, o in enumerate(self.origin) if o in dirty}
        return self._dirty_lines

    def _may_match(self, matcher: Matcher, i: int) -> bool:
        """Whether line ``i`` meets ``matcher``'s plan and limits, read afresh."""
        if self.blank[i]:
            return False
        text = self.texts[i]
        memo = self.memo
        table = memo.table
        if id(matcher) in memo.scanned:
            assert memo.scanner is not None
            if text not in memo.scanned_text:
                found = memo.scanner.scan([text])
                memo.scanned_text[text] = (
                    None if found is None else frozenset(k for k, v in found.items() if v)
                )
            holders = memo.scanned_text[text]
            holds = holders is None or id(matcher) in holders
        elif table is not None and id(matcher) in table.matchers:
            holders = memo.holders.get(text)
            if holders is None:
                holders = memo.holders[text] = table.holders(text)
            holds = id(matcher) in holders or any(
                self._holds(cls, fold, text) for fold, cls in table.scattered.get(id(matcher), ())
            )
        else:
            assert matcher.plan is not None
            holds = any(
                self._holds(literal, fold, text)
                for fold, literals in matcher.plan
                for literal in literals
            )
        return holds and (matcher.limits is None or bool(self._within([i], matcher.limits)))

    def _within(self, lines: list[int], limits: Limits) -> list[int]:
        """The ``lines`` not too long for a matcher with these ``limits``."""
        texts = self.texts
        dense = limits.dense if limits.dense is not None else maxsize
        letters = limits.letters if limits.letters is not None else maxsize
        shortest = min(x for x in (limits.dense, limits.letters) if x is not None)
        counts = self.memo.counts
        out = []
        for i in lines:
            text = texts[i]
            if len(text) > shortest:
                known = counts.get(text)
                if known is None:
                    known = counts[text] = (dense_length(text), latin_letters(text))
                if known[0] > dense or known[1] > letters:
                    continue
            out.append(i)
        return out
