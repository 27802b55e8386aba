"""``model``: keep the lines a learned line model reads as article text, drop the rest.

Runs late, on the lines the other rules left, like ``content``. Every non-blank line is
measured (``cleaner.features``: length, stopword share, sentence end, capitals, digits, list
separators, chrome words, comment and date shapes, where it stands, its neighbours, how
many lines the rules removed around it), and the two stages of ``cleaner.linemodel``
weigh the measures into the probability that the line is article text. A line below
the rule's ``threshold`` goes, unless the article grows over it: a sentence beside a
kept line, headings and unpunctuated lines that lead from a kept line on to a sentence,
a heading right above a kept line, a ``trailer`` credit right below one. A page where
no line reaches the threshold, or without a paragraph of prose, is left as it is. When
unsure, keep the line: the model was fitted for F1, the growth is for recall. With
``repeats: N``, a kept line of ``N`` words or more that repeats an earlier kept line
word for word goes (an article printed twice, once for the page and once for print or
a script's copy): the first copy stays, so no text is lost.

Favouring precision (``clean --precision``; ``precise`` turns it on), a line must also
lie in one of the page's main runs of likely article lines (``runs``: ``cut``, the
probability a line's score is measured against, and ``share``, what a further run must
score against the first; see ``cleaner.linemodel.main_runs``), so that a teaser list or
a comment thread apart from the article goes whole, at the cost of article lines that
stand apart from it too.

The weights are data in the rule: ``stage1`` and ``stage2`` map feature names to
weights in raw feature units. ``cleaner train`` fits them from labelled pages and
writes the whole rule. A Markdown page (``--format markdown``) is read with the weights
under ``markdown:`` when the rule has them, fitted on Markdown pages, where the markup
measures (link text share, heading level, list items) count; else with the others.

    - id: line-model
      kind: model
      threshold: 0.55
      repeats: 12
      runs: {cut: 0.6, share: 0.1}
      stage1: {log_words: 0.8, ends_sentence: 1.2, ..., bias: -2.1}
      stage2: {...}
      markdown: {stage1: {...}, stage2: {...}}
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from copy import copy
from typing import Any

import numpy as np

from cleaner import linescan
from cleaner.features import NAMES, page_features, page_lines
from cleaner.linemodel import LineModel, main_runs
from cleaner.matching import Matcher, SpecError
from cleaner.rule import Page, Removal, Rule, boolean, matcher, positive_int
from cleaner.textstats import ends_sentence, word_count


class ModelRule(Rule):
    kind = "model"
    needs_match = False
    late = True
    params = frozenset(
        {
            "threshold",
            "stage1",
            "stage2",
            "markdown",
            "trained",
            "headline",
            "trailer",
            "runs",
            "repeats",
        }
    )

    model: LineModel | None = None
    markdown: LineModel | None = None  # the weights for Markdown pages, if fitted apart
    trained: str = ""  # what the weights were fitted on, as ``cleaner train`` wrote it
    headline: bool = True  # a heading right above a kept line stays
    trailer: Matcher | None = None  # a credit line right below a kept line stays
    runs: tuple[float, float] = (0.6, 0.1)  # the main runs' (cut, share), for precision
    precision: bool = False  # keep only lines in the page's main runs (``precise``)
    repeats: int = 0  # a kept line this long (in words) that repeats one above goes; 0: off

    def configure(self, spec: dict[str, Any], timeout: float) -> None:
        try:
            self.model = LineModel.from_spec(spec)
            weights = spec.get("markdown")
            if weights is not None:
                if not isinstance(weights, dict):
                    raise ValueError("'markdown' must hold 'stage1' and 'stage2' weights")
                self.markdown = LineModel.from_spec({**weights, "threshold": self.model.threshold})
        except ValueError as exc:
            raise SpecError(str(exc)) from None
        self.trained = str(spec.get("trained", ""))
        self.headline = boolean(spec, "headline", True)
        self.trailer = matcher(spec, "trailer", timeout)
        self.runs = _runs(spec.get("runs", {}))
        self.repeats = positive_int(spec, "repeats", 0)

    def apply(self, page: Page) -> Iterator[Removal]:
        assert self.model is not None
        layout = page.memo.layout
        lines = page_lines(page.texts, page.blank, page.origin, page.edges, layout)
        shown, x = page_features(lines, page.memo)
        if not shown:
            return
        model = self.model
        if layout is not None and self.markdown is not None:
            model = self.markdown  # a Markdown page: the weights fitted on Markdown pages
        proba = model.predict_proba(x)
        within = main_runs(proba, *self.runs) if self.precision else None
        keep = model.keep(x, proba, within if within is not None and within.any() else None)
        if not keep.any() or not x[:, _PROSE].any():
            return  # no article found, or no paragraph to find: when unsure, keep the line
        keep = self._edges(page, shown, keep, proba >= GROW_FLOOR)
        if self.repeats:
            _first_copies(keep, [page.normed(i) for i in shown], self.repeats)
        for i, kept in zip(shown, keep, strict=True):
            if not kept:
                yield Removal(i, self.id)

    def _edges(
        self, page: Page, shown: list[int], keep: np.ndarray, likely: np.ndarray
    ) -> np.ndarray:
        """Recall at the article's edges, where labelled pages disagree (some golds hold
        headings, the headline and the reporting credit, some do not): a sentence right
        above or below a kept line stays (and so on, one by one); with ``headline``, so
        does a heading (3 to 25 words, no stop) right above a kept line, the article's
        headline or a sub-heading over its paragraph; and a ``trailer`` credit right
        below a kept line. Growth reaches ``GROW_REACH`` lines past a kept line, except
        on a page where every line reads as a sentence or a heading: the rules have
        taken the chrome there, and all that is left is text."""
        keep = keep.copy()
        # each line measured once a run: (words, ends a sentence, a link list on one line)
        per_text = page.memo.per_text
        measured = [per_text("model.edge", page.texts[i], _edge_measures) for i in shown]
        shape = [_shape(*m) for m in measured]
        reach = len(shape) if all(shape) else GROW_REACH
        _grow(keep, shape, likely, reach)
        keep[::-1] = _grow(keep[::-1].copy(), shape[::-1], likely[::-1], reach)
        if self.headline:
            for k in range(len(shown) - 1):
                words, ends, listed = measured[k]
                if keep[k + 1] and not keep[k] and 3 <= words <= 25 and not (ends or listed):
                    keep[k] = True
        if self.trailer is not None:
            for k in range(1, len(shown)):
                if keep[k - 1] and not keep[k] and self.search(self.trailer, page, shown[k]):
                    keep[k] = True
        return keep


def _first_copies(keep: np.ndarray, norms: Sequence[str], words: int) -> None:
    """Drop, in place, each kept line of ``words`` words or more that an earlier kept
    line repeats (``norms``: the lines with their white space made single)."""
    seen: set[str] = set()
    for k, norm in enumerate(norms):
        if keep[k]:
            if norm in seen and norm.count(" ") + 1 >= words:
                keep[k] = False
            seen.add(norm)


def precise(rules: Sequence[Rule]) -> list[Rule]:
    """``rules`` with every ``model`` rule favouring precision (copies: the rules given
    are left as they are)."""
    out: list[Rule] = []
    for rule in rules:
        if isinstance(rule, ModelRule):
            rule = copy(rule)
            rule.precision = True
        out.append(rule)
    return out


def _runs(spec: Any) -> tuple[float, float]:
    """``runs: {cut, share}`` read and checked (both default to the shipped settings)."""
    if not isinstance(spec, dict) or set(spec) - {"cut", "share"}:
        raise SpecError("'runs' must map 'cut' and 'share' to numbers")
    cut, share = spec.get("cut", ModelRule.runs[0]), spec.get("share", ModelRule.runs[1])
    for value in (cut, share):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise SpecError("'runs': 'cut' and 'share' must be numbers")
    if not 0 < cut < 1 or not 0 < share <= 1:
        raise SpecError("'runs': 'cut' must lie between 0 and 1, 'share' above 0 and at most 1")
    return float(cut), float(share)


def _edge_measures(text: str) -> tuple[int, bool, bool]:
    """What the edges read of a line: its words, whether it ends a sentence, and whether
    it is a link list printed on one line."""
    return word_count(text), ends_sentence(text), " | " in text


def _shape(words: int, ends: bool, listed: bool) -> str:
    """How a line reads to the growth: a sentence of two words or more, a wordy line of
    three or more without a final stop (a heading, or a paragraph that lost it), or
    neither (a link list printed on one line is neither)."""
    if listed:
        return ""
    if ends:
        return _SENTENCE if words >= 2 else ""
    return _WORDY if words >= 3 else ""


_SENTENCE, _WORDY = linescan.SENTENCE, linescan.WORDY
#: how many lines the article may grow past a line the model kept: enough for a
#: sub-heading and its paragraph, too few to swallow a list of teasers one card at a time
GROW_REACH = 2
#: ... and past that reach, the lines the model gives at least this probability
GROW_FLOOR = 0.1
_PROSE = NAMES.index("prose")  # a line of running text (8+ words and a stop, or 20+ words)


def _grow(
    keep: np.ndarray, shape: list[str], likely: np.ndarray, reach: int = GROW_REACH
) -> np.ndarray:
    """Below each kept line, keep the sentences that follow it, and headings or
    unpunctuated lines that lead on to a sentence (or to the page's end); past ``reach``
    lines from a line the model kept, only lines it gives ``GROW_FLOOR`` or more; in
    place (compiled where built: ``cleaner.linescan``)."""
    return linescan.grow(keep, shape, likely, reach)
