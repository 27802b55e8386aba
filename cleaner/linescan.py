"""The line-scan kernel the line model and the content detector call: compiled or not.

``cleaner._linescan`` (Cython) is used when it was built and ``CLEANER_PURE_PYTHON`` is
not set; otherwise ``cleaner.linescan_py``, its reference, runs. Both give the same
values, so output never depends on which one ran. Callers look the functions up here at
call time (``linescan.own_row(...)``), so ``use`` switches every caller at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

from cleaner import linescan_py
from cleaner._accel import pure_python

try:
    from cleaner import _linescan as compiled_kernel
except ImportError:  # not built: no C compiler at install time, or a source checkout
    compiled_kernel: ModuleType | None = None  # type: ignore[no-redef]

own_row = linescan_py.own_row
count_words = linescan_py.count_words
shape_runs = linescan_py.shape_runs
place = linescan_py.place
best_run = linescan_py.best_run
vote = linescan_py.vote
grow = linescan_py.grow
SENTENCE, WORDY = linescan_py.SENTENCE, linescan_py.WORDY


def _bind(kernel: ModuleType) -> None:
    global own_row, count_words, shape_runs, place, best_run, grow, vote
    own_row, count_words = kernel.own_row, kernel.count_words
    shape_runs, place = kernel.shape_runs, kernel.place
    best_run, grow, vote = kernel.best_run, kernel.grow, kernel.vote


def is_compiled() -> bool:
    """Whether the compiled kernel is the one in use."""
    return compiled_kernel is not None and own_row is compiled_kernel.own_row


@contextmanager
def use(compiled: bool) -> Iterator[None]:
    """Run the block on the compiled kernel (``compiled``, which must be built) or on
    the reference; the kernel in use before comes back after it."""
    if compiled and compiled_kernel is None:
        raise RuntimeError("the compiled line-scan kernel is not built")
    before = compiled_kernel if is_compiled() else linescan_py
    _bind(compiled_kernel if compiled else linescan_py)  # type: ignore[arg-type]
    try:
        yield
    finally:
        _bind(before)  # type: ignore[arg-type]


if compiled_kernel is not None and not pure_python():
    _bind(compiled_kernel)
