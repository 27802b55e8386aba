"""The parallel map gives the units one process gives, in the same order."""

from __future__ import annotations

import json

import pytest

import cleaner
from cleaner import parallel
from cleaner.errors import InputError
from cleaner.process import Options, process_jsonl

PAGE = "Big news today, and the minister said so in a long sentence here.\nSource link\n"


def _rows(n: int) -> list[bytes]:
    rows = []
    for i in range(n):
        text = PAGE if i % 3 else f"Row {i} stays as it is."
        rows.append(json.dumps({"id": i, "text": text}).encode() + b"\n")
    return rows


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "CHUNK_ROWS", 4)


def test_jobs_two_equals_jobs_one() -> None:
    engine = cleaner.engine()
    rows = _rows(41)
    one = list(process_jsonl(engine, rows, Options(fmt="jsonl"), "rows.jsonl"))
    two = list(parallel.jsonl_units(engine, rows, Options(fmt="jsonl"), "rows.jsonl", 2))
    assert [u.cleaned for u in two] == [u.cleaned for u in one]
    assert [(u.line, u.removed) for u in two] == [(u.line, u.removed) for u in one]
    assert any(u.changed for u in two)


def test_error_names_the_row_in_the_file() -> None:
    rows = _rows(10)
    rows[6] = b"{not json\n"
    with pytest.raises(InputError, match=r"^rows.jsonl:7: malformed JSON"):
        list(parallel.jsonl_units(cleaner.engine(), rows, Options(fmt="jsonl"), "rows.jsonl", 2))


def test_a_byte_order_mark_counts_only_on_the_first_row_of_the_file() -> None:
    """Row 5 opens the second chunk: a worker must not take its U+FEFF for the file's BOM."""
    rows = _rows(8)
    rows[4] = "\ufeff".encode() + rows[4]
    opts = Options(fmt="jsonl")
    with pytest.raises(InputError, match=r"^rows.jsonl:5: malformed JSON"):
        list(process_jsonl(cleaner.engine(), rows, opts, "rows.jsonl"))
    with pytest.raises(InputError, match=r"^rows.jsonl:5: malformed JSON"):
        list(parallel.jsonl_units(cleaner.engine(), rows, opts, "rows.jsonl", 2))


def test_removals_pickle_as_themselves() -> None:
    import pickle

    from cleaner.process import Removed

    removed = Removed(3, "source-link", "Source link")
    back = pickle.loads(pickle.dumps([removed]))[0]
    assert type(back) is Removed and back == removed
    assert (back.line, back.rule_id, back.text) == (3, "source-link", "Source link")


def test_chunks_keep_numbers_and_bound_size() -> None:
    got = list(parallel.chunks(iter(_rows(10))))
    assert [first for first, _ in got] == [1, 5, 9]
    assert sum(len(c) for _, c in got) == 10


def test_ordered_map_is_lazy() -> None:
    """Only a bounded number of items is taken from the input ahead of the output."""
    taken = 0

    def items():
        nonlocal taken
        for _ in range(10_000):
            taken += 1
            yield (PAGE.encode(), Options())

    out = parallel.text_units(cleaner.engine(), items(), 2)
    next(out)
    assert taken <= 2 * parallel.IN_FLIGHT_PER_JOB + 1
    out.close()


def test_stats_count_documents_bytes_and_rules() -> None:
    from cleaner.stats import Stats

    stats = Stats()
    rows = _rows(6)
    for unit in parallel.jsonl_units(cleaner.engine(), rows, Options(fmt="jsonl"), "r", 2):
        stats.add(unit)
    report = stats.report()
    assert "documents: 6" in report
    assert f"bytes in: {sum(map(len, rows))}" in report
    assert "lines removed: 4" in report
    assert "source-link: 4" in report
