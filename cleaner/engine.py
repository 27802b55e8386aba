"""Decide, line by line, what stays: run the rules over a page and record who removed what.

Rules only remove. The result is the input minus removed lines and spans, in the
input's order, with its own line endings. Where removals leave a run of blank lines,
the run collapses to one; blank lines left at the very top or bottom go.

Cleaning runs to a fixed point (at most a few passes) so that cleaning the output
again changes nothing: a rule that reads its neighbours may see the page differently
once chrome around a line has gone.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from cleaner import scan
from cleaner.document import join, split
from cleaner.matching import Matcher, Span
from cleaner.page import LiteralTable, Memo, Page, is_blank
from cleaner.rule import Rule, RuleTimeout, host_of
from cleaner.scan import Scanner

MAX_PASSES = 4
#: a page of more lines is cleaned in parts of about this many, each cut at a blank
#: line where one comes soon enough: what the rules build per page (folded copies,
#: indexes, the model's measures) then stays the size of a part, not of a 30 MB file.
#: No web page comes near it (the dev pages hold at most 1,773 lines).
PAGE_LINES = 10_000
#: lines an engine cleans the pure way before it loads the scan database (a quarter
#: second): a short run, one small file or a pre-commit hook, never pays for it
WARM_LINES = 2000


@dataclass(slots=True)  # one a line: a 30 MB file has about a million of them
class LineDecision:
    """What happened to one input line. ``number`` is 1-based."""

    number: int
    text: str
    rule_id: str | None = None  # set when the whole line was removed
    #: (removed text, rule id) of each cut; a tuple shared by the lines nothing was cut from
    spans: Sequence[tuple[str, str]] = ()

    @property
    def kept(self) -> bool:
        return self.rule_id is None


@dataclass(frozen=True)
class Timeout:
    rule_id: str
    line: int  # 1-based


@dataclass
class Outcome:
    """The cleaned text, a decision for every input line, and the rules that timed out."""

    text: str
    decisions: list[LineDecision]
    timeouts: list[Timeout]
    lines: list[str] = field(default_factory=list)  # each line's text after cuts ([]: none)

    @property
    def removed(self) -> list[LineDecision]:
        return [d for d in self.decisions if not d.kept and d.text.strip()]

    @property
    def changed(self) -> bool:
        return any(not d.kept or d.spans for d in self.decisions)


def _cut(text: str, spans: Sequence[Span]) -> tuple[str, list[str]]:
    """``text`` without ``spans`` (merged where they overlap), and the pieces cut out."""
    pieces: list[str] = []
    kept: list[str] = []
    pos = 0
    for span in sorted(spans, key=lambda s: s.start):
        start = max(span.start, pos)
        if span.end <= start:
            continue
        kept.append(text[pos:start])
        pieces.append(text[start : span.end])
        pos = span.end
    kept.append(text[pos:])
    return "".join(kept), pieces


class Engine:
    """Runs a list of rules over pages."""

    def __init__(self, rules: Sequence[Rule], *, fast: bool | None = None) -> None:
        """``fast``: find candidate lines with one Hyperscan pass per page (see
        ``cleaner.scan``); None: when Hyperscan is there and not turned off. The
        decisions are the same either way."""
        self.rules = list(rules)
        self.fast = fast
        self._selected: dict[tuple[bool, ...], tuple[list[Rule], list[Rule]]] = {}
        self._table: LiteralTable | None = None
        self._rest: LiteralTable | None = None
        self._scanner: Scanner | None | bool = False
        self._lines_seen = 0

    def __getstate__(self) -> dict[str, object]:
        # the tables are keyed by the ids of this process's matcher objects, and a
        # compiled database does not pickle (another process loads it from the cache)
        return {**self.__dict__, "_table": None, "_rest": None, "_scanner": False}

    @property
    def table(self) -> LiteralTable:
        """The literals of every rule's matchers (see ``LiteralTable``), built on first use."""
        if self._table is None:
            self._table = LiteralTable(self._matchers())
        return self._table

    def _matchers(self) -> list[Matcher]:
        return [m for r in self.rules for m in r.matchers()]

    @property
    def scanner(self) -> Scanner | None:
        """The rules' patterns compiled for one pass per page, or None: no Hyperscan."""
        if self._scanner is False:
            wanted = scan.available() if self.fast is None else self.fast
            groups: dict[str, list[Matcher]] = {}  # by the folder of the rule's file
            for rule in self.rules:
                groups.setdefault(os.path.dirname(rule.path), []).extend(rule.matchers())
            self._scanner = Scanner(groups.values()) if wanted else None
        return self._scanner  # type: ignore[return-value]

    def _memo(self, texts: list[str]) -> Memo:
        """The run's memo: with the scan's candidate lines when the page has them, and a
        literal table for the matchers the scan does not cover."""
        if self.fast is None and self._scanner is False and self._lines_seen < WARM_LINES:
            self._lines_seen += len(texts)
            return Memo(self.table)
        scanner = self.scanner
        if scanner is not None:
            found = scanner.scan(texts)
            if found is not None:
                if self._rest is None:
                    covered = scanner.covered
                    self._rest = LiteralTable(m for m in self._matchers() if id(m) not in covered)
                return Memo(self._rest, scanner, found)
        return Memo(self.table)

    def select(
        self, url: str | None, text: str, html: bool = False, markdown: bool = False
    ) -> tuple[list[Rule], list[Rule]]:
        """The rules that apply to this page, split into the early and the late stage."""
        host = host_of(url) if url else ""
        key = tuple(
            r.scope.generic or r.scope.applies(host, text, html, markdown) for r in self.rules
        )
        if key not in self._selected:
            chosen = [r for r, on in zip(self.rules, key, strict=True) if on]
            self._selected[key] = (
                [r for r in chosen if not r.late],
                [r for r in chosen if r.late],
            )
        return self._selected[key]

    def run(
        self,
        text: str,
        url: str | None = None,
        *,
        late: bool = True,
        html: bool = False,
        layout: Sequence[Sequence[float]] | None = None,
        raw: Sequence[str] | None = None,
    ) -> Outcome:
        """Clean one page. ``late=False`` skips the late stage (the content detector):
        text an HTML extractor already cut down to the article gains nothing from it.
        ``html`` says the text was extracted from HTML: rules scoped to that run too.
        ``layout`` holds what the page's markup said of each line (``cleaner.markdown``),
        for the line model; ``raw``, given for a Markdown page, each line as written,
        which the rules of ``input: markdown`` files read (they run on such pages only).
        A page of more than ``PAGE_LINES`` lines is cleaned in parts (``parts``), each
        with the rules its own text calls for: a pack's ``detect:`` reads the part."""
        texts, endings = split(text)
        bounds = parts(texts)
        if len(bounds) == 1:
            rules = self.select(url, text, html, markdown=raw is not None)
            state = self._clean(texts, 0, *rules, layout, raw, late)
            decisions, timeouts, current = state.decisions, state.timeouts, state.current
            edits = state.edits
        else:  # each part's state goes once read: its memo is the size of the part
            decisions, timeouts, current, edits = [], [], [], 0
            pieces = ((texts[a:b], endings[a:b]) for a, b in bounds)
            for _, _, state in self._states(pieces, url, late, html, layout, raw):
                decisions += state.decisions
                timeouts += state.timeouts
                current += state.current
                edits += state.edits
            del state
        if not edits:
            return Outcome(text, decisions, timeouts)
        output = assemble(texts, endings, decisions, current)
        return Outcome(output, decisions, timeouts, current)

    def run_parts(
        self, pages: Iterable[tuple[list[str], list[str]]], url: str | None = None
    ) -> Iterator[Outcome]:
        """Clean a page of text that comes in parts, (texts, endings) as ``split`` gives
        them, cut where ``parts`` cuts: a huge text file, read as it is cleaned. Yields an
        outcome per part, its ``text`` the part's share of the page ``run`` would give
        (blank runs collapse across parts alike), its decisions numbered in the page."""
        joined = Assembler()
        previous: Outcome | None = None
        for texts, endings, state in self._states(pages, url):
            if previous is not None:
                yield previous
            text = joined.feed(texts, endings, state.decisions, state.current)
            previous = Outcome(text, state.decisions, state.timeouts, state.current)
        if previous is not None:
            previous.text += joined.finish()
            yield previous

    def _states(
        self,
        pages: Iterable[tuple[list[str], list[str]]],
        url: str | None,
        late: bool = True,
        html: bool = False,
        layout: Sequence[Sequence[float]] | None = None,
        raw: Sequence[str] | None = None,
    ) -> Iterator[tuple[list[str], list[str], _State]]:
        """Each part of a page (its texts and endings) and its state once cleaned, in
        turn, with the rules its own text calls for; a rule that times out on one part
        stays off for the rest of the page."""
        first = 0
        disabled: set[str] = set()
        for texts, endings in pages:
            rules = self.select(url, join(texts, endings), html, markdown=raw is not None)
            state = self._clean(texts, first, *rules, layout, raw, late, disabled)
            first += len(texts)
            yield texts, endings, state

    def _clean(
        self,
        texts: list[str],
        first: int,
        early: list[Rule],
        late_rules: list[Rule],
        layout: Sequence[Sequence[float]] | None,
        raw: Sequence[str] | None = None,
        late: bool = True,
        disabled: set[str] | None = None,
    ) -> _State:
        """Run both stages (the late one only if ``late``) over ``texts`` (the page's
        lines from line ``first`` on, 0-based) to their fixed point. ``disabled``, the
        rules that timed out on the page's earlier parts, is shared: they stay off."""
        if not late:
            late_rules = []
        memo = self._memo(texts)
        memo.layout = layout[first : first + len(texts)] if layout is not None else None
        state = _State(texts, memo, first)
        if disabled is not None:
            state.disabled = disabled
        if raw is not None:
            state.raw = list(raw[first : first + len(texts)])
        # A stage changes nothing on a page it has already left unchanged: rules read
        # only the page, so a stage runs again only once the page has changed since.
        ran_at = {0: -1, 1: -1}  # edits count when each stage last ran
        cut_at: dict[int, int | None] = {0: None, 1: None}  # len(state.cut) then
        for _ in range(MAX_PASSES):
            before = state.edits
            for number, stage in enumerate((early, late_rules)):
                if stage and ran_at[number] != state.edits:
                    ran_at[number] = state.edits  # the page as this stage saw it
                    since, cut_at[number] = cut_at[number], len(state.cut)
                    fresh = None if since is None else set(state.cut[since:])
                    self._stage(state, stage, fresh)
            if state.edits == before:
                break
        return state

    def _stage(self, state: _State, rules: list[Rule], fresh: set[int] | None) -> None:
        """Run one stage over the lines still alive.

        ``fresh`` holds the lines cut since this stage last ran (None: it never ran).
        Local rules (see ``Rule.local``) read only those: every other line still has
        the text they read last time, when they removed it or found nothing in it."""
        alive, current, memo = state.alive, state.current, state.memo
        edges = frozenset(state.edges)
        page = Page([current[i] for i in alive], alive, memo, edges)
        changed, fresh_page = alive, page
        if fresh is not None:
            changed = [i for i in alive if i in fresh]
            fresh_page = Page([current[i] for i in changed], changed, memo, edges)
        gone: set[int] = set()
        raw_page: Page | None = None
        for rule in rules:
            if rule.id in state.disabled:
                continue
            on, lines = (fresh_page, changed) if rule.local else (page, alive)
            if rule.scope.markdown:  # reads the raw lines, which cuts never change
                if state.raw is None or (rule.local and fresh is not None):
                    continue
                if state.raw_memo is None:
                    state.raw_memo = Memo(self.table)
                if raw_page is None:
                    raw_page = Page([state.raw[i] for i in alive], alive, state.raw_memo, edges)
                on, lines = raw_page, alive
            if not lines:
                continue
            try:
                for removal in rule.apply(on):
                    index = lines[removal.position]
                    if index not in gone:
                        state.apply(rule, index, removal.spans, gone)
            except RuleTimeout as exc:
                state.disabled.add(rule.id)
                state.timeouts.append(Timeout(rule.id, state.first + lines[exc.position] + 1))
        if gone:
            state.alive = [i for i in alive if i not in gone]
            state.edits += len(gone)


