"""Cleaning on a real Dask cluster with worker processes gives the local result."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("dask.bag")
distributed = pytest.importorskip("distributed")

import dask.bag as db  # noqa: E402

import cleaner  # noqa: E402
from cleaner import parallel  # noqa: E402
from cleaner.cluster import clean_bag, clean_files_on_cluster  # noqa: E402
from cleaner.errors import InputError  # noqa: E402
from cleaner.process import Options, process_jsonl, process_text  # noqa: E402

PAGE = "Big news today, and the minister said so in a long sentence here.\nSource link\n"


@pytest.fixture(scope="module")
def client():
    with (
        distributed.LocalCluster(
            processes=True, n_workers=2, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


def _corpus(root: Path) -> None:
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text(PAGE + "Another line that is article text.\n", encoding="utf-8")
    (root / "sub" / "b.txt").write_text("Just text.\nSource link\n", encoding="utf-8")
    rows = [json.dumps({"id": i, "text": PAGE if i % 2 else f"Row {i}."}) for i in range(150)]
    (root / "rows.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_files_match_local_run(tmp_path: Path, client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "CHUNK_ROWS", 16)  # several tasks for the one JSONL file
    src, out = tmp_path / "in", tmp_path / "out"
    _corpus(src)
    written = clean_files_on_cluster([src], out, scheduler=client)
    engine = cleaner.engine()
    assert sorted(p.relative_to(out).as_posix() for p in written) == [
        "a.txt",
        "rows.jsonl",
        "sub/b.txt",
    ]
    for name in ("a.txt", "sub/b.txt"):
        expected = process_text(engine, (src / name).read_bytes(), Options()).cleaned
        assert (out / name).read_bytes() == expected
    with (src / "rows.jsonl").open("rb") as handle:
        units = process_jsonl(engine, handle, Options(fmt="jsonl"), "rows.jsonl")
        expected = b"".join(u.cleaned for u in units)
    assert (out / "rows.jsonl").read_bytes() == expected
    assert b"Source link" not in expected


def test_files_on_cluster_report_warnings_and_take_the_timeout(tmp_path: Path, client) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "bad.txt").write_bytes(b"Caf\xe9 text with a broken byte here.\nSource link\n")
    # a line the slow pattern must be tried on (the scan drops the lookbehind)
    (src / "slow.txt").write_text("a" * 3000 + "\nSource link\n", encoding="utf-8")
    rules = tmp_path / "slow.yaml"
    rules.write_text("rules: [{id: slow, kind: line, match: {regex: '^(a|aa)+(?<!a)$'}}]\n")
    seen: list[tuple[str, bool, list[str]]] = []
    clean_files_on_cluster(
        [src],
        out,
        scheduler=client,
        rules=[rules],
        timeout=0.001,
        report=lambda unit, name: seen.append(
            (Path(name).name, unit.undecodable, [t.rule_id for t in unit.timeouts])
        ),
    )
    assert sorted(seen) == [("bad.txt", True, []), ("slow.txt", False, ["slow"])]
    assert (out / "bad.txt").read_bytes() == b"Caf\xe9 text with a broken byte here.\n"


def test_bag_of_texts_and_records(client) -> None:
    texts = [PAGE, "Nothing to remove here.\n", PAGE * 2]
    got = clean_bag(db.from_sequence(texts, npartitions=2), field=None).compute()
    assert got == [cleaner.clean(t) for t in texts]
    records = [{"id": i, "text": t, "url": "https://example.org/x"} for i, t in enumerate(texts)]
    cleaned = clean_bag(db.from_sequence(records, npartitions=2)).compute()
    assert [r["text"] for r in cleaned] == [
        cleaner.clean(t, r["url"]) for t, r in zip(texts, records, strict=True)
    ]
    assert [r["id"] for r in cleaned] == [0, 1, 2]


def test_malformed_row_on_cluster_says_what_was_written(tmp_path: Path, client) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "a.txt").write_text(PAGE, encoding="utf-8")
    (src / "b.jsonl").write_text('{"text": "ok"}\n{oops\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        clean_files_on_cluster([src], out, scheduler=client)
    assert str(caught.value) == (
        f"{src / 'b.jsonl'}:2: malformed JSON (Expecting property name enclosed in double "
        "quotes at column 2); no output for this file, 1 file before it already written"
    )
    assert sorted(p.name for p in out.iterdir()) == ["a.txt"]


def test_learn_on_the_cluster_writes_the_packs_a_local_run_writes(tmp_path: Path, client) -> None:
    from cleaner.cluster import learn_on_cluster
    from cleaner.learn import documents, learn

    from .test_learn import _corpus as crawl

    corpus = crawl(tmp_path, pages=40)
    local = learn(cleaner.engine(), documents([corpus], "text", None, None), tmp_path / "local")
    remote = learn_on_cluster([corpus], tmp_path / "remote", scheduler=client)
    assert local and [p.name for p in remote] == [p.name for p in local]
    for mine, theirs in zip(local, remote, strict=True):
        assert mine.read_bytes() == theirs.read_bytes()
