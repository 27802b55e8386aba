"""``cleaner learn``: each site's repeated chrome, learned from its pages, as rule packs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import cleaner
from cleaner.engine import Engine
from cleaner.learn import SiteCounts, documents, learn, page_lines, write_packs
from cleaner.loader import load_rules
from cleaner.selftest import check_examples

from .conftest import run_main

CHROME = ["Harbour Gazette Weekly", "Subscribe to the print edition today", "Ask the editors"]
STANDING = (
    "The Harbour Gazette is published every Thursday by the Port Elwyn Community Trust and "
    "delivered free to every household in the district."
)


BIO = (
    "Mara Quinn has edited the Harbour Gazette since 2004 and writes about the council, "
    "the harbour and the people who keep the town running."
)


def _article(k: int) -> list[str]:
    topic = ["bridge", "school", "market", "harbour", "library"][k % 5]
    return [
        f"Council backs new {topic} plan after long debate",
        f"The council approved the plan for the {topic} on Tuesday after a debate that lasted "
        f"well into the night, with members split over the cost of the work number {k}.",
        f"Residents who use the {topic} every day said they had waited years for the repairs, "
        f"and several of them spoke at the meeting to ask for an early start in year {k}.",
    ]


def _corpus(tmp_path: Path, pages: int = 6) -> Path:
    path = tmp_path / "crawl.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for k in range(pages):
            standing = [STANDING] if k % 3 else []  # on two pages in three
            lines = [CHROME[0], *_article(k), *standing, BIO, CHROME[1], CHROME[2]]
            row = {"url": f"https://www.gazette.example/story/{k}", "text": "\n".join(lines)}
            fh.write(json.dumps(row) + "\n")
        row = {"url": "https://other.example/a", "text": "\n".join(_article(9))}
        fh.write(json.dumps(row) + "\n")
    return path


def test_learns_repeated_chrome_not_the_articles_or_a_standing_paragraph(tmp_path: Path) -> None:
    """A paragraph on two pages in three may be the articles' own (a column's standing
    note); one on every page of the site (its editor's bio) is the site's."""
    engine = cleaner.engine()
    written = learn(engine, documents([_corpus(tmp_path)], "text", None, None), tmp_path / "p")
    assert [p.name for p in written] == ["gazette-example.yaml"]  # one page of other.example
    rules = load_rules([tmp_path / "p"])
    rule = next(r for r in rules if r.kind == "line")
    assert rule.scope.sites == ("gazette.example",)
    phrases = set(rule.match.phrases)  # type: ignore[union-attr]
    assert BIO in phrases
    assert phrases - {BIO} <= set(CHROME) and phrases - {BIO}  # what the rules leave of it
    assert STANDING not in phrases
    assert not any(line in phrases for k in range(6) for line in _article(k))


def test_packs_pass_their_own_examples_and_clean_the_site(tmp_path: Path) -> None:
    out = tmp_path / "packs"
    learn(cleaner.engine(), documents([_corpus(tmp_path)], "text", None, None), out)
    engine = Engine([*cleaner.engine().rules, *load_rules([out])])
    failures, checked = check_examples(Engine(load_rules([out])))
    assert checked and failures == []
    page = "\n".join([CHROME[0], *_article(7), STANDING, *CHROME[1:]])
    outcome = engine.run(page, "https://gazette.example/new")
    learned = {d.text for d in outcome.decisions if (d.rule_id or "").startswith("learned-")}
    assert learned and learned <= {*CHROME, BIO}
    assert STANDING in outcome.text
    elsewhere = engine.run(page, "https://another.example/")
    assert not any((d.rule_id or "").startswith("learned-") for d in elsewhere.decisions)


def test_same_corpus_gives_byte_identical_packs_whatever_the_jobs(
    tmp_path: Path, monkeypatch
) -> None:
    corpus = _corpus(tmp_path, pages=40)  # more than one batch of pages
    for out, jobs in (("a", "1"), ("b", "2")):
        args = ["learn", str(corpus), "-o", str(tmp_path / out), "--jobs", jobs]
        assert run_main(args, monkeypatch).code == 0
    a, b = sorted((tmp_path / "a").iterdir()), sorted((tmp_path / "b").iterdir())
    assert [p.name for p in a] == [p.name for p in b]
    assert all(x.read_bytes() == y.read_bytes() for x, y in zip(a, b, strict=True))


def _page(lines: list[str], prose: bool = False) -> tuple[list[str], ...]:
    return lines, lines, lines if prose else [], [], []


def test_share_and_min_pages_decide_what_is_learned() -> None:
    counts = SiteCounts()
    for k in range(10):
        counts.add(_page(["Menu"] * (k < 6) + ["Rare"] * (k < 2)))
    assert counts.learned(0.5, 3) == [("Menu", 6)]
    assert counts.learned(0.1, 2) == [("Menu", 6), ("Rare", 2)]
    for _ in range(8):  # kept as prose on every page it stands on: not chrome
        counts.add(_page(["Kept prose"], prose=True))
    assert [line for line, _ in counts.learned(0.1, 2)] == ["Menu", "Rare"]
    everywhere = SiteCounts()
    for k in range(10):  # ... unless it stands on nearly every page of the site
        everywhere.add(_page(["Bio"] + ["Column note"] * (k < 8), prose=True))
    assert everywhere.learned(0.5, 3) == [("Bio", 10)]


def test_a_headline_listed_on_other_pages_is_not_learned_from_them() -> None:
    """An article's headline stands under "Recent posts" on every other page of its
    site and in the title of its own page: on its own page it is the article's."""
    engine = cleaner.engine()
    recent = [f"Council backs new {t} plan after long debate" for t in ("bridge", "school")]

    def learned(titled: bool) -> set[str]:
        counts = SiteCounts()
        for k in range(6):
            article = _article(k)
            title = f"{article[0]} - Harbour Gazette" if titled else "Harbour Gazette"
            text = "\n".join([title, *article, "Recent posts", *recent])
            counts.add(page_lines(engine, text, "https://gazette.example/"))
        return {line for line, _ in counts.learned(0.5, 3)}

    assert set(recent) <= learned(titled=False)  # kept on its own page, removed elsewhere
    assert not set(recent) & learned(titled=True)


def test_lines_seen_once_are_forgotten_as_pages_go(monkeypatch) -> None:
    monkeypatch.setattr("cleaner.learn.PRUNE_EVERY", 4)
    counts = SiteCounts()
    for k in range(8):
        counts.add(_page(["Menu", f"Story {k}"]))
    assert len(counts.seen) == 1 and len(counts.texts) == 1
    assert counts.learned(0.5, 3) == [("Menu", 8)]


@pytest.mark.parametrize(
    ("content", "message"),
    [("not json\n", "crawl.jsonl:1: not a JSON object"), ('{"url": "x"}\n', "no string field")],
)
def test_bad_row_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch, content: str, message: str
) -> None:
    corpus = tmp_path / "crawl.jsonl"
    corpus.write_text(content)
    result = run_main(["learn", str(corpus), "-o", str(tmp_path / "p")], monkeypatch)
    assert result.code == 2
    assert message in result.err and len(result.err.strip().splitlines()) == 1