class _State:
    """What one ``Engine.run`` knows about its page as the stages edit it."""

    def __init__(self, texts: list[str], memo: Memo, first: int = 0) -> None:
        self.first = first  # the page's line this part starts at (0-based)
        self.decisions = list(map(LineDecision, range(first + 1, first + len(texts) + 1), texts))
        self.current = list(texts)  # current text of every line
        self.alive = list(range(len(texts)))  # indices of lines still in the document
        self.memo = memo
        self.timeouts: list[Timeout] = []
        self.disabled: set[str] = set()  # rules that timed out
        self.edges: set[int] = set()  # lines removed by boundary rules
        self.cut: list[int] = []  # lines cut, in order (a line may come more than once)
        self.edits = 0  # lines removed or cut so far
        #: each line as written, on a Markdown page (``input: markdown`` rules read it),
        #: and the memo of those lines (no scan: the page's scan read the visible text)
        self.raw: list[str] | None = None
        self.raw_memo: Memo | None = None

    def apply(self, rule: Rule, index: int, spans: Sequence[Span] | None, gone: set[int]) -> None:
        """Remove line ``index`` (adding it to ``gone``) or cut ``spans`` out of it."""
        decision = self.decisions[index]
        if spans is None:
            decision.rule_id = rule.id
            gone.add(index)
            if rule.boundary:
                self.edges.add(index)
            return
        remaining, pieces = _cut(self.current[index], spans)
        if not remaining.strip():
            decision.rule_id = rule.id
            gone.add(index)
        elif pieces:
            decision.spans = [*decision.spans, *((p, rule.id) for p in pieces)]
            self.current[index] = remaining
            self.memo.changed(index)
            self.cut.append(index)
            self.edits += 1


