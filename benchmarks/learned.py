"""Score ``cleaner learn`` on the sites set: page by page against learned site packs.

    python benchmarks/learned.py                # learn over sites-dev, clean, score
    python benchmarks/learned.py --share 0.4    # another share of a site's pages
    python benchmarks/learned.py --sites        # and the table per site
    python benchmarks/learned.py --precision    # cleaning as clean --precision does
    python benchmarks/learned.py --recall       # what more recall would cost

The sites set holds several pages of each of 36 sites, with the article's gold text.
``cleaner learn``'s code counts the lines each site repeats (never reading the gold),
writes one pack per site, and the pages are cleaned with the default rules and the
packs; the same pages cleaned with the default rules alone are the per-page figure.
Both are scored as ``../shared/README.md`` scores news (4-token shingles, averaged per
page). Nothing in the packs is fitted on the gold, but the settings (``--share``,
``--min-pages``) were chosen on these pages: report them beside the figure.

It also lists the learned lines that the gold keeps (a learned line whose text stands
in the gold of a page it was removed from): what learning costs in recall. ``--recall``
scores the learned output again with some of the lines it removed put back (long
sentences, each page's first removed lines, short lines without a sentence end): how
much recall each kind of removed line holds, and what keeping it costs in precision.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from quality import DEFAULT_DATA, _news_score, load_sites, shingle_counts  # noqa: E402

import cleaner  # noqa: E402
from cleaner.engine import LineDecision  # noqa: E402
from cleaner.learn import count, write_packs  # noqa: E402
from cleaner.loader import default_rules_dir, load_rules  # noqa: E402

_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?…:\"”’)]\s*$")


def _long_sentence(text: str, order: int) -> bool:
    return len(_WORD.findall(text)) >= 13 and bool(_SENTENCE_END.search(text))


def _first_three(text: str, order: int) -> bool:
    return order < 3


def _short_unended(text: str, order: int) -> bool:
    return len(_WORD.findall(text)) <= 12 and not _SENTENCE_END.search(text)


#: removed lines put back by ``--recall``: (label, test of a removed line's text and its
#: place among the page's removed lines)
PUT_BACK: list[tuple[str, Callable[[str, int], bool]]] = [
    ("removed lines of 13 words or more that end a sentence", _long_sentence),
    ("the first three removed lines of each page (title, byline, date)", _first_three),
    (
        "both of these",
        lambda text, order: _long_sentence(text, order) or _first_three(text, order),
    ),
    ("removed lines of 12 words or fewer that end no sentence", _short_unended),
]


def put_back(decisions: list[LineDecision], keep: Callable[[str, int], bool]) -> str:
    """The output of ``decisions`` with the removed lines ``keep`` accepts kept again.
    Kept lines stand as read, inline cuts undone (on sites-dev, 3 pages have any; with
    nothing put back this scores as the cleaned text does)."""
    lines, order = [], 0
    for d in decisions:
        if d.kept:
            lines.append(d.text)
        elif d.text.strip():
            if keep(d.text, order):
                lines.append(d.text)
            order += 1
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--share", type=float, default=0.5)
    parser.add_argument("--min-pages", type=int, default=3)
    parser.add_argument("--sites", action="store_true", help="also the table per site")
    parser.add_argument(
        "--precision", action="store_true", help="clean as clean --precision (learn as usual)"
    )
    parser.add_argument(
        "--recall", action="store_true", help="also score the output with removed lines put back"
    )
    args = parser.parse_args(argv)
    if not (args.data / "sites-dev.jsonl.gz").exists():
        print(f"sites-dev not found in {args.data}", file=sys.stderr)
        return 2
    rows = load_sites(args.data)
    plain = cleaner.engine()
    docs = [(str(r["site"]), r["text"], r.get("url"), False) for r in rows]
    with tempfile.TemporaryDirectory() as tmp:
        packs = write_packs(count(plain, docs), Path(tmp), args.share, args.min_pages)
        learned_rules = load_rules([default_rules_dir(), *packs])
    if args.precision:
        from cleaner.kinds.model import precise

        plain = cleaner.engine(precision=True)
        learned_rules = precise(learned_rules)
    learned = cleaner.Engine(learned_rules)
    counts: dict[str, list[list[tuple[int, int, int]]]] = defaultdict(lambda: [[], []])
    kept_by_gold: dict[str, int] = defaultdict(int)
    put_back_counts: list[list[tuple[int, int, int]]] = [[] for _ in PUT_BACK]
    for row in rows:
        site = str(row["site"])
        for k, engine in enumerate((plain, learned)):
            outcome = engine.run(row["text"], row.get("url"))
            counts[site][k].append(shingle_counts(row["gold"], outcome.text))
            if k == 1 and args.recall:
                for counted, (_, keep) in zip(put_back_counts, PUT_BACK, strict=True):
                    counted.append(shingle_counts(row["gold"], put_back(outcome.decisions, keep)))
            if k == 1:
                for d in outcome.decisions:
                    line = d.text.strip()
                    rule = d.rule_id or ""
                    if rule.startswith("learned-") and len(line) >= 20 and line in row["gold"]:
                        kept_by_gold[f"{site}: {line[:90]}"] += 1
    every = [[c for site in counts for c in counts[site][k]] for k in (0, 1)]
    scores = [_news_score(c) for c in every]
    print(
        f"sites-dev: {len(rows)} pages of {len(counts)} sites; {len(packs)} packs "
        f"(share {args.share}, min pages {args.min_pages})\n"
    )
    print("| system | sites P / R / F1 |\n|---|---|")
    print(f"| cleaner, page by page | {scores[0]} |")
    print(f"| cleaner learn, then cleaner clean --rules | {scores[1]} |")
    if args.recall:
        for (label, _), counted in zip(PUT_BACK, put_back_counts, strict=True):
            print(f"| learned, with {label} put back | {_news_score(counted)} |")
    if args.sites:
        print("\n| site | pages | page by page F1 | learned F1 |\n|---|---|---|---|")
        for site in sorted(counts):
            per = [_news_score(counts[site][k]) for k in (0, 1)]
            n = len(counts[site][0])
            print(f"| {site} | {n} | {per[0].f1:.3f} | {per[1].f1:.3f} |")
    print(f"\nLearned lines the gold keeps ({sum(kept_by_gold.values())} removals):")
    for line, n in sorted(kept_by_gold.items(), key=lambda item: (-item[1], item[0])):
        print(f"- {line} (on {n} pages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
