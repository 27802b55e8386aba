"""Clean on a Dask cluster: files written by the client, cleaning done by the workers.

Needs the ``dask`` extra (``pip install 'cleaner[dask]'``). Workers need only cleaner
installed: the rule files travel with each task as their text, and the input travels as
bytes, so workers share no file system with the client. Each input file is one task,
or one task per chunk of rows for JSONL, and the client writes every output file from
the results in input order, so the files are byte-identical to a local run.

    from cleaner.cluster import clean_files_on_cluster
    clean_files_on_cluster(["corpus/"], "clean/", scheduler="tcp://scheduler:8786")

    import dask.bag as db
    from cleaner.cluster import clean_bag
    cleaned = clean_bag(db.read_text("pages/*.jsonl").map(json.loads), field="text")
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from cleaner.engine import Engine
from cleaner.inputs import is_gzip, open_binary, peek, read_all, rows
from cleaner.loader import default_rules_dir, load_rules, rule_files
from cleaner.parallel import chunks, jsonl_chunk
from cleaner.process import Options, format_for, process_text
from cleaner.run import inputs_with_bases, output_path
from cleaner.textio import AtomicFile, is_binary

Bundle = tuple[tuple[str, str], ...]  # (relative name, file text) of every rule file

_engines: dict[str, Engine] = {}


def bundle_rules(rules: Iterable[str | Path] = (), *, default_rules: bool = True) -> Bundle:
    """The text of every rule file, in load order: what a worker needs to build the engine."""
    roots = ([default_rules_dir()] if default_rules else []) + [Path(p) for p in rules]
    out: list[tuple[str, str]] = []
    for n, root in enumerate(roots):
        for path in rule_files(root):
            relative = path.relative_to(root) if root.is_dir() else Path(path.name)
            out.append((f"{n:03d}/{relative.as_posix()}", path.read_text(encoding="utf-8")))
    return tuple(out)


def engine_from_bundle(bundle: Bundle) -> Engine:
    """The engine for ``bundle``, built once per worker process and kept."""
    key = hashlib.sha256(repr(bundle).encode("utf-8", "surrogatepass")).hexdigest()
    if key not in _engines:
        with tempfile.TemporaryDirectory(prefix="cleaner-rules-") as tmp:
            for name, text in bundle:
                path = Path(tmp) / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
            _engines[key] = Engine(load_rules([Path(tmp)]))
    return _engines[key]


def _clean_text(bundle: Bundle, data: bytes, opts: Options) -> bytes:
    return process_text(engine_from_bundle(bundle), data, opts).cleaned


def _clean_rows(bundle: Bundle, first: int, chunk: list[bytes], opts: Options, name: str) -> bytes:
    units = jsonl_chunk(engine_from_bundle(bundle), first, chunk, opts, name)
    return b"".join(u.cleaned for u in units)


def _write(target: Path, parts: Iterable[bytes], like: Path) -> None:
    """Write ``parts`` atomically, as a local run writes its files."""
    with AtomicFile(target, compress=is_gzip(target), like=like) as out:
        for part in parts:
            out.write(part)
        out.commit()


def _client(scheduler: str | Any) -> tuple[Any, Any]:
    """A distributed client for ``scheduler`` ("local" starts a LocalCluster)."""
    from distributed import Client, LocalCluster

    if not isinstance(scheduler, str):
        return scheduler, None
    if scheduler == "local":
        cluster = LocalCluster(processes=True, threads_per_worker=1, dashboard_address=None)
        return Client(cluster), cluster
    return Client(scheduler), None


def clean_files_on_cluster(
    paths: Sequence[str | Path],
    output_dir: str | Path,
    *,
    scheduler: str | Any = "local",
    rules: Iterable[str | Path] = (),
    default_rules: bool = True,
    fmt: str | None = None,
    options: Options | None = None,
    max_pending: int = 64,
) -> list[Path]:
    """Clean files and directories into ``output_dir`` on the cluster at ``scheduler``.

    ``scheduler`` is an address, "local", or a ``distributed.Client``. ``options`` sets
    field, HTML and URL handling; each file's format is ``fmt``, or else its name's.
    Returns the files written, in input order.
    """
    base_opts = options or Options()
    bundle = bundle_rules(rules, default_rules=default_rules)
    out_dir = Path(output_dir)
    client, cluster = _client(scheduler)
    try:
        remote_bundle = client.scatter(bundle, broadcast=True)
        written: list[Path] = []
        for path, base in inputs_with_bases([str(p) for p in paths]):
            if is_binary(peek(path)):
                print(f"cleaner: {path}: binary file; skipped", file=sys.stderr)
                continue
            opts = replace(base_opts, fmt=fmt or format_for(path.name))
            target = output_path(path, base, out_dir, opts.fmt)
            _write(target, _run(client, remote_bundle, path, opts, max_pending), path)
            written.append(target)
        return written
    finally:
        if cluster is not None:
            client.close()
            cluster.close()


def _run(client: Any, bundle: Any, path: Path, opts: Options, max_pending: int) -> Iterator[bytes]:
    """Cleaned bytes of one file, in order, with at most ``max_pending`` tasks in flight."""
    if opts.fmt != "jsonl":
        yield client.submit(_clean_text, bundle, read_all(path), opts, pure=False).result()
        return
    pending: deque[Any] = deque()
    with open_binary(path) as handle:
        for first, chunk in chunks(rows(handle)):
            pending.append(
                client.submit(_clean_rows, bundle, first, chunk, opts, str(path), pure=False)
            )
            if len(pending) >= max_pending:
                yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _clean_partition(
    items: Iterable[Any], bundle: Bundle, field: str | None, url_field: str | None
) -> list[Any]:
    engine = engine_from_bundle(bundle)
    out: list[Any] = []
    for item in items:
        if field is None or isinstance(item, str):
            out.append(engine.run(item).text)
            continue
        url = item.get(url_field) if url_field else None
        cleaned = dict(item)
        cleaned[field] = engine.run(item[field], url if isinstance(url, str) else None).text
        out.append(cleaned)
    return out


def clean_bag(
    bag: Any,
    field: str | None = "text",
    *,
    rules: Iterable[str | Path] = (),
    default_rules: bool = True,
    url_field: str | None = "url",
) -> Any:
    """Clean a ``dask.bag`` of texts, or of records (dicts) whose ``field`` is the text.

    Records keep their other keys; ``url_field`` names the key that holds the page URL
    for site packs. The result is lazy, like every bag.
    """
    bundle = bundle_rules(rules, default_rules=default_rules)
    return bag.map_partitions(_clean_partition, bundle, field, url_field)
