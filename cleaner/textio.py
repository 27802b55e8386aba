"""Bytes in and out: decoding that round-trips any byte, binary sniffing, atomic writes."""

from __future__ import annotations

import contextlib
import gzip
import os
import stat
import tempfile
from pathlib import Path
from typing import BinaryIO

BOM = "\ufeff"
# magic numbers of common binary formats a crawler leaves behind
_MAGIC = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"%PDF",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"RIFF",
    b"BM",
    b"\x00\x00\x01\x00",
    b"II*\x00",
    b"MM\x00*",
    b"\x7fELF",
    b"OggS",
    b"ID3",
    b"fLaC",
    b"wOFF",
    b"wOF2",
    b"\xca\xfe\xba\xbe",
)


def is_binary(data: bytes) -> bool:
    """True for data that is not text: a NUL byte early on, or a known binary header."""
    head = data[:8192]
    return b"\x00" in head or any(head.startswith(m) for m in _MAGIC if m != b"\x1f\x8b")


def decode(data: bytes) -> tuple[str, bool]:
    """Decode UTF-8; undecodable bytes become lone surrogates so ``encode`` restores them.

    Returns the text and whether any byte was undecodable.
    """
    try:
        return data.decode("utf-8"), False
    except UnicodeDecodeError:
        return data.decode("utf-8", "surrogateescape"), True


def encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


class AtomicFile:
    """Write a file so that a crash leaves either the old file or the finished new one.

    Content streams into a temporary file in the target's directory (same file system).
    ``commit`` flushes and syncs it, gives it the target's permission bits (a new file
    takes those of ``like``, its source), and renames
    it over the target; leaving the ``with`` block without a commit (an error, Ctrl-C, or
    ``discard``) removes the temporary file. ``.gz`` targets are compressed on the way.
    """

    def __init__(self, path: Path, compress: bool = False, like: Path | None = None) -> None:
        self.path = path.resolve()  # through a symlink: rewrite its file, keep the link
        self.compress = compress
        self.like = like  # the file whose permission bits a new file takes
        self._tmp: str | None = None
        self._raw: BinaryIO | None = None
        self._gz: gzip.GzipFile | None = None

    def __enter__(self) -> AtomicFile:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, self._tmp = tempfile.mkstemp(
            prefix=f".{self.path.name}.", suffix=".cleaner-tmp", dir=self.path.parent
        )
        self._raw = os.fdopen(fd, "wb")
        if self.compress:
            self._gz = gzip.GzipFile(fileobj=self._raw, mode="wb", mtime=0)
        return self

    def write(self, data: bytes) -> int:
        target = self._gz or self._raw
        assert target is not None
        return target.write(data)

    def commit(self) -> None:
        assert self._raw is not None and self._tmp is not None
        if self._gz is not None:
            self._gz.close()
        self._raw.flush()
        os.fsync(self._raw.fileno())
        self._raw.close()
        os.chmod(self._tmp, self._mode())
        os.replace(self._tmp, self.path)
        self._tmp = None

    def _mode(self) -> int:
        for source in (self.path, self.like):
            if source is not None and source.exists():
                return stat.S_IMODE(os.stat(source).st_mode)
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask

    def discard(self) -> None:
        if self._raw is not None and not self._raw.closed:
            self._raw.close()
        if self._tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._tmp)
            self._tmp = None

    def __exit__(self, *exc: object) -> None:
        self.discard()


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through an ``AtomicFile``: all of it or nothing."""
    with AtomicFile(path) as out:
        out.write(text.encode("utf-8"))
        out.commit()
