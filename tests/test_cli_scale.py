"""The command line at scale: --jobs gives the same bytes as one process, --stats counts,
--scheduler runs the same cleaning on a Dask cluster."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import FIXTURES, run_cli

ARTICLE = (FIXTURES / "article.txt").read_text(encoding="utf-8")


def make_corpus(root: Path) -> Path:
    (root / "sub").mkdir(parents=True)
    for i in range(6):
        (root / f"page{i}.txt").write_text(ARTICLE.replace("Port Elwyn", f"Port {i}"))
    (root / "sub" / "page.html").write_bytes((FIXTURES / "page.html").read_bytes())
    rows = [
        json.dumps(
            {
                "id": i,
                "url": f"https://news.example.org/{i}",
                "text": ARTICLE if i % 3 else f"Row {i} has one plain sentence.",
            }
        )
        for i in range(300)
    ]
    (root / "sub" / "rows.jsonl").write_text("\n".join(rows) + "\n")
    return root


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_jobs_two_writes_the_same_bytes_as_jobs_one(tmp_path: Path) -> None:
    src = make_corpus(tmp_path / "in")
    one = run_cli("clean", str(src), "--output-dir", str(tmp_path / "one"), "--jobs", "1")
    two = run_cli("clean", str(src), "--output-dir", str(tmp_path / "two"), "--jobs", "2")
    assert one.code == two.code == 0, one.err + two.err
    first, second = tree(tmp_path / "one"), tree(tmp_path / "two")
    assert len(first) == 8
    assert first == second
    assert b"Source link" not in first["page0.txt"]


def test_jobs_two_on_a_jsonl_stream_matches_jobs_one(tmp_path: Path) -> None:
    src = make_corpus(tmp_path / "in")
    data = (src / "sub" / "rows.jsonl").read_bytes()
    one = run_cli("clean", "--format", "jsonl", "--jobs", "1", stdin=data)
    two = run_cli("clean", "--format", "jsonl", "--jobs", "2", stdin=data)
    assert one.code == two.code == 0
    assert one.out_bytes == two.out_bytes
    assert len(two.out_bytes.splitlines()) == 300


def test_stats_counts_documents_bytes_and_rules(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE)
    result = run_cli("clean", "--stats", "--quiet", str(path))
    assert result.code == 0
    report = dict(line.strip().split(": ", 1) for line in result.err.splitlines())
    assert report["documents"] == "1"
    assert report["bytes in"] == str(len(ARTICLE.encode()))
    assert report["bytes out"] == str(len(result.out_bytes))
    assert report["source-link"] == "1"
    assert int(report["lines removed"]) == len(
        run_cli("clean", "--explain", str(path)).out.splitlines()
    )


def test_scheduler_needs_an_output_dir(tmp_path: Path) -> None:
    result = run_cli("clean", "--scheduler", "local", str(FIXTURES / "article.txt"))
    assert result.code == 2 and "--output-dir" in result.err


def test_scheduler_local_writes_what_a_local_run_writes(tmp_path: Path) -> None:
    pytest.importorskip("distributed", reason="the dask extra is not installed")
    src = make_corpus(tmp_path / "in")
    (src / "broken.txt").write_bytes(b"Caf\xe9 text with a broken byte here.\nSource link\n")
    local = run_cli("clean", str(src), "--output-dir", str(tmp_path / "local"))
    dask = run_cli(
        "clean", str(src), "--output-dir", str(tmp_path / "dask"), "--scheduler", "local"
    )
    assert local.code == 0 and dask.code == 0, dask.err
    assert tree(tmp_path / "local") == tree(tmp_path / "dask")
    # the per-document warnings come back from the workers too
    warning = f"cleaner: {src / 'broken.txt'}:1: invalid UTF-8"
    assert warning in local.err and warning in dask.err
