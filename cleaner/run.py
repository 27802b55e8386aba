"""One ``cleaner clean`` run: feed inputs through the engine and act on the results.

Inputs are cleaned in order; what happens to each result depends on the mode: write it
to stdout, rewrite the file in place, write it under ``--output-dir``, or only report
(``--check``, ``--diff``, ``--explain``). Text files are cleaned on the worker pool in
batches and JSONL rows in chunks, and every result is handled in input order, so the
output is the same for any ``--jobs``.
"""

from __future__ import annotations

import difflib
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from cleaner import parallel
from cleaner.document import split
from cleaner.engine import Engine
from cleaner.errors import InputError, RowError
from cleaner.inputs import (
    SUFFIXES,
    is_gzip,
    lines_after,
    open_binary,
    peek,
    read_all,
    rows,
    walk,
)
from cleaner.process import PART_BYTES, STREAM_BYTES, Options, Unit, process_stream, process_text
from cleaner.stats import Progress, Stats
from cleaner.textio import AtomicFile, is_binary

STDIN = "-"


def warn(message: str) -> None:
    print(f"cleaner: {message}", file=sys.stderr)


def report_unit(unit: Unit, name: str) -> None:
    """Warn about what happened to one document that its reader should know."""
    if unit.undecodable:
        warn(f"{name}:{unit.line}: invalid UTF-8; undecodable bytes are kept as they are")
    for t in unit.timeouts:
        warn(
            f"{name}:{t.line}: rule '{t.rule_id}' timed out; line kept, rule skipped "
            "for the rest of the document"
        )
    if unit.emptied:
        warn(
            f"{name}:{unit.line}: every line would be removed; left as it is "
            "(--allow-empty to allow)"
        )
    if unit.note:
        warn(f"{name}:{unit.line}: {unit.note}")
    if unit.nothing_extracted:
        warn(f"{name}: no article text found in the HTML")


def left_behind(written: int, in_place: bool) -> str:
    """What a run stopped by a bad row leaves behind: the file in hand is never written,
    but the files before it may have been."""
    if not written:
        return "nothing was written"
    files = f"{written} file{'s' if written != 1 else ''}"
    if in_place:
        return f"this file left as it was, {files} before it already cleaned in place"
    return f"no output for this file, {files} before it already written"


def inputs_with_bases(paths: list[str], quiet: bool = False) -> Iterator[tuple[Path, Path | None]]:
    """Every file to clean, once, with the directory it was found under (None if named).

    A directory that holds no corpus file is worth a warning, unless ``quiet``: the run
    would otherwise end in silence, as if it had cleaned something."""
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        base = path if path.is_dir() else None
        found = walk([path])
        if base is not None and not found and not quiet:
            warn(f"{path}: no {', '.join(SUFFIXES)} files in it")
        for file in found:
            # the path as named, made absolute: a symlink stays a file of its own
            key = Path(os.path.abspath(file))
            if key not in seen:
                seen.add(key)
                yield file, base


def unified_diff(name: str, before: list[bytes], after: list[bytes]) -> str:
    # split on \n only, as the input was: U+2028 or a lone \r inside a line stays inside it
    old = _lines(b"".join(before))
    new = _lines(b"".join(after))
    lines = difflib.unified_diff(old, new, f"{name}\t(original)", f"{name}\t(cleaned)")
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )


def _lines(data: bytes) -> list[str]:
    texts, endings = split(data.decode("utf-8", "replace"))
    return [t + e for t, e in zip(texts, endings, strict=True)]


def output_path(path: Path, base: Path | None, output_dir: Path, fmt: str) -> Path:
    """Where ``--output-dir`` puts ``path``: its place under ``base`` (or its name), and
    an HTML page becomes a .txt file."""
    relative = path.relative_to(base) if base is not None else Path(path.name)
    if fmt == "html":
        relative = relative.with_suffix(".txt")
    return output_dir / relative


