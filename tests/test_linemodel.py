"""The learned line model: labels, features, fitting, the ``model`` kind, ``cleaner train``."""

from __future__ import annotations

import gzip
import json
from copy import copy
from pathlib import Path

import numpy as np
import pytest
import yaml

import cleaner
from cleaner.engine import Engine
from cleaner.errors import RuleError
from cleaner.features import MARKUP, NAMES, PageLines, page_features
from cleaner.kinds.model import ModelRule, precise
from cleaner.labels import ARTICLE, CHROME, UNKNOWN, line_labels
from cleaner.linemodel import CONTEXT, LineModel, main_runs
from cleaner.loader import default_rules_dir, load_rules
from cleaner.training import folds, prepare, site_of

from .conftest import run_main, shared_or_skip
from .test_content import ARTICLE as ARTICLE_LINES
from .test_content import MENU

FOOTER = ["Share on Facebook", "Tags: council, budget", "Contact us", "Privacy policy"]


def _page(lines: list[str]) -> PageLines:
    return PageLines(lines, [not t.strip() for t in lines], [0] * len(lines), [False] * len(lines))


def _synthetic(n: int) -> tuple[list[np.ndarray], list[list[int]]]:
    """Pages of menu, article and footer, with their labels, varied by a fixed seed."""
    rng = np.random.default_rng(0)
    xs, ys = [], []
    for _ in range(n):
        menu = list(rng.choice(MENU, size=5, replace=False))
        body = ARTICLE_LINES[1:] if rng.random() < 0.5 else ARTICLE_LINES
        lines = [*menu, *body, *FOOTER]
        xs.append(page_features(_page(lines))[1])
        ys.append([CHROME] * len(menu) + [ARTICLE] * len(body) + [CHROME] * len(FOOTER))
    return xs, ys


# --- labels ---------------------------------------------------------------------------


def test_gold_labels_follow_shingles_and_short_lines() -> None:
    gold = "The council met on Tuesday and approved the budget.\nIt passed."
    lines = [
        "Home",
        "The council met on Tuesday and approved the budget.",
        "It passed.",
        "Read more about the council and its budget plans",
        "",
    ]
    assert line_labels(lines, {"gold": gold}) == [CHROME, ARTICLE, ARTICLE, CHROME, UNKNOWN]


def test_segment_labels_leave_unlabelled_lines_unknown() -> None:
    row = {"with": ["The council met on Tuesday."], "without": ["Share on Facebook"]}
    lines = ["Share on Facebook", "The council met on Tuesday.", "Weather"]
    assert line_labels(lines, row) == [CHROME, ARTICLE, UNKNOWN]


# --- features -------------------------------------------------------------------------


def test_features_have_a_named_column_each_and_skip_blank_lines() -> None:
    lines = [*MENU[:3], "", *ARTICLE_LINES]
    shown, x = page_features(_page(lines))
    assert shown == [0, 1, 2, *range(4, 4 + len(ARTICLE_LINES))]
    assert x.shape == (len(shown), len(NAMES))
    ends = x[:, NAMES.index("ends_sentence")]
    assert ends[:3].tolist() == [0, 0, 0] and ends[4] == 1
    assert x[3, NAMES.index("blank_above")] == 1  # the headline below the blank line


def test_features_see_lines_the_rules_removed() -> None:
    lines = ["First line of text here.", "Second line of text here."]
    page = PageLines(lines, [False, False], [0, 3], [False, True])
    _, x = page_features(page)
    assert x[1, NAMES.index("removed_above")] == pytest.approx(np.log1p(3))
    assert x[0, NAMES.index("edge_below")] == 1


def test_features_place_lines_before_and_past_a_boundary_removal() -> None:
    lines = ["First line of text here.", "Second line of text here.", "Third line here."]
    page = PageLines(lines, [False] * 3, [0, 1, 0], [False, True, False])
    _, x = page_features(page)
    assert x[:, NAMES.index("before_edge")].tolist() == [1, 0, 0]
    assert x[:, NAMES.index("past_edge")].tolist() == [0, 1, 1]


