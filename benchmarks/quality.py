"""Score cleaner and its peers on the shared extraction benchmarks.

    python benchmarks/quality.py                      # all rows, all systems
    python benchmarks/quality.py --limit 40 --jobs 2  # a quick look
    python benchmarks/quality.py --systems cleaner-text
    python benchmarks/quality.py --folds 5            # the line model out of fold, by site
    python benchmarks/quality.py --markdown           # the Markdown renderings, as Markdown

The scoring is the one ``../shared/README.md`` defines: 4-token shingles averaged per
document for the news set, segment containment summed over pages for the web set.
The "no cleaning" row reproduces the README's reference figures, which checks the scorer.
The sites set (many pages of each of 36 sites) is scored as news is, per page.

``--folds K`` adds the figure that holds on sites never seen: news and web pages are
split into K folds by site, the line model is fitted on K-1 of them with ``cleaner
train``'s code (on the plain pages, and its Markdown weights on the benchdata's
Markdown renderings of them, as the shipped model is) and the rules run with it on the
fold left out; with ``--markdown`` the Markdown pages of that fold are cleaned with it
too. The sites set is never fitted on, so its figure is out of fold as it stands.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "benchdata"

# --- scoring -----------------------------------------------------------------------------

_TOKEN = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """The multiset of ``n``-token shingles; a text shorter than ``n`` tokens is one shingle."""
    tokens = _TOKEN.findall(text or "")
    grams = (tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))
    return Counter(g for g in grams if g)


def shingle_counts(gold: str, output: str) -> tuple[int, int, int]:
    """(tp, fp, fn) of the output's shingles against the gold's."""
    g, o = shingles(gold), shingles(output)
    return sum((g & o).values()), sum((o - g).values()), sum((g - o).values())


def precision_recall(tp: int, fp: int, fn: int) -> tuple[float, float]:
    if fp == 0 and fn == 0:
        return 1.0, 1.0
    if tp == 0:
        return 0.0, 0.0
    return tp / (tp + fp), tp / (tp + fn)


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        return f1(self.precision, self.recall)

    def __str__(self) -> str:
        """As the tables print it: P / R / F1."""
        return f"{self.precision:.3f} / {self.recall:.3f} / {self.f1:.3f}"


def score_news(pairs: Iterable[tuple[str, str]]) -> Score:
    """Mean precision and mean recall over (gold, output) documents."""
    ps: list[float] = []
    rs: list[float] = []
    for gold, output in pairs:
        p, r = precision_recall(*shingle_counts(gold, output))
        ps.append(p)
        rs.append(r)
    if not ps:
        return Score(0.0, 0.0)
    return Score(sum(ps) / len(ps), sum(rs) / len(rs))


def collapse(text: str) -> str:
    return _SPACE.sub(" ", text)


def segment_counts(output: str, keep: Iterable[str], drop: Iterable[str]) -> tuple[int, ...]:
    """(tp, fn, fp, tn) of one page: which segments the output holds."""
    out = collapse(output)
    found_keep = [collapse(s) in out for s in keep]
    found_drop = [collapse(s) in out for s in drop]
    tp = sum(found_keep)
    fp = sum(found_drop)
    return tp, len(found_keep) - tp, fp, len(found_drop) - fp


def score_web(counts: Iterable[tuple[int, ...]]) -> Score:
    """Precision and recall from (tp, fn, fp, tn) summed over pages."""
    tp = fn = fp = 0
    for c in counts:
        tp, fn, fp = tp + c[0], fn + c[1], fp + c[2]
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return Score(p, r)


# --- systems -------------------------------------------------------------------------------

_C4_POLICY = (
    "terms of use",
    "privacy policy",
    "cookie policy",
    "uses cookies",
    "use of cookies",
    "use cookies",
)


_C4_ENDS = (".", "!", "?", '"', "\u201d", "'")


def c4_filter(text: str) -> str:
    """C4's line filter: a final stop or quote, 3+ words, no policy or javascript talk."""
    kept = []
    for line in text.splitlines():
        line = line.strip()
        low = line.lower()
        if (
            line.endswith(_C4_ENDS)
            and len(line.split()) >= 3
            and "javascript" not in low
            and not any(p in low for p in _C4_POLICY)
        ):
            kept.append(line)
    return "\n".join(kept)