def _large(path: Path, limit: int | None = None) -> bool:
    """Whether ``path`` holds ``limit`` bytes or more (by default ``STREAM_BYTES``: a text
    file to clean as it is read); of a ``.gz`` file, what it unpacks to, as its last four
    bytes say, modulo 4 GiB."""
    try:
        size = path.stat().st_size
        if is_gzip(path) and size >= 4:
            with path.open("rb") as handle:
                handle.seek(-4, os.SEEK_END)
                size = max(size, int.from_bytes(handle.read(4), "little"))
        return size >= (STREAM_BYTES if limit is None else limit)
    except OSError:
        return False  # reading it will say what is wrong


def _plain_text(opts: Options) -> bool:
    """Whether files under ``opts`` are plain text, which may be cleaned part by part."""
    return opts.fmt == "text" and not (opts.html_input or opts.markdown_input)


def _read_and_clean(task: tuple[str, Options]) -> list[Unit] | None:
    """Worker side of a text file: None for a binary file, else its cleaned units (one,
    or a text file of ``PART_BYTES`` or more one per part, as ``process_stream`` gives)."""
    path, opts = Path(task[0]), task[1]
    if is_binary(peek(path)):
        return None
    engine = parallel.worker_engine()
    if _plain_text(opts) and _large(path, PART_BYTES):
        with open_binary(path) as handle:
            return list(process_stream(engine, rows(handle), opts))
    return [process_text(engine, read_all(path), opts)]


@dataclass
class Mode:
    check: bool = False
    diff: bool = False
    explain: bool = False
    in_place: bool = False
    output_dir: Path | None = None
    quiet: bool = False

    @property
    def to_stdout(self) -> bool:
        return not (self.check or self.diff or self.explain or self.in_place or self.output_dir)


