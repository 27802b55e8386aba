"""HTML input: the extraction's tail is cut where the precise extraction ends."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cleaner import html

ARTICLE = [
    "Harbour town votes to rebuild its storm-damaged pier",
    "Residents of Port Elwyn voted on Sunday to rebuild the pier that a storm tore in two.",
    "The council will borrow part of the money and raise the rest from a levy.",
    "Work starts in May.",
]
BOX = [
    "More from the Gazette",
    "Get the Elwyn Gazette delivered to your door every week for less than a coffee.",
    "Tell us what you think!",
]


def test_lines_below_the_precise_extraction_go() -> None:
    text = "\n".join(ARTICLE + BOX)
    precise = "\n".join(ARTICLE)
    assert html.trim_tail(text, precise) == "\n".join(ARTICLE)


def test_the_head_is_left_alone() -> None:
    # the precise extraction dropped the headline: it stays
    text = "\n".join(ARTICLE + BOX)
    precise = "\n".join(ARTICLE[1:])
    assert html.trim_tail(text, precise) == "\n".join(ARTICLE)


def test_whitespace_does_not_hide_a_shared_line() -> None:
    text = "\n".join(ARTICLE[:-1] + ["Work  starts in May. "] + BOX)
    assert html.trim_tail(text, "\n".join(ARTICLE)).endswith("Work  starts in May. ")


@pytest.mark.parametrize(
    "precise",
    [
        "",  # nothing extracted precisely
        "Tell us what you think!",  # far too short: it missed the article
        "\n".join(line.upper() for line in ARTICLE),  # no line in common
    ],
)
def test_nothing_is_cut_without_a_trustworthy_end(precise: str) -> None:
    text = "\n".join(ARTICLE + BOX)
    assert html.trim_tail(text, precise) == text


def test_extract_text_cuts_what_the_precise_pass_leaves_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import trafilatura

    def fake(page: str, favor_precision: bool = False, **settings: Any) -> str:
        assert settings["include_comments"] is False
        return "\n".join(ARTICLE if favor_precision else ARTICLE + BOX)

    monkeypatch.setattr(trafilatura, "extract", fake)
    out = html.extract_text("<html></html>")
    assert out.endswith("Work starts in May.")
    assert "Gazette delivered" not in out


PAGE = "\n".join(
    [
        "Residents of Port Elwyn voted on Sunday to rebuild the pier that a storm tore in two.",
        "The council will borrow part of the money and raise the rest from a levy.",
        "Work starts in May.",
        "Letzte Änderung 14.02.2019",
        "Get the Gazette delivered every month. 12 issues for £11.99.",
    ]
)


def test_the_html_pack_runs_on_extracted_text_only() -> None:
    import cleaner

    engine = cleaner.engine()
    as_text = engine.run(PAGE + "\n", late=False)
    as_html = engine.run(PAGE + "\n", late=False, html=True)
    assert "Letzte Änderung" in as_text.text and "12 issues" in as_text.text
    assert as_html.text == "\n".join(PAGE.splitlines()[:3]) + "\n"
    assert {d.rule_id for d in as_html.removed} == {"html-last-changed", "html-paid-offer"}


def test_an_html_document_goes_through_the_html_pack(monkeypatch: pytest.MonkeyPatch) -> None:
    import cleaner
    from cleaner.process import Options, clean_document

    monkeypatch.setattr(html, "extract_text", lambda page: PAGE)
    text, _ = clean_document(cleaner.engine(), "<html></html>", Options(fmt="html"), None)
    assert text.splitlines() == PAGE.splitlines()[:3]


def test_input_html_scopes_a_rule_file(tmp_path: Path) -> None:
    from cleaner.errors import RuleError
    from cleaner.loader import load_rules

    rules = "rules:\n  - id: x\n    kind: line\n    match: {regex: '^Lesen'}\n"
    good = tmp_path / "good.yaml"
    good.write_text("input: html\n" + rules)
    (rule,) = load_rules([good])
    assert rule.scope.html and not rule.scope.generic
    assert not rule.scope.applies("", "", html=False) and rule.scope.applies("", "", html=True)
    bad = tmp_path / "bad.yaml"
    bad.write_text("input: pdf\n" + rules)
    with pytest.raises(RuleError, match="'input' must be one of: html"):
        load_rules([bad])


def test_trim_tail_leaves_the_text_as_it_is_when_nothing_goes() -> None:
    text = "A first paragraph that is long enough to count.\u2028Same line, other half.\n"
    assert html.trim_tail(text, text) == text