def _trafilatura(html: str) -> str:
    """The peer figure: ``include_comments=False`` reproduces the README's trafilatura row."""
    import trafilatura

    return trafilatura.extract(html, include_comments=False) or ""


_ENGINES: dict[tuple[bool, bool], Any] = {}


def _cleaner_engine(detector: bool = True, precision: bool = False) -> Any:
    """The default rules, with or without the late ``content`` detector; ``precision``:
    the line model favours precision (``clean --precision``)."""
    if (detector, precision) not in _ENGINES:
        import cleaner
        from cleaner.engine import Engine
        from cleaner.kinds.model import precise

        rules = [r for r in cleaner.engine().rules if detector or not r.late]
        _ENGINES[detector, precision] = Engine(precise(rules) if precision else rules)
    return _ENGINES[detector, precision]


def _cleaner_text(row: dict[str, Any]) -> str:
    return str(_cleaner_engine().run(row["text"], row.get("url")).text)


def _cleaner_precision(row: dict[str, Any]) -> str:
    return str(_cleaner_engine(precision=True).run(row["text"], row.get("url")).text)


def _cleaner_html(row: dict[str, Any]) -> str:
    """Exactly what ``cleaner --format html`` does with the page."""
    from cleaner.process import Options, clean_document

    text, _ = clean_document(
        _cleaner_engine(), row.get("html") or "", Options(fmt="html"), row.get("url")
    )
    return str(text)


def _cleaner_html_detector(row: dict[str, Any]) -> str:
    """An experiment, not the product path: the text detector on top of the extraction."""
    from cleaner.html import extract_text

    text = extract_text(row.get("html") or "")
    return str(_cleaner_engine().run(text, row.get("url")).text)


SYSTEMS: dict[str, tuple[str, Callable[[dict[str, Any]], str]]] = {
    "raw": ("text", lambda row: row["text"]),
    "c4": ("text", lambda row: c4_filter(row["text"])),
    "trafilatura": ("HTML", lambda row: _trafilatura(row.get("html") or "")),
    "cleaner-text": ("text", _cleaner_text),
    "cleaner-precision": ("text", _cleaner_precision),
    "cleaner-html": ("HTML", _cleaner_html),
    "cleaner-html-detector": ("HTML", _cleaner_html_detector),
}
#: rows the default run leaves out (ask for them with --systems)
EXPERIMENTS = ("cleaner-html-detector",)
LABELS = {
    "raw": "no cleaning",
    "c4": "C4 line filter",
    "trafilatura": "trafilatura `extract(html, include_comments=False)`",
    "cleaner-text": "cleaner",
    "cleaner-precision": "cleaner `--precision`",
    "cleaner-html": "cleaner `--html` (extraction, then the rules)",
    "cleaner-html-detector": "experiment: extraction, rules and the text detector",
}

# --- data ---------------------------------------------------------------------------------


def read_jsonl(path: Path, limit: int | None = None) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if limit is not None and i >= limit:
                return
            yield json.loads(line)


def load_news(data: Path, limit: int | None = None) -> list[dict[str, Any]]:
    return list(read_jsonl(data / "news-dev.jsonl.gz", limit))


def load_sites(data: Path, limit: int | None = None) -> list[dict[str, Any]]:
    path = data / "sites-dev.jsonl.gz"
    return list(read_jsonl(path, limit)) if path.exists() else []


def load_web(data: Path, limit: int | None = None, html: bool = True) -> list[dict[str, Any]]:
    rows = list(read_jsonl(data / "web-dev.jsonl.gz", limit))
    if html:
        pages = {r["id"]: r["html"] for r in read_jsonl(data / "web-dev-html.jsonl.gz", limit)}
        for row in rows:
            row["html"] = pages.get(row["id"], "")
    return rows


# --- running ------------------------------------------------------------------------------


def _news_task(args: tuple[str, dict[str, Any]]) -> tuple[int, int, int]:
    system, row = args
    return shingle_counts(row["gold"], SYSTEMS[system][1](row))


def _web_task(args: tuple[str, dict[str, Any]]) -> tuple[int, ...]:
    system, row = args
    return segment_counts(SYSTEMS[system][1](row), row["with"], row["without"])


