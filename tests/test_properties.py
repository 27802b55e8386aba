"""Property tests: article sentences survive the default rules, injected chrome does not.

Documents are generated from real-looking article prose (multi-sentence paragraphs,
quotes, numbers, one-line paragraphs, sentences that lost their final stop, sub-headings
over the paragraph they introduce, several languages and scripts) with chrome drawn
from the rules' own ``chrome`` examples placed where that chrome lives on a page:
single chrome lines anywhere between paragraphs, list blocks before a paragraph of
prose, headers on top, footers below."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import cleaner
from cleaner.engine import Engine
from cleaner.kinds.model import precise
from cleaner.loader import default_rules_dir, load_rules

ENGINE = cleaner.engine()
# what the generic tail rules take for the end of an article ("Tags ...", "Comments")
TAIL_MARKERS = [r.match for r in ENGINE.rules if r.kind == "tail" and r.scope.generic and r.match]


def _tail_marker(line: str) -> bool:
    return any(m.search(line) for m in TAIL_MARKERS)


# what the generic block rules take for a list's heading ("Most read in world news")
BLOCK_HEADS = [r.match for r in ENGINE.rules if r.kind == "block" and r.scope.generic and r.match]


def _block_head(line: str) -> bool:
    return any(m.search(line) for m in BLOCK_HEADS)


WORDS = {
    "en": (
        "the council minister city report government people water school river market share "
        "source comments tags price bridge village season army border talks week year police "
        "court storm hospital farmers children workers museum station budget election voters "
        "harbour said told agreed warned expected announced opened closed rose fell signed "
        "new old local national several many few quiet early late with from after before "
        "into over under about between during against without because while and but or"
    ).split(),
    "de": (
        "der die das Stadt Regierung Bericht Wasser Schule Fluss Markt Preis Brücke Dorf "
        "Jahr Woche Polizei Gericht Sturm Krankenhaus Kinder sagte erklärte warnte öffnete "
        "neue alte viele einige mit nach vor über unter zwischen während gegen ohne und aber"
    ).split(),
    "fr": (
        "le la les ville gouvernement rapport eau école rivière marché prix pont village "
        "année semaine police tribunal tempête hôpital enfants a déclaré a averti nouveau "
        "ancien plusieurs avec après avant sur sous entre pendant contre sans et mais"
    ).split(),
    "es": (
        "el la los ciudad gobierno informe agua escuela río mercado precio puente pueblo "
        "año semana policía tribunal tormenta hospital niños dijo advirtió nuevo antiguo "
        "varios con después antes sobre bajo entre durante contra sin y pero"
    ).split(),
    "pl": (
        "miasto rząd raport woda szkoła rzeka rynek cena most wieś rok tydzień policja "
        "sąd burza szpital dzieci powiedział ostrzegł nowy stary kilka z po przed nad "
        "pod między podczas przeciw bez i ale"
    ).split(),
}
CJK = "今天市政府宣布新的预算计划居民对此表示欢迎工程将在明年春天开始桥梁河流学校医院"
NAMES = ["Mary Okafor", "Jan Kowalski", "Anna Müller", "Luis García", "Claire Dubois", "Tom Reyes"]


@st.composite
def sentence(draw: st.DrawFn) -> str:
    lang = draw(st.sampled_from(sorted(WORDS)))
    words = draw(st.lists(st.sampled_from(WORDS[lang]), min_size=4, max_size=22))
    if draw(st.booleans()):
        words.insert(draw(st.integers(0, len(words))), str(draw(st.integers(2, 130_000))))
    if draw(st.booleans()):
        words.insert(draw(st.integers(0, len(words))), draw(st.sampled_from(NAMES)))
    text = " ".join(words)
    text = text[0].upper() + text[1:]
    end = draw(st.sampled_from([".", ".", ".", "!", "?"]))
    if draw(st.integers(0, 4)) == 0:
        return f"“{text}{end}” {draw(st.sampled_from(NAMES))} said."
    if draw(st.integers(0, 5)) == 0:
        return f'"{text},"' + " " + draw(st.sampled_from(["he said.", "she added.", "they wrote."]))
    return text + end


@st.composite
def cjk_sentence(draw: st.DrawFn) -> str:
    chars = draw(st.lists(st.sampled_from(CJK), min_size=12, max_size=60))
    return "".join(chars) + "。"


@st.composite
def heading(draw: st.DrawFn) -> str:
    """A headline or sub-heading: a few words, no final punctuation. Not one that reads
    as a tail marker ("Tags council the"): a reader could not tell it from one either."""
    lang = draw(st.sampled_from(sorted(WORDS)))
    words = draw(st.lists(st.sampled_from(WORDS[lang]), min_size=3, max_size=10))
    text = " ".join(words)
    text = text[0].upper() + text[1:]
    assume(not _tail_marker(text))
    return text


@st.composite
def unpunctuated(draw: st.DrawFn) -> str:
    """A sentence whose final stop the scraper lost (not one that reads as a tail
    marker, see ``heading``)."""
    text = draw(sentence()).rstrip(".!?")
    assume(not _tail_marker(text))
    return text


SHORT = ["She was not alone.", "Nobody answered.", "It worked.", "Das war alles.", "C'est fini."]


@st.composite
def paragraphs(draw: st.DrawFn) -> list[str]:
    """One paragraph, or a sub-heading with the paragraph it introduces."""
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return [draw(heading()), " ".join(draw(st.lists(sentence(), min_size=1, max_size=4)))]
    if kind == 1:
        return [draw(cjk_sentence()) + draw(cjk_sentence())]
    if kind == 2:  # a one-line paragraph: a short sentence
        return [draw(st.sampled_from(SHORT))]
    if kind == 3:
        return [draw(unpunctuated())]
    return [" ".join(draw(st.lists(sentence(), min_size=1, max_size=5)))]


@dataclass(frozen=True)
class Chrome:
    line: tuple[str, ...]  # single-line chrome: anywhere between paragraphs
    block: tuple[str, ...]  # a list under a heading: before a paragraph of prose
    head: tuple[str, ...]  # a page header: on top
    tail: tuple[str, ...]  # a page footer: at the bottom


def chrome_examples(engine: Engine) -> Chrome:
    """Chrome examples of the generic rules, as found on a page of no known site.

    An example that is also a site pack's signature (its ``detect`` text) is left out:
    it would switch that site's pack on, and a site pack is written for its site's layout.
    A single line that a tail rule takes for its marker ("51 Kommentare") lives where
    tails do, below the article; one that a block rule takes for a list's heading ("Most
    read in world news") stands where lists do, before a paragraph of prose.
    """
    found: dict[str, list[str]] = {"line": [], "block": [], "head": [], "tail": []}
    site_rules = [r for r in engine.rules if not r.scope.generic]
    for rule in engine.rules:
        if not rule.scope.generic:
            continue
        for example in rule.chrome_examples:
            if any(r.scope.applies("", example) for r in site_rules):
                continue
            if rule.kind == "line" and "\n" not in example:
                kind = "tail" if _tail_marker(example) else "line"
                found["block" if kind == "line" and _block_head(example) else kind].append(example)
            elif rule.kind in ("block", "head", "tail"):
                found[rule.kind].append(example)
    return Chrome(*(tuple(found[k]) for k in ("line", "block", "head", "tail")))


CHROME = chrome_examples(ENGINE)


@dataclass
class Document:
    text: str
    article: list[str]
    chrome: list[str]


@st.composite
def documents(draw: st.DrawFn) -> Document:
    lead = " ".join(draw(st.lists(sentence(), min_size=2, max_size=4)))
    body = [lead]
    for group in draw(st.lists(paragraphs(), min_size=0, max_size=8)):
        body.extend(group)
    parts: list[str] = []
    chrome: list[str] = []

    def add_chrome(example: str) -> None:
        parts.append(example)
        chrome.extend(line for line in example.split("\n") if line.strip())

    if CHROME.head and draw(st.booleans()):
        add_chrome(draw(st.sampled_from(CHROME.head)))
    for para in body:
        if CHROME.line and draw(st.integers(0, 2)) == 0:
            add_chrome(draw(st.sampled_from(CHROME.line)))
        if CHROME.block and para == lead and draw(st.integers(0, 3)) == 0:
            add_chrome(draw(st.sampled_from(CHROME.block)))
        parts.append(para)
    if CHROME.line and draw(st.booleans()):
        add_chrome(draw(st.sampled_from(CHROME.line)))
    if CHROME.tail and draw(st.booleans()):
        add_chrome(draw(st.sampled_from(CHROME.tail)))
    sep = draw(st.sampled_from(["\n", "\n\n"]))
    text = sep.join(parts) + draw(st.sampled_from(["\n", ""]))
    return Document(text, body, chrome)


def is_subsequence(short: list[str], long: list[str]) -> bool:
    it = iter(long)
    return all(any(line == other for other in it) for line in short)


def check_document(engine: Engine, doc: Document) -> None:
    out = engine.run(doc.text).text
    out_lines = out.splitlines()
    kept = set(out_lines)
    for line in doc.article:
        assert line in kept, f"article line lost: {line!r}"
    for line in doc.chrome:
        if line not in doc.article:
            assert line not in kept, f"chrome survived: {line!r}"
    assert is_subsequence(out_lines, doc.text.splitlines()), "output is not a subsequence"
    assert engine.run(out).text == out, "cleaning twice changed the text"
    assert Engine(engine.rules).run(doc.text).text == out, "not deterministic"


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(documents())
def test_article_survives_and_chrome_goes(doc: Document) -> None:
    check_document(ENGINE, doc)


PRECISE = Engine(precise(ENGINE.rules))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_favouring_precision_keeps_the_article_and_only_removes_more(doc: Document) -> None:
    check_document(PRECISE, doc)
    kept = PRECISE.run(doc.text).text.splitlines()
    assert is_subsequence(kept, ENGINE.run(doc.text).text.splitlines()), "kept a removed line"


def only_cut(short: list[str], long: list[str]) -> bool:
    """Each line of ``short`` is a line of ``long``, in order, less nothing or some of its
    characters (an inline rule cuts a span, "Caption © AFP" to "Caption")."""
    it = iter(long)
    return all(any(_cut_from(line, other) for other in it) for line in short)


def _cut_from(line: str, other: str) -> bool:
    chars = iter(other)
    return all(c in chars for c in line)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_arbitrary_text_never_raises_and_only_removes(text: str) -> None:
    out = ENGINE.run(text).text
    assert only_cut(out.splitlines(), text.splitlines())
    assert ENGINE.run(out).text == out


def test_only_cut_allows_cuts_and_catches_additions() -> None:
    assert only_cut(["0"], ["0 ©0"]) and only_cut(["a", "c"], ["a", "b", "c"])
    assert not only_cut(["c", "a"], ["a", "b", "c"]) and not only_cut(["ab!"], ["ab"])


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.sampled_from(["\n", "\r\n", " ", "Source link", "a", "Tags x", "\t"]), max_size=30)
)
def test_layout_fragments_never_raise(pieces: list[str]) -> None:
    text = "".join(pieces)
    out = ENGINE.run(text).text
    assert ENGINE.run(out).text == out


def test_generated_documents_contain_chrome() -> None:
    assert len(CHROME.line) > 20 and CHROME.block and CHROME.head and CHROME.tail


@pytest.mark.parametrize(
    "destructive",
    [
        "{id: drop-long-lines, kind: line, match: {regex: '^.{40,}$'}}",
        "{id: drop-said, kind: line, match: {contains: [' said']}}",
        "{id: cut-after-first-line, kind: tail, match: {regex: '.'}}",
        "{id: strip-words, kind: inline, match: {regex: '\\bthe\\b'}}",
    ],
)
def test_properties_catch_a_destructive_rule(tmp_path: Path, destructive: str) -> None:
    extra = tmp_path / "destructive.yaml"
    extra.write_text(f"rules: [{destructive}]\n", encoding="utf-8")
    engine = Engine(load_rules([default_rules_dir(), extra]))

    @settings(
        max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(documents())
    def run(doc: Document) -> None:
        check_document(engine, doc)

    with pytest.raises(AssertionError):
        run()