def part_size() -> int:
    """``PAGE_LINES``, read when asked: the readers that cut a page as ``parts`` does
    (``process.read_parts``) must cut at the same size."""
    return PAGE_LINES


def parts(texts: Sequence[str], size: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of the parts a page of ``texts`` is cleaned in: the whole page when it
    holds at most ``size`` lines (default ``PAGE_LINES``); else parts of ``size`` lines or
    more, each ending at the first blank line after that (at ``2 * size`` lines when none
    comes)."""
    size = part_size() if size is None else size
    n = len(texts)
    out = []
    start = 0
    while n - start > size:
        end = start + size
        while end < min(n, start + 2 * size) and not is_blank(texts[end - 1]):
            end += 1
        out.append((start, end))
        start = end
    if start < n or not out:
        out.append((start, n))
    return out


def assemble(
    texts: list[str], endings: list[str], decisions: list[LineDecision], current: list[str]
) -> str:
    """Join the kept lines; collapse blank runs that removals left behind."""
    joined = Assembler()
    return joined.feed(texts, endings, decisions, current) + joined.finish()


class Assembler:
    """``assemble`` for a page that comes in parts: ``feed`` each part in order, then
    ``finish``; the pieces returned, joined, are what ``assemble`` gives for the page."""

    def __init__(self) -> None:
        self.pending: list[str] = []  # blank lines (text, ending) since the last kept text line
        self.removed_since = False  # a line removed since the last kept text line
        self.seen_text = False  # a text line kept so far
        #: the last piece joined: the page's last ending, which ``finish`` may yet drop
        self.held: list[str] = []
        self.last_ending: str | None = None  # the page's last line's ending so far

    def feed(
        self,
        texts: Sequence[str],
        endings: Sequence[str],
        decisions: Sequence[LineDecision],
        current: Sequence[str],
    ) -> str:
        out = self.held  # text and ending, alternately; extended here, held again below
        pending, removed_since, seen_text = self.pending, self.removed_since, self.seen_text
        for i, decision in enumerate(decisions):
            if decision.rule_id is not None:
                removed_since = True
                continue
            if is_blank(texts[i]):  # a zero-width spacer too: the rules saw it as blank
                pending += (texts[i], endings[i])
                continue
            if removed_since:
                pending = pending[:2] if seen_text else []
            out += pending
            out += (current[i], endings[i])
            pending, removed_since, seen_text = [], False, True
        self.pending, self.removed_since, self.seen_text = pending, removed_since, seen_text
        self.held = out[-1:]
        if endings:
            self.last_ending = endings[-1]
        return "".join(out[:-1])

    def finish(self) -> str:
        out = self.held
        if not self.removed_since:
            out += self.pending
        if out and self.last_ending == "" and out[-1]:
            out[-1] = ""
        return "".join(out)