def _news_score(counts: list[tuple[int, int, int]]) -> Score:
    prs = [precision_recall(*c) for c in counts]
    n = len(prs) or 1
    return Score(sum(p for p, _ in prs) / n, sum(r for _, r in prs) / n)


def run(
    systems: list[str],
    news: list[dict[str, Any]],
    web: list[dict[str, Any]],
    jobs: int,
    sites: list[dict[str, Any]] | None = None,
) -> dict[str, dict[str, Score]]:
    """Score each system on each set; ``jobs`` > 1 spreads pages over processes."""
    results: dict[str, dict[str, Score]] = {}
    pool = ProcessPoolExecutor(jobs) if jobs > 1 else None
    mapper = (lambda f, xs: pool.map(f, xs, chunksize=4)) if pool else map
    try:
        for system in systems:
            started = time.perf_counter()
            news_counts = list(mapper(_news_task, [(system, r) for r in news]))
            web_counts = list(mapper(_web_task, [(system, r) for r in web]))
            results[system] = {"news": _news_score(news_counts), "web": score_web(web_counts)}
            if sites:
                site_counts = list(mapper(_news_task, [(system, r) for r in sites]))
                results[system]["sites"] = _news_score(site_counts)
            took = time.perf_counter() - started
            print(f"{system}: {took:.1f}s", file=sys.stderr)
    finally:
        if pool:
            pool.shutdown()
    return results


def out_of_fold(
    news: list[dict[str, Any]],
    web: list[dict[str, Any]],
    k: int,
    train_md: Sequence[Path] = (),
    eval_md: list[dict[str, Any]] | None = None,
    precision: bool = False,
) -> dict[str, dict[str, Score]]:
    """The default rules with the line model fitted on the other folds, per fold by site:
    fitted as the shipped one is, on the plain pages, and its Markdown weights on the
    files ``train_md`` (their Markdown renderings, labelled by id); scored on the plain
    pages, and on ``eval_md`` (Markdown renderings, not necessarily of the same
    renderer) when given; with ``precision``, favouring precision as well."""

    from cleaner.engine import Engine
    from cleaner.kinds.model import ModelRule, precise
    from cleaner.markdown import run as run_markdown
    from cleaner.training import folds, markdown_rows, prepare, site_of

    shipped = next(r for r in _cleaner_engine().rules if isinstance(r, ModelRule))
    rules = [r for r in _cleaner_engine().rules if not r.late]
    rows = news + web
    fold = folds([site_of(r) for r in rows], k)
    fold_of = {r["id"]: f for r, f in zip(rows, fold, strict=True)}
    plain = [(p, fold_of[p.row["id"]]) for p in prepare(rows, rules)]
    md_rows = list(markdown_rows(train_md, rows, only=fold_of))  # --limit: the rows kept
    md_pages = [(p, fold_of[p.row["id"]]) for p in prepare(md_rows, rules)]
    evaluated = [(r, fold_of[r["id"]]) for r in eval_md or [] if r["id"] in fold_of]
    outputs = [""] * len(rows)
    precise_outputs = [""] * len(rows)
    md_outputs = [""] * len(evaluated)
    precise_md = [""] * len(evaluated)
    for f in range(k):
        rule = fold_rule(shipped, plain, f, md_pages)
        engine = Engine([*rules, rule])
        sharp = Engine([*rules, *precise([rule])]) if precision else engine
        for j, row in enumerate(rows):
            if fold[j] == f:
                outputs[j] = engine.run(row["text"], row.get("url")).text
                if precision:
                    precise_outputs[j] = sharp.run(row["text"], row.get("url")).text
        for j, (row, g) in enumerate(evaluated):
            if g == f:
                md_outputs[j] = run_markdown(engine, row["text"], row.get("url")).text
                if precision:
                    precise_md[j] = run_markdown(sharp, row["text"], row.get("url")).text
    ids = [r["id"] for r in rows]
    results = {"text": _scores(news, web, dict(zip(ids, outputs, strict=True)))}
    if precision:
        results["precision"] = _scores(news, web, dict(zip(ids, precise_outputs, strict=True)))
    md_ids = [r["id"] for r, _ in evaluated]
    if eval_md is not None:
        md = dict(zip(md_ids, map(markdown_text, md_outputs), strict=True))
        results["markdown"] = _scores(news, web, md)
        both = rendered_segments(web, [r for r, _ in evaluated])
        results["text-rendered"] = _scores([], both, dict(zip(ids, outputs, strict=True)))
        results["markdown-rendered"] = _scores([], both, md)
        if precision:
            md = dict(zip(md_ids, map(markdown_text, precise_md), strict=True))
            results["markdown-precision"] = _scores(news, web, md)
    return results