def test_markup_features_read_the_layout_and_are_zero_on_plain_text() -> None:
    lines = ["Home", "A headline over the story", "The story goes on in a sentence."]
    plain = PageLines(lines, [False] * 3, [0] * 3, [False] * 3)
    layout = [(1.0, 0, True, False), (0.0, 2, False, False), (0.25, 0, False, False)]
    marked = PageLines(lines, [False] * 3, [0] * 3, [False] * 3, layout)
    columns = [NAMES.index(n) for n in MARKUP]
    assert not page_features(plain)[1][:, columns].any()
    _, x = page_features(marked)
    assert x[:, NAMES.index("markup")].tolist() == [1, 1, 1]
    assert x[:, NAMES.index("link_item")].tolist() == [1, 0, 0]
    assert x[:, NAMES.index("heading_major")].tolist() == [0, 1, 0]
    assert x[2, NAMES.index("link_share")] == 0.25
    # the same lines weigh the same in every other column
    others = [k for k in range(len(NAMES)) if k not in columns]
    assert np.array_equal(x[:, others], page_features(plain)[1][:, others])


# --- fitting --------------------------------------------------------------------------


def test_fit_is_deterministic_and_learns_the_article() -> None:
    xs, ys = _synthetic(12)
    first = LineModel().fit(xs, ys)
    second = LineModel().fit(xs, ys)
    assert np.array_equal(first.stage1, second.stage1)
    assert np.array_equal(first.stage2, second.stage2)
    keep = first.keep(xs[0])
    assert keep.tolist() == [label == ARTICLE for label in ys[0]]


def test_spec_round_trip_keeps_decisions() -> None:
    xs, ys = _synthetic(8)
    model = LineModel().fit(xs, ys)
    spec = model.to_spec()
    assert list(spec["stage2"]) == [*NAMES, *CONTEXT, "bias"]
    again = LineModel.from_spec(yaml.safe_load(yaml.safe_dump(spec)))
    for x in xs:
        assert np.array_equal(again.keep(x), model.keep(x))


def test_folds_never_split_a_site() -> None:
    sites = ["a.com"] * 7 + ["b.org"] * 3 + ["c.net"] * 3 + ["d.de"] * 2 + ["e.fr", "f.pl"]
    fold = folds(sites, 5)
    for site in set(sites):
        assert len({f for s, f in zip(sites, fold, strict=True) if s == site}) == 1
    assert len(set(fold)) == 5


def test_site_of_reads_site_field_url_host_and_benchmark_ids() -> None:
    assert site_of({"site": "Example.com", "url": "https://x.org/"}) == "example.com"
    assert site_of({"url": "https://www.example.com/a/b"}) == "example.com"
    assert site_of({"url": "hard::example.com-story.html"}) == "example.com"


# --- the rule kind --------------------------------------------------------------------


def test_default_model_keeps_article_and_drops_menu_and_footer() -> None:
    outcome = cleaner.decide("\n".join([*MENU, *ARTICLE_LINES, *FOOTER]) + "\n")
    kept = [d.text for d in outcome.decisions if d.kept]
    for line in ARTICLE_LINES:
        assert line in kept
    for line in MENU[:4]:
        assert line not in kept
    assert {d.rule_id for d in outcome.decisions if d.text in MENU} <= {
        r.id for r in cleaner.engine().rules
    }


def test_model_that_finds_no_article_removes_nothing() -> None:
    rule = next(r for r in cleaner.engine().rules if isinstance(r, ModelRule))
    text = "\n".join(MENU) + "\n"
    assert Engine([rule]).run(text).text == text


#: below an article: chrome, then teaser cards (headlines with a line of summary each)
CARDS = [
    "Weather",
    "Sign up",
    "Local bakery wins national prize",
    "Judges named the family-run bakery the best in the country",
    "Water main bursts near the market",
    "Traders lost a morning of business when the street flooded",
    "New library opens its doors",
    "Readers queued in the rain to see the new building",
    "School choir heads to the final",
    "The choir of forty pupils will sing in the capital next month",
]


def test_main_runs_take_the_article_and_strong_runs_but_not_bursts() -> None:
    sure, unsure, burst = [0.97] * 8, [0.2] * 3, [0.8, 0.3] * 4
    proba = np.array([0.1] * 3 + sure + unsure + burst + unsure + [0.97] * 4 + [0.1])
    inside = main_runs(proba, cut=0.7, share=0.25)
    first, second = 3, 3 + 8 + 3 + 8 + 3
    assert inside[first : first + 8].all()
    assert inside[second : second + 4].all()  # half the first run's score: a part of it
    assert inside.sum() == 12  # the burst of likely teasers is not a run
    assert main_runs(proba, cut=0.7, share=0.6).sum() == 8  # asked for more: one run


