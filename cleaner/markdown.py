"""Markdown input: the rules read each line's visible text; the output keeps the Markdown.

A crawler's Markdown page holds the same chrome as its plain text, dressed in marks:
``[Home](/)`` links, ``* `` list items, ``## `` headings, ``![logo](logo.png)`` images.
The rules and the line model were written for what a reader sees, so each Markdown
line is read as its visible text (``visible``): a link reads as its text, an image as
its alt text, and the marks of emphasis, headings, lists, quotes and tables are left
out. The engine decides on the lines that show text (see ``run``); each decision maps
back one to one onto the raw line, and the output is the raw lines that were kept,
links and marks and all. The rules of an ``input: markdown`` file read the raw line
instead, links' addresses and all (``rules/markdown/``), on Markdown pages only.

Three kinds of line are the Markdown's own and are left alone:

- a fenced code block (```` ``` ```` or ``~~~``), fences included, is never split: the
  engine does not see it and every line of it is kept;
- front matter (a ``---`` YAML block at the very top) is kept as it is;
- HTML left in the Markdown is text like any other.

A line that shows nothing but is not blank is markup. An image with no alt text (alone,
or as a link) and a thematic break (``---``) go with their neighbours: such a line is
removed when the nearest line with text above it and the one below it (or the page's
edge) were both removed, and kept otherwise, so a figure inside the article stays and a
tracking pixel in a menu goes (``markdown-with-neighbours``). A setext underline
(``===``) goes with the heading above it. A link reference definition is kept (a kept
link may need it). Any other line that shows nothing, a link with no text (a share
icon) or an empty list item, is removed (``markdown-empty``).

A link whose text runs over several lines is read as link text on each of them, its
brackets and address left out: renderers write an ``<a>`` around a teaser card's
headline, byline and date so, blank lines and list items between. It counts as one
when the line with its ``](address)`` comes within ``LINK_SPAN`` lines of the line
that leaves its ``[`` open, with nothing but text between; otherwise the ``[`` is text.

Inline (span) removals are applied only where a line's visible text is its raw text:
on a line with links or marks a cut could not be mapped back without breaking the
Markdown, so such a line is kept whole. Indented code blocks are not recognised:
crawlers indent nested list items by four spaces, which would read as code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from cleaner.document import split
from cleaner.engine import Engine, LineDecision, Outcome, Timeout, assemble
from cleaner.page import is_blank

_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_QUOTE = re.compile(r"^\s*>\s?")
_LIST = re.compile(r"^\s*(?:[-*+]|(\d{1,9}[.)]))(?:\s+|$)")
_HEADING = re.compile(r"^\s*#{1,6}(?:\s+|$)")
_CLOSING_HASHES = re.compile(r"\s+#+\s*$")
_BREAK = re.compile(r"^ {0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
_SETEXT = re.compile(r"^ {0,3}(?:=+|-+)\s*$")
_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S+")
_DELIMITER_ROW = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_FRONT_MATTER_END = ("---", "...")


@dataclass
class View:
    """A Markdown page as the rules read it: one visible line per raw line, and which
    lines are the Markdown's own (code fences, front matter: always kept)."""

    visible: list[str]
    protected: set[int]
    underlines: set[int]  # setext underlines: they go with the line above
    figures: set[int]  # images with no alt text, thematic breaks: go with their neighbours
    layout: list[Layout]  # what the Markdown says of each line (see ``layout``)


#: what a Markdown line's marks say of it, for the line model (``cleaner.features``): the
#: share of its text that is link text, its heading level (0: not a heading), whether it
#: is a list item, whether it is a table row
Layout = tuple[float, int, bool, bool]
NO_LAYOUT: Layout = (0.0, 0, False, False)


#: the ids that name the Markdown reader's own removals in --explain and --stats
EMPTY_ID = "markdown-empty"
NEIGHBOURS_ID = "markdown-with-neighbours"
_IMAGE = "\x00"


