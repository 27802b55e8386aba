"""A very long page is cleaned in parts: each part decides as a page of its own would,
and the parts join into one outcome numbered by the input's lines."""

from __future__ import annotations

import gzip
import importlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from cleaner.document import split
from cleaner.engine import Engine, parts
from cleaner.inputs import lines_after
from cleaner.loader import load_rules
from cleaner.process import Options, process_stream, process_text, read_parts
from cleaner.stats import Stats

from .conftest import FIXTURES, run_main

engine_module = importlib.import_module("cleaner.engine")  # the module, not cleaner.engine()
process_module = importlib.import_module("cleaner.process")


def _part_size(monkeypatch, size: int) -> None:
    """Parts of ``size`` lines, for the engine and (through ``part_size``) the reader."""
    monkeypatch.setattr(engine_module, "PAGE_LINES", size)


def test_a_page_of_ordinary_length_is_one_part() -> None:
    assert parts(["line"] * 10) == [(0, 10)]
    assert parts(["line"] * 10, size=10) == [(0, 10)]
    assert parts([]) == [(0, 0)]


def test_a_long_page_is_cut_after_the_first_blank_line_past_the_size() -> None:
    texts = (["a sentence of the article."] * 3 + [""]) * 6  # a blank line every fourth
    cuts = parts(texts, size=5)
    assert cuts == [(0, 8), (8, 16), (16, 24)]
    assert all(texts[end - 1] == "" for _, end in cuts[:-1])
    assert [i for start, end in cuts for i in range(start, end)] == list(range(len(texts)))


def test_a_long_page_without_blank_lines_is_cut_at_twice_the_size() -> None:
    assert parts(["word"] * 25, size=5) == [(0, 10), (10, 20), (20, 25)]


def test_each_part_decides_as_the_same_lines_cleaned_alone(
    monkeypatch, default_engine: Engine
) -> None:
    article = (FIXTURES / "article.txt").read_text(encoding="utf-8")
    copy = article.strip().split("\n")
    assert "" in copy  # blank lines inside a copy: the cut still falls between copies
    lines = [*copy, "", *copy, "", *copy]
    page = "\n".join(lines) + "\n"
    size = len(copy) + 1
    monkeypatch.setattr(engine_module, "PAGE_LINES", size)
    bounds = parts(lines)
    assert bounds == [(0, size), (size, 2 * size), (2 * size, len(lines))]

    whole = default_engine.run(page)

    monkeypatch.setattr(engine_module, "PAGE_LINES", 10**9)
    alone = [default_engine.run("\n".join(lines[a:b]) + "\n") for a, b in bounds]

    def shown(text: str) -> list[str]:
        return [line for line in text.split("\n") if line.strip()]

    assert shown(whole.text) == [line for out in alone for line in shown(out.text)]
    assert [d.number for d in whole.decisions] == list(range(1, len(lines) + 1))
    assert [(d.rule_id, list(d.spans)) for d in whole.decisions] == [
        (d.rule_id, list(d.spans)) for out in alone for d in out.decisions
    ]
    assert any(not d.kept for d in whole.decisions)  # the fixture's chrome went in every part


def _long_page() -> tuple[str, int]:
    """Copies of the fixture article with blank runs, CRLF and chrome between them, no
    final newline: a page cut in three parts at a part size of one copy and a line."""
    article = (FIXTURES / "article.txt").read_text(encoding="utf-8").strip().split("\n")
    copy = [*article, "", "Source link", "", ""]
    lines = [*copy, *copy, *article]
    page = "\n".join(lines[:10]) + "\r\n" + "\n".join(lines[10:])
    return page, len(copy) + 1


def test_a_page_read_in_parts_cleans_as_the_whole_page(monkeypatch, default_engine: Engine) -> None:
    page, size = _long_page()
    _part_size(monkeypatch, size)
    whole = default_engine.run(page)
    texts, endings = split(page)
    bounds = parts(texts)
    assert len(bounds) == 3
    pieces = [(texts[a:b], endings[a:b]) for a, b in bounds]
    outcomes = list(default_engine.run_parts(iter(pieces)))
    assert [len(o.decisions) for o in outcomes] == [b - a for a, b in bounds]
    assert "".join(o.text for o in outcomes) == whole.text
    assert [(d.number, d.rule_id) for o in outcomes for d in o.decisions] == [
        (d.number, d.rule_id) for d in whole.decisions
    ]
    assert whole.text != page  # something was removed, so the joins were tested