def test_main_runs_are_none_when_no_line_passes_the_cut() -> None:
    assert not main_runs(np.array([0.2, 0.5, 0.6, 0.1]), cut=0.7, share=0.25).any()
    assert not main_runs(np.zeros(0), cut=0.7, share=0.25).any()


class _Fixed(LineModel):
    """A model that gives each line the probability it was made with."""

    def __init__(self, proba: list[float]) -> None:
        super().__init__(threshold=0.55)
        self.proba = np.array(proba)

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        return self.proba[: len(x)]


def test_favouring_precision_keeps_only_the_main_runs() -> None:
    lines = [*ARTICLE_LINES, *CARDS[1:]]
    rule = copy(next(r for r in cleaner.engine().rules if isinstance(r, ModelRule)))
    rule.model = _Fixed([0.97] * len(ARTICLE_LINES) + [0.05] + [0.8, 0.3] * 4)
    text = "\n".join(lines) + "\n"
    assert Engine([rule]).run(text).text == text  # each card's headline over a likely summary
    sharp = Engine(precise([rule])).run(text).text.splitlines()
    assert sharp == ARTICLE_LINES  # the cards score no run of their own: they go
    assert not rule.precision  # ``precise`` changed a copy


def test_favouring_precision_drops_teaser_cards_and_keeps_the_article() -> None:
    text = "\n".join([*MENU, *ARTICLE_LINES, *CARDS]) + "\n"
    default = cleaner.engine().run(text).text.splitlines()
    sharp = cleaner.engine(precision=True).run(text).text.splitlines()
    assert all(line in sharp for line in ARTICLE_LINES)
    assert not set(CARDS) & set(sharp)
    assert set(sharp) <= set(default)


def test_clean_precision_flag_drops_the_cards(tmp_path: Path, monkeypatch) -> None:
    page = tmp_path / "page.txt"
    page.write_text("\n".join([*MENU, *ARTICLE_LINES, *CARDS]) + "\n", encoding="utf-8")
    result = run_main(["clean", "--precision", str(page)], monkeypatch)
    assert result.code == 0
    assert ARTICLE_LINES[1] in result.out and CARDS[1] not in result.out


def test_worker_engines_favour_precision_when_asked() -> None:
    from cleaner.cluster import bundle_rules, engine_from_bundle

    bundle = bundle_rules()
    plain, sharp = engine_from_bundle(bundle), engine_from_bundle(bundle, precision=True)
    assert [r.precision for r in sharp.rules if isinstance(r, ModelRule)] == [True]
    assert [r.precision for r in plain.rules if isinstance(r, ModelRule)] == [False]


def test_repeats_keep_the_first_copy_of_a_repeated_paragraph() -> None:
    rule = copy(next(r for r in cleaner.engine().rules if isinstance(r, ModelRule)))
    assert rule.repeats == 12  # the shipped setting
    short = "Bridge repairs wait."
    lines = [*ARTICLE_LINES, short, *ARTICLE_LINES, short]
    rule.model = _Fixed([0.97] * len(lines))
    text = "\n".join(lines) + "\n"
    out = Engine([rule]).run(text).text.splitlines()
    long_lines = [line for line in ARTICLE_LINES if len(line.split()) >= 12]
    assert long_lines and out.count(short) == 2  # a short line may repeat: a refrain
    assert all(out.count(line) == 1 for line in long_lines)  # the first copy stays
    assert out[: len(ARTICLE_LINES)] == ARTICLE_LINES
    rule.repeats = 0
    assert Engine([rule]).run(text).text == text


@pytest.mark.parametrize("repeats", [-1, "yes", 1.5])
def test_bad_repeats_are_a_rule_error(tmp_path: Path, repeats: object) -> None:
    path = _rule_file(tmp_path, {"stage1": {}, "stage2": {}, "repeats": repeats})
    with pytest.raises(RuleError, match="'repeats' must be a whole number"):
        load_rules([path])


@pytest.mark.parametrize(
    ("runs", "message"),
    [([0.7], "'runs' must map"), ({"cut": 1.5}, "'cut' must lie"), ({"share": "x"}, "numbers")],
)
def test_bad_runs_are_a_rule_error(tmp_path: Path, runs: object, message: str) -> None:
    path = _rule_file(tmp_path, {"stage1": {}, "stage2": {}, "runs": runs})
    with pytest.raises(RuleError, match=message):
        load_rules([path])


