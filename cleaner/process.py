"""Clean one input: a text document, an HTML page, or a JSONL stream of rows.

Each document becomes a ``Unit``: its original bytes, its cleaned bytes, and what was
removed, with line numbers in the input file. Callers decide whether to write, diff,
check or explain; nothing here touches the file system.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from cleaner.document import split
from cleaner.engine import Engine, Outcome, Timeout, part_size, parts
from cleaner.errors import RowError
from cleaner.page import is_blank
from cleaner.textio import BOM, decode, encode

FORMATS = ("text", "jsonl", "html", "markdown")


def format_for(name: str) -> str:
    """The format a file name implies: jsonl, html, markdown, or text."""
    lower = name.lower()
    if lower.endswith((".jsonl", ".jsonl.gz", ".ndjson")):
        return "jsonl"
    if lower.endswith((".html", ".htm")):
        return "html"
    if lower.endswith((".md", ".markdown")):
        return "markdown"
    return "text"


@dataclass
class Options:
    fmt: str = "text"
    field: str = "text"
    html: bool = False  # the input (or the JSONL field) is HTML
    markdown: bool = False  # the input (or the JSONL field) is Markdown
    url: str | None = None
    allow_empty: bool = False

    @property
    def html_input(self) -> bool:
        """Whether documents are HTML: an .html file, or --html on any input."""
        return self.html or self.fmt == "html"

    @property
    def markdown_input(self) -> bool:
        """Whether documents are Markdown: a .md file, or --markdown on any input."""
        return self.markdown or self.fmt == "markdown"


class Removed(NamedTuple):
    line: int  # 1-based line in the input file
    rule_id: str
    text: str

    def __reduce__(self) -> tuple[Any, ...]:
        # a worker sends a hundred of these per page: rebuilt by tuple.__new__ (in C),
        # the parent unpickles them several times faster than through __new__
        return tuple.__new__, (Removed, tuple(self))


@dataclass
class Unit:
    """One cleaned document."""

    line: int
    original: bytes
    cleaned: bytes
    removed: list[Removed] = field(default_factory=list)
    timeouts: list[Timeout] = field(default_factory=list)
    undecodable: bool = False
    emptied: bool = False  # every line would have gone; left as it was
    continued: bool = False  # a later part of the document before it (``process_stream``)
    #: for a part (``process_stream``): whether the cleaner removed or cut anything in it;
    #: its bytes alone cannot say, as blank lines at a cut go out with the next part
    edited: bool | None = None
    nothing_extracted: bool = False  # HTML with no main text
    note: str = ""  # why a document that would change was left as it is

    @property
    def changed(self) -> bool:
        """Whether cleaning changed the document (for a part: whether it changed the
        document here; a part's bytes may differ from its original when it has not)."""
        return self.edited if self.edited is not None else self.cleaned != self.original


def removals(outcome: Outcome, line: int | None) -> list[Removed]:
    """Every removal in input order: whole lines, and spans cut from kept lines.

    ``line`` pins them all to one line of the file (a JSONL row); None keeps each
    line's own number.
    """
    out: list[Removed] = []
    for d in outcome.decisions:
        number = d.number if line is None else line
        if not d.kept:
            if d.text.strip():
                out.append(Removed(number, d.rule_id or "", d.text))
            continue
        out.extend(Removed(number, rule_id, piece) for piece, rule_id in d.spans)
    return out


def _shows(text: str) -> bool:
    """Whether ``text`` shows something: a line that is not blank."""
    return not all(map(is_blank, text.splitlines()))


def _would_empty(text: str, cleaned: str) -> bool:
    """Whether cleaning leaves nothing visible of a text that showed something."""
    return _shows(text) and not _shows(cleaned)


def clean_document(
    engine: Engine, text: str, opts: Options, url: str | None
) -> tuple[str, Outcome]:
    """Clean one document's text (extracting it first when it is HTML; reading each line's
    visible text when it is Markdown)."""
    if opts.markdown_input:
        from cleaner.markdown import run

        outcome = run(engine, text, url)
        return outcome.text, outcome
    html = opts.html_input
    if html:
        from cleaner.html import extract_text

        text = extract_text(text)
        if text and opts.fmt != "jsonl":
            text += "\n"  # a text file ends with a newline
    # the extractor has already found the article: the content detector would only cost recall
    outcome = engine.run(text, url, late=not html, html=html)
    return outcome.text, outcome


def process_text(engine: Engine, data: bytes, opts: Options) -> Unit:
    text, undecodable = decode(data)
    bom = text.startswith(BOM)
    body = text[1:] if bom else text
    cleaned, outcome = clean_document(engine, body, opts, opts.url)
    is_html = opts.html_input
    unit = Unit(
        line=1,
        original=data,
        cleaned=data,
        removed=removals(outcome, None),
        timeouts=outcome.timeouts,
        undecodable=undecodable,
    )
    if is_html and not outcome.decisions:
        unit.nothing_extracted = True
        unit.cleaned = b""
        return unit
    source = "\n".join(d.text for d in outcome.decisions) if is_html else body
    if _would_empty(source, cleaned) and not opts.allow_empty:
        unit.emptied = True
        return unit
    unit.cleaned = encode((BOM if bom else "") + cleaned)
    return unit


#: a text file of this many bytes or more is cleaned as it is read (``process_stream``),
#: and written as it is cleaned
STREAM_BYTES = 16 << 20
#: a text file of this many bytes or more (and under ``STREAM_BYTES``) is cleaned part by
#: part too, in the worker that reads it: each line's state is held for its part only
#: (cleaned whole, a 15 MB file peaked at about 300 MB), while the parts' bytes come back
#: together
PART_BYTES = 1 << 20


def read_parts(
    handle: Iterable[bytes], size: int | None = None
) -> Iterator[tuple[list[str], list[str], bytes, bool]]:
    """A text file's lines (``handle``: its lines, endings kept, as a binary file gives
    them) in the parts ``engine.parts`` cuts its page into, read as
    they are needed: each part's texts and endings (as ``split`` gives them), its bytes,
    and whether some were not UTF-8. At most ``2 * size + 1`` lines are held at a time."""
    size = part_size() if size is None else size
    raw: list[bytes] = []  # the lines read and not yet given out, with their endings
    shown: list[str] = []  # the same lines, decoded enough to tell a blank one

    def give(count: int) -> tuple[list[str], list[str], bytes, bool]:
        data = b"".join(raw[:count])
        del raw[:count], shown[:count]
        text, undecodable = decode(data)
        return (*split(text), data, undecodable)

    for line in handle:
        raw.append(line)
        shown.append(line.decode("utf-8", "replace").rstrip("\r\n"))
        if len(raw) > 2 * size:  # enough to know where the first part ends
            yield give(parts(shown, size)[0][1])
    for start, end in parts(shown, size) if raw else []:
        yield give(end - start)


def process_stream(engine: Engine, handle: Iterable[bytes], opts: Options) -> Iterator[Unit]:
    """``process_text`` for a text file read part by part (``read_parts``): a unit per
    part (one for an empty file), the later ones ``continued``, the same bytes in all as
    ``process_text`` gives. Until some text is kept, the parts wait in memory: if none
    is, the file is left as it was. Warnings come out part by part, as the parts go."""
    sources: list[tuple[bytes, bool]] = []  # each part's bytes and undecodable flag
    bom = False
    shown_in = False  # a line of some text read

    def pages() -> Iterator[tuple[list[str], list[str]]]:
        nonlocal bom, shown_in
        for texts, endings, data, undecodable in read_parts(handle):
            if not sources and texts and texts[0].startswith(BOM):
                bom, texts[0] = True, texts[0][1:]
            sources.append((data, undecodable))
            shown_in = shown_in or _shows("\n".join(texts))
            yield texts, endings

    waiting: list[Unit] = []  # parts cleaned before any text was kept
    warned = False  # undecodable bytes are reported once
    number = -1  # the part in hand; still -1 after the loop: an empty file
    for number, outcome in enumerate(engine.run_parts(pages(), opts.url)):
        data, undecodable = sources.pop(0)
        text = (BOM if bom and number == 0 else "") + outcome.text
        unit = Unit(
            line=1,
            original=data,
            cleaned=encode(text),
            removed=removals(outcome, None),
            timeouts=outcome.timeouts,
            undecodable=undecodable and not warned,
            continued=number > 0,
            edited=outcome.changed,
        )
        warned = warned or undecodable
        waiting.append(unit)
        if _shows(outcome.text):
            yield from waiting
            waiting = []
    if waiting and shown_in and not opts.allow_empty and not waiting[0].continued:
        for unit in waiting:  # nothing kept anywhere: left as it was
            unit.cleaned, unit.removed, unit.edited = unit.original, [], False
        waiting[0].emptied = True
    yield from waiting
    if number < 0:  # an empty file is still a document
        yield Unit(line=1, original=b"", cleaned=b"")


def _row_error(name: str, number: int, message: str) -> RowError:
    return RowError(f"{name}:{number}: {message}")


def process_jsonl(
    engine: Engine, rows: Iterable[bytes], opts: Options, name: str, first: int = 1
) -> Iterator[Unit]:
    """Clean the ``opts.field`` of every row; other fields and row order stay as they are.

    Rows are split on ``\\n`` only. A row whose field is unchanged is written back byte
    for byte; a changed row is serialised again with its keys in their original order.
    ``first`` is the number of the first row in the file (a worker gets a chunk).
    """
    for number, raw in enumerate(rows, start=first):
        stripped = raw.rstrip(b"\r\n")
        ending = raw[len(stripped) :]
        if not stripped.strip():
            yield Unit(number, raw, raw)
            continue
        text, undecodable = decode(stripped)
        bom = number == 1 and text.startswith(BOM)
        if bom:
            text = text[1:]
        try:
            row = json.loads(text, object_pairs_hook=_pairs)
        except json.JSONDecodeError as exc:
            raise _row_error(
                name, number, f"malformed JSON ({exc.msg} at column {exc.colno})"
            ) from None
        if not isinstance(row, dict):
            raise _row_error(name, number, "a row must be a JSON object")
        value = row.get(opts.field)
        if opts.field not in row:
            raise _row_error(name, number, f"row has no field '{opts.field}'")
        if not isinstance(value, str):
            raise _row_error(name, number, f"field '{opts.field}' is not a string")
        url = row.get("url") if isinstance(row.get("url"), str) else opts.url
        cleaned, outcome = clean_document(engine, value, opts, url)
        unit = Unit(
            line=number,
            original=raw,
            cleaned=raw,
            removed=removals(outcome, number),
            timeouts=[Timeout(t.rule_id, number) for t in outcome.timeouts],
            undecodable=undecodable,
        )
        source = value if not opts.html else "\n".join(d.text for d in outcome.decisions)
        if cleaned == value:
            yield unit
            continue
        if _would_empty(source, cleaned) and not opts.allow_empty:
            unit.emptied = True
            yield unit
            continue
        if isinstance(row, _Duplicates):
            unit.note = "duplicate keys; row left as it is"
            yield unit
            continue
        # only the field's value is written anew: the rest of the row keeps its bytes
        # (a number written 1.10, an escape, the spacing)
        start, end = _value_span(text, opts.field)
        value_json = json.dumps(cleaned, ensure_ascii=False)
        spliced = text[:start] + value_json + text[end:]
        try:
            # surrogates stand for undecodable input bytes only when there were some: a
            # "\\udc80" escape in a valid row must not come out as a raw 0x80 byte
            data = encode(spliced) if undecodable else spliced.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate from a \uD83D escape: keep it escaped
            data = encode(text[:start] + json.dumps(cleaned) + text[end:])
        unit.cleaned = (BOM.encode() if bom else b"") + data + ending
        yield unit


_DECODER = json.JSONDecoder()
_SPACE = " \t\n\r"


def _value_span(text: str, key: str) -> tuple[int, int]:
    """Where the value of ``key`` stands in ``text``, a JSON object already parsed
    without error and without duplicate keys."""
    at = len(text) - len(text.lstrip(_SPACE)) + 1  # past the "{"
    while True:
        at = text.index('"', at)
        name, at = json.decoder.scanstring(text, at + 1)
        at = text.index(":", at) + 1
        while text[at] in _SPACE:
            at += 1
        _, end = _DECODER.raw_decode(text, at)
        if name == key:
            return at, end
        at = end


class _Duplicates(dict):  # type: ignore[type-arg]
    """A row with a key given twice: writing it back would drop one of them."""


def _pairs(pairs: list[tuple[str, object]]) -> dict[str, object]:
    row = dict(pairs)
    return _Duplicates(row) if len(row) != len(pairs) else row
