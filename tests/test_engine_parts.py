"""A very long page is cleaned in parts: each part decides as a page of its own would,
and the parts join into one outcome numbered by the input's lines."""

from __future__ import annotations

import importlib

from cleaner.engine import Engine, parts

from .conftest import FIXTURES

engine_module = importlib.import_module("cleaner.engine")  # the module, not cleaner.engine()


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
