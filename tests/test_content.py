"""The content detector keeps the article run and drops the chrome around it."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner.engine import Engine
from cleaner.errors import RuleError
from cleaner.kinds.content import ContentRule
from cleaner.language import detect, is_cjk
from cleaner.loader import load_rules
from cleaner.textstats import CJK, CJK_BLOCKS

MENU = ["Home", "World", "Business", "Sport", "Culture", "Travel", "Video", "Weather"]
ARTICLE = [
    "Council approves new budget after long debate",
    "The city council approved the new budget on Tuesday after a debate that lasted well "
    "into the night, with members split over the cost of the plan.",
    "Members argued over the cost of repairs to the old bridge, which has been closed "
    "since the spring floods and which many residents use every day.",
    "It passed.",
    "The mayor said the vote showed that the council could still agree on what matters "
    "most to the people who live in the city and pay for its services.",
    "Work on the bridge is expected to begin in March and to take about eighteen months "
    "to finish, according to the engineers who drew up the plans.",
]
TEASERS = [
    "More from the city desk",
    "Local bakery wins national prize for its sourdough bread",
    "Read more",
    "Police close the high street after a water main bursts near the market",
    "Read more",
    "We use cookies to give you the best experience on our website and to show you "
    "relevant ads, and by continuing you agree to this.",
    "Accept",
]


def _rule() -> ContentRule:
    rule = ContentRule(id="content")
    rule.configure({}, 0.25)
    return rule


def _run(lines: list[str]) -> tuple[list[str], list[str]]:
    outcome = Engine([_rule()]).run("\n".join(lines) + "\n")
    kept = [d.text for d in outcome.decisions if d.kept and d.text.strip()]
    gone = [d.text for d in outcome.decisions if not d.kept]
    return kept, gone


def test_keeps_article_and_short_sentence_inside_it() -> None:
    kept, _ = _run(MENU + ARTICLE + TEASERS)
    for line in ARTICLE:
        assert line in kept
    assert "It passed." in kept


def test_drops_menu_and_teasers_outside_the_article() -> None:
    _, gone = _run(MENU + ARTICLE + TEASERS)
    for line in MENU + TEASERS:
        assert line in gone


def test_every_drop_is_attributed_to_the_rule() -> None:
    outcome = Engine([_rule()]).run("\n".join(MENU + ARTICLE + TEASERS))
    assert {d.rule_id for d in outcome.decisions if not d.kept} == {"content"}


def test_is_deterministic_and_idempotent() -> None:
    text = "\n".join(MENU + ARTICLE + TEASERS) + "\n"
    engine = Engine([_rule()])
    first = engine.run(text).text
    assert engine.run(text).text == first
    assert engine.run(first).text == first


def test_page_without_prose_is_left_alone() -> None:
    kept, gone = _run(MENU)
    assert kept == MENU and not gone


def test_cjk_article_is_measured_in_characters() -> None:
    article = [
        "市议会周二经过长时间辩论后批准了新的预算方案，议员们在修缮旧桥的费用问题上意见分歧。",
        "这座桥自春季洪水以来一直关闭，许多居民每天都需要绕行很远的路才能到达市中心上班。",
        "市长表示，这次投票表明市议会仍然能够就居民最关心的问题达成一致意见并付诸行动。",
    ]
    menu = ["首页", "新闻", "体育", "财经", "娱乐", "科技"]
    kept, gone = _run(menu + article + menu)
    assert kept == article
    assert len(gone) == 2 * len(menu)
    assert is_cjk("\n".join(article))


def test_quick_cjk_test_misses_no_character_of_the_cjk_scripts() -> None:
    # the quick page test must find every character the exact class finds
    missed = [
        hex(c)
        for c in range(0x110000)
        if not 0xD800 <= c <= 0xDFFF and CJK.match(chr(c)) and not CJK_BLOCKS.match(chr(c))
    ]
    assert missed == []


def test_language_detection_picks_the_page_language() -> None:
    german = ["der", "die", "und", "das", "ist", "nicht", "mit", "dem", "auf", "für", "eine"]
    english = ["the", "and", "of", "to", "is", "in", "that", "it", "with", "for", "was"]
    assert detect(german) == "German"
    assert detect(english) in {"English", "Simple_English"}
    assert detect([]) is None


def test_non_english_article_survives() -> None:
    article = [
        "Der Stadtrat hat am Dienstag nach einer langen Debatte den neuen Haushalt "
        "beschlossen, obwohl die Mitglieder über die Kosten gestritten haben.",
        "Die Arbeiten an der alten Brücke sollen im März beginnen und etwa achtzehn "
        "Monate dauern, wie die Ingenieure mitteilten.",
        "Das ist gut so.",
        "Der Bürgermeister sagte, die Abstimmung zeige, dass sich der Rat bei den "
        "wichtigen Fragen immer noch einigen könne.",
    ]
    kept, _ = _run(["Startseite", "Politik", "Wirtschaft", "Sport", "Kultur"] + article)
    assert kept == article


def test_run_grows_over_a_sub_heading_and_short_closing_paragraph() -> None:
    tail = ["What comes next", "Nobody answered.", "The work starts in March"]
    kept, gone = _run(MENU + ARTICLE + tail)
    assert kept == ARTICLE + tail
    assert gone == MENU


def test_a_line_of_zero_width_spaces_is_blank_and_does_not_stop_the_run() -> None:
    # web editors leave U+200B spacer paragraphs between an article's lines
    spaced = [ARTICLE[0], "\u200b", ARTICLE[1], "\ufeff\u200b ", *ARTICLE[2:]]
    kept, gone = _run(MENU + spaced)
    assert kept == spaced
    assert gone == MENU


def test_zero_width_spacers_among_removed_chrome_do_not_survive_it() -> None:
    # the rules see a spacer as blank, so the output must too: one left between menu
    # lines or under the article is not written out where the chrome it stood in went
    import cleaner
    from cleaner.process import _would_empty

    text = "\n".join([*MENU, "\u200b", *ARTICLE, "\u200b", "Copyright 2024 Gazette.", "\u200b"])
    out = cleaner.clean(text)
    assert out.strip("\n").split("\n") == ARTICLE
    assert _would_empty("Source link\n\u200b\nSource link\n", "\u200b\n")


def test_teaser_headlines_that_end_in_a_menu_stay_outside() -> None:
    teasers = [
        "Local bakery wins national prize for its sourdough bread",
        "Police close the high street after a water main bursts",
    ]
    kept, gone = _run(ARTICLE + teasers + MENU)
    assert kept == ARTICLE
    assert gone == teasers + MENU


def test_cut_short_and_doubled_teasers_are_not_prose() -> None:
    from cleaner.kinds.content import _cut_short, _doubled

    assert _cut_short("Hong Kong civilians step in to save students trapped in vi...")
    assert _cut_short("Two people in China have been diagnosed with the plague,...")
    assert not _cut_short("Ich bedanke mich für die Tipp-Provision von 2%…")
    title = "The best Black Friday TV deals of 2019"
    assert _doubled(f"{title} {title}")
    assert not _doubled("It rained. It rained.")


def test_a_blog_sentence_may_end_in_an_emoji() -> None:
    from cleaner.textstats import ends_sentence

    assert ends_sentence("und das gefällt mir 😉")
    assert ends_sentence("Bis bald ❤️")
    assert not ends_sentence("Home")


def test_title_case_headline_leading_a_teaser() -> None:
    from cleaner.kinds.content import _title_case

    assert _title_case("Police: 2 In Custody After Death Of Student A 24-year-old woman was held.")
    assert _title_case("Michigan Couple Finds Newspapers Dating Back To 1940s During Renovation")
    assert not _title_case("Berrien County Health Department officials said the victim died.")
    assert not _title_case("It rained. The council met. In the end the vote passed.")


def test_run_never_spans_a_boundary_line() -> None:
    """Teaser paragraphs below a rights notice would win the run over the article's
    top when the notice is only blank space; as a boundary it ends the article."""
    from cleaner.kinds.line import LineRule
    from cleaner.matching import Matcher

    rights = LineRule(id="rights", match=Matcher({"regex": "All rights reserved"}), boundary=True)
    teasers = [
        "Elsewhere in the city, a new library opened its doors to readers on Saturday "
        "morning after three years of building work and many delays.",
        "Two schools in the north of the county will merge next year, the education "
        "board said in a statement that parents received on Friday.",
    ]
    page = ARTICLE + ["© 2019 Example Inc. All rights reserved.", "More stories"] + teasers
    outcome = Engine([rights, _rule()]).run("\n".join(page) + "\n")
    gone = {d.text: d.rule_id for d in outcome.decisions if not d.kept}
    assert all(line not in gone for line in ARTICLE)
    assert all(gone.get(line) == "content" for line in teasers)
    # without the boundary the teasers join the run; nor is a notice with a sentence
    # right below it an edge: it stands inside the text
    inside = ARTICLE[:3] + ["© 2019 Example Inc. All rights reserved."] + ARTICLE[3:]
    outcome = Engine([rights, _rule()]).run("\n".join(inside) + "\n")
    assert all(d.kept for d in outcome.decisions if d.text in ARTICLE)
    plain = LineRule(id="rights", match=Matcher({"regex": "All rights reserved"}))
    outcome = Engine([plain, _rule()]).run("\n".join(page) + "\n")
    assert all(d.kept for d in outcome.decisions if d.text in teasers)


def test_language_is_told_from_sentences_not_date_archives() -> None:
    from cleaner.kinds.content import measure

    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    archive = " / ".join(f"{m} {y}" for y in range(2008, 2023) for m in months)
    english = "The mayor said the vote showed that the council could still agree on this."
    stats = measure([archive] + [english] * 6, [False] * 7)
    assert stats[1] is not None and stats[1].density >= 0.3  # English stopwords, not Occitan


def test_cut_off_teasers_earn_nothing_but_a_stylistic_ellipsis_does() -> None:
    teasers = [
        f"Story {n}: officials in the northern district said on Monday that the new "
        "rules for parking near the schools would be reviewed once the council had..."
        for n in range(6)
    ]
    musing = (
        "Nobody on the council expected the vote to be close, and yet it was, and "
        "some members are still wondering how it came to that..."
    )
    article = ARTICLE[:3] + [musing] + ARTICLE[3:]
    kept, gone = _run(MENU + article + ["More from the city desk"] + teasers + MENU)
    assert musing in kept
    assert all(line in kept for line in ARTICLE)
    assert all(line in gone for line in teasers)


def test_hard_wrapped_paragraphs_are_judged_whole() -> None:
    wrapped = [
        "Advice came to the editor in the summer of that year, when the module",
        "shipped as part of a minor release. A few weeks later, a colleague",
        "wrote up a simple example that added a check to the commit commands",
        "of the time, to create a directory if one did not exist yet.",
        "",
        "This was such a neat trick that all of us in the lab adopted it, and",
        "stray lock files lying around in the working directory became history",
        "within a month or two of the release.",
    ]
    kept, gone = _run(MENU + [""] + wrapped + [""] + MENU)
    assert all(line in kept for line in wrapped if line)
    assert all(line in gone for line in MENU)


def test_a_headline_printed_again_with_its_summary_earns_nothing() -> None:
    headline = "Local bakery wins national prize for its sourdough"
    teaser = (
        f"{headline} The owners said the recipe came from a grandmother who baked "
        "bread in the same street for more than forty years before them."
    )
    page = [headline, "Share"] + ARTICLE + ["More stories", teaser, "Home", "Contact"]
    kept, gone = _run(page)
    assert teaser in gone
    assert all(line in kept for line in ARTICLE)


def test_a_lead_opening_with_a_long_title_and_name_is_kept() -> None:
    lead = (
        "Former New York City Mayor Michael Bloomberg said on Monday that he would decide "
        "within days whether to run, after months in which he had told friends and "
        "advisers that the field was already too crowded for another candidate."
    )
    lone = "The council will meet again next week to discuss the plan."
    page = ["Home", "News", "Sport", "Bloomberg weighs a late run", lead, "Home", "News"]
    kept, _ = _run(page + ["Video", lone, "Contact", "About", "Jobs"])
    assert lead in kept


def _configured(spec: dict[str, object]) -> ContentRule:
    rule = ContentRule(id="content")
    rule.configure(spec, 0.25)
    return rule


def test_a_pitch_earns_nothing_and_stops_the_run_at_its_edge() -> None:
    pitch = "Want more news like this? Sign up for our free daily newsletter today."
    lines = ARTICLE + [pitch]
    plain = Engine([_rule()]).run("\n".join(lines) + "\n")
    assert pitch in plain.text  # a sentence right below the article joins the run
    rule = _configured({"pitch": {"regex": r"\bnewsletter\b"}})
    outcome = Engine([rule]).run("\n".join(lines) + "\n")
    assert outcome.text == "\n".join(ARTICLE) + "\n"
    # inside the article it stays
    inside = ARTICLE[:3] + [pitch] + ARTICLE[3:]
    assert Engine([rule]).run("\n".join(inside) + "\n").text == "\n".join(inside) + "\n"


def test_a_list_that_leads_on_to_a_credit_line_belongs_to_the_article() -> None:
    dates = ["June 9 - West Palm Beach, FL", "June 10 - Tampa, FL", "June 14 - Alpharetta, GA"]
    credit = "Additional reporting by Ann Smith"
    lines = ARTICLE + ["The tour dates", *dates, credit, *MENU]
    rule = _configured({"trailer": {"regex": "^Additional reporting by"}})
    kept = Engine([rule]).run("\n".join(lines) + "\n").text.splitlines()
    assert kept == ARTICLE + ["The tour dates", *dates, credit]
    # without the credit line the list leads on to the menu and stays outside
    bare = Engine([rule]).run("\n".join(ARTICLE + ["The tour dates", *dates, *MENU]) + "\n")
    assert bare.text.splitlines() == ARTICLE


def test_a_list_a_colon_introduces_below_the_article_joins_it() -> None:
    items = ["Two cups of flour", "One pinch of salt", "Three fresh eggs"]
    kept, gone = _run(ARTICLE + ["You will need:", *items] + MENU)
    assert kept == ARTICLE + ["You will need:", *items]
    assert gone == MENU
    # without the colon the same lines read as teaser headlines above a menu
    kept, _ = _run(ARTICLE + ["You will need", *items] + MENU)
    assert kept == ARTICLE


def test_lines_other_rules_removed_still_part_the_article_from_what_follows() -> None:
    from cleaner.kinds.line import LineRule
    from cleaner.matching import Matcher

    share = LineRule(id="share")
    share.match = Matcher({"regex": "^Share on [A-Z]\\w+$"})
    networks = [f"Share on {name}" for name in ("Facebook", "Twitter", "Email")] * 12
    teasers = [
        "Police closed the high street for the day after a water main burst near the market.",
        "The local bakery won a national prize for its sourdough bread on Monday night.",
    ]
    text = "\n".join(ARTICLE + networks + ["More"] + teasers) + "\n"
    plain = Engine([share, _rule()]).run(text).text.splitlines()
    assert plain == ARTICLE + ["More"] + teasers  # the share bar gone, the teasers join
    weighed = Engine([share, _configured({"removed_cost": 1})]).run(text).text.splitlines()
    assert weighed == ARTICLE


def test_list_cost_may_be_fractional(tmp_path: Path) -> None:
    # below the article, a list of links and then a lone teaser: the teaser joins the
    # run only while the list costs less than the teaser earns
    links = ["Weather in the city", "Sport results", "Traffic news", "Letters page"]
    teaser = "Police closed the high street for the day after a water main burst near the market."

    def joins(engine: Engine, n: int) -> bool:
        return teaser in engine.run("\n".join(ARTICLE + links[:n] + [teaser]) + "\n").text

    def loaded(cost: str) -> Engine:
        path = tmp_path / "content.yaml"
        path.write_text(f"rules: [{{id: content, kind: content, list_cost: {cost}}}]\n")
        return Engine(load_rules([path]))

    whole = [(joins(loaded(c), 3), joins(loaded(c), 4)) for c in ("1", "2")]
    assert whole == [(True, True), (False, False)]
    half = loaded("1.5")
    assert half.rules[0].list_cost == 1.5  # type: ignore[attr-defined]
    assert (joins(half, 3), joins(half, 4)) == (True, False)  # neither 1 nor 2
    for bad in ("-0.5", "true", ".inf", "'1.5'"):
        with pytest.raises(RuleError, match="'list_cost' must be a number >= 0"):
            loaded(bad)