def visible(line: str) -> str:
    """The text a reader sees of one Markdown line (not in a code block or a table)."""
    if _BREAK.match(line) or _DEFINITION.match(line):
        return ""
    rest, number = line, ""
    while True:  # block quotes and list items nest in any order
        m = _QUOTE.match(rest) or _LIST.match(rest)
        if not m:
            break
        rest = rest[m.end() :]
        number = m.group(1) if m.re is _LIST and m.group(1) else number
    if number:  # a reader sees an ordered item's number ("24. Juni 2020" is one)
        return f"{number} {visible(rest)}".strip()
    m = _HEADING.match(rest)
    if m:
        rest = _CLOSING_HASHES.sub("", rest[m.end() :])
    text = inline(rest).strip()
    if text.endswith("\\") and not text.endswith("\\\\"):  # a hard line break
        text = text[:-1].rstrip()
    return text


def layout(line: str) -> Layout:
    """What the marks of one Markdown line (not in a code block or a table) say: how
    much of what it shows is link text (a menu entry, a teaser, a share icon's label),
    its heading level, and whether it is a list item."""
    rest, listed = line, False
    while m := (_QUOTE.match(rest) or _LIST.match(rest)):
        listed = listed or m.re is _LIST
        rest = rest[m.end() :]
    level = 0
    m = _HEADING.match(rest)
    if m:
        level = rest[: m.end()].count("#")
        rest = rest[m.end() :]
    shown = len(inline(rest).strip())
    if not shown:
        return (0.0, level, listed, False)
    besides = len(inline(rest, links=False).strip())
    return (max(0.0, 1 - besides / shown), level, listed, False)


