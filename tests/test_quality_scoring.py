"""The benchmark scorer follows ../shared/README.md and reproduces its reference row."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def _quality():
    spec = importlib.util.spec_from_file_location("quality", ROOT / "benchmarks" / "quality.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["quality"] = module
    spec.loader.exec_module(module)
    return module


q = _quality()


def test_shingles_are_four_token_multisets() -> None:
    assert sum(q.shingles("a b c d e").values()) == 2
    assert q.shingles("a b") == {("a", "b"): 1}  # short text: one shingle
    assert not q.shingles("")


def test_shingle_counts_and_perfect_output() -> None:
    gold = "one two three four five six"
    assert q.shingle_counts(gold, gold) == (3, 0, 0)
    assert q.precision_recall(*q.shingle_counts(gold, gold)) == (1.0, 1.0)
    assert q.precision_recall(*q.shingle_counts(gold, "")) == (0.0, 0.0)
    tp, fp, fn = q.shingle_counts(gold, "one two three four menu")
    assert (tp, fp, fn) == (1, 1, 2)


def test_news_averages_per_document() -> None:
    score = q.score_news([("a b c d", "a b c d"), ("a b c d", "x y z w")])
    assert score.precision == pytest.approx(0.5)
    assert score.recall == pytest.approx(0.5)
    assert score.f1 == pytest.approx(0.5)


def test_web_segments_collapse_whitespace_and_sum() -> None:
    counts = q.segment_counts("Keep  this\nline. Menu", ["Keep this line."], ["Menu", "Footer"])
    assert counts == (1, 0, 1, 1)
    score = q.score_web([counts, (1, 1, 0, 2)])
    assert score.precision == pytest.approx(2 / 3)
    assert score.recall == pytest.approx(2 / 3)


def test_c4_filter_keeps_sentences_only() -> None:
    text = "Home\nThe council met on Tuesday.\nRead our privacy policy here.\nShort one."
    assert q.c4_filter(text) == "The council met on Tuesday."


@pytest.mark.skipif(
    not (SHARED / "benchdata").is_dir(),
    reason="../shared/benchdata is absent (it ships beside the repository only)",
)
def test_no_cleaning_reproduces_reference_figures() -> None:
    data = SHARED / "benchdata"
    news = q.load_news(data)
    web = q.load_web(data, html=False)
    n = q.score_news((r["gold"], r["text"]) for r in news)
    w = q.score_web(q.segment_counts(r["text"], r["with"], r["without"]) for r in web)
    assert (round(n.precision, 3), round(n.recall, 3), round(n.f1, 3)) == (0.457, 0.993, 0.626)
    assert (round(w.precision, 3), round(w.recall, 3), round(w.f1, 3)) == (0.530, 0.988, 0.690)


def test_markdown_is_read_as_the_shared_readme_says() -> None:
    text = "## [Home](/a_(b)) ![Logo](l.png) **bold** `code` > quote | cell"
    assert q.markdown_text(text).split() == ["Home", "Logo", "bold", "code", "quote", "cell"]
    assert q.markdown_text("[![](x.png)](/y)") == ""


def test_the_markdown_no_cleaning_row_reproduces_the_reference() -> None:
    data = SHARED / "benchdata"
    if not (data / "news-dev-md.jsonl.gz").exists():
        pytest.skip("the shared benchmark data sits beside the checkout")
    news = q.load_news(data)
    web = q.load_web(data, html=False)
    md_news = list(q.read_jsonl(data / "news-dev-md.jsonl.gz"))
    md_web = list(q.read_jsonl(data / "web-dev-md.jsonl.gz"))
    raw = q.markdown_scores(news, web, md_news, md_web, systems=("raw",))
    assert round(raw["no cleaning (Markdown)"]["news"].f1, 3) == 0.606
    assert round(raw["no cleaning (Markdown)"]["web"].f1, 3) == 0.669


def test_rendered_segments_keep_what_both_renderings_hold() -> None:
    plain = {
        "id": "a",
        "text": "Die Prämie gilt.\nSee the docs here.\nMenu",
        "with": ["Die Prämie gilt.", "See the docs here."],
        "without": ["Menu", "Footer"],
    }
    md = {"id": "a", "text": "Die Pramie gilt.\n\nSee the [docs](/d) here.\n\n* Menu\n* Footer"}
    other = {"id": "b", "text": "x", "with": ["x"], "without": []}
    (row,) = q.rendered_segments([plain, other], [md])
    # the rendering folded "ä"; the plain text lacks "Footer", and page b has no rendering
    assert row["with"] == ["See the docs here."]
    assert row["without"] == ["Menu"]
    assert row["text"] == plain["text"]
