"""Property tests on Markdown: the generated pages of ``test_properties`` with Markdown
in them. Links wrap words of the article's sentences, a figure stands under a paragraph,
and fenced code blocks (holding chrome-looking lines) sit anywhere between lines.
Article lines must come out as written, links and all; fenced blocks must come out
byte for byte; chrome must still go."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner.markdown import run, visible

from .test_properties import CHROME, ENGINE, SHORT, documents, is_subsequence, only_cut

FIGURE = "![](https://example.org/figure.jpg)"


@dataclass
class MarkdownPage:
    text: str
    article: list[str]  # article lines as written in the Markdown
    chrome: list[str]
    fences: list[str]  # each fenced block, fences included
    figures: list[str]


@st.composite
def linked(draw: st.DrawFn, line: str) -> str:
    """``line`` with a run of its words made into a Markdown link."""
    words = line.split(" ")
    start = draw(st.integers(0, len(words) - 1))
    end = draw(st.integers(start + 1, min(len(words), start + 4)))
    label = " ".join(words[start:end])
    url = draw(st.sampled_from(["https://example.org/a", "/news/2024/pier", "#note"]))
    title = draw(st.sampled_from(["", ' "More"']))
    return " ".join([*words[:start], f"[{label}]({url}{title})", *words[end:]])


@st.composite
def fence(draw: st.DrawFn) -> list[str]:
    mark = draw(st.sampled_from(["```", "~~~", "````"]))
    info = draw(st.sampled_from(["", "python", "text"]))
    body = draw(
        st.lists(
            st.sampled_from([*CHROME.line[:30], *SHORT, "", "    indented()", "[a](b) *c*"]),
            min_size=0,
            max_size=5,
        )
    )
    return [mark + info, *body, mark]


@st.composite
def markdown_pages(draw: st.DrawFn) -> MarkdownPage:
    doc = draw(documents())
    article = set(doc.article)
    lines: list[str] = []
    kept: list[str] = []
    fences: list[str] = []
    figures: list[str] = []
    source = doc.text.split("\n")
    for line in source:
        if draw(st.integers(0, 5)) == 0:
            block = draw(fence())
            lines.extend(block)
            fences.append("\n".join(block))
        if line in article:
            if draw(st.booleans()):
                line = draw(linked(line))
            kept.append(line)
            lines.append(line)
            if source.count(line) == 1 and draw(st.integers(0, 6)) == 0:
                # a figure under a paragraph (one the duplicate rules leave alone)
                lines.append(FIGURE)
                figures.append(FIGURE)
            continue
        lines.append(line)
    return MarkdownPage("\n".join(lines), kept, doc.chrome, fences, figures)


SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(markdown_pages())
def test_linked_sentences_survive_fences_stay_and_chrome_goes(page: MarkdownPage) -> None:
    out = run(ENGINE, page.text).text
    out_lines = out.splitlines()
    kept = set(out_lines)
    shown = {visible(line) for line in out_lines}
    for line in page.article:
        # a paragraph written twice, once with a link, is a duplicate: one of them stays
        assert line in kept or visible(line) in shown, f"article line lost: {line!r}"
        if [visible(x) for x in page.article].count(visible(line)) == 1:
            assert line in kept, f"article line lost: {line!r}"
    for block in page.fences:
        assert block in out, f"fenced block changed: {block!r}"
    assert out_lines.count(FIGURE) == len(page.figures), "a figure in the article went"
    fenced = {line for block in page.fences for line in block.split("\n")}
    for line in page.chrome:
        if line not in page.article and line not in fenced:
            assert line not in kept, f"chrome survived: {line!r}"
    assert is_subsequence(out_lines, page.text.splitlines()), "output is not a subsequence"
    assert run(ENGINE, out).text == out, "cleaning twice changed the text"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab #*_-[]()!`~>|\\:\n .x1"), max_size=200))
def test_markdown_marks_never_raise_and_only_remove(text: str) -> None:
    out = run(ENGINE, text).text
    assert only_cut(out.splitlines(), text.splitlines())
    assert run(ENGINE, out).text == out
