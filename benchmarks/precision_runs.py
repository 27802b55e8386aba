"""Choose the main-run settings of ``clean --precision`` out of fold, by site.

    python benchmarks/precision_runs.py            # the grid, and the nested choice
    python benchmarks/precision_runs.py --limit 40 # a quick look

``--precision`` keeps a line only inside the page's main runs (``runs: {cut, share}``
in the line-model rule; ``cleaner.linemodel.main_runs``). This script fits the line
model on four folds of the news and web dev pages (by site, as ``quality.py --folds``
does), cleans the fifth with every setting of the grid, and then, fold by fold, picks
the setting with the best mean of news and web F1 on the other four folds and scores
it on the fold: a choice measured on pages it was not made on. It prints the grid
(every fold pooled) and the nested figure.
"""

from __future__ import annotations

import argparse
import sys
from copy import copy
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from quality import (  # noqa: E402
    DEFAULT_DATA,
    Score,
    _cleaner_engine,
    _scores,
    fold_rule,
    load_news,
    load_web,
)

CUTS = (0.6, 0.7, 0.8, 0.9)
SHARES = (0.1, 0.25, 0.5, 1.0)  # 1.0: a further run must score as high as the first


def _mean_f1(scores: dict[str, Score]) -> float:
    return (scores["news"].f1 + scores["web"].f1) / 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None, help="first N rows of each set")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"benchdata not found at {args.data}", file=sys.stderr)
        return 2

    from cleaner.engine import Engine
    from cleaner.kinds.model import ModelRule
    from cleaner.training import folds, prepare, site_of

    news = load_news(args.data, args.limit)
    web = load_web(args.data, args.limit, html=False)
    rows = news + web
    shipped = next(r for r in _cleaner_engine().rules if isinstance(r, ModelRule))
    rules = [r for r in _cleaner_engine().rules if not r.late]
    fold = folds([site_of(r) for r in rows], args.folds)
    pages = prepare(rows, rules)
    grid = [(cut, share) for cut in CUTS for share in SHARES]
    outputs: dict[tuple[float, float], dict[str, str]] = {g: {} for g in grid}
    for f in range(args.folds):
        rule = fold_rule(shipped, list(zip(pages, fold, strict=True)), f)
        for setting in grid:
            sharp = copy(rule)
            sharp.precision, sharp.runs = True, setting
            engine = Engine([*rules, sharp])
            for j, row in enumerate(rows):
                if fold[j] == f:
                    outputs[setting][row["id"]] = engine.run(row["text"], row.get("url")).text

    def scores(setting: tuple[float, float], keep: set[int]) -> dict[str, Score]:
        chosen = {r["id"]: outputs[setting][r["id"]] for j, r in enumerate(rows) if fold[j] in keep}
        return _scores(news, web, chosen)

    everything = set(range(args.folds))
    print("| cut | share | news P / R / F1 | web P / R / F1 |\n|---|---|---|---|")
    for setting in grid:
        s = scores(setting, everything)
        print(f"| {setting[0]} | {setting[1]} | {s['news']} | {s['web']} |")
    nested: dict[str, str] = {}
    for f in range(args.folds):
        best = max(grid, key=lambda g: _mean_f1(scores(g, everything - {f})))
        print(f"fold {f}: cut {best[0]}, share {best[1]}")
        nested.update({r["id"]: outputs[best][r["id"]] for j, r in enumerate(rows) if fold[j] == f})
    s = _scores(news, web, nested)
    print(f"nested out of fold: news {s['news']}, web {s['web']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
