"""The Hyperscan pass (``cleaner.scan``) only spares the exact patterns lines they cannot
match: it misses no line a pattern matches, and the engine decides the same with it and
without it."""

from __future__ import annotations

import gzip
import json

import pytest
import regex

import cleaner
from cleaner import scan
from cleaner.document import split
from cleaner.engine import Engine
from cleaner.matching import Matcher, MatchTimeout
from cleaner.page import Memo, Page
from tests.conftest import FIXTURES, shared_or_skip

needs_hyperscan = pytest.mark.skipif(
    scan.hyperscan() is None, reason="hyperscan is not installed: the engine takes the pure path"
)

DEV_SETS = ("news-dev", "web-dev", "sites-dev")

#: lines that stress the conversion: non-ASCII classes and case, characters ignore-case
#: folds onto ASCII, anchors, words at the edges, long runs
SYNTHETIC = [
    "Copyright © 2024 Example Media. All rights reserved.",
    "© 2019 Zeitung GmbH – Alle Rechte vorbehalten",
    "Tous droits réservés",
    "ÉTÉ À PARIS",
    "By JOHN SMITH and Ana Núñez | March 3, 2021",
    "Von Jürgen Müller, 12.03.2021, 14:05 Uhr",
    "Foto: dpa/Jörg Carstensen",
    "Photo by Jason Kempin/Getty Images",
    "Read more: Alibaba poised to launch record-breaking $13.4bn Hong Kong listing",
    "[Related: Snapshots of Our Universe ]",
    "Share this: Facebook Twitter Email",
    "Teilen • Drucken • E-Mail",
    "« Previous Post | Next Post »",
    "Home > News > World",
    "Startseite › Politik › Ausland",
    "Leave a Comment",
    "No comments:",
    "Source link",
    "Advertisement",
    "Straße der Einheit 5",
    "STRASSE",
    "ΣΊΣΥΦΟΣ σίσυφος ς",
    "東京 2020年3月3日 記者",
    "emoji 😀 line 😀",
    "\t  indented\tline with tabs  ",
    "a" * 500,
    "x",
    "12",
    "Kelvin \u212a sign and long \u017f s",
    "\u0130stanbul and dotless \u0131",
    "lone \ud800 surrogate",
    "Subscribe to our newsletter",
    "SUBSCRIBE TO OUR NEWSLETTER",
    "Sign up for our newsletter!",
    "Posted on January 5, 2020 by admin",
    "5 min read",
    "Updated: 2021-03-04 10:00",
]

#: patterns that use the constructs the converter reads loosely
CONSTRUCTS = [
    r"(?<=\d)\s*min\b",
    r"^(?=.*\d)(?!.*[.!?]$)\S+(?:\s+\S+){0,5}$",
    r"(\w+)-\1",
    r"(?i)straße|σίσυφος",
    r"(?i:k)elvin",
    r"\p{Lu}{2,}\s+\p{Ll}+",
    r"[^\s\p{Ll}]\S*:",
    r"(?>a+)b|c++d",
    r"\bzq\b",
    r"a*",
    r"^$",
    r"foo$|^bar",
    r"x\ny",
    r"[À-ÿ]{3}",
    r"(?i)[k-l]zz",
    r"(?i)[^k]zz",
    r"\d{2,4}[./-]\d{1,2}",
    r"^(?:(?-i:[A-Z])|x)(?i:y)$",
    # a lookahead with no line start before it looks anywhere on the line
    r"(?=\d)\w+",
    r"(?=[A-Z]{3})\w+",
    r"^.{0,40}?abc$",
]


def _default_matchers(engine: Engine) -> list[Matcher]:
    return list({id(m): m for m in engine._matchers()}.values())


def _every_example() -> list[str]:
    engine = cleaner.engine()
    lines = list(SYNTHETIC)
    for rule in engine.rules:
        lines += [*rule.chrome_examples, *rule.keep_examples]
    lines += (FIXTURES / "article.txt").read_text(encoding="utf-8").split("\n")
    return [line for text in lines for line in text.split("\n")]


def test_the_characters_ignore_case_folds_onto_ascii_are_the_known_ones() -> None:
    """A page holding one of these takes the pure path: the scan keeps ASCII exact."""
    beyond = scan._every_character()[128:]
    found = set(regex.findall(r"(?i)[\x00-\x7f]", beyond))
    assert found == set(scan.FOLDS_TO_ASCII)
    for char, ascii in scan.FOLDS_TO_ASCII.items():
        ascii_chars = map(chr, range(128))
        partners = {c for c in ascii_chars if regex.fullmatch(regex.escape(c), char, regex.I)}
        assert partners and partners <= set(ascii)  # both cases: a few more is safe