def inline(text: str, image: str | None = None, links: bool = True) -> str:
    """``text`` with links read as their text, images as their alt text (or ``image``,
    when given), code spans as their code, backslash escapes resolved and emphasis marks
    left out. ``links=False`` leaves links and images out: what the line says besides."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n and text[i + 1] in _PUNCT:
            out.append(text[i + 1])
            i += 2
        elif c == "`":
            j = _run_end(text, i, "`")
            close = text.find(text[i:j], j)
            while close != -1 and _run_end(text, close, "`") != close + (j - i):
                close = text.find(text[i:j], _run_end(text, close, "`"))
            if close == -1:
                out.append(text[i:j])
                i = j
            else:
                out.append(text[j:close].strip(" ") or text[j:close])
                i = close + (j - i)
        elif c == "[" or (c == "!" and text.startswith("[", i + 1)):
            start = i + (c == "!")
            link = _link(text, start)
            if link is None:
                out.append(text[i : start + 1])
                i = start + 1
            else:
                label, i = link
                if links:
                    out.append(image if image is not None and c == "!" else inline(label, image))
        elif c in "*_~":
            j = _run_end(text, i, c)
            before = text[i - 1] if i else " "
            after = text[j] if j < n else " "
            if c == "~" and j - i < 2:
                out.append(text[i:j])  # one tilde is text; ~~ strikes through
            elif c == "_" and before.isalnum() and after.isalnum():
                out.append(text[i:j])  # snake_case: intraword underscores are text
            elif before.isspace() and after.isspace():
                out.append(text[i:j])  # "2 * 3": a lone mark between spaces
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _run_end(text: str, i: int, char: str) -> int:
    while i < len(text) and text[i] == char:
        i += 1
    return i


def _past_literal(text: str, j: int) -> int:
    """Past the backslash escape or the code span that starts at ``j``: their
    characters are text, never a bracket or a mark."""
    if text[j] == "\\":
        return j + 2
    end = _run_end(text, j, "`")
    close = text.find(text[j:end], end)
    return end if close == -1 else close + (end - j)


def _bracket_marks(text: str, start: int = 0) -> Iterator[int]:
    """Where each ``[`` and ``]`` of ``text`` from ``start`` on stands, in order (escapes
    and code spans hold none)."""
    j = start
    while j < len(text):
        c = text[j]
        if c in "\\`":
            j = _past_literal(text, j)
            continue
        if c in "[]":
            yield j
        j += 1


def _close_bracket(text: str, i: int) -> int:
    """The index of the ``]`` that closes the ``[`` at ``i`` (brackets nest), or -1."""
    depth = 0
    for j in _bracket_marks(text, i):
        depth += 1 if text[j] == "[" else -1
        if depth == 0:
            return j
    return -1


def _link(text: str, i: int) -> tuple[str, int] | None:
    """The label of the inline or reference link (or image) whose ``[`` is at ``i``,
    and where it ends; None when no link starts there."""
    close = _close_bracket(text, i)
    if close == -1:
        return None
    label = text[i + 1 : close]
    j = close + 1
    if text.startswith("(", j):
        end = _destination(text, j + 1)
        return None if end == -1 else (label, end)
    if text.startswith("[", j):
        ref = _close_bracket(text, j)
        if ref != -1 and "[" not in text[j + 1 : ref]:
            return label, ref + 1
    return None


def _destination(text: str, j: int) -> int:
    """Past the ``)`` that ends a link's destination and title starting at ``j``, or -1."""
    n = len(text)
    while j < n and text[j] in " \t":
        j += 1
    if text.startswith("<", j):
        j = text.find(">", j)
        if j == -1:
            return -1
        j += 1
    else:
        depth = 0
        while j < n and not text[j].isspace():
            c = text[j]
            if c == "\\":
                j += 2
                continue
            if c == "(":
                depth += 1
            elif c == ")":
                if depth == 0:
                    break
                depth -= 1
            j += 1
    while j < n and text[j] in " \t":
        j += 1
    if j < n and text[j] in "\"'(":
        closer = ")" if text[j] == "(" else text[j]
        j += 1
        while j < n and text[j] != closer:
            j += 2 if text[j] == "\\" else 1
        if j >= n:
            return -1
        j += 1
        while j < n and text[j] in " \t":
            j += 1
    if j < n and text[j] == ")":
        return j + 1
    return -1


_CELL = re.compile(r"(?<!\\)\|")


def _cells(line: str, links: bool = True) -> str:
    """A table row's visible text: its cells, read as text, one space apart
    (``links=False``: without their links)."""
    cells = _CELL.split(line)
    return " ".join(t for t in (inline(c, links=links).strip() for c in cells) if t)


def front_matter(texts: list[str]) -> int:
    """How many lines at the top are YAML front matter (0 when there is none)."""
    if not texts or texts[0].rstrip() != "---":
        return 0
    for k in range(1, len(texts)):
        if texts[k].rstrip() in _FRONT_MATTER_END:
            return k + 1
    return 0


def read(texts: list[str]) -> View:
    """The visible text of every line of a Markdown page (split into ``texts``)."""
    out = [""] * len(texts)
    marks = [NO_LAYOUT] * len(texts)
    protected = set(range(front_matter(texts)))
    underlines: set[int] = set()
    figures: set[int] = set()
    fence: tuple[str, int] | None = None  # the open fence's character and length
    table = False
    plain: list[int] = []  # lines read as text
    for k, line in enumerate(texts):
        if k in protected:
            continue
        if fence is not None:
            protected.add(k)
            m = _FENCE.match(line)
            closes = m and m.group(1)[0] == fence[0] and len(m.group(1)) >= fence[1]
            if closes and m and not m.group(2).strip():
                fence = None
            continue
        m = _FENCE.match(line)
        if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):
            fence = (m.group(1)[0], len(m.group(1)))
            protected.add(k)
            table = False
            continue
        if "|" in line and _DELIMITER_ROW.match(line):
            table = True  # the row above is the table's header
            if k and "|" in texts[k - 1] and k - 1 not in protected:
                out[k - 1] = _cells(texts[k - 1])
                marks[k - 1] = _row_layout(texts[k - 1])
            continue
        if table and "|" in line and line.strip():
            out[k] = _cells(line)
            marks[k] = _row_layout(line)
            continue
        table = False
        if k and _SETEXT.match(line) and not is_blank(texts[k - 1]) and out[k - 1]:
            underlines.add(k)
            continue
        if _DEFINITION.match(line):
            protected.add(k)
            continue
        plain.append(k)
        _read_line(k, line, out, marks, figures)
    for k, line in _split_links(texts, plain).items():
        _read_line(k, line, out, marks, figures)
    for k in underlines:  # a setext underline makes the line above a heading
        marks[k - 1] = (marks[k - 1][0], 1 if texts[k].strip()[0] == "=" else 2, *marks[k - 1][2:])
    return View(out, protected, underlines, figures, marks)


