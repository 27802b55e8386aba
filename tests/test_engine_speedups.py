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


def _every_hit(self: Page, matcher: Matcher) -> tuple[list[int], None]:
    return [i for i in _every_line(self, matcher) if matcher.search(self.texts[i])], None


def test_prefilter_and_memo_match_trying_every_line(monkeypatch, default_engine):
    """Every rule tried on every line, with nothing remembered, decides the same."""
    path = shared_or_skip("benchdata", "web-dev.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        pages = [json.loads(line) for line in fh][::10]
    fast = [_decisions(default_engine, p["text"], p["url"]) for p in pages]
    monkeypatch.setattr(Page, "candidates", _every_line)
    monkeypatch.setattr(Page, "search", lambda self, m, i: m.search(self.texts[i]))
    monkeypatch.setattr(Page, "hits", _every_hit)
    slow = [_decisions(default_engine, p["text"], p["url"]) for p in pages]
    assert fast == slow


def test_character_sets_and_digits_are_required_literals():
    literals, _ = required_literals(r"^\s*\w+(?:\s+(?:>|»|/)\s+\w+){1,6}\s*$")
    assert literals == {">", "»", "/"}
    assert required_literals(r"^\d{4}-\d{2}$")[0] in ({DIGIT}, {"-"})
    assert required_literals(r"[^>]+") is None  # a negated set needs no particular character


def test_a_lookahead_requires_its_literals_but_a_negative_one_does_not():
    assert required_literals(r"^(?=.*affiliate).{0,80}$")[0] == {"affiliate"}
    assert required_literals(r"^(?!.*affiliate).{0,80}$") is None


def test_required_literals_spell_out_small_sets():
    assert required_literals(r"\s+\([cC]\)\s")[0] == {"(c)", "(C)"}  # not just "("
    assert required_literals(r"g[łl][oó]wna")[0] == {"główna", "glówna", "głowna", "glowna"}
    # more than MAX_SET ways: the spelling stops and starts again
    assert all(len(x) == 1 for x in required_literals(r"[a-z][a-z]")[0])


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


def test_a_cut_line_is_read_again_through_the_literal_table():
    from cleaner.page import LiteralTable

    heads = Matcher({"regex": r"^\s*Tags?:", "ignore_case": True})
    anywhere = Matcher({"regex": "ab"})
    digits = Matcher({"regex": r"\d\d"})  # a class found anywhere
    memo = Memo(LiteralTable([heads, anywhere, digits]))
    first = Page(["aXb", "Photo Tags: a", "yy", "ab"], [0, 1, 2, 3], memo)
    assert [first.candidates(m) for m in (heads, anywhere, digits)] == [[], [3], []]
    for origin in (0, 1, 2):
        memo.changed(origin)
    second = Page(["ab", "tags: a", "12", "ab"], [0, 1, 2, 3], memo)
    assert [second.candidates(m) for m in (heads, anywhere, digits)] == [[1], [0, 3], [2]]


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


def test_line_heads_spell_out_small_sets_and_groups():
    from cleaner.matching import line_heads

    assert line_heads(r"^\s*S[ií]guenos\s+en")[0] == {"Siguenos", "Síguenos"}
    assert line_heads(r"^\s*Folg(?:e|t)\s+uns")[0] == {"Folge", "Folgt"}
    assert line_heads(r"^\s*[Bb]y\s")[0] == {"By", "by"}
    assert line_heads(r"^\s*Foo(?:d|)\s")[0] == {"Foo"}  # an empty branch ends the spelling
    assert line_heads(r"^\s*(?i:a)bc") is None  # a group with its own case rule: no heads


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


def test_line_limits_of_whole_line_patterns():
    from cleaner.matching import Limits, line_limits

    assert line_limits(r"^\s*Home\s*$") == Limits(4, 4)
    assert line_limits(r"^\s*(?:Home|Read\s+more)\s*[:.]?\s*$") == Limits(9, 8)
    assert line_limits(r"^\s*\d+\s+min\s+read$") == Limits(None, 7)  # digits hold no letter
    assert line_limits(r"^a$|^bc$") == Limits(2, 2)
    assert line_limits(r"^\s*Home") is None  # may go on after the word
    assert line_limits(r"Home\s*$") is None
    assert line_limits(r"^.*$") is None
    assert line_limits(r"^a$|bc$") is None  # one branch not anchored
    assert line_limits(r"^(?:abc){e<=1}$") is None  # fuzzy: a match may hold more


def test_limits_never_drop_a_line_the_pattern_matches():
    from cleaner.matching import latin_letters

    matcher = Matcher({"regex": r"^\s*(?:\d+\s+min\s+read|Home)\s*$", "ignore_case": True})
    assert matcher.limits is not None
    lines = [
        "123456789012345678901234567890 min read",
        "  \t HOME \u00a0 ",
        "\u0661\u0662 min read",  # Arabic-Indic digits are \\d too
        "12 min read more",
        "Home page of the site",
    ]
    for line in lines:
        if matcher.limits.exceeded(line):
            assert matcher.search(line) is None, line
    assert not matcher.limits.exceeded(lines[0]) and matcher.limits.exceeded(lines[4])
    assert latin_letters("Zürich – Łódź") == 8  # Ł and ó... only Latin-1 letters count


def test_limits_hold_on_every_dev_line(default_engine):
    """No line a default matcher finds anything in is ever over that matcher's limits."""
    path = shared_or_skip("benchdata", "news-dev.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        lines = {t for row in fh for t in json.loads(row)["text"].split("\n") if t.strip()}
    limited = [m for r in default_engine.rules for m in r.matchers() if m.limits is not None]
    assert len(limited) > 10
    for matcher in limited:
        for line in lines:
            if matcher.limits.exceeded(line):
                assert matcher.search(line) is None, (matcher.limits, line)


def test_measure_with_the_run_memo_equals_a_fresh_measure():
    from cleaner.kinds.content import measure

    path = shared_or_skip("benchdata", "web-dev.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        pages = [json.loads(line)["text"].split("\n") for line in fh][::25]
    for texts in pages:
        memo = Memo()
        blank = [not t.strip() for t in texts]
        assert measure(texts, blank, memo) == measure(texts, blank)
        half = texts[: len(texts) // 2]  # a later pass sees fewer lines: language told anew
        assert measure(half, blank[: len(half)], memo) == measure(half, blank[: len(half)])


def test_language_vote_adds_up_as_before():
    """``detect`` skips words no list holds; every score must still be the same sum."""
    from collections import Counter

    from cleaner import language

    def reference(tokens: list[str]) -> str | None:
        names, holders = language.stoplist_index()
        scores = [0.0] * len(names)
        for word, n in Counter(tokens).items():
            held = holders.get(word)
            if held:
                vote = n / len(held)
                for i in held:
                    scores[i] += vote
        best = max(range(len(scores)), key=scores.__getitem__, default=None)
        return None if best is None or scores[best] <= 0 else names[best]

    path = shared_or_skip("benchdata", "web-dev.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        pages = [json.loads(line)["text"].lower() for line in fh][::5]
    for page in pages:
        for tokens in (page.split(), page.split()[:40]):
            assert language.detect(tokens) == reference(tokens)


def test_literal_table_finds_what_scanning_each_literal_finds(default_engine):
    """One automaton pass per fold gives each matcher the lines one scan per literal gives."""
    path = shared_or_skip("benchdata", "web-dev.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        pages = [json.loads(line)["text"].split("\n") for line in fh][::20]
    pages.append(["pap", "x\ud83dap", "", "(c) 2024", "©", "a|b"])  # overlaps, surrogates
    matchers = [m for r in default_engine.rules for m in r.matchers() if m.plan is not None]
    table = default_engine.table
    assert table.anywhere  # the default rules do have literals found anywhere
    for texts in pages:
        batched, alone = Page(texts, memo=Memo(table)), Page(texts)
        for matcher in matchers:
            assert batched.candidates(matcher) == alone.candidates(matcher)


def test_local_rules_reading_only_cut_lines_on_a_rerun_decide_the_same(monkeypatch, default_engine):
    """A stage run again gives local rules only the lines cut since; running them on
    every line again decides the same."""
    from cleaner.kinds.inline import InlineRule
    from cleaner.kinds.line import LineRule

    path = shared_or_skip("benchdata", "news-dev.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        pages = [json.loads(line) for line in fh][::7]
    fast = [_decisions(default_engine, p["text"], p["url"]) for p in pages]
    monkeypatch.setattr(LineRule, "local", False)
    monkeypatch.setattr(InlineRule, "local", False)
    slow = [_decisions(default_engine, p["text"], p["url"]) for p in pages]
    assert fast == slow


def test_page_median_is_numpys():
    """The line model's median of prose lengths is ``np.median``'s, to the last bit."""
    import random

    import numpy as np

    from cleaner.features import _median

    rng = random.Random(7)
    for _ in range(3000):
        n = rng.randrange(1, 40)
        words = np.expm1(np.log1p([float(rng.randrange(300)) for _ in range(n)]))
        uneven = np.array([rng.uniform(0, 1e3) for _ in range(n)])
        for values in (words, uneven):
            assert _median(values) == float(np.median(values))


def test_word_count_takes_the_kernel_only_where_regex_agrees():
    """``word_count`` counts a non-ASCII line with the kernel (``re``'s ``\\w``) only when
    every character reads alike to ``regex``: the count is always ``regex``'s."""
    import sys

    import regex

    from cleaner.textstats import CJK, word_count

    words = regex.compile(r"\w+")

    def reference(text: str) -> int:
        cjk = len(CJK.findall(text))
        if cjk:
            return len(words.findall(CJK.sub(" ", text))) + cjk // 2
        return len(words.findall(text))

    codes = [*range(0x80, 0x3000), *range(0x3000, sys.maxunicode + 1, 97)]
    for code in codes:
        if 0xD800 <= code <= 0xDFFF:
            continue
        c = chr(code)
        for text in (f"é{c}x", f"ü {c} a{c}{c}b ½"):
            assert word_count(text) == reference(text), hex(code)
