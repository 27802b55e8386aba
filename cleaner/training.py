"""Fit the line model from labelled pages: ``cleaner train``.

A labelled page is a JSONL row with ``text`` and either ``gold`` (the article's text) or
``with`` / ``without`` (segments that must stay and must go); ``url`` (or ``site``) names
its site. Each page is run through the rules that come before the model, exactly as
``clean`` runs them, and the model sees what they left: so it learns what the rules
miss, and the removed lines' places are among its measures. ``cleaner.labels`` tells
which lines are article text; ``cleaner.linemodel`` fits the weights.

Folds are by site: every page of one site lands in the same fold, so a figure measured
on a fold held out is one for sites the model has not seen.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Container, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from cleaner.document import split
from cleaner.engine import Engine
from cleaner.errors import CleanerError
from cleaner.features import PageLines, page_features, page_lines
from cleaner.labels import has_labels, line_labels
from cleaner.linemodel import LineModel
from cleaner.markdown import engine_input, read
from cleaner.rule import Page, Removal, Rule, site_host


class TrainingError(CleanerError):
    """Labelled input that cannot be read: the message names the file and line."""


@dataclass
class LabelledPage:
    site: str
    features: np.ndarray
    labels: list[int]
    row: dict[str, Any]


class _Recorder(Rule):
    """A late rule that removes nothing and keeps the page the model would see."""

    kind = "recorder"
    needs_match = False
    late = True
    seen: PageLines | None = None

    def apply(self, page: Page) -> Iterator[Removal]:
        if self.seen is None:
            self.seen = page_lines(
                list(page.texts), list(page.blank), page.origin, page.edges, page.memo.layout
            )
        return iter(())


def site_of(row: dict[str, Any]) -> str:
    """The row's site: its ``site`` field, else its URL's host without ``www.`` (a
    benchmark id such as ``hard::example.com-story.html`` names the host before the dash)."""
    if isinstance(row.get("site"), str) and row["site"]:
        return str(row["site"]).lower()
    url = str(row.get("url") or "")
    if "::" in url:
        return url.split("::", 1)[1].split("-", 1)[0].lower()
    return site_host(url)


def read_rows(paths: Iterable[Path]) -> Iterator[dict[str, Any]]:
    """Labelled rows of JSONL files (``.jsonl`` or ``.jsonl.gz``)."""
    for path, number, row in _rows(paths):
        if not has_labels(row):
            raise TrainingError(
                f"{path}:{number}: a row needs 'gold' (a string) or 'with' "
                "and 'without' (lists of strings)"
            )
        yield row


def markdown_rows(
    paths: Iterable[Path], labelled: Sequence[dict[str, Any]], only: Container[str] | None = None
) -> Iterator[dict[str, Any]]:
    """Markdown renderings of labelled pages (JSONL rows with ``text``), each marked
    ``markdown``: a row's own ``gold`` or ``with``/``without`` label it, or else those
    of the labelled row with the same ``id`` (the plain-text rendering of the page).
    Given ``only``, the rows whose ``id`` is not in it are passed over."""
    by_id = {row["id"]: row for row in labelled if "id" in row}
    for path, number, row in _rows(paths):
        if only is not None and row.get("id") not in only:
            continue
        if not has_labels(row):
            plain = by_id.get(row.get("id"))
            if plain is None:
                raise TrainingError(
                    f"{path}:{number}: a Markdown row needs labels of its own or the 'id' "
                    "of a labelled row"
                )
            labels = {k: plain[k] for k in ("gold", "with", "without", "url", "site") if k in plain}
            row = {**labels, **{k: v for k, v in row.items() if v is not None}}
        yield {**row, "markdown": True}


def _rows(paths: Iterable[Path]) -> Iterator[tuple[Path, int, dict[str, Any]]]:
    """Each JSONL row with a ``text`` string, with its file and line number."""
    for path in paths:
        opener = gzip.open if path.name.endswith(".gz") else open
        try:
            with opener(path, "rt", encoding="utf-8") as fh:
                for number, line in enumerate(fh, 1):
                    if not line.strip():
                        continue
                    try:
                        row = json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise TrainingError(f"{path}:{number}: not JSON ({exc.msg})") from None
                    if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                        raise TrainingError(f"{path}:{number}: a row needs a 'text' string")
                    yield path, number, row
        except (OSError, UnicodeDecodeError, EOFError) as exc:
            raise TrainingError(f"{path}: cannot read ({exc})") from None


def prepare(rows: Iterable[dict[str, Any]], rules: Sequence[Rule]) -> list[LabelledPage]:
    """Measure and label every row's page as the model sees it after ``rules`` (the
    early ones: late rules are left out). A row marked ``markdown`` is read as
    ``clean --format markdown`` reads it."""
    recorder = _Recorder(id="recorder")
    engine = Engine([r for r in rules if not r.late] + [recorder])
    out = []
    for row in rows:
        recorder.seen = None
        if row.get("markdown"):
            texts = split(row["text"])[0]
            shown, page, layout = engine_input(read(texts))
            engine.run(page, row.get("url"), layout=layout, raw=[texts[k] for k in shown])
        else:
            engine.run(row["text"], row.get("url"))
        seen = recorder.seen or PageLines([], [], [], [])
        shown, x = page_features(seen)
        labels = line_labels([seen.texts[i] for i in shown], row)
        out.append(LabelledPage(site_of(row), x, labels, row))
    return out


def fit(pages: Sequence[LabelledPage], model: LineModel | None = None) -> LineModel:
    """``model`` (default settings unless given) fitted on ``pages``."""
    model = model or LineModel()
    used = [p for p in pages if any(label >= 0 for label in p.labels)]
    if not used:
        raise TrainingError("no labelled line to learn from")
    return model.fit([p.features for p in used], [p.labels for p in used])


def fitted_on(pages: Sequence[LabelledPage], paths: Sequence[Path]) -> str:
    """What a fit was made on, for the rule file: pages, labelled lines and files."""
    lines = sum(sum(label >= 0 for label in p.labels) for p in pages)
    names = ", ".join(p.name for p in paths)
    return f"{len(pages)} pages ({lines} labelled lines) of {names}"


def folds(sites: Sequence[str], k: int = 5) -> list[int]:
    """A fold for each page, by site: sites in order of their page count (ties broken by
    a hash of the name), each put in the fold that holds the fewest pages so far."""
    counts: dict[str, int] = {}
    for site in sites:
        counts[site] = counts.get(site, 0) + 1
    order = sorted(counts, key=lambda s: (-counts[s], hashlib.md5(s.encode()).hexdigest()))
    load = [0] * k
    fold_of: dict[str, int] = {}
    for site in order:
        f = min(range(k), key=lambda j: (load[j], j))
        fold_of[site] = f
        load[f] += counts[site]
    return [fold_of[s] for s in sites]


def rule_file(
    model: LineModel,
    trained: str,
    rule_id: str = "line-model",
    base: dict[str, Any] | None = None,
    markdown: LineModel | None = None,
) -> str:
    """The YAML rule file that holds ``model`` (and ``markdown``, the weights for
    Markdown pages, when fitted). ``base``, a rule of kind ``model`` read from the file
    being refitted, gives every key that is not a weight (description, ``headline``,
    ``trailer``, ``threshold``): a refit changes only what was fitted."""
    rule: dict[str, Any] = {
        "id": rule_id,
        "kind": "model",
        "description": (
            "Takes the lines the learned line model reads as chrome: it weighs each line's "
            "measures and its neighbours' (see cleaner/features.py) into the probability that "
            "the line is article text, and drops a line below the threshold. Keeps every line "
            'at or above it, short article lines among them ("It passed.").'
        ),
    }
    fitted = {"trained": trained, **model.to_spec()}
    if markdown is not None:
        fitted["markdown"] = {k: v for k, v in markdown.to_spec().items() if k != "threshold"}
    if base and "threshold" in base:  # a setting of the rule, not a fitted weight
        del fitted["threshold"]
    unfitted = ("id", "markdown")  # a refit without Markdown pages drops their weights
    rule.update({k: v for k, v in (base or {}).items() if k not in fitted and k not in unfitted})
    rule.update(fitted)
    header = (
        "# Written by `cleaner train`; refit it rather than editing the weights by hand.\n"
        f"# {trained}\n"
    )
    body = yaml.safe_dump(
        {"description": "The learned line model: article lines in, chrome out.", "rules": [rule]},
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )
    return header + body


def existing_rule(path: Path) -> dict[str, Any] | None:
    """The first rule of kind ``model`` in the rule file at ``path``, if there is one."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    rules = data.get("rules") if isinstance(data, dict) else None
    for rule in rules if isinstance(rules, list) else []:
        if isinstance(rule, dict) and rule.get("kind") == "model":
            return rule
    return None