def _rule_file(tmp_path: Path, spec: dict[str, object]) -> Path:
    path = tmp_path / "model.yaml"
    path.write_text(yaml.safe_dump({"rules": [{"id": "m", "kind": "model", **spec}]}))
    return path


def test_unknown_feature_is_a_rule_error_naming_file_and_rule(tmp_path: Path) -> None:
    path = _rule_file(tmp_path, {"stage1": {"no_such": 1.0}, "stage2": {}})
    with pytest.raises(RuleError, match=r"model\.yaml:\d+: rule 'm': .*unknown feature 'no_such'"):
        load_rules([path])


def test_weight_that_is_not_a_number_is_a_rule_error(tmp_path: Path) -> None:
    path = _rule_file(tmp_path, {"stage1": {"density": "high"}, "stage2": {}})
    with pytest.raises(RuleError, match="must be a number"):
        load_rules([path])


@pytest.mark.parametrize(
    ("markdown", "message"),
    [
        ("heavy", "'markdown' must hold 'stage1' and 'stage2' weights"),
        ({"stage1": {"no_such": 1.0}, "stage2": {}}, "unknown feature 'no_such'"),
    ],
)
def test_bad_markdown_weights_are_a_rule_error(tmp_path: Path, markdown, message: str) -> None:
    path = _rule_file(tmp_path, {"stage1": {}, "stage2": {}, "markdown": markdown})
    with pytest.raises(RuleError, match=message):
        load_rules([path])


def test_markdown_pages_are_read_with_the_markdown_weights() -> None:
    from copy import copy

    from cleaner.markdown import run as run_markdown

    rules = load_rules([default_rules_dir()])
    shipped = next(r for r in rules if isinstance(r, ModelRule))
    keep_all = LineModel.from_spec({"stage1": {}, "stage2": {"bias": 40.0}})
    rule = copy(shipped)
    rule.markdown = keep_all
    engine = Engine([rule if r is shipped else r for r in rules])
    menu = [f"* [{m}](/{m.lower()})" for m in MENU]
    page = "\n".join([*menu, "", *ARTICLE_LINES]) + "\n"
    assert "* [Culture](/culture)" in run_markdown(engine, page).text  # they keep every line
    assert "[Culture]" not in run_markdown(cleaner.engine(), page).text
    plain = "\n".join([*MENU, *ARTICLE_LINES]) + "\n"
    assert engine.run(plain).text == cleaner.engine().run(plain).text  # text: the others


# --- cleaner train --------------------------------------------------------------------


def _labelled(tmp_path: Path, n: int = 10) -> Path:
    rng = np.random.default_rng(1)
    path = tmp_path / "labelled.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for k in range(n):
            menu = list(rng.choice(MENU, size=5, replace=False))
            text = "\n".join([*menu, *ARTICLE_LINES, *FOOTER])
            row = {"id": str(k), "url": f"https://site{k % 4}.example/{k}", "text": text}
            row["gold"] = "\n".join(ARTICLE_LINES)
            fh.write(json.dumps(row) + "\n")
    return path


def test_train_writes_a_rule_file_that_cleans(tmp_path: Path, monkeypatch) -> None:
    data = _labelled(tmp_path)
    out = tmp_path / "rules" / "model.yaml"
    result = run_main(["train", str(data), "-o", str(out), "--no-default-rules"], monkeypatch)
    assert result.code == 0, result.err
    assert "fitted on 10 pages" in result.err
    rules = load_rules([out])
    assert [r.kind for r in rules] == ["model"]
    with gzip.open(data, "rt", encoding="utf-8") as fh:
        page = json.loads(fh.readline())["text"]
    assert Engine(rules).run(page).text.splitlines() == ARTICLE_LINES


def test_refit_keeps_the_rule_settings_that_are_not_weights(tmp_path: Path, monkeypatch) -> None:
    data = _labelled(tmp_path)
    out = tmp_path / "model.yaml"
    args = ["train", str(data), "-o", str(out), "--no-default-rules"]
    assert run_main(args, monkeypatch).code == 0
    spec = yaml.safe_load(out.read_text())
    spec["rules"][0]["headline"] = False
    spec["rules"][0]["trailer"] = {"phrases": ["Reporting by Ann"]}
    out.write_text(yaml.safe_dump(spec))
    assert run_main(args, monkeypatch).code == 0
    again = yaml.safe_load(out.read_text())["rules"][0]
    assert again["headline"] is False and again["trailer"] == {"phrases": ["Reporting by Ann"]}


