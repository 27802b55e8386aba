"""Markdown input: the visible text the rules read, and the raw lines that come out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import cleaner
from cleaner import markdown
from cleaner.loader import default_rules_dir
from cleaner.markdown import EMPTY_ID, NEIGHBOURS_ID, inline, read, visible

from .conftest import FIXTURES, run_cli, run_main

ENGINE = cleaner.engine()


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ("[Home](/)", "Home"),
        ("Read [the report](https://example.org/r.pdf) today.", "Read the report today."),
        ('[Home](https://example.org "The home page")', "Home"),
        ("[Home](<https://example.org/a b>)", "Home"),
        ('[Más](javascript:void\\(0\\) "Más")', "Más"),
        ("[Wiki](https://en.wikipedia.org/wiki/Pier_(structure)) page", "Wiki page"),
        ("![The old pier at dawn](pier.jpg)", "The old pier at dawn"),
        ("![](pixel.gif)", ""),
        ("[![Logo](logo.png)](/)", "Logo"),
        ("[a [nested] label](/x)", "a [nested] label"),
        ("[ref link][1] and [another][]", "ref link and another"),
        ("[not a link] and [x]", "[not a link] and [x]"),
        ("an [unclosed (bracket", "an [unclosed (bracket"),
        ("[text](unclosed", "[text](unclosed"),
        ("\\[escaped\\](not-a-link) 1\\. \\*star\\*", "[escaped](not-a-link) 1. *star*"),
        ("**Published:** March 4, 2024", "Published: March 4, 2024"),
        ("*emphasis* and _also_ and ~~struck~~", "emphasis and also and struck"),
        ("snake_case_name stays", "snake_case_name stays"),
        ("2 * 3 is six", "2 * 3 is six"),
        ("`[code](kept)` as written", "[code](kept) as written"),
        ("## A heading ##", "A heading"),
        ("#hashtag is text", "#hashtag is text"),
        ("  * [NHL](/nhl)", "NHL"),
        ("    1. First item", "1. First item"),
        ("24. Juni 2020", "24. Juni 2020"),
        ("3) [Third](/3)", "3) Third"),
        ("> > quoted *words*", "quoted words"),
        ("> * a quoted item", "a quoted item"),
        ("* * *", ""),
        ("---", ""),
        ("[1]: https://example.org/one", ""),
        ("A hard break\\", "A hard break"),
        ("<b>HTML</b> stays text", "<b>HTML</b> stays text"),
        ("Plain text, untouched.", "Plain text, untouched."),
    ],
)
def test_visible_text(line: str, shown: str) -> None:
    assert visible(line) == shown


def test_images_can_read_as_a_mark() -> None:
    assert inline("[![logo](a.png)](/) and ![x](b.png)", "#") == "# and #"


def test_code_fences_show_nothing_and_are_protected() -> None:
    texts = ["Intro [link](/x).", "```python", "print('[a](b)')", "", "```", "After."]
    view = read(texts)
    assert view.visible == ["Intro link.", "", "", "", "", "After."]
    assert view.protected == {1, 2, 3, 4}


def test_a_fence_closes_only_on_its_own_kind_and_length() -> None:
    texts = ["````", "```", "~~~", "````", "after"]
    view = read(texts)
    assert view.protected == {0, 1, 2, 3} and view.visible[4] == "after"


def test_an_unclosed_fence_runs_to_the_end() -> None:
    assert read(["text", "~~~", "# not a heading"]).protected == {1, 2}


def test_front_matter_is_protected_only_at_the_very_top() -> None:
    view = read(["---", "title: A page", "tags: [a, b]", "---", "", "Body text."])
    assert view.protected == {0, 1, 2, 3} and view.visible[5] == "Body text."
    assert read(["", "---", "title: x", "---"]).protected == set()
    assert markdown.front_matter(["---", "no end"]) == 0


def test_tables_read_as_their_cells() -> None:
    view = read(["| Name | [Age](/a) |", "|---|:--:|", "| Ann | 42 |", "", "a | b"])
    assert view.visible == ["Name Age", "", "Ann 42", "", "a | b"]


def test_setext_underline_and_images() -> None:
    view = read(["Title", "=====", "", "![](pic.jpg)", "[![](pic.jpg)](/big)", "[](/share)"])
    assert view.underlines == {1}
    assert view.figures == {3, 4}
    assert view.visible[5] == ""


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("* [Home](/)", (1.0, 0, True, False)),
        ("## The storm and after", (0.0, 2, False, False)),
        ("### [Read more](/more)", (1.0, 3, False, False)),
        ("> 1. Plain words in a list", (0.0, 0, True, False)),
        ("Half [link](x) text", (1 - len("Half  text") / len("Half link text"), 0, False, False)),
        ("![A pier at dawn](pier.jpg)", (1.0, 0, False, False)),
    ],
)
def test_layout_says_link_share_heading_level_and_list(line: str, expected: tuple) -> None:
    assert markdown.layout(line) == pytest.approx(expected)


def test_read_gives_tables_and_setext_headings_their_layout() -> None:
    view = read(["Title", "-----", "", "| [Ann](/a) | [Bo](/b) |", "|---|---|", "| 1 | 2 |"])
    assert view.layout[0][1] == 2  # a "---" underline: a second-level heading
    assert view.layout[3] == (1.0, 0, False, True)
    assert view.layout[5] == (0.0, 0, False, True)
    assert view.layout[2] == markdown.NO_LAYOUT


def test_a_link_whose_text_runs_over_several_lines_reads_as_link_text() -> None:
    """A teaser card written as one link around its headline, byline and date (blank
    lines and list items between) reads line by line as link text, brackets and address
    left out; a "[" that nothing closes, or a "]" with no address between, stays text."""
    card = [
        "[Storm closes the harbour road",
        "",
        "* By  Ann Lee",
        '* 11/20/2019 01:14 PM](/news/storm-road-608414 "Storm closes the harbour road")',
    ]
    view = read(["The council met on Sunday.", "", *card])
    assert view.visible[2:] == [
        "Storm closes the harbour road",
        "",
        "By  Ann Lee",
        "11/20/2019 01:14 PM",
    ]
    assert [view.layout[k][0] for k in (2, 4, 5)] == [1.0, 1.0, 1.0]
    assert view.layout[4][2] and view.layout[0] == markdown.NO_LAYOUT  # still a list item
    stray = ["A [note that never closes", "and a ] stray one.", "1 hour ago](/v) and more"]
    assert read(stray).visible == stray[:2] + ["1 hour ago](/v) and more"]
    far = ["[Opened here", *[""] * markdown.LINK_SPAN, "closed too late](/x)"]
    assert read(far).visible[0] == "[Opened here"
    fenced = ["[Opened here", "```", "code", "```", "closed](/x)"]
    assert read(fenced).visible[0] == "[Opened here"
    broken = ["[Storm closes the road\\", "* By Ann Lee\\", "* 1 hour ago](/story)"]
    assert read(broken).visible == ["Storm closes the road", "By Ann Lee", "1 hour ago"]
    # only a hard break's backslash goes: an escaped one ("\\\\") is text
    assert [markdown._unbroken(t) for t in ("a\\", "a\\\\", "a\\\\\\")] == ["a", "a\\\\", "a\\\\"]


MENU = ["* [Home](/)", "* [News](/news)", "* [Sport](/sport)", "* [Weather](/weather)"]
ARTICLE = [
    "# Harbour town votes to rebuild its storm-damaged pier",
    "",
    "Residents of [Port Elwyn](/places/port-elwyn) voted on Sunday to rebuild the pier "
    "that a storm tore in two last winter.",
    "",
    "![](https://example.org/pier.jpg)",
    "",
    "The council will borrow part of the money and raise the rest from a *levy* on "
    "holiday lets, the mayor said.",
    "",
    "```",
    "cost = 4_200_000  # [GBP](x)",
    "```",
    "",
    '"It is the heart of the town," said Mary Okafor, who has fished from it for thirty years.',
]


def test_a_page_keeps_its_article_markdown_and_loses_its_menu() -> None:
    page = "\n".join(["![](pixel.gif)", *MENU, "", *ARTICLE, "", "[](/share/fb)", "Source link"])
    outcome = markdown.run(ENGINE, page + "\n")
    assert outcome.text == "\n".join(ARTICLE) + "\n"
    ids = {d.text: d.rule_id for d in outcome.removed}
    assert ids["![](pixel.gif)"] == NEIGHBOURS_ID
    assert ids["[](/share/fb)"] == EMPTY_ID
    assert all(ids[line] for line in MENU)


def test_cleaning_markdown_twice_changes_nothing() -> None:
    page = "\n".join(["![](pixel.gif)", *MENU, "", *ARTICLE, "", "Source link"]) + "\n"
    once = markdown.run(ENGINE, page).text
    assert markdown.run(ENGINE, once).text == once


def test_a_span_cut_applies_only_to_a_line_without_marks() -> None:
    plain = "The mayor opened the new harbour wall on Sunday morning. Foto: GdP/Hagen Immel"
    other = "Crowds lined the [harbour wall](/wall) to watch the boats. Foto: GdP/Hagen Immel"
    assert ENGINE.run(plain + "\n").text == plain.split(" Foto")[0] + "\n"  # a span goes
    page = "\n".join([*ARTICLE, "", plain, "", other, ""])
    outcome = markdown.run(ENGINE, page)
    out = outcome.text.splitlines()
    assert plain.split(" Foto")[0] in out and other in out
    cut = [d for d in outcome.decisions if d.spans]
    assert [d.text for d in cut] == [plain]


def test_a_markdown_input_rule_reads_the_raw_line_on_markdown_pages_only(tmp_path: Path) -> None:
    """An ``input: markdown`` rule matches the line as written (the link's address shows),
    and never runs on plain text, where no line is Markdown."""
    (tmp_path / "raw.yaml").write_text(
        "input: markdown\nrules:\n"
        "  - id: anchor-link\n    kind: line\n    match: '^\\[[^\\]]*\\]\\(#[a-z]+\\)$'\n",
        encoding="utf-8",
    )
    engine = cleaner.engine([tmp_path])
    page = "\n".join(["[Skip ahead](#main)", "", *ARTICLE, ""])
    outcome = markdown.run(engine, page)
    assert [(d.text, d.rule_id) for d in outcome.removed] == [
        ("[Skip ahead](#main)", "anchor-link")
    ]
    assert outcome.text == "\n".join(ARTICLE) + "\n"
    assert not any(d.rule_id == "anchor-link" for d in engine.run(page).decisions)
    # the visible text "Skip ahead" holds no address: a rule on visible text cannot see it
    assert visible("[Skip ahead](#main)") == "Skip ahead"


def test_the_default_markdown_rules_take_links_by_their_address() -> None:
    byline = "By [Ann Lee](https://example.com/author/ann-lee/)"
    tags = "[Travel](/category/travel/), [Harbour](/tag/harbour/)"
    share = "[Facebook](https://www.facebook.com/sharer/sharer.php?u=x) [Twitter](https://twitter.com/intent/tweet?url=x)"
    quote = (
        "[The pier is the heart of the town. Click To Tweet](https://twitter.com/share?text=pier)"
    )
    page = "\n".join([byline, "", *ARTICLE, "", quote, "", share, "", tags, ""])
    pack = cleaner.engine([default_rules_dir() / "markdown"], default_rules=False)
    outcome = markdown.run(pack, page)
    ids = {d.text: d.rule_id for d in outcome.removed}
    assert ids == {
        byline: "markdown-author-links",
        share: "markdown-share-links",
        tags: "markdown-taxonomy-links",
    }
    everything = markdown.run(ENGINE, page).text.splitlines()
    assert quote in everything and not {byline, share, tags} & set(everything)


def test_a_document_without_text_is_left_alone() -> None:
    page = "![](a.png)\n\n[](/b)\n"
    outcome = markdown.run(ENGINE, page)
    assert outcome.text == page and not outcome.removed


# --- the command line ---------------------------------------------------------------------

MD = (FIXTURES / "article.md").read_bytes()
MD_EXPECTED = (FIXTURES / "article.expected.md").read_bytes()


def test_format_markdown_on_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_main(["clean", "--format", "markdown"], monkeypatch, stdin=MD)
    assert result.code == 0, result.err
    assert result.out_bytes == MD_EXPECTED
    assert b"[Port Elwyn](/places/port-elwyn)" in result.out_bytes
    assert b"```text\nHarbour levy    \xc2\xa32 a night per mooring\n" in result.out_bytes


def test_an_md_file_is_markdown(monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_main(["clean", "--explain", str(FIXTURES / "article.md")], monkeypatch)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert (
        f"{FIXTURES / 'article.md'}:41: source-link: [Source link](https://example.org/pier)"
        in lines
    )
    assert any(
        line.endswith(f": {EMPTY_ID}:   * [](https://twitter.com/intent/tweet?url=/pier)")
        for line in lines
    )


def test_md_and_markdown_files_are_walked_and_cleaned_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.md").write_bytes(MD)
    (tmp_path / "sub" / "b.markdown").write_bytes(MD)
    (tmp_path / "notes.rst").write_bytes(MD)
    out = tmp_path / "out"
    result = run_main(["clean", str(tmp_path), "--output-dir", str(out)], monkeypatch)
    assert result.code == 0, result.err
    assert (out / "a.md").read_bytes() == MD_EXPECTED
    assert (out / "sub" / "b.markdown").read_bytes() == MD_EXPECTED
    assert not (out / "notes.rst").exists()
    result = run_main(["clean", "--in-place", str(tmp_path / "a.md")], monkeypatch)
    assert result.code == 0, result.err
    assert (tmp_path / "a.md").read_bytes() == MD_EXPECTED


def test_a_jsonl_field_of_markdown(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [
        {"id": 1, "url": "https://example.org/pier", "text": MD.decode()},
        {"id": 2, "text": "```\nSource link\n```\n"},
    ]
    data = "".join(json.dumps(r) + "\n" for r in rows).encode()
    result = run_main(["clean", "--format", "jsonl", "--markdown"], monkeypatch, stdin=data)
    assert result.code == 0, result.err
    out = [json.loads(line) for line in result.out.splitlines()]
    assert out[0]["text"] == MD_EXPECTED.decode() and out[0]["id"] == 1
    assert out[1] == rows[1]  # a fenced block is code: left alone
    as_text = run_main(["clean", "--format", "jsonl"], monkeypatch, stdin=data)
    assert json.loads(as_text.out.splitlines()[1])["text"] != rows[1]["text"]


@pytest.mark.parametrize(
    "args",
    [
        ["--html", "--markdown"],
        ["--format", "html", "--markdown"],
        ["--html", "--format", "markdown"],
    ],
)
def test_html_and_markdown_exclude_each_other(args: list[str]) -> None:
    result = run_cli("clean", *args, stdin=MD)
    assert result.code == 2
    assert result.err.strip() == "cleaner: HTML input and Markdown input exclude each other"


def test_binary_markdown_is_refused_in_one_line() -> None:
    result = run_cli("clean", "--format", "markdown", stdin=b"\x00\x01\x02PNG\x00" * 10)
    assert result.code == 2 and result.err.strip() == "cleaner: -: binary input; nothing to clean"


def test_the_python_entry_points_take_markdown() -> None:
    assert cleaner.clean(MD.decode(), markdown=True) == MD_EXPECTED.decode()
    removed = cleaner.decide(MD.decode(), markdown=True).removed
    assert {d.rule_id for d in removed} >= {EMPTY_ID, "source-link"}
