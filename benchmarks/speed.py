"""Speed benchmark: throughput, the JSON floor, trafilatura, cores, memory and linearity.

Builds a JSONL corpus by repeating the dev pages of ``../shared/benchdata`` to a given
size, then times each measurement in a fresh child process (so peak memory is that
run's own) and prints a markdown table. Cleaning a corpus runs the real command,
``cleaner clean CORPUS --jobs N --output-dir OUT``, as a user would.

    python benchmarks/speed.py              # 70 MB corpus
    python benchmarks/speed.py --size 20 --write benchmarks/SPEED.md
    python benchmarks/speed.py --fast-vs-pure 3   # Engine.run with and without Hyperscan
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "benchdata"
MB = 1_000_000


def _pages() -> list[dict[str, str]]:
    pages = []
    for name in ("news-dev", "web-dev"):
        with gzip.open(SHARED / f"{name}.jsonl.gz", "rt", encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                pages.append({"id": row["id"], "url": row.get("url") or "", "text": row["text"]})
    return pages


def build_corpus(path: Path, size: int) -> int:
    """Write dev pages, repeated, until the file holds ``size`` bytes; return the row count."""
    rows = [json.dumps(p, ensure_ascii=False).encode() + b"\n" for p in _pages()]
    written = count = 0
    with path.open("wb") as out:
        while written < size:
            for row in rows:
                out.write(row)
                written += len(row)
                count += 1
                if written >= size:
                    break
    return count


# ---- child side: one measurement per process ----


def _child_passthrough(src: str) -> None:
    with open(src, "rb") as rows, open(os.devnull, "wb") as out:
        for raw in rows:
            out.write(json.dumps(json.loads(raw), ensure_ascii=False).encode() + b"\n")


def _child_trafilatura(n: int) -> float:
    import trafilatura

    pages = _html_pages(n)
    trafilatura.extract("<html><body><p>warm up</p></body></html>")
    start = time.perf_counter()
    for html in pages:
        trafilatura.extract(html)
    return time.perf_counter() - start


def _child_cleaner_pages(n: int) -> float:
    sys.path.insert(0, str(ROOT))
    import cleaner

    ids = {row["id"]: row for row in _pages()}
    texts = [ids[i]["text"] for i in _html_ids(n)]
    cleaner.clean("warm up: load the rules")
    start = time.perf_counter()
    for text in texts:
        cleaner.clean(text)
    return time.perf_counter() - start


def _child_engine_cpu() -> float:
    """CPU seconds of ``Engine.run`` over every dev page, best of three: a figure that
    moves less than wall time with the machine's load."""
    sys.path.insert(0, str(ROOT))
    import cleaner

    pages = [(p["text"], p["url"] or None) for p in _pages()]
    engine = cleaner.engine()
    engine.run("warm up: load the rules")
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        for text, url in pages:
            engine.run(text, url)
        best = min(best, time.process_time() - start)
    return best


def fast_vs_pure(rounds: int) -> str:
    """CPU seconds of ``Engine.run`` over every dev page with the Hyperscan pass
    (``cleaner.scan``) and without it, in one process, the two alternating round by
    round so that the machine's load falls on both alike; best of ``rounds`` each."""
    sys.path.insert(0, str(ROOT))
    import cleaner
    from cleaner.engine import Engine

    pages = [(p["text"], p["url"] or None) for p in _pages()]
    rules = cleaner.engine().rules
    engines = {"fast": Engine(rules, fast=True), "pure": Engine(rules, fast=False)}
    for engine in engines.values():
        engine.run("warm up: load the rules")
    best = dict.fromkeys(engines, float("inf"))
    for _ in range(rounds):
        for name, engine in engines.items():
            start = time.process_time()
            for text, url in pages:
                engine.run(text, url)
            best[name] = min(best[name], time.process_time() - start)
    size = sum(len(text.encode()) for text, _ in pages) / MB
    return (
        f"Engine.run CPU over {len(pages)} dev pages ({size:.1f} MB), best of {rounds}: "
        f"with the scan {best['fast']:.2f} s ({size / best['fast']:.2f} MB/s), without "
        f"{best['pure']:.2f} s ({size / best['pure']:.2f} MB/s): {best['pure'] / best['fast']:.2f}x"
    )


def _html_ids(n: int) -> list[str]:
    with gzip.open(SHARED / "web-dev-html.jsonl.gz", "rt", encoding="utf-8") as handle:
        return [json.loads(line)["id"] for _, line in zip(range(n), handle, strict=False)]


def _html_pages(n: int) -> list[str]:
    with gzip.open(SHARED / "web-dev-html.jsonl.gz", "rt", encoding="utf-8") as handle:
        return [json.loads(line)["html"] for _, line in zip(range(n), handle, strict=False)]


def child(args: list[str]) -> None:
    """Run one measurement; print the seconds it took (page races: not counting loading)."""
    mode, *rest = args
    if mode == "passthrough":
        start = time.perf_counter()
        _child_passthrough(rest[0])
        seconds = time.perf_counter() - start
    elif mode == "trafilatura":
        seconds = _child_trafilatura(int(rest[0]))
    elif mode == "cleaner-pages":
        seconds = _child_cleaner_pages(int(rest[0]))
    elif mode == "engine-cpu":
        seconds = _child_engine_cpu()
    else:
        raise SystemExit(f"unknown measurement {mode!r}")
    print(seconds)


# ---- parent side ----


def _timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB, largest process) of one command."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{command} failed with {proc.returncode}")
    return seconds, usage.ru_maxrss / 1024