def test_a_file_read_in_parts_gives_its_bytes_back_in_the_same_parts(monkeypatch) -> None:
    page, size = _long_page()
    data = page.encode("utf-8") + b"\xff tail\n"  # not UTF-8 in the last part only
    _part_size(monkeypatch, size)
    read = list(read_parts(io.BytesIO(data)))
    texts, endings = split(data.decode("utf-8", "surrogateescape"))
    assert [len(t) for t, *_ in read] == [b - a for a, b in parts(texts)]
    assert b"".join(raw for *_, raw, _ in read) == data
    assert [t for part in read for t in part[0]] == texts
    assert [e for part in read for e in part[1]] == endings
    assert [bad for *_, bad in read] == [False, False, True]


def test_a_text_file_streamed_gives_the_bytes_of_a_whole_run(
    monkeypatch, default_engine: Engine
) -> None:
    page, size = _long_page()
    data = ("\ufeff" + page).encode("utf-8")
    _part_size(monkeypatch, size)
    whole = process_text(default_engine, data, Options())
    units = list(process_stream(default_engine, io.BytesIO(data), Options()))
    assert len(units) == 3 and [u.continued for u in units] == [False, True, True]
    assert b"".join(u.cleaned for u in units) == whole.cleaned
    assert b"".join(u.original for u in units) == data
    assert [r for u in units for r in u.removed] == whole.removed
    stats = Stats()
    for unit in units:
        stats.add(unit)
    assert (stats.documents, stats.changed) == (1, 1)


def test_a_streamed_file_that_would_lose_every_line_is_left_as_it_was(
    monkeypatch, default_engine: Engine
) -> None:
    data = ("Source link\n\n" * 6).encode()
    _part_size(monkeypatch, 4)
    units = list(process_stream(default_engine, io.BytesIO(data), Options()))
    assert len(units) > 1
    assert all(u.cleaned == u.original and not u.removed for u in units)
    assert [u.emptied for u in units] == [True] + [False] * (len(units) - 1)
    assert process_text(default_engine, data, Options()).emptied


def _count_parts(monkeypatch) -> list[int]:
    """The line count of each part ``read_parts`` gives from now on, as it gives them."""
    read: list[int] = []
    real = process_module.read_parts

    def counted(handle: BinaryIO, size: int | None = None) -> Iterator[Any]:
        for part in real(handle, size):
            read.append(len(part[0]))
            yield part

    monkeypatch.setattr(process_module, "read_parts", counted)
    return read


def test_clean_reads_a_huge_text_file_in_parts(tmp_path: Path, monkeypatch) -> None:
    page, size = _long_page()
    source = tmp_path / "huge.txt"
    source.write_text(page, encoding="utf-8", newline="")
    _part_size(monkeypatch, size)
    read = _count_parts(monkeypatch)
    results = {}
    for limit in (1, 10**12):  # cleaned as it is read; then whole, as any other file
        monkeypatch.setattr("cleaner.run.STREAM_BYTES", limit)
        out = tmp_path / f"out-{limit}"
        args = ["clean", str(source), "--output-dir", str(out), "--stats"]
        result = run_main(args, monkeypatch)
        assert result.code == 0, result.err
        explain = run_main(["clean", str(source), "--explain"], monkeypatch)
        results[limit] = ((out / "huge.txt").read_bytes(), explain.out, result.err)
    assert len(read) == 6  # three parts, twice: the streamed runs only
    streamed, whole = results[1], results[10**12]
    assert streamed[0] == whole[0] != page.encode()
    assert streamed[1] == whole[1] and "Source link" in streamed[1]
    assert "documents: 1\n" in streamed[2] and "documents changed: 1\n" in streamed[2]