def fold_rule(shipped: Any, plain: Sequence[Any], f: int, md_pages: Sequence[Any] = ()) -> Any:
    """The line-model rule ``shipped`` (its settings) with weights fitted as
    ``cleaner train`` fits them on the pages of every fold but ``f``: ``plain`` and
    ``md_pages`` (their Markdown renderings, for the Markdown weights; none: no such
    weights) are (labelled page, fold) pairs."""
    from copy import copy

    from cleaner.training import fit

    rule = copy(shipped)
    rule.model = fit([p for p, g in plain if g != f])
    rule.model.threshold = shipped.model.threshold
    rule.markdown = None
    if md_pages:
        rule.markdown = fit([p for p, g in md_pages if g != f])
        rule.markdown.threshold = shipped.model.threshold
    return rule


def _scores(
    news: list[dict[str, Any]], web: list[dict[str, Any]], outputs: dict[str, str]
) -> dict[str, Score]:
    """News and web scores of ``outputs`` (by page id; pages without one are skipped),
    for each set given."""
    scores = {}
    if news:
        scores["news"] = _news_score(
            [shingle_counts(r["gold"], outputs[r["id"]]) for r in news if r["id"] in outputs]
        )
    if web:
        scores["web"] = score_web(
            segment_counts(outputs[r["id"]], r["with"], r["without"])
            for r in web
            if r["id"] in outputs
        )
    return scores


_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)")
_MD_MARKS = re.compile(r"[*_#>`|]+")


def markdown_text(text: str) -> str:
    """Markdown read for scoring, as ``../shared/README.md`` says: images and links as
    their text (images first), each run of the marks ``* _ # > ` |`` as one space."""
    return _MD_MARKS.sub(" ", _MD_LINK.sub(r"\1", _MD_IMAGE.sub(r"\1", text)))


