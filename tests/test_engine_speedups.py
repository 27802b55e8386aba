"""The engine's shortcuts never change a decision: prefilters, the run memo, the rule cache."""

from __future__ import annotations

import gzip
import json
import pickle
from pathlib import Path

import cleaner
from cleaner import cache
from cleaner.engine import Engine
from cleaner.loader import load_rules
from cleaner.matching import DIGIT, Matcher, required_literals
from cleaner.page import Memo, Page

from .conftest import FIXTURES, shared_or_skip


def _decisions(engine: Engine, text: str, url: str | None) -> tuple:
    out = engine.run(text, url)
    marks = [(d.number, d.rule_id, tuple(d.spans)) for d in out.decisions if not d.kept or d.spans]
    return out.text, marks, out.timeouts


def _every_line(self: Page, matcher: Matcher) -> list[int]:
    return [i for i, b in enumerate(self.blank) if not b]


def test_prefilter_and_memo_match_trying_every_line(monkeypatch, default_engine):
    """Every rule tried on every line, with nothing remembered, decides the same."""
    path = shared_or_skip("benchdata", "web-dev.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        pages = [json.loads(line) for line in fh][::10]
    fast = [_decisions(default_engine, p["text"], p["url"]) for p in pages]
    monkeypatch.setattr(Page, "candidates", _every_line)
    monkeypatch.setattr(Page, "search", lambda self, m, i: m.search(self.texts[i]))
    slow = [_decisions(default_engine, p["text"], p["url"]) for p in pages]
    assert fast == slow


def test_character_sets_and_digits_are_required_literals():
    literals, _ = required_literals(r"^\s*\w+(?:\s+(?:>|»|/)\s+\w+){1,6}\s*$")
    assert literals == {">", "»", "/"}
    assert required_literals(r"^\d{4}-\d{2}$")[0] in ({DIGIT}, {"-"})
    assert required_literals(r"[^>]+") is None  # a negated set needs no particular character


def test_a_non_ascii_digit_still_makes_a_candidate():
    matcher = Matcher({"regex": r"^\d+$"})
    page = Page(["no digits here", "\u0663\u0664", "42", ""])
    assert page.candidates(matcher) == [1, 2]


def test_a_cut_line_is_read_again_on_the_next_page():
    """A literal that only appears once a span is cut out still makes the line a candidate."""
    matcher = Matcher({"regex": "ab"})
    memo = Memo()
    first = Page(["aXb", "ab"], [0, 1], memo)
    assert first.candidates(matcher) == [1]
    memo.changed(0)
    second = Page(["ab", "ab"], [0, 1], memo)
    assert second.candidates(matcher) == [0, 1]


def test_inline_cut_then_line_rule(tmp_path):
    rules = tmp_path / "r.yaml"
    rules.write_text(
        "rules:\n"
        "  - id: cut\n    kind: inline\n    match: {regex: ' \\[x\\]'}\n"
        "  - id: drop\n    kind: line\n    match: {regex: '^Read more$'}\n",
        encoding="utf-8",
    )
    engine = cleaner.engine([rules], default_rules=False)
    out = engine.run("Read more [x]\nKeep this.\n")
    assert out.text == "Keep this.\n"
    assert out.decisions[0].rule_id == "drop"


def test_rule_cache_round_trip(tmp_path, monkeypatch):
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path))
    first = cleaner.engine()
    entries = list(tmp_path.glob("rules-*.pickle"))
    assert len(entries) == 1
    second = cleaner.engine()  # from the entry
    text = (FIXTURES / "article.txt").read_text(encoding="utf-8")
    assert first.run(text).text == second.run(text).text
    assert [r.id for r in first.rules] == [r.id for r in second.rules]


def test_a_broken_cache_entry_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path))
    cleaner.engine()
    (entry,) = tmp_path.glob("rules-*.pickle")
    entry.write_bytes(b"not a pickle")
    assert len(cleaner.engine().rules) > 0
    pickle.loads(entry.read_bytes())  # rewritten whole


def test_a_changed_rule_file_misses_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path / "cache"))
    rules = tmp_path / "r.yaml"
    rules.write_text("rules:\n  - id: a\n    kind: line\n    match: {regex: x}\n")
    assert [r.id for r in load_rules([rules])] == ["a"]
    rules.write_text("rules:\n  - id: b\n    kind: line\n    match: {regex: x}\n")
    assert [r.id for r in load_rules([rules])] == ["b"]


def test_no_cache_dir_means_no_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CLEANER_CACHE_DIR", "")
    assert cache.cache_dir() is None
    assert cache.cached("rules", "k", lambda: 7) == 7


def test_an_unwritable_cache_dir_only_costs_speed(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(blocker / "sub"))
    assert cache.cached("rules", "k", lambda: [1]) == [1]
    assert not Path(blocker / "sub").exists()


def test_white_space_the_pattern_skips_is_what_lstrip_strips():
    """``^\\s*`` prefilters read lines stripped with ``str.lstrip``: it must strip every
    character ``\\s`` matches, or a matching line could be missed."""
    import sys

    import regex

    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)
    assert all(c.isspace() for c in regex.findall(r"\s", every))


def test_line_heads_of_anchored_patterns():
    from cleaner.matching import line_heads

    heads, _ = line_heads(r"^\s*(?:Tags?|Topics|About(\s+Us)?)\s*:")
    assert heads == {"Tag", "Topics", "About"}
    assert line_heads(r"^\s*(?:Read|See)\s+(also|more)$")[0] == {"Read", "See"}
    assert line_heads(r"^\s*(?:Next)?\s*»$") is None  # may start with white space or »
    assert line_heads(r"Tags:") is None  # not anchored


def test_phrases_and_heads_find_indented_lines():
    page = Page(["  Source link", "Source linked", "x Source link", "\u00a0Source link"])
    # "Source linked" starts with the phrase but is longer than it: no candidate
    assert page.candidates(Matcher({"phrases": ["Source link"]})) == [0, 3]
    tags = Matcher({"regex": r"^\s*Tags?:", "ignore_case": True})
    assert Page(["TAGS: a", " tag: b", "no tags: c"]).candidates(tags) == [0, 1]


def test_per_text_computes_once_per_text():
    memo = Memo()
    calls: list[str] = []

    def words(text: str) -> int:
        calls.append(text)
        return len(text.split())

    assert memo.per_text("words", "a b", words) == 2
    assert memo.per_text("words", "a b", words) == 2
    assert memo.per_text("other", "a b", words) == 2
    assert calls == ["a b", "a b"]
