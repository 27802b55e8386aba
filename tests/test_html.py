"""HTML input: the extraction's tail is cut where the precise extraction ends."""

from __future__ import annotations

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
