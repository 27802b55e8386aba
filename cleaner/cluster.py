"""Clean on a Dask cluster: files written by the client, cleaning done by the workers.

Needs the ``dask`` extra (``pip install 'cleaner[dask]'``). Workers need only cleaner
installed: the rule files travel with each task as their text, and the input travels as
bytes, so workers share no file system with the client. Each input file is one task,
or one task per chunk of rows for JSONL, and the client writes every output file from
the results in input order, so the files are byte-identical to a local run.

    from cleaner.cluster import clean_files_on_cluster, learn_on_cluster
    clean_files_on_cluster(["corpus/"], "clean/", scheduler="tcp://scheduler:8786")
    learn_on_cluster(["crawl/"], "learned/", scheduler="tcp://scheduler:8786")

    import dask.bag as db
    from cleaner.cluster import clean_bag
    cleaned = clean_bag(db.read_text("pages/*.jsonl").map(json.loads), field="text")
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from cleaner.engine import Engine
from cleaner.errors import InputError, RowError
from cleaner.inputs import is_gzip, open_binary, peek, read_all, rows
from cleaner.kinds.model import precise
from cleaner.loader import default_rules_dir, load_rules, rule_files
from cleaner.matching import DEFAULT_TIMEOUT
from cleaner.parallel import chunks, jsonl_chunk
from cleaner.process import Options, Unit, format_for, process_text
from cleaner.run import inputs_with_bases, left_behind, output_path
from cleaner.textio import AtomicFile, is_binary

Bundle = tuple[tuple[str, str], ...]  # (relative name, file text) of every rule file
Report = Callable[[Unit, str], None]  # told of every document's unit, with its file name

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


def engine_from_bundle(
    bundle: Bundle, timeout: float = DEFAULT_TIMEOUT, precision: bool = False
) -> Engine:
    """The engine for ``bundle``, built once per worker process and kept; ``precision``:
    its line model favours precision (``clean --precision``)."""
    key = hashlib.sha256(
        repr((bundle, timeout, precision)).encode("utf-8", "surrogatepass")
    ).hexdigest()
    if key not in _engines:
        with tempfile.TemporaryDirectory(prefix="cleaner-rules-") as tmp:
            for name, text in bundle:
                path = Path(tmp) / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
            rules = load_rules([Path(tmp)], timeout=timeout)
            _engines[key] = Engine(precise(rules) if precision else rules)
    return _engines[key]


def _light(unit: Unit) -> Unit:
    """The unit without what the client does not need: the original bytes and the
    removed lines (a cluster run neither diffs nor explains)."""
    return replace(unit, original=b"", removed=[])


Settings = tuple[float, bool]  # what builds a worker's engine: (timeout, precision)


def _clean_text(bundle: Bundle, settings: Settings, data: bytes, opts: Options) -> list[Unit]:
    return [_light(process_text(engine_from_bundle(bundle, *settings), data, opts))]


def _clean_rows(
    bundle: Bundle, settings: Settings, first: int, chunk: list[bytes], opts: Options, name: str
) -> list[Unit]:
    units = jsonl_chunk(engine_from_bundle(bundle, *settings), first, chunk, opts, name)
    return [_light(u) for u in units]


def _write(target: Path, parts: Iterable[list[Unit]], like: Path, report: Report | None) -> None:
    """Write the units' cleaned bytes atomically, as a local run writes its files, and
    tell ``report`` of each unit (its warnings)."""
    with AtomicFile(target, compress=is_gzip(target), like=like) as out:
        for units in parts:
            for unit in units:
                if report is not None:
                    report(unit, str(like))
                out.write(unit.cleaned)
        out.commit()


@contextmanager
def _connected(scheduler: str | Any) -> Iterator[Any]:
    """A distributed client for ``scheduler`` ("local" starts a LocalCluster, closed with
    the client on leaving; a client passed in is left open)."""
    from distributed import Client, LocalCluster

    if not isinstance(scheduler, str):
        yield scheduler
    elif scheduler == "local":
        with (
            LocalCluster(processes=True, threads_per_worker=1, dashboard_address=None) as cluster,
            Client(cluster) as client,
        ):
            yield client
    else:
        yield Client(scheduler)


def _in_order(submitted: Iterable[Any], max_pending: int) -> Iterator[Any]:
    """The results of ``submitted`` futures, in order, with at most ``max_pending`` of
    them in flight: the next is submitted only as an earlier one is taken."""
    pending: deque[Any] = deque()
    for future in submitted:
        pending.append(future)
        if len(pending) >= max_pending:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


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
    timeout: float = DEFAULT_TIMEOUT,
    precision: bool = False,
    report: Report | None = None,
) -> list[Path]:
    """Clean files and directories into ``output_dir`` on the cluster at ``scheduler``.

    ``scheduler`` is an address, "local", or a ``distributed.Client``. ``options`` sets
    field, HTML and URL handling; each file's format is ``fmt``, or else its name's.
    ``timeout`` is the seconds a pattern may run on one line; ``precision`` makes the
    line model favour precision (``clean --precision``); ``report`` is told of
    every document (a timeout, invalid UTF-8, a row left as it was), in input order.
    Returns the files written, in input order.
    """
    base_opts = options or Options()
    bundle = bundle_rules(rules, default_rules=default_rules)
    out_dir = Path(output_dir)
    with _connected(scheduler) as client:
        remote_bundle = client.scatter(bundle, broadcast=True)
        written: list[Path] = []
        for path, base in inputs_with_bases([str(p) for p in paths]):
            if is_binary(peek(path)):
                print(f"cleaner: {path}: binary file; skipped", file=sys.stderr)
                continue
            opts = replace(base_opts, fmt=fmt or format_for(path.name))
            target = output_path(path, base, out_dir, opts.fmt)
            parts = _run(client, remote_bundle, (timeout, precision), path, opts, max_pending)
            try:
                _write(target, parts, path, report)
            except RowError as exc:
                raise InputError(f"{exc}; {left_behind(len(written), False)}") from None
            written.append(target)
        return written


def _run(
    client: Any, bundle: Any, settings: Settings, path: Path, opts: Options, max_pending: int
) -> Iterator[list[Unit]]:
    """Units of one file, in order, with at most ``max_pending`` tasks in flight."""
    if opts.fmt != "jsonl":
        data = read_all(path)
        yield client.submit(_clean_text, bundle, settings, data, opts, pure=False).result()
        return
    with open_binary(path) as handle:
        submitted = (
            client.submit(_clean_rows, bundle, settings, first, chunk, opts, str(path), pure=False)
            for first, chunk in chunks(rows(handle))
        )
        yield from _in_order(submitted, max_pending)


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


def _count_pages(
    bundle: Bundle, timeout: float, docs: list[tuple[str, str, str | None, bool]]
) -> list[tuple[str, Any]]:
    """On a worker: a batch of pages cleaned and their lines sorted (``learn.page_lines``)."""
    from cleaner.learn import page_lines

    engine = engine_from_bundle(bundle, timeout)
    return [(site, page_lines(engine, text, url, md)) for site, text, url, md in docs]


def learn_on_cluster(
    paths: Sequence[str | Path],
    output_dir: str | Path,
    *,
    scheduler: str | Any = "local",
    rules: Iterable[str | Path] = (),
    default_rules: bool = True,
    field: str = "text",
    site_field: str | None = None,
    url: str | None = None,
    markdown: bool = False,
    share: float = 0.5,
    min_pages: int = 3,
    max_pending: int = 64,
    timeout: float = DEFAULT_TIMEOUT,
) -> list[Path]:
    """``cleaner learn`` with the pages cleaned on the cluster at ``scheduler``: a map of
    page batches to their lines, reduced in input order on the client into the same
    site counts, and so the same packs, as a local run."""
    from cleaner.learn import BATCH, batched, documents, merge, write_packs

    bundle = bundle_rules(rules, default_rules=default_rules)
    with _connected(scheduler) as client:
        remote_bundle = client.scatter(bundle, broadcast=True)
        docs = documents([Path(p) for p in paths], field, site_field, url, markdown)
        submitted = (
            client.submit(_count_pages, remote_bundle, timeout, batch, pure=False)
            for batch in batched((d for d in docs if d[0]), BATCH)
        )
        sites = merge(_in_order(submitted, max_pending))
    return write_packs(sites, Path(output_dir), share, min_pages)
