"""A small on-disk cache of loaded rule sets, so a short run skips YAML and analysis.

Entries are keyed by a hash of everything the result depends on: the rule files' paths
and bytes, the timeout, the Python and ``regex`` versions, and the source of the
cleaner package itself (so a changed rule kind never reads an old entry). An entry
that is missing, unreadable or from another version is rebuilt; writes go to a
temporary file renamed into place, so readers never see half an entry. The cache is
only ever a shortcut: any failure falls back to loading the files.

``CLEANER_CACHE_DIR`` overrides the location (empty: no cache); otherwise entries live
under ``$XDG_CACHE_HOME/cleaner`` or ``~/.cache/cleaner``.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
#: entries kept per kind; older ones are removed when a new one is written
KEEP = 8


def cache_dir() -> Path | None:
    """Where entries live, or None when caching is turned off."""
    override = os.environ.get("CLEANER_CACHE_DIR")
    if override is not None:
        return Path(override) if override else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "cleaner"


@lru_cache(maxsize=1)
def code_fingerprint() -> bytes:
    """Hash of the package's own source and the versions that shape pickled objects."""
    import regex

    digest = hashlib.sha256(f"{sys.version}|{regex.__version__}".encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.digest()


def key_of(parts: Iterable[bytes]) -> str:
    digest = hashlib.sha256(code_fingerprint())
    for part in parts:
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.hexdigest()[:32]


def cached(kind: str, key: str, build: Callable[[], T]) -> T:
    """The entry ``kind``/``key`` from disk, or ``build()`` (then stored for next time).

    An entry must be the (kind, key, value) triple this function writes; anything else
    found at the path is ignored and rebuilt.
    """
    folder = cache_dir()
    if folder is None:
        return build()
    path = folder / f"{kind}-{key}.pickle"
    try:
        with open(path, "rb") as fh:
            entry = pickle.load(fh)  # noqa: S301 - the user's own cache directory
        if isinstance(entry, tuple) and len(entry) == 3 and entry[:2] == (kind, key):
            return entry[2]  # type: ignore[no-any-return]
    except Exception:  # noqa: BLE001 - missing, truncated or stale: rebuild
        pass
    value = build()
    _store(folder, path, kind, (kind, key, value))
    return value


def _store(folder: Path, path: Path, kind: str, value: object) -> None:
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{kind}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        old = sorted(folder.glob(f"{kind}-*.pickle"), key=lambda p: p.stat().st_mtime)
        for stale in old[:-KEEP]:
            stale.unlink(missing_ok=True)
    except Exception:  # noqa: BLE001 - a read-only or full disk only costs speed
        return
