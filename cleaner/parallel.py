"""Clean documents on every core, in input order, with bounded memory.

The engine travels to each worker process once (pickled, in the pool initializer);
after that only chunks of rows go out and units come back. At most a few chunks per
worker are in flight, so a stream of any size runs in constant memory, and results are
yielded in input order, so the output is byte for byte what one process writes.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from cleaner.engine import Engine
from cleaner.process import Options, Unit, process_jsonl, process_text

T = TypeVar("T")
R = TypeVar("R")

CHUNK_ROWS = 64  # rows a worker takes at a time: enough to amortise the round trip
CHUNK_BYTES = 4 << 20  # ... but no more bytes than this, so huge rows stay bounded
IN_FLIGHT_PER_JOB = 3

_engine: Engine | None = None


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


def _init(engine: Engine) -> None:
    global _engine
    _engine = engine


def _init_worker(engine: Engine) -> None:
    _init(engine)
    # Ctrl-C is the parent's to handle: it stops the pool and removes its temporary files
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _context() -> multiprocessing.context.BaseContext:
    # fork starts fastest and needs no importable __main__; spawn where there is no fork
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def ordered_map(
    func: Callable[[T], R], items: Iterable[T], engine: Engine, jobs: int
) -> Iterator[R]:
    """``map(func, items)`` on ``jobs`` worker processes, in order, a few items in flight.

    ``func`` runs in a worker and reads the engine with ``worker_engine()``.
    """
    if jobs <= 1:
        _init(engine)
        yield from map(func, items)
        return
    with _context().Pool(jobs, initializer=_init_worker, initargs=(engine,)) as pool:
        pending: deque[Any] = deque()
        limit = jobs * IN_FLIGHT_PER_JOB
        for item in items:
            pending.append(pool.apply_async(func, (item,)))
            if len(pending) >= limit:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def worker_engine() -> Engine:
    assert _engine is not None, "ordered_map sets the engine in every worker"
    return _engine


def chunks(rows: Iterable[bytes]) -> Iterator[tuple[int, list[bytes]]]:
    """Rows in chunks, each with the 1-based number of its first row."""
    it = iter(rows)
    number = 1
    while True:
        chunk: list[bytes] = []
        size = 0
        for row in it:
            chunk.append(row)
            size += len(row)
            if len(chunk) >= CHUNK_ROWS or size >= CHUNK_BYTES:
                break
        if not chunk:
            return
        yield number, chunk
        number += len(chunk)


def _jsonl_chunk(task: tuple[int, list[bytes], Options, str]) -> list[Unit]:
    first, rows, opts, name = task
    return jsonl_chunk(worker_engine(), first, rows, opts, name)


def jsonl_chunk(
    engine: Engine, first: int, rows: list[bytes], opts: Options, name: str
) -> list[Unit]:
    """Units of a chunk of rows whose first is row ``first`` of the file ``name``."""
    return list(process_jsonl(engine, rows, opts, name, first))


def jsonl_units(
    engine: Engine, rows: Iterable[bytes], opts: Options, name: str, jobs: int
) -> Iterator[Unit]:
    """``process_jsonl`` on ``jobs`` processes: the same units, in the same order."""
    if jobs <= 1:
        yield from process_jsonl(engine, rows, opts, name)
        return
    tasks = ((first, chunk, opts, name) for first, chunk in chunks(rows))
    for units in ordered_map(_jsonl_chunk, tasks, engine, jobs):
        yield from units


def _text_unit(task: tuple[bytes, Options]) -> Unit:
    data, opts = task
    return process_text(worker_engine(), data, opts)


def text_units(
    engine: Engine, documents: Iterable[tuple[bytes, Options]], jobs: int
) -> Iterator[Unit]:
    """``process_text`` over many documents (one per file) on ``jobs`` processes, in order."""
    yield from ordered_map(_text_unit, documents, engine, jobs)