def test_clean_learn_learns_then_cleans_and_refuses_stdin(tmp_path: Path, monkeypatch) -> None:
    corpus = _corpus(tmp_path)
    result = run_main(["clean", "--learn", "--explain", str(corpus)], monkeypatch)
    assert result.code == 0
    assert "learned-gazette-example-lines" in result.out
    plain = run_main(["clean", "--explain", str(corpus)], monkeypatch)
    assert "learned-" not in plain.out
    refused = run_main(["clean", "--learn"], monkeypatch, stdin=b"text\n")
    assert refused.code == 2 and "not stdin" in refused.err


def _markdown_site(folder: Path, pages: int = 6) -> Path:
    """A site's pages as Markdown files: the same linked chrome around each article."""
    folder.mkdir()
    for k in range(pages):
        article = _article(k)
        lines = [
            f"[{CHROME[0]}](/)",
            "",
            f"# {article[0]}",
            "",
            *(f"{p}\n" for p in article[1:]),
            f"[{CHROME[1]}](/subscribe)",
            "",
            f"* [{CHROME[2]}](/ask)",
        ]
        (folder / f"page{k}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_learns_markdown_pages_by_their_visible_text(tmp_path: Path, monkeypatch) -> None:
    site = _markdown_site(tmp_path / "site")
    out = tmp_path / "packs"
    args = ["learn", str(site), "--url", "https://gazette.example/", "-o", str(out)]
    assert run_main(args, monkeypatch).code == 0
    rule = next(r for r in load_rules([out]) if r.kind == "line")
    phrases = set(rule.match.phrases)  # type: ignore[union-attr]
    assert phrases and phrases <= set(CHROME)  # the links' text, not their Markdown
    page = (site / "page0.md").read_text(encoding="utf-8")
    engine = Engine([*cleaner.engine().rules, rule])
    from cleaner.markdown import run as run_markdown

    cleaned = run_markdown(engine, page, "https://gazette.example/new").text
    assert not any(f"[{line}]" in cleaned for line in phrases)
    assert all(p in cleaned for p in _article(0)[1:])


def test_clean_learn_reads_markdown_inputs_as_markdown(tmp_path: Path, monkeypatch) -> None:
    site = _markdown_site(tmp_path / "site")
    args = ["clean", "--learn", "--explain", "--url", "https://gazette.example/", str(site)]
    result = run_main(args, monkeypatch)
    assert result.code == 0
    assert "learned-gazette-example-lines" in result.out


COMMENT = (
    "I have lived by the {topic} for thirty years and I think the council should have "
    "listened to the people who use it every single day before voting on number {k}."
)


def _site_with_comments(tail: str, pages: int = 6) -> list[str]:
    """Pages whose article is followed by the site's comment heading and a comment."""
    out = []
    for k in range(pages):
        article = _article(k)
        comment = COMMENT.format(topic=article[0].split()[3], k=k)
        out.append("\n".join([*article, tail, "Reader 1", comment]))
    return out


def test_a_line_below_the_prose_of_every_page_becomes_a_tail_marker(tmp_path: Path) -> None:
    engine = cleaner.engine()
    counts = SiteCounts()
    for text in _site_with_comments("Join the discussion below"):
        counts.add(page_lines(engine, text, "https://gazette.example/"))
    assert "Join the discussion below" in [line for line, _ in counts.tails(0.5, 3)]
    written = write_packs({"gazette.example": counts}, tmp_path)
    rules = load_rules(written)
    assert [r.kind for r in rules] == ["tail", "line"]
    failures, checked = check_examples(Engine(rules))
    assert checked and failures == []
    page = _site_with_comments("Join the discussion below", pages=8)[7]
    cleaned = Engine([*engine.rules, *rules]).run(page, "https://gazette.example/").text
    assert all(line in cleaned for line in _article(7))
    assert "Reader 1" not in cleaned and "thirty years" not in cleaned


def test_a_repeated_line_above_the_prose_is_no_tail_marker() -> None:
    engine = cleaner.engine()
    counts = SiteCounts()
    for k in range(6):
        article = _article(k)
        text = "\n".join([article[0], "Join the discussion below", *article[1:]])
        counts.add(page_lines(engine, text, "https://gazette.example/"))
    assert counts.tails(0.5, 3) == []


def test_packs_detect_their_site_on_pages_without_a_url(tmp_path: Path) -> None:
    """Rows named by a site field, without URLs: the pack's signature lines find them."""
    rows = []
    for k in range(6):
        lines = [CHROME[0], *_article(k), STANDING, CHROME[1], CHROME[2]]
        rows.append({"site": "gazette", "text": "\n".join(lines)})
        rows.append({"site": "other", "text": "\n".join(["Other Town News", *_article(k + 1)])})
    corpus = tmp_path / "rows.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "packs"
    learn(cleaner.engine(), documents([corpus], "text", "site", None), out)
    rules = load_rules([out / "gazette.yaml"])
    assert rules[0].scope.detect is not None
    assert CHROME[2] in next(r for r in rules if r.kind == "line").match.phrases  # type: ignore[union-attr]
    engine = Engine([*cleaner.engine().rules, *rules])
    page = "\n".join([CHROME[0], *_article(8), STANDING, *CHROME[1:]])
    found = {d.rule_id for d in engine.run(page).decisions}
    assert any((r or "").startswith("learned-gazette-") for r in found)
    # "Ask the editors" is learned, but too short to tell the site: another site keeps it
    elsewhere = "\n".join(["Other Town News", *_article(8), CHROME[2]])
    assert CHROME[2] in engine.run(elsewhere).text