#: how many lines a link's text may run over: a teaser card whose link wraps its
#: headline, byline and date, blank lines between (renderers write an ``<a>`` around
#: blocks so); an opening ``[`` that no ``](address)`` closes by then is text
LINK_SPAN = 10


def _split_links(texts: list[str], plain: list[int]) -> dict[int, str]:
    """Lines of links whose text runs over several lines, each written as a link of its
    own (for reading only: the output keeps the raw lines). A line with a ``[`` that it
    does not close opens such a link, the next line with a ``](address)`` that no ``[``
    of its own opens closes it, and every line between is link text. ``plain`` are the
    lines read as text (not code, front matter or table rows), in order."""
    repaired: dict[int, str] = {}
    opened: int | None = None  # the line whose "[" is left open
    readable = set(plain)
    for k in plain:
        line = texts[k]
        if opened is not None and (k - opened > LINK_SPAN or k - 1 not in readable):
            opened = None  # too far, or code or a table came between: no link
        if opened is not None and (close := _dangling_close(line)) is not None:
            first = opened
            # its last "[" left open is the link's
            repaired[first] = _unbroken(texts[first]) + "](#)"
            for j in range(first + 1, k):
                if texts[j].strip():
                    head, body = _marks(texts[j])
                    repaired[j] = f"{head}[{_unbroken(body)}](#)"
            head, body = _marks(line[: close[0]])
            repaired[k] = f"{head}[{body}{line[close[0] : close[1]]}" + line[close[1] :]
            opened = None
            continue  # a line that closes a link opens none
        opens, strays = _brackets(line)
        if strays:
            opened = None  # a "]" with no address: not the link's end, nor its text
        if opens:
            opened = k
    return repaired


def _unbroken(line: str) -> str:
    """``line`` without a hard break's closing backslash, which would escape the ``]``
    appended to it (an escaped backslash, ``\\``, stays)."""
    trailing = len(line) - len(line.rstrip("\\"))
    return line[:-1] if trailing % 2 else line


def _marks(line: str) -> tuple[str, str]:
    """A line's leading quote, list and heading marks, and the rest."""
    rest = line
    while m := (_QUOTE.match(rest) or _LIST.match(rest) or _HEADING.match(rest)):
        rest = rest[m.end() :]
    return line[: len(line) - len(rest)], rest


def _brackets(line: str) -> tuple[list[int], list[int]]:
    """The ``[`` of ``line`` that it does not close, and the ``]`` that close no ``[``
    of its own (escapes and code spans hold none)."""
    opens: list[int] = []
    strays: list[int] = []
    if "[" not in line and "]" not in line:
        return opens, strays  # most lines: nothing to scan
    for j in _bracket_marks(line):
        if line[j] == "[":
            opens.append(j)
        elif opens:
            opens.pop()
        else:
            strays.append(j)
    return opens, strays


def _dangling_close(line: str) -> tuple[int, int] | None:
    """The ``](address)`` of a link ``line`` does not open: where its ``]`` stands and
    where its address ends; None when there is none."""
    if "](" not in line:
        return None
    _, strays = _brackets(line)
    for j in strays:
        if line.startswith("(", j + 1) and (end := _destination(line, j + 2)) != -1:
            return j, end
    return None


def _read_line(k: int, line: str, out: list[str], marks: list[Layout], figures: set[int]) -> None:
    """Read line ``k`` (``line``: as written, or its split link made whole) as text."""
    out[k] = visible(line)
    marks[k] = layout(line) if out[k] else NO_LAYOUT
    figures.discard(k)
    if not out[k] and (_BREAK.match(line) or _only_images(line)):
        figures.add(k)