@needs_hyperscan
def test_pages_it_cannot_vouch_for_take_the_pure_path(default_engine: Engine) -> None:
    scanner = default_engine.scanner
    assert scanner is not None
    for line in ("\u212a", "\u017f", "\u0130", "\u0131", "lone \ud800 surrogate"):
        assert scanner.scan(["Advertisement", line]) is None
    assert scanner.scan(["Advertisement", "Straße"]) is not None


def _misses(scanner: scan.Scanner, matchers: list[Matcher], lines: list[str]) -> list[str]:
    found = scanner.scan(lines)
    assert found is not None
    out = []
    for matcher in matchers:
        if id(matcher) not in scanner.covered:
            continue
        for i, line in enumerate(lines):
            try:
                hit = matcher._search(line) is not None
            except MatchTimeout:
                continue
            if hit and i not in found[id(matcher)]:
                out.append(f"{matcher._sources[:1]!r} on {line!r}")
    return out


@needs_hyperscan
def test_the_scan_misses_no_line_a_default_rule_matches_synthetic(default_engine: Engine) -> None:
    scanner = default_engine.scanner
    assert scanner is not None
    matchers = _default_matchers(default_engine)
    assert len(scanner.covered) >= len(matchers) * 3 // 4  # most take the fast path
    lines = [line for line in _every_example() if scanner.scan([line]) is not None]
    assert len(lines) > 200
    assert _misses(scanner, matchers, lines) == []


@needs_hyperscan
@pytest.mark.parametrize("ignore_case", [False, True])
def test_the_scan_misses_no_line_a_tricky_construct_matches(ignore_case: bool) -> None:
    matchers = [Matcher({"regex": p, "ignore_case": ignore_case}) for p in CONSTRUCTS]
    matchers.append(Matcher({"phrases": ["Leave a Comment"], "contains": ["©"]}))
    scanner = scan.Scanner([matchers])
    # "a*" and "^$" match an empty line, and ignoring case "\p{Lu}{2,}\s+\p{Ll}+" and
    # "(?=[A-Z]{3})\w+" match plain prose: they keep the old path, as the scan would
    # not narrow them
    assert len(scanner.covered) == len(matchers) - 2 - 2 * ignore_case
    lines = [line for line in SYNTHETIC if scanner.scan([line]) is not None]
    lines += ["ab-ab", "2021-03", "AB cd", "Kelvin", "kelvin", "aaab", "ccd", "xY", "foo", "bar"]
    lines += ["B: x", "a zq b", "KZZ", "lzz", "ÀÉÎ", "xzz", "Xy", "xy"]
    lines += ["abc 123", "see the NASA report", "123 abc", "the label reads abc"]
    assert _misses(scanner, matchers, lines) == []


def test_a_requirement_prose_past_ascii_meets_is_left_out_while_another_narrows() -> None:
    # "(?=.*\\d)" reads any character past ASCII as a possible digit: on a German page it
    # would report nearly every line; "Seite" narrows alone, so the lookahead goes
    (alternative,) = scan.superset(r"(?=.*\d)Seite")
    assert [pattern for pattern, _ in alternative] == [b"(?:Seite)[^\\n]*$"]
    # a word alone meets any prose: the lookahead is all that narrows, so it stays
    (alternative,) = scan.superset(r"(?=.*\d)\w")
    assert len(alternative) == 1 and b"0-9" in alternative[0][0]


def test_a_line_start_and_any_text_after_it_are_left_out() -> None:
    # "^.{0,40}?" lets the rest start anywhere in the line: written without it, the
    # pattern names the same lines, and Hyperscan stops following it from every start
    assert scan.superset(r"^.{0,40}?abc$") == [((b"(?:abc)$", False),)]
    assert scan.superset(r"^[^\n]*?xyz") == [((b"(?:xyz)[^\\n]*$", False),)]
    # a lookahead at the line start is read the same way: "^(?=.*\d)" needs a digit
    (alternative,) = scan.superset(r"^(?=.*\d)\w")
    assert alternative[0][0].startswith(b"(?:(?:[0-9]")
    # "\s*" is not any text: the line must start with it, so the anchor stays
    assert scan.superset(r"^\s*abc")[0][0][0].startswith(b"^")