def rendered_segments(
    web: list[dict[str, Any]], md_rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The web rows that have a Markdown rendering in ``md_rows``, each with only the
    segments that both its plain text and the rendering's visible text hold. Scored on
    them, a Markdown output and a plain one answer for the same text: what a renderer
    lost before any cleaning (html2text writes "ä" as "a"; markdownify escapes a "*"
    inside a word) counts against neither."""
    rendered = {r["id"]: collapse(markdown_text(r["text"])) for r in md_rows}
    rows = []
    for row in web:
        seen = rendered.get(row["id"])
        if seen is None:
            continue
        plain = collapse(row["text"])
        held = {
            key: [s for s in row[key] if (c := collapse(s)) in seen and c in plain]
            for key in ("with", "without")
        }
        rows.append({**row, **held})
    return rows


def markdown_scores(
    news: list[dict[str, Any]],
    web: list[dict[str, Any]],
    news_md: list[dict[str, Any]],
    web_md: list[dict[str, Any]],
    systems: tuple[str, ...] = ("raw", "cleaner"),
) -> dict[str, dict[str, Score]]:
    """Markdown renderings of the same pages (rows with ``id``, ``url``, ``text``), left
    as they are (``raw``) and cleaned as ``cleaner --format markdown`` cleans them
    (``cleaner``), scored against the gold of the plain rows with the same ids."""
    from cleaner.markdown import run as run_markdown

    everything: dict[str, tuple[str, Callable[[dict[str, Any]], str]]] = {
        "raw": ("no cleaning (Markdown)", lambda row: row["text"]),
        "cleaner": (
            "cleaner `--format markdown`",
            lambda row: run_markdown(_cleaner_engine(), row["text"], row.get("url")).text,
        ),
    }
    results: dict[str, dict[str, Score]] = {}
    for name in systems:
        label, system = everything[name]
        outputs = {r["id"]: markdown_text(system(r)) for r in news_md + web_md}
        results[label] = _scores(news, web, outputs)
    return results


def table(results: dict[str, dict[str, Score]]) -> str:
    sets = ["news", "web"] + (["sites"] if any("sites" in s for s in results.values()) else [])
    rows = [
        "| system | input | " + " | ".join(f"{name} P / R / F1" for name in sets) + " |",
        "|---|---|" + "---|" * len(sets),
    ]
    for system, scores in results.items():
        cells = [str(scores[name]) if name in scores else "" for name in sets]
        label = LABELS.get(system, system)
        kind = SYSTEMS[system][0] if system in SYSTEMS else "text"
        kind = "Markdown" if "Markdown" in label or "markdown" in label else kind
        rows.append(f"| {label} | {kind} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    parts = [f"Python {sys.version.split()[0]}"]
    for name in ("cleaner", "trafilatura", "justext"):
        try:
            parts.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            parts.append(f"{name} (not installed)")
    return ", ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "data",
        nargs="?",
        type=Path,
        default=DEFAULT_DATA,
        help="benchdata directory (default: ../shared/benchdata)",
    )
    parser.add_argument("--limit", type=int, default=None, help="first N rows of each set")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    default = [s for s in SYSTEMS if s not in EXPERIMENTS]
    parser.add_argument(
        "--folds",
        type=int,
        default=0,
        help="also score the line model out of fold, with this many folds by site",
    )
    parser.add_argument(
        "--systems",
        default=",".join(default),
        help=f"comma-separated subset of {','.join(SYSTEMS)}",
    )
    parser.add_argument(
        "--markdown",
        nargs="*",
        type=Path,
        metavar="NEWS WEB",
        default=None,
        help="also score Markdown renderings of the news and web pages (default: the "
        "benchdata's news-dev-md and web-dev-md files)",
    )
    parser.add_argument(
        "--train-markdown",
        nargs="+",
        type=Path,
        metavar="FILE",
        default=None,
        help="with --folds: the Markdown renderings the out-of-fold Markdown weights are "
        "fitted on (default: the benchdata's news-dev-md and web-dev-md files, as shipped)",
    )
    args = parser.parse_args(argv)
    if args.markdown is not None and len(args.markdown) not in (0, 2):
        parser.error("--markdown takes no file, or the news and the web file")
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = [s for s in systems if s not in SYSTEMS]
    if unknown:
        parser.error(f"unknown systems: {', '.join(unknown)}")
    if not args.data.is_dir():
        print(f"benchdata not found at {args.data}", file=sys.stderr)
        return 2
    need_html = any(SYSTEMS[s][0] == "HTML" for s in systems)
    news = load_news(args.data, args.limit)
    web = load_web(args.data, args.limit, html=need_html)
    sites = load_sites(args.data, args.limit)
    results = run(systems, news, web, args.jobs, sites)
    # the shipped line model is fitted on these Markdown renderings too
    fitted_md = [args.data / "news-dev-md.jsonl.gz", args.data / "web-dev-md.jsonl.gz"]
    md_rows = None
    if args.markdown is not None:
        news_md, web_md = args.markdown or fitted_md
        md_news = list(read_jsonl(news_md, args.limit))
        md_web = list(read_jsonl(web_md, args.limit))
        md_rows = md_news + md_web
    if args.folds:
        trained_md = args.train_markdown or [p for p in fitted_md if p.exists()]
        sharp = "cleaner-precision" in systems
        oof = out_of_fold(news, web, args.folds, trained_md, md_rows, sharp)
        label = f"out of fold ({args.folds} folds by site)"
        results[f"cleaner, {label}"] = oof["text"]
        if sharp:
            results[f"cleaner `--precision`, {label}"] = oof["precision"]
        if "markdown" in oof:
            results[f"cleaner `--format markdown`, {label}"] = oof["markdown"]
        for kind, input_ in (("text", ""), ("markdown", " `--format markdown`")):
            if f"{kind}-rendered" in oof:
                results[f"cleaner{input_}, {label}, on the web segments both renderings hold"] = (
                    oof[f"{kind}-rendered"]
                )
        if "markdown-precision" in oof:
            results[f"cleaner `--format markdown --precision`, {label}"] = oof["markdown-precision"]
    if md_rows is not None:
        results.update(markdown_scores(news, web, md_news, md_web))
    print(
        f"dev half: {len(news)} news pages, {len(web)} web pages, {len(sites)} sites pages; "
        f"{versions()}\n"
    )
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