def _row_layout(line: str) -> Layout:
    """A table row's layout: its link share over all its cells."""
    shown = len(_cells(line))
    besides = len(_cells(line, links=False))
    share = max(0.0, 1 - besides / shown) if shown else 0.0
    return (share, 0, False, True)


def _only_images(line: str) -> bool:
    """Whether a line that shows nothing holds an image (alone, or as a link)."""
    if "![" not in line:
        return False
    rest = line
    while m := (_QUOTE.match(rest) or _LIST.match(rest)):
        rest = rest[m.end() :]
    marks = inline(rest, _IMAGE)
    return _IMAGE in marks and not marks.replace(_IMAGE, "").strip()


def engine_input(view: View) -> tuple[list[int], str, list[Layout]]:
    """What the engine reads of a Markdown page: the lines that show text (their indices),
    their visible text as one page, and their layout."""
    shown = [k for k, v in enumerate(view.visible) if v.strip()]
    page = "".join(view.visible[k] + "\n" for k in shown)
    return shown, page, [view.layout[k] for k in shown]


def run(engine: Engine, text: str, url: str | None = None) -> Outcome:
    """Clean one Markdown page (see ``run_read``)."""
    return run_read(engine, text, url)[0]


def run_read(engine: Engine, text: str, url: str | None = None) -> tuple[Outcome, View]:
    """Clean one Markdown page, and say how it was read (its ``View``, a line for each
    raw line): the engine decides on the visible text of every line that shows some,
    and the kept lines come out as they were written.

    The engine reads the page without the lines that show nothing: Markdown renderers
    set a blank line between any two paragraphs, where a plain-text rendering runs them
    on, and the rules read a blank line as the end of a block (on the benchmark pages
    of two renderers, reading them cost the line model about 0.015 F1 on news pages
    and gained 0.005 on web pages)."""
    texts, endings = split(text)
    view = read(texts)
    shown, page, marks = engine_input(view)
    outcome = engine.run(page, url, layout=marks, raw=[texts[k] for k in shown])
    decisions = [LineDecision(k + 1, raw) for k, raw in enumerate(texts)]
    current = list(texts)
    for k, d in zip(shown, outcome.decisions, strict=True):
        if k in view.protected:
            continue
        decisions[k].rule_id = d.rule_id
        if d.spans and d.kept and texts[k] == view.visible[k]:
            # a cut inside links or marks would break them: elsewhere the line stays whole
            decisions[k].spans = list(d.spans)
            current[k] = outcome.lines[d.number - 1]
    timeouts = [Timeout(t.rule_id, shown[t.line - 1] + 1) for t in outcome.timeouts]
    _settle_markup_lines(decisions, view, texts)
    if not any(not d.kept or d.spans for d in decisions):
        return Outcome(text, decisions, timeouts), view
    return Outcome(assemble(texts, endings, decisions, current), decisions, timeouts), view


def _settle_markup_lines(decisions: list[LineDecision], view: View, texts: list[str]) -> None:
    """Lines that show nothing but are not blank go with their neighbours (see the module
    docstring)."""
    shows = [bool(v.strip()) for v in view.visible]
    if not any(shows):
        return
    for k in sorted(view.underlines):
        decisions[k].rule_id = decisions[k - 1].rule_id
    for k, d in enumerate(decisions):
        if shows[k] or not d.kept or k in view.protected or k in view.underlines:
            continue
        if is_blank(texts[k]):
            continue
        if k not in view.figures:
            d.rule_id = EMPTY_ID
            continue
        above = next((decisions[j] for j in range(k - 1, -1, -1) if shows[j]), None)
        below = next((decisions[j] for j in range(k + 1, len(texts)) if shows[j]), None)
        if (above is None or not above.kept) and (below is None or not below.kept):
            d.rule_id = NEIGHBOURS_ID