@needs_hyperscan
@pytest.mark.parametrize("name", DEV_SETS)
def test_the_fast_candidates_drop_no_line_a_pattern_matches_dev_pages(
    default_engine: Engine, name: str
) -> None:
    """Rule by rule on every dev page: each line the pure path would try but the scan
    rules out is one the exact pattern finds nothing in (the pure path's own
    prefilters are checked against every line in ``test_engine_speedups``)."""
    path = shared_or_skip("benchdata", f"{name}.jsonl.gz")
    engine = default_engine
    matchers = [m for m in _default_matchers(engine) if id(m) in engine.scanner.covered]
    verdicts: dict[tuple[int, str], bool] = {}
    with gzip.open(path, "rt", encoding="utf-8") as rows:
        for row in rows:
            texts, _ = split(json.loads(row)["text"])
            fast_memo = engine._memo(texts)
            if fast_memo.table is engine.table:
                continue  # a page the scan cannot vouch for: the pure path runs on it
            pure, fast = Page(texts, None, Memo(engine.table)), Page(texts, None, fast_memo)
            for matcher in matchers:
                ruled_out = set(pure.candidates(matcher)) - set(fast.candidates(matcher))
                for i in ruled_out:
                    key = (id(matcher), texts[i])
                    if key not in verdicts:
                        try:
                            verdicts[key] = matcher._search(texts[i]) is not None
                        except MatchTimeout:
                            verdicts[key] = False  # the engine sees no match either
                    assert not verdicts[key], (matcher._sources[:1], texts[i])


def _decisions(engine: Engine, text: str, url: str | None) -> tuple:
    out = engine.run(text, url)
    decided = [(d.number, d.rule_id, tuple(map(tuple, d.spans))) for d in out.decisions]
    return out.text, decided, [(t.rule_id, t.line) for t in out.timeouts]


@pytest.fixture(scope="module")
def both_engines() -> tuple[Engine, Engine]:
    rules = cleaner.engine().rules
    return Engine(rules, fast=True), Engine(rules, fast=False)


@needs_hyperscan
@pytest.mark.parametrize("name", ("news-dev", "web-dev"))
def test_decisions_are_the_same_with_and_without_the_scan_dev_pages(
    both_engines: tuple[Engine, Engine], name: str
) -> None:
    path = shared_or_skip("benchdata", f"{name}.jsonl.gz")
    fast, pure = both_engines
    assert fast.scanner is not None and pure.scanner is None
    with gzip.open(path, "rt", encoding="utf-8") as rows:
        for row in rows:
            page = json.loads(row)
            url = page.get("url") or None
            assert _decisions(fast, page["text"], url) == _decisions(pure, page["text"], url)


@needs_hyperscan
def test_decisions_are_the_same_with_and_without_the_scan_seeds_and_synthetic(
    both_engines: tuple[Engine, Engine],
) -> None:
    fast, pure = both_engines
    article = (FIXTURES / "article.txt").read_text(encoding="utf-8")
    texts = ["\n".join(SYNTHETIC), "\r\n".join(SYNTHETIC[:-8]), article]
    seeds = shared_or_skip("seeds")
    texts += [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]
    for text in texts:
        assert _decisions(fast, text, None) == _decisions(pure, text, None)


def test_pure_python_is_chosen_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEANER_PURE_PYTHON", "1")
    engine = Engine(cleaner.engine().rules)
    assert engine.scanner is None
    assert engine.run("Advertisement\nKept line.\n").text == "Kept line.\n"


@needs_hyperscan
def test_a_database_is_compiled_once_then_read_from_the_cache(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(scan, "_told", False)
    monkeypatch.setattr(scan, "_LOADED", {})
    monkeypatch.setattr(scan, "LARGE", 0)  # even a small group goes to the disk cache
    matchers = [Matcher({"regex": r"^Advert\w+$"}), Matcher({"regex": r"(?i)subscribe"})]
    first = scan.Scanner([matchers])
    assert "compiling the rules" in capsys.readouterr().err
    assert len(list(tmp_path.glob("scan-*.pickle"))) == 1
    monkeypatch.setattr(scan, "_told", False)
    monkeypatch.setattr(scan, "_LOADED", {})
    second = scan.Scanner([matchers])  # from the disk entry: nothing compiled
    assert capsys.readouterr().err == ""
    lines = ["Advertisement", "Please SUBSCRIBE now", "kept"]
    first_found = first.scan(lines)
    second_found = second.scan(lines)
    assert first_found is not None and second_found is not None
    assert sorted(map(sorted, first_found.values())) == sorted(map(sorted, second_found.values()))
    assert sorted(map(sorted, first_found.values())) == [[0], [1]]