def test_a_mid_sized_text_file_is_cleaned_in_parts_where_it_is_read(
    tmp_path: Path, monkeypatch
) -> None:
    """Under ``STREAM_BYTES`` but at ``PART_BYTES`` or more, a text file is cleaned part
    by part in the worker that reads it (its lines' state held a part at a time): the
    same bytes and explanations as cleaned whole, for each file of a batch."""
    page, size = _long_page()
    for name in ("one.txt", "two.txt"):
        (tmp_path / name).write_text(page, encoding="utf-8", newline="")
    _part_size(monkeypatch, size)
    read = _count_parts(monkeypatch)
    monkeypatch.setattr("cleaner.run.STREAM_BYTES", 10**12)
    results = {}
    for limit in (1, 10**12):  # in parts where it is read; then whole
        monkeypatch.setattr("cleaner.run.PART_BYTES", limit)
        out = tmp_path / f"out-{limit}"
        files = [str(tmp_path / "one.txt"), str(tmp_path / "two.txt")]
        # one worker, this process: the settings patched here hold there
        result = run_main(["clean", *files, "-j", "1", "--output-dir", str(out)], monkeypatch)
        assert result.code == 0, result.err
        explain = run_main(["clean", *files, "-j", "1", "--explain"], monkeypatch)
        written = [(out / name).read_bytes() for name in ("one.txt", "two.txt")]
        results[limit] = (written, explain.out)
    assert len(read) == 12  # three parts a file, two files, two runs: in parts only
    assert results[1] == results[10**12]
    assert results[1][0][0] != page.encode() and "Source link" in results[1][1]


def test_a_streamed_file_the_cleaner_leaves_alone_is_unchanged(
    monkeypatch, default_engine: Engine
) -> None:
    data = b"".join(b"line %d of a list\n" % i for i in range(40))
    _part_size(monkeypatch, 8)
    units = list(process_stream(default_engine, io.BytesIO(data), Options()))
    assert len(units) == 3  # blank-free lines: cut at twice the size (16, 16, 8)
    assert b"".join(u.cleaned for u in units) == data
    assert not any(u.changed for u in units)


def test_stdin_streams_in_parts_with_the_bytes_of_a_whole_run(
    monkeypatch, default_engine: Engine
) -> None:
    page, size = _long_page()
    data = page.encode("utf-8")
    _part_size(monkeypatch, size)
    whole = process_text(default_engine, data, Options())
    result = run_main(["clean"], monkeypatch, stdin=data)
    assert result.code == 0, result.err
    assert result.out_bytes == whole.cleaned != data


def test_the_lines_after_a_head_read_from_a_stream_are_the_streams_lines() -> None:
    data = b"first line\nsecond, long line\r\nthird\n\nlast without end"
    for cut in range(len(data) + 1):
        stream = io.BytesIO(data)
        head = stream.read(cut)
        assert list(lines_after(head, stream)) == list(io.BytesIO(data))


def test_empty_stdin_is_one_document_still(monkeypatch) -> None:
    result = run_main(["clean", "--stats"], monkeypatch, stdin=b"")
    assert result.code == 0 and result.out_bytes == b""
    assert "documents: 1\n" in result.err


def test_a_gzipped_text_file_is_large_by_what_it_unpacks_to(tmp_path: Path, monkeypatch) -> None:
    from cleaner.run import _large

    data = b"a line of text that repeats\n" * 5000
    packed = tmp_path / "big.txt.gz"
    packed.write_bytes(gzip.compress(data))
    assert packed.stat().st_size < len(data) // 10
    monkeypatch.setattr("cleaner.run.STREAM_BYTES", len(data))
    assert _large(packed)
    monkeypatch.setattr("cleaner.run.STREAM_BYTES", len(data) + 1)
    assert not _large(packed)


def test_a_rule_that_times_out_stays_off_for_the_rest_of_the_page(
    tmp_path: Path, monkeypatch
) -> None:
    spec = tmp_path / "evil.yaml"
    spec.write_text(
        "rules: [{id: evil, kind: line, timeout: 0.05, match: {regex: '^(a|aa)+(?<!a)$'}}]\n"
    )
    engine = Engine(load_rules([spec]))
    slow = "a" * 5000  # the pattern cannot match it, but must be tried on it
    lines = [slow, "", slow, "", slow, ""]
    _part_size(monkeypatch, 2)
    assert len(parts(lines)) == 3
    page = "\n".join(lines) + "\n"
    whole = engine.run(page)
    assert whole.text == page
    assert [t.line for t in whole.timeouts] == [1]  # once: not again in each part
    texts, endings = split(page)
    streamed = list(engine.run_parts([(texts[a:b], endings[a:b]) for a, b in parts(texts)]))
    assert [t.line for o in streamed for t in o.timeouts] == [1]
