"""What the rules remove on the dev pages, here and in another tree: the check of a rule review.

    python benchmarks/rule_diff.py --base ../main byline-by-name cookie-notice
    python benchmarks/rule_diff.py --base ../main          # every rule whose removals changed

The default engine of each tree runs in a process of its own (``PYTHONPATH`` set to the
tree) over every page of the news and web dev sets. For each rule the script prints the
lines (or, for inline rules, the spans) it removes in one tree only, then on how many pages
the output text, the decisions and the timeouts differ. Nothing is written but the report.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import pickle
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "benchdata"
SETS = ("news-dev", "web-dev")

Snapshot = dict[tuple[str, str], tuple[str, list[tuple[int, str, str | None, tuple]], list]]


def snapshot(data: Path) -> Snapshot:
    """Every dev page's output, decisions and timeouts under the importable ``cleaner``."""
    import cleaner

    engine = cleaner.engine()
    pages: Snapshot = {}
    for name in SETS:
        with gzip.open(data / f"{name}.jsonl.gz", "rt", encoding="utf-8") as rows:
            for line in rows:
                row = json.loads(line)
                out = engine.run(row["text"], row.get("url"))
                pages[(name, row["id"])] = (
                    out.text,
                    [
                        (d.number, d.text, d.rule_id, tuple(map(tuple, d.spans)))
                        for d in out.decisions
                    ],
                    [(t.rule_id, t.line) for t in out.timeouts],
                )
    return pages


def snapshot_of(tree: Path, data: Path) -> Snapshot:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "pages.pickle"
        # no bytecode written into the other tree's working copy
        env = {**os.environ, "PYTHONPATH": str(tree.resolve()), "PYTHONDONTWRITEBYTECODE": "1"}
        cmd = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--dump",
            str(out),
            "--data",
            str(data),
        ]
        subprocess.run(cmd, env=env, check=True)
        with out.open("rb") as f:
            return pickle.load(f)  # written a moment ago by this script


def removals(pages: Snapshot) -> dict[str, set[tuple[str, str, int, str]]]:
    by_rule: dict[str, set[tuple[str, str, int, str]]] = defaultdict(set)
    for (name, page), (_, decisions, _) in pages.items():
        for number, text, rule_id, spans in decisions:
            if rule_id:
                by_rule[rule_id].add((name, page, number, text))
            for span, span_rule in spans:
                by_rule[span_rule].add((name, page, number, "span: " + span))
    return by_rule


def report(base: Snapshot, new: Snapshot, rules: list[str]) -> None:
    old_by, new_by = removals(base), removals(new)
    for rule in rules or sorted(set(old_by) | set(new_by)):
        gone, came = old_by[rule] - new_by[rule], new_by[rule] - old_by[rule]
        if not rules and not gone and not came:
            continue
        print(f"{rule}: base {len(old_by[rule])}, here {len(new_by[rule])}")
        for name, page, number, text in sorted(gone):
            print(f"  - base only  {name} {page}:{number}: {text[:160]!r}")
        for name, page, number, text in sorted(came):
            print(f"  + here only  {name} {page}:{number}: {text[:160]!r}")
    keys = base.keys() & new.keys()
    differ = [sum(base[k][i] != new[k][i] for k in keys) for i in range(3)]
    print(
        f"{len(keys)} pages: output text differs on {differ[0]}, decisions on {differ[1]}, "
        f"timeouts on {differ[2]}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rules", nargs="*", help="rule ids to list (default: every changed rule)")
    parser.add_argument("--base", type=Path, help="the other tree, e.g. ../main")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="benchdata directory")
    parser.add_argument("--dump", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.dump:
        with args.dump.open("wb") as f:
            pickle.dump(snapshot(args.data), f)
        return 0
    if args.base is None:
        parser.error("--base is required")
    report(snapshot_of(args.base, args.data), snapshot_of(ROOT, args.data), args.rules)
    return 0


if __name__ == "__main__":
    sys.exit(main())
