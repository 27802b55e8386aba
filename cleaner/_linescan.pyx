# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=False
"""The line-scan kernel, compiled: ``cleaner/linescan_py.py`` is its reference.

Every function returns exactly what its pure-Python twin returns. Characters are
classified with the same CPython predicates the ``re`` module uses for ``\\w``, ``\\d``
and ``\\s`` on str patterns, words are lower-cased with ``str.lower``, and floating-point
sums are formed in the same order, so the line model's features are identical bit for
bit.
"""

from cpython.unicode cimport (
    Py_UNICODE_ISALNUM,
    Py_UNICODE_ISDECIMAL,
    Py_UNICODE_ISSPACE,
    Py_UNICODE_ISUPPER,
)

import numpy as np

cdef extern from "Python.h":
    int PyUnicode_KIND(object)
    void* PyUnicode_DATA(object)
    Py_UCS4 PyUnicode_READ(int kind, void* data, Py_ssize_t index)

# longest word of each chrome set seen: a longer word cannot lower-case into the set,
# as str.lower never shortens a string
cdef dict _LONGEST = {}
cdef str _COPYRIGHT = "copyright"


cdef inline bint _is_word(Py_UCS4 ch):
    return ch == 95 or Py_UNICODE_ISALNUM(ch)  # 95: "_"


cdef Py_ssize_t _count(str text, int kind, void* data, str mark):
    """Non-overlapping occurrences of ``mark`` in ``text``, left to right (``str.count``)."""
    cdef Py_ssize_t n = len(text), m = len(mark), i = 0, j, found = 0
    cdef int mkind
    cdef void* mdata
    if m == 0:
        return n + 1
    mkind = PyUnicode_KIND(mark)
    mdata = PyUnicode_DATA(mark)
    while i + m <= n:
        j = 0
        while j < m and PyUnicode_READ(kind, data, i + j) == PyUnicode_READ(mkind, mdata, j):
            j += 1
        if j == m:
            found += 1
            i += m
        else:
            i += 1
    return found


def line_counts(str text, frozenset chrome, tuple marks):
    """(words, capitalised words, digits, punctuation marks, words in ``chrome``, whether
    a word is "copyright", occurrences of ``marks``) of ``text``, in one pass over its
    characters (and one per mark)."""
    cdef Py_ssize_t n = len(text), i, start = -1
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef Py_UCS4 ch
    cdef Py_ssize_t words = 0, capitals = 0, digits = 0, punct = 0, hits = 0
    cdef bint copyright = False, plain = True
    cdef Py_ssize_t limit
    cdef str word
    longest = _LONGEST.get(chrome)
    if longest is None:
        longest = _LONGEST[chrome] = max((len(w) for w in chrome), default=0)
    limit = max(<Py_ssize_t>longest, len(_COPYRIGHT))
    for i in range(n + 1):
        if i < n:
            ch = PyUnicode_READ(kind, data, i)
            if _is_word(ch):
                if start < 0:
                    start = i
                    plain = True
                    if Py_UNICODE_ISUPPER(ch):
                        capitals += 1
                if ch >= 128 or (65 <= ch <= 90):
                    plain = False  # lower-casing may change it
                if Py_UNICODE_ISDECIMAL(ch):
                    digits += 1
                continue
            if not Py_UNICODE_ISSPACE(ch):
                punct += 1
        if start < 0:
            continue
        words += 1
        if i - start <= limit:
            word = text[start:i]
            if not plain:
                word = word.lower()
            if word in chrome:
                hits += 1
            if not copyright and word == _COPYRIGHT:
                copyright = True
        start = -1
    cdef Py_ssize_t listed = 0
    for mark in marks:
        listed += _count(text, kind, data, mark)
    return (words, capitals, digits, punct, hits, copyright, listed)


def count_words(str text):
    """How many ``\\w+`` words ``text`` holds."""
    cdef Py_ssize_t n = len(text), i, words = 0
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef bint inside = False, word
    for i in range(n):
        word = _is_word(PyUnicode_READ(kind, data, i))
        if word and not inside:
            words += 1
        inside = word
    return words


def shape_runs(const double[:] shape):
    """For each line, the length of the run of neighbouring lines of its ``shape``."""
    cdef Py_ssize_t n = shape.shape[0], k
    out = np.ones(n)
    cdef double[:] run = out
    for k in range(1, n):
        if shape[k] == shape[k - 1]:
            run[k] = run[k - 1] + 1
    for k in range(n - 2, -1, -1):
        if shape[k] == shape[k + 1]:
            run[k] = run[k + 1]
    return out


def best_run(scores, segment=None):
    """The (first, last) index of the contiguous run with the highest sum (Kadane) that
    lies within one segment (``segment``: each score's segment number; None: one)."""
    cdef list values = list(scores)
    cdef list seg = None if segment is None else list(segment)
    cdef Py_ssize_t n = len(values), k, begin = 0, first = 0, last = 0
    cdef double best = float("-inf"), total = 0.0, s
    for k in range(n):
        s = values[k]
        if total <= 0 or (seg is not None and seg[k] != seg[k - 1]):
            total, begin = s, k
        else:
            total += s
        if total > best:
            best, first, last = total, begin, k
    return (first, last)


def grow(keep, shape, likely, Py_ssize_t reach):
    """Below each kept line, keep the sentences that follow it, and wordy lines that
    lead on to a sentence (or to the page's end); past ``reach`` lines from a line the
    model kept, only lines ``likely`` marks; in place."""
    cdef unsigned char[:] kept = keep.view(np.uint8)
    cdef const unsigned char[:] sure = likely.view(np.uint8)
    cdef Py_ssize_t n = kept.shape[0], k = 1, j, m, grown = 0
    cdef bytearray kinds = bytearray(n)
    cdef bint far
    for k, s in enumerate(shape):
        kinds[k] = 1 if s == "S" else 2 if s == "W" else 0
    cdef unsigned char[:] form = kinds
    k = 1
    while k < n:
        if kept[k]:
            k, grown = k + 1, 0
            continue
        if not kept[k - 1]:
            k += 1
            continue
        j = k
        while j < n and form[j] == 2 and not kept[j]:
            j += 1
        far = False
        if grown + j - k + 1 > reach:
            for m in range(k, min(j + 1, n)):
                if not sure[m]:
                    far = True
                    break
        if (j < n and not kept[j] and form[j] != 1) or far:
            k = j + 1
            continue
        for m in range(k, min(j + 1, n)):
            kept[m] = 1
        grown += j - k + 1
        k = j + 1
    return keep
