"""Bytes in and out: decoding that round-trips any byte, binary sniffing, atomic writes."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

BOM = "\ufeff"
# magic numbers of common binary formats a crawler leaves behind
_MAGIC = (
    b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"PK\x03\x04", b"\x1f\x8b",
    b"RIFF", b"BM", b"\x00\x00\x01\x00", b"II*\x00", b"MM\x00*", b"\x7fELF",
    b"OggS", b"ID3", b"fLaC", b"wOFF", b"wOF2", b"\xca\xfe\xba\xbe",
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


def atomic_write(path: Path, data: bytes | None = None, chunks: list[bytes] | None = None) -> None:
    """Replace ``path`` with new content so that a crash leaves either the old or the new file.

    The new content goes to a temporary file in the same directory (same file system),
    is flushed and synced, takes the original's permission bits, then is renamed over it.
    """
    path = path.resolve()  # through a symlink: rewrite the file it points to, keep the link
    directory = path.parent
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".cleaner-tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as out:
            if data is not None:
                out.write(data)
            for chunk in chunks or ():
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        with contextlib.suppress(FileNotFoundError):
            os.chmod(tmp, stat.S_IMODE(os.stat(path).st_mode))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