@dataclass
class Run:
    engine: Engine
    mode: Mode
    jobs: int = 1
    stats: Stats = field(default_factory=Stats)
    would_change: list[str] = field(default_factory=list)
    written: int = 0
    progress: Progress = field(init=False)

    def __post_init__(self) -> None:
        self.progress = Progress(self.stats, self.mode.quiet)

    # --- handling results -------------------------------------------------------------

    def _report(self, unit: Unit, name: str) -> None:
        report_unit(unit, name)
        if self.mode.explain and not unit.emptied:
            for r in unit.removed:
                print(f"{name}:{r.line}: {r.rule_id}: {r.text}")

    def consume(self, units: Iterable[Unit], name: str, sink: BinaryIO | None) -> bool:
        """Report every unit of one input and write it to ``sink``; True if any changed."""
        changed = False
        before: list[bytes] = []
        after: list[bytes] = []
        try:
            for unit in units:
                self._report(unit, name)
                self.stats.add(unit)
                self.progress.update()
                changed |= unit.changed
                if self.mode.diff:
                    before.append(unit.original)
                    after.append(unit.cleaned)
                if sink is not None:
                    sink.write(unit.cleaned)
        except RowError as exc:
            raise InputError(f"{exc}; {left_behind(self.written, self.mode.in_place)}") from None
        if self.mode.diff and changed:
            sys.stdout.write(unified_diff(name, before, after))
        if changed:
            self.would_change.append(name)
        return changed

    def _to_stdout(self, units: Iterable[Unit], name: str) -> None:
        if not self.mode.to_stdout:
            self.consume(units, name, None)
            return
        # spool first: a malformed row half-way must not leave half an output behind
        with tempfile.SpooledTemporaryFile(max_size=64 << 20) as spool:
            self.consume(units, name, spool)
            spool.seek(0)
            shutil.copyfileobj(spool, sys.stdout.buffer)
        sys.stdout.flush()

    def _to_file(self, units: Iterable[Unit], name: str, target: Path, like: Path) -> None:
        with AtomicFile(target, compress=is_gzip(target), like=like) as sink:
            changed = self.consume(units, name, sink)
            if self.mode.in_place and not changed:
                return
            sink.commit()
        self.written += 1
        if self.mode.in_place and not self.mode.quiet:
            print(f"cleaned {name}", file=sys.stderr)

    def _deliver(self, units: Iterable[Unit], path: Path, base: Path | None, opts: Options) -> None:
        if self.mode.in_place or self.mode.output_dir:
            self._to_file(units, str(path), self.target(path, base, opts), path)
        else:
            self._to_stdout(units, str(path))

    def target(self, path: Path, base: Path | None, opts: Options) -> Path:
        if self.mode.in_place or self.mode.output_dir is None:
            return path
        return output_path(path, base, self.mode.output_dir, opts.fmt)

    # --- inputs -----------------------------------------------------------------------

    def clean_stdin(self, opts: Options) -> None:
        stdin = sys.stdin.buffer
        if opts.fmt == "jsonl":
            self._to_stdout(
                parallel.jsonl_units(self.engine, rows(stdin), opts, STDIN, self.jobs), STDIN
            )
            return
        if opts.html_input or opts.markdown_input:
            data = stdin.read()
            if is_binary(data):
                raise InputError("-: binary input; nothing to clean")
            self._to_stdout([process_text(self.engine, data, opts)], STDIN)
            return
        head = stdin.read(8192)  # as much as ``is_binary`` reads
        if is_binary(head):
            raise InputError("-: binary input; nothing to clean")
        # text streams through in parts, however long: its memory is that of a part
        units = process_stream(self.engine, rows(lines_after(head, stdin)), opts)
        self._to_stdout(units, STDIN)

    def clean_files(self, files: Iterable[tuple[Path, Path | None, Options]]) -> None:
        """Clean files in order: runs of text files as pool batches, JSONL files streamed."""
        batch: list[tuple[Path, Path | None, Options]] = []
        for path, base, opts in files:
            if opts.html_input and self.mode.in_place:
                raise InputError(f"{path}: --in-place cannot turn HTML into text; use --output-dir")
            if _plain_text(opts) and _large(path):
                self._clean_batch(batch)
                batch = []
                self._clean_large(path, base, opts)
                continue
            if opts.fmt != "jsonl":
                batch.append((path, base, opts))
                continue
            self._clean_batch(batch)
            batch = []
            self._clean_jsonl(path, base, opts)
        self._clean_batch(batch)

    def _clean_batch(self, batch: list[tuple[Path, Path | None, Options]]) -> None:
        tasks = ((str(path), opts) for path, _, opts in batch)
        jobs = self.jobs if len(batch) > 1 else 1  # one file: not worth starting a pool
        results = parallel.ordered_map(_read_and_clean, tasks, self.engine, jobs)
        for (path, base, opts), units in zip(batch, results, strict=True):
            if units is None:
                warn(f"{path}: binary file; skipped")
                continue
            self._deliver(units, path, base, opts)

    def _clean_large(self, path: Path, base: Path | None, opts: Options) -> None:
        """A huge text file, cleaned here as it is read (``process_stream``): its memory
        is that of a part, not of the file."""
        if is_binary(peek(path)):
            warn(f"{path}: binary file; skipped")
            return
        with open_binary(path) as handle:
            self._deliver(process_stream(self.engine, rows(handle), opts), path, base, opts)

    def _clean_jsonl(self, path: Path, base: Path | None, opts: Options) -> None:
        if is_binary(peek(path)):
            warn(f"{path}: binary file; skipped")
            return
        with open_binary(path) as handle:
            units = parallel.jsonl_units(self.engine, rows(handle), opts, str(path), self.jobs)
            self._deliver(units, path, base, opts)

    def finish(self, stats: bool) -> None:
        self.progress.finish(self.mode.quiet)
        if stats:
            print(self.stats.report(), file=sys.stderr)