def measure(*args: str) -> tuple[float, float]:
    """Seconds (as the child reports them) and peak memory (MB) of one child run."""
    proc = subprocess.Popen([sys.executable, __file__, "--child", *args], stdout=subprocess.PIPE)
    out = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"child {args} failed with {proc.returncode}")
    return float(out.decode().strip().splitlines()[-1]), usage.ru_maxrss / 1024


def clean_cli(src: Path, jobs: int) -> tuple[float, float]:
    """``cleaner clean SRC --jobs N --output-dir OUT``: seconds and peak memory (MB)."""
    with tempfile.TemporaryDirectory(prefix="cleaner-out-") as out:
        return _timed(
            [
                sys.executable,
                "-m",
                "cleaner.cli",
                "clean",
                str(src),
                "--jobs",
                str(jobs),
                "--output-dir",
                out,
                "--quiet",
            ]
        )


def _load() -> str:
    try:
        return "load average " + " / ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "load unknown"


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _versions() -> str:
    import regex
    import trafilatura

    sys.path.insert(0, str(ROOT))
    import cleaner
    from cleaner.scan import hyperscan

    found = hyperscan()
    return (
        f"Python {platform.python_version()}, cleaner {cleaner.__version__}, "
        f"regex {regex.__version__}, trafilatura {trafilatura.__version__}, "
        f"hyperscan {found.__version__ if found else 'absent'}"
    )


def run(size_mb: float, base_mb: float, pages: int) -> str:
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="cleaner-speed-") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        n = build_corpus(corpus, int(size_mb * MB))
        size = corpus.stat().st_size / MB
        load_before = _load()
        one, mem1 = clean_cli(corpus, 1)
        two, mem2 = clean_cli(corpus, 2)
        floor, _ = measure("passthrough", str(corpus))
        rows.append(
            (
                "cleaner, one core",
                f"{size / one:.2f} MB/s",
                f"{size:.0f} MB, {n} rows in {one:.1f} s; target >= 10 MB/s",
            )
        )
        cpu, _ = measure("engine-cpu")
        dev = sum(len(p["text"].encode()) for p in _pages()) / MB
        rows.append(
            (
                "Engine.run over the dev pages, CPU time",
                f"{dev / cpu:.2f} MB/s",
                f"{dev:.1f} MB, 590 pages in {cpu:.2f} s CPU, best of 3, in one process",
            )
        )
        rows.append(
            ("JSON read + write pass-through (floor)", f"{size / floor:.1f} MB/s", f"{floor:.1f} s")
        )
        rows.append(
            (
                "cleaner --jobs 2 vs --jobs 1",
                f"{one / two:.2f}x",
                f"{two:.1f} s vs {one:.1f} s; target >= 1.6x",
            )
        )
        rows.append(
            (
                f"peak memory, {size:.0f} MB corpus",
                f"{max(mem1, mem2):.0f} MB",
                f"jobs 1: {mem1:.0f} MB, jobs 2: {mem2:.0f} MB (largest process); target < 300 MB",
            )
        )
        times, mems = [], []
        for factor in (1, 4, 16):
            scaled = Path(tmp) / f"x{factor}.jsonl"
            build_corpus(scaled, int(base_mb * factor * MB))
            seconds, mem = clean_cli(scaled, 1)
            times.append(seconds)
            mems.append(mem)
            scaled.unlink()
        per = list(zip(times, (1, 4, 16), strict=True))
        rows.append(
            (
                f"time on 1x / 4x / 16x of {base_mb:g} MB",
                " / ".join(f"{t:.1f} s" for t in times),
                f"s per MB: {' / '.join(f'{t / (f * base_mb):.2f}' for t, f in per)}; "
                f"peak memory {' / '.join(f'{m:.0f}' for m in mems)} MB",
            )
        )
    traf, _ = measure("trafilatura", str(pages))
    ours, _ = measure("cleaner-pages", str(pages))
    rows.append(
        (
            f"pages/s on {pages} pages: cleaner (text) vs trafilatura (HTML)",
            f"{pages / ours:.0f} vs {pages / traf:.1f}",
            f"{traf / ours:.0f}x; target >= 15x",
        )
    )
    stamp = datetime.date.today().isoformat()
    head = (
        f"Measured {stamp} on {os.cpu_count()} cores ({_cpu()}), {_versions()}; "
        "full default rule set, text in; corpus runs through `cleaner clean FILE --jobs N "
        f"--output-dir OUT`. Machine {load_before} at the start, {_load()} at the end "
        "(1, 5, 15 min).\n\n"
    )
    table = ["| measurement | result | detail |", "|---|---|---|"]
    table += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return head + "\n".join(table) + "\n"


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=float, default=70, help="corpus size in MB")
    parser.add_argument("--base", type=float, default=4, help="1x size for linearity, MB")
    parser.add_argument("--pages", type=int, default=100, help="pages for the trafilatura race")
    parser.add_argument("--write", type=Path, help="also write the table to this file")
    parser.add_argument(
        "--fast-vs-pure",
        type=int,
        metavar="ROUNDS",
        help="only compare the engine with and without the Hyperscan pass, in one process",
    )
    args = parser.parse_args()
    if not SHARED.is_dir():
        raise SystemExit(f"{SHARED} not found: the benchmark needs ../shared/benchdata")
    if args.fast_vs_pure:
        print(fast_vs_pure(args.fast_vs_pure))
        return
    report = run(args.size, args.base, args.pages)
    print(report)
    if args.write:
        args.write.write_text("# Speed\n\n" + report, encoding="utf-8")


if __name__ == "__main__":
    main()
