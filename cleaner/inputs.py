"""Find the files to clean and open them as text documents or streams of JSONL rows."""

from __future__ import annotations

import gzip
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from cleaner.errors import InputError

SUFFIXES = (".txt", ".jsonl", ".jsonl.gz", ".html", ".htm", ".md", ".markdown")


def walk(paths: list[Path]) -> list[Path]:
    """Files named on the command line as they are; directories walked for corpus files.

    Hidden directories (``.git`` and the like) are not entered.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found.extend(Path(root) / n for n in sorted(names) if n.lower().endswith(SUFFIXES))
        elif path.exists():
            found.append(path)
        else:
            raise InputError(f"{path}: no such file or directory")
    return found


def is_gzip(path: Path) -> bool:
    return path.name.lower().endswith(".gz")


def open_binary(path: Path) -> BinaryIO:
    """Open a file for reading, decompressing ``.gz`` transparently."""
    try:
        if is_gzip(path):
            return gzip.open(path, "rb")  # type: ignore[return-value]
        return path.open("rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None


def read_all(path: Path) -> bytes:
    try:
        with open_binary(path) as handle:
            return handle.read()
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None


def peek(path: Path, size: int = 8192) -> bytes:
    try:
        with open_binary(path) as handle:
            return handle.read(size)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None


def lines_after(head: bytes, rest: BinaryIO) -> Iterator[bytes]:
    """The lines of ``head`` and then of ``rest``, the stream ``head`` was read from, as
    ``rows`` splits them: stdin, its first bytes read to tell text from binary."""
    *whole, partial = head.split(b"\n")
    yield from (line + b"\n" for line in whole)
    partial += rest.readline()
    if partial:
        yield partial
    yield from rest


def rows(handle: Iterable[bytes]) -> Iterator[bytes]:
    """Lines of a binary stream, split on b"\\n" only, endings kept."""
    try:
        yield from handle
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise InputError(f"cannot read: {exc}") from None