def test_markdown_rows_take_the_labels_of_the_plain_row_with_their_id(tmp_path: Path) -> None:
    from cleaner.training import TrainingError, markdown_rows

    plain = [{"id": "a", "url": "https://example.com/a", "text": "x", "gold": "The story."}]
    md = tmp_path / "md.jsonl"
    md.write_text(json.dumps({"id": "a", "text": "# The story."}) + "\n")
    (row,) = markdown_rows([md], plain)
    assert row["markdown"] and row["gold"] == "The story." and row["text"] == "# The story."
    assert row["url"] == "https://example.com/a"
    md.write_text(json.dumps({"id": "b", "text": "# Other"}) + "\n")
    with pytest.raises(TrainingError, match=r"md.jsonl:1: .*'id' of a labelled row"):
        list(markdown_rows([md], plain))
    assert list(markdown_rows([md], plain, only={"a"})) == []  # passed over, not an error


def test_train_reads_markdown_renderings_as_markdown(tmp_path: Path, monkeypatch) -> None:
    data = _labelled(tmp_path)
    md = tmp_path / "md.jsonl"
    with gzip.open(data, "rt", encoding="utf-8") as fh, md.open("w") as out:
        for line in fh:
            row = json.loads(line)
            menu = [f"* [{t}](/{t.lower()})" for t in row["text"].splitlines()[:5]]
            text = "\n".join([*menu, "", *ARTICLE_LINES, "", *FOOTER])
            out.write(json.dumps({"id": row["id"], "text": text}) + "\n")
    out = tmp_path / "model.yaml"
    args = ["train", str(data), "--markdown", str(md), "-o", str(out), "--no-default-rules"]
    result = run_main(args, monkeypatch)
    assert result.code == 0, result.err
    assert "fitted on 10 pages" in result.err and "Markdown weights on 10 pages" in result.err
    rule = yaml.safe_load(out.read_text())["rules"][0]
    assert rule["markdown"]["stage1"]["link_share"] != 0
    assert rule["stage1"]["link_share"] == 0  # plain text has no links to count
    # a refit without Markdown pages leaves no stale Markdown weights behind
    assert (
        run_main(["train", str(data), "-o", str(out), "--no-default-rules"], monkeypatch).code == 0
    )
    assert "markdown" not in yaml.safe_load(out.read_text())["rules"][0]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"text": "a"}\n', "needs 'gold'"),
        ("not json\n", "not JSON"),
        ('{"gold": "a"}\n', "needs a 'text' string"),
    ],
)
def test_bad_labelled_input_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch, content: str, message: str
) -> None:
    data = tmp_path / "bad.jsonl"
    data.write_text(content)
    out = tmp_path / "model.yaml"
    result = run_main(["train", str(data), "-o", str(out)], monkeypatch)
    assert result.code == 2
    assert message in result.err and len(result.err.strip().splitlines()) == 1
    assert not out.exists()


def test_shipped_weights_refit_from_the_dev_data_to_the_same_decisions() -> None:
    """``cleaner train`` on news-dev and web-dev, with their Markdown renderings for the
    Markdown weights, gives the shipped rule's decisions on every one of those pages."""
    data = shared_or_skip("benchdata")
    from cleaner.training import fit, markdown_rows, read_rows

    shipped_path = default_rules_dir() / "generic" / "line-model.yaml"
    rules = load_rules([default_rules_dir()])
    shipped = next(r for r in rules if isinstance(r, ModelRule))
    assert shipped.path.endswith("line-model.yaml") and Path(shipped.path) == shipped_path
    assert shipped.model is not None and shipped.markdown is not None
    rows = list(read_rows([data / "news-dev.jsonl.gz", data / "web-dev.jsonl.gz"]))
    md = [data / "news-dev-md.jsonl.gz", data / "web-dev-md.jsonl.gz"]
    md_pages = prepare(markdown_rows(md, rows), rules)
    assert len(md_pages) == len(rows)
    for pages, model in ((prepare(rows, rules), shipped.model), (md_pages, shipped.markdown)):
        refit = LineModel.from_spec(fit(pages).to_spec())
        differ = [
            page.row.get("url")
            for page in pages
            if not np.array_equal(refit.keep(page.features), model.keep(page.features))
        ]
        assert not differ, f"{len(differ)} pages decided differently, first {differ[:3]}"
