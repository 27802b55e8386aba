"""What each rule removes on labelled pages: article lines or chrome, on pages it was
written from and on pages it was not.

    python benchmarks/rule_audit.py            # every rule that removed a labelled line
    python benchmarks/rule_audit.py --worst 15

The rules were written while reading the news and web dev pages; the sites set (36 other
sites) tells how a rule does on pages it has not seen, except for the rules written in
part from it (``WRITTEN_FROM_SITES``), which the table marks.
Each removed line is labelled as ``cleaner train`` labels it (``cleaner.labels``): article,
chrome, or unknown (web pages label only some segments). A rule that removes article
lines on sites, or removes nothing there, is one to narrow or delete.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from quality import DEFAULT_DATA, load_news, load_sites, load_web  # noqa: E402

import cleaner  # noqa: E402
from cleaner.engine import Engine  # noqa: E402
from cleaner.labels import ARTICLE, CHROME, line_labels  # noqa: E402

SETS = ("news", "web", "sites")
#: rules written in part from sites pages: their sites column is no evidence of how they
#: do on pages not seen
WRITTEN_FROM_SITES = frozenset(
    {"archive-months-line", "blog-comment-heads-tail", "count-list-line"}
)


def audit(data: Path) -> dict[str, dict[str, list[int]]]:
    """rule id -> set -> [article lines, chrome lines, unknown lines] it removed."""
    engine = Engine([r for r in cleaner.engine().rules if not r.late])
    rows = {
        "news": load_news(data),
        "web": load_web(data, html=False),
        "sites": load_sites(data),
    }
    out: dict[str, dict[str, list[int]]] = defaultdict(lambda: {s: [0, 0, 0] for s in SETS})
    for name, pages in rows.items():
        for row in pages:
            outcome = engine.run(row["text"], row.get("url"))
            gone = [d for d in outcome.decisions if not d.kept and d.text.strip()]
            for d, label in zip(gone, line_labels([d.text for d in gone], row), strict=True):
                slot = 0 if label == ARTICLE else 1 if label == CHROME else 2
                out[str(d.rule_id)][name][slot] += 1
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--worst", type=int, default=0, help="only the N rules that cost most")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"benchdata not found at {args.data}", file=sys.stderr)
        return 2
    found = audit(args.data)
    order = sorted(found, key=lambda r: (-found[r]["sites"][0], -found[r]["news"][0], r))
    if args.worst:
        order = order[: args.worst]
    print("| rule | news article / chrome / ? | web | sites (* written from them) |")
    print("|---|---|---|---|")
    for rule in order:
        cells = [" / ".join(map(str, found[rule][s])) for s in SETS]
        if rule in WRITTEN_FROM_SITES:
            cells[-1] += " *"
        print(f"| {rule} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
