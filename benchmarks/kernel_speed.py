"""The compiled line-scan kernel against the pure-Python path, back to back in one process.

    python benchmarks/kernel_speed.py            # best of 3 rounds
    python benchmarks/kernel_speed.py --rounds 5

Times, in CPU seconds, ``Engine.run`` over the 590 dev pages of ``../shared/benchdata``
and the line model's feature pass alone (``page_features`` on each whole page, a fresh
memo each time), alternating the two paths round by round so the machine's load falls
on both alike, and prints the best round of each and their ratio.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from speed import SHARED, _pages  # noqa: E402

import cleaner  # noqa: E402
from cleaner import linescan  # noqa: E402
from cleaner.features import PageLines, page_features  # noqa: E402
from cleaner.page import Memo  # noqa: E402


def _engine_pass(engine: cleaner.Engine, pages: list[tuple[str, str | None]]) -> float:
    start = time.process_time()
    for text, url in pages:
        engine.run(text, url)
    return time.process_time() - start


def _feature_pass(pages: list[PageLines]) -> float:
    start = time.process_time()
    for page in pages:
        page_features(page, Memo())
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not SHARED.is_dir():
        raise SystemExit(f"{SHARED} not found: the benchmark needs ../shared/benchdata")
    if linescan.compiled_kernel is None:
        raise SystemExit("cleaner._linescan is not built: pip install -e . with a C compiler")
    rows = _pages()
    pages = [(p["text"], p["url"] or None) for p in rows]
    lines = []
    for p in rows:
        texts = p["text"].splitlines()
        n = len(texts)
        lines.append(PageLines(texts, [not t.strip() for t in texts], [0] * n, [False] * n))
    engine = cleaner.engine()
    engine.run("warm up: load the rules")
    best = {(what, path): float("inf") for what in ("engine", "features") for path in (1, 0)}
    for _ in range(args.rounds):
        for path in (1, 0):
            with linescan.use(bool(path)):
                best["engine", path] = min(best["engine", path], _engine_pass(engine, pages))
                best["features", path] = min(best["features", path], _feature_pass(lines))
    for what, label in (("engine", "Engine.run, 590 dev pages"), ("features", "feature pass")):
        fast, slow = best[what, 1], best[what, 0]
        print(f"{label}: compiled {fast:.2f} s, pure {slow:.2f} s CPU: {slow / fast:.2f}x")


if __name__ == "__main__":
    main()
