# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=False
"""The line-scan kernel, compiled: ``cleaner/linescan_py.py`` is its reference.

Every function returns exactly what its pure-Python twin returns. Characters are
classified with the same CPython predicates the ``re`` module uses for ``\\w``, ``\\d``
and ``\\s`` on str patterns, words are lower-cased with ``str.lower``, floating-point
sums are formed in the same order, and logarithms are the C library's where the
reference takes ``math``'s (numpy's own, which may differ in the last bit, are taken
by the caller on both paths: ``PLACE_LOGGED``), so the line model's features are
identical bit for bit.
"""

from cpython.unicode cimport (
    Py_UNICODE_ISALNUM,
    Py_UNICODE_ISALPHA,
    Py_UNICODE_ISDECIMAL,
    Py_UNICODE_ISLOWER,
    Py_UNICODE_ISSPACE,
    Py_UNICODE_ISUPPER,
    Py_UNICODE_TOUPPER,
)
from libc.math cimport log1p

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
    return _line_counts(text, chrome, marks)


cdef tuple _line_counts(str text, frozenset chrome, tuple marks):
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


# The shapes ``own_row`` looks for, read by hand as ``re`` reads the reference's patterns
# (``cleaner/linescan_py.py``): ``\w``, ``\d`` and ``\s`` are the predicates above, ``\b``
# a change between word and non-word characters, and a letter of a case-blind pattern
# matches itself, its upper case, and what ``re`` folds into it (i: U+0130 and U+0131,
# s: U+017F, k: U+212A).
cdef tuple _AGO_WORDS = ("ago", "il y a", "hace")
cdef tuple _HEAD_WORDS = (
    "says", "said", "wrote", "schreibt", "sagt", "schrieb", "dit", "écrit", "dice",
    "escribió", "napisał",
)


cdef inline Py_UCS4 _at(int kind, void* data, Py_ssize_t i):
    return PyUnicode_READ(kind, data, i)


cdef inline bint _word_at(int kind, void* data, Py_ssize_t n, Py_ssize_t i):
    """Whether index ``i`` holds a word character (False past either end)."""
    return 0 <= i < n and _is_word(PyUnicode_READ(kind, data, i))


cdef inline bint _digit_at(int kind, void* data, Py_ssize_t n, Py_ssize_t i):
    return 0 <= i < n and Py_UNICODE_ISDECIMAL(PyUnicode_READ(kind, data, i))


cdef inline bint _blind(Py_UCS4 ch, Py_UCS4 letter):
    """Whether ``ch`` matches the lower-case pattern letter ``letter`` ignoring case."""
    if ch == letter or ch == Py_UNICODE_TOUPPER(letter):
        return True
    if letter == 105:  # i
        return ch == 0x130 or ch == 0x131
    if letter == 115:  # s
        return ch == 0x17F
    if letter == 107:  # k
        return ch == 0x212A
    return False


cdef bint _spells(int kind, void* data, Py_ssize_t n, Py_ssize_t at, str word):
    """Whether ``word`` (lower case) stands at index ``at``, ignoring case."""
    cdef Py_ssize_t m = len(word), j
    if at < 0 or at + m > n:
        return False
    for j in range(m):
        if not _blind(PyUnicode_READ(kind, data, at + j), word[j]):
            return False
    return True


cdef bint _has_time(int kind, void* data, Py_ssize_t n):
    r"""``\b\d{1,2}[:.]\d{2}\b`` anywhere."""
    cdef Py_ssize_t p, d
    cdef Py_UCS4 mark
    for p in range(n):
        if not _digit_at(kind, data, n, p) or _word_at(kind, data, n, p - 1):
            continue
        for d in (2, 1):
            if d == 2 and not _digit_at(kind, data, n, p + 1):
                continue
            if p + d >= n:
                continue
            mark = _at(kind, data, p + d)
            if (
                (mark == 58 or mark == 46)  # ":" or "."
                and _digit_at(kind, data, n, p + d + 1)
                and _digit_at(kind, data, n, p + d + 2)
                and not _word_at(kind, data, n, p + d + 3)
            ):
                return True
    return False


cdef bint _has_year(int kind, void* data, Py_ssize_t n):
    r"""``\b(?:19|20)\d\d\b`` anywhere."""
    cdef Py_ssize_t p
    cdef Py_UCS4 a, b
    for p in range(n - 3):
        a = _at(kind, data, p)
        b = _at(kind, data, p + 1)
        if (
            ((a == 49 and b == 57) or (a == 50 and b == 48))  # "19" or "20"
            and not _word_at(kind, data, n, p - 1)
            and _digit_at(kind, data, n, p + 2)
            and _digit_at(kind, data, n, p + 3)
            and not _word_at(kind, data, n, p + 4)
        ):
            return True
    return False


cdef bint _has_ago(int kind, void* data, Py_ssize_t n):
    r"""``\b(?:ago|vor\s+\d+|il y a|hace)\b`` anywhere, ignoring case."""
    cdef Py_ssize_t p, q
    cdef str word
    for p in range(n):
        if _word_at(kind, data, n, p - 1):
            continue
        for word in _AGO_WORDS:
            if _spells(kind, data, n, p, word) and not _word_at(kind, data, n, p + len(word)):
                return True
        if _spells(kind, data, n, p, "vor"):
            q = p + 3
            while q < n and Py_UNICODE_ISSPACE(_at(kind, data, q)):
                q += 1
            if q == p + 3 or not _digit_at(kind, data, n, q):
                continue
            while _digit_at(kind, data, n, q):
                q += 1
            if not _word_at(kind, data, n, q):
                return True
    return False


cdef bint _has_comment_head(int kind, void* data, Py_ssize_t n):
    r"""``\b(?:says|...|napisał)\s*(?::|\.\.\.|…)\s*$`` on a stripped line, ignoring case."""
    cdef Py_ssize_t k
    cdef Py_UCS4 last
    cdef str word
    if n == 0:
        return False
    last = _at(kind, data, n - 1)
    if last == 58 or last == 0x2026:  # ":" or "…"
        k = n - 1
    elif (
        last == 46 and n >= 3 and _at(kind, data, n - 2) == 46 and _at(kind, data, n - 3) == 46
    ):
        k = n - 3
    else:
        return False
    while k > 0 and Py_UNICODE_ISSPACE(_at(kind, data, k - 1)):
        k -= 1
    for word in _HEAD_WORDS:
        if _spells(kind, data, n, k - len(word), word) and not _word_at(
            kind, data, n, k - len(word) - 1
        ):
            return True
    return False


cdef bint _has_count(int kind, void* data, Py_ssize_t n):
    r"""``^\W*\d+\s+\w+\W*$|\[\s*\d+\s+\w+\s*\]``: the whole line a count and its noun
    ("12 comments"), or such a pair in brackets anywhere ("[ 167 comments ]")."""
    cdef Py_ssize_t p = 0, q
    # the whole line: non-word, digits, spaces, a word, non-word
    while p < n and not _word_at(kind, data, n, p):
        p += 1
    if _digit_at(kind, data, n, p):
        while _digit_at(kind, data, n, p):
            p += 1
        q = p
        while p < n and Py_UNICODE_ISSPACE(_at(kind, data, p)):
            p += 1
        if p > q and _word_at(kind, data, n, p):
            while _word_at(kind, data, n, p):
                p += 1
            while p < n and not _word_at(kind, data, n, p):
                p += 1
            if p == n:
                return True
    # in brackets
    for p in range(n):
        if _at(kind, data, p) != 91:  # "["
            continue
        q = p + 1
        while q < n and Py_UNICODE_ISSPACE(_at(kind, data, q)):
            q += 1
        if not _digit_at(kind, data, n, q):
            continue
        while _digit_at(kind, data, n, q):
            q += 1
        if not (q < n and Py_UNICODE_ISSPACE(_at(kind, data, q))):
            continue
        while q < n and Py_UNICODE_ISSPACE(_at(kind, data, q)):
            q += 1
        if not _word_at(kind, data, n, q):
            continue
        while _word_at(kind, data, n, q):
            q += 1
        while q < n and Py_UNICODE_ISSPACE(_at(kind, data, q)):
            q += 1
        if q < n and _at(kind, data, q) == 93:  # "]"
            return True
    return False


cdef inline bint _one_of(Py_UCS4 ch, str chars):
    cdef Py_ssize_t j
    for j in range(len(chars)):
        if chars[j] == ch:
            return True
    return False


def own_row(
    str text, double words, double density, bint ends, bint titled, frozenset chrome,
    tuple marks,
):
    """The line model's measures of one line alone, as the reference's ``own_row``."""
    cdef str stripped = text.strip()
    cdef tuple counts = _line_counts(stripped, chrome, marks)
    cdef Py_ssize_t toks = counts[0], capitals = counts[1], digits = counts[2]
    cdef Py_ssize_t punct = counts[3], hits = counts[4], listed = counts[6]
    cdef bint copyright = counts[5]
    cdef Py_ssize_t chars = len(stripped), n = max(toks, 1), nonspace, end, j
    cdef Py_ssize_t spaces = 0, commas = 0
    cdef int kind = PyUnicode_KIND(stripped)
    cdef void* data = PyUnicode_DATA(stripped)
    cdef Py_UCS4 ch, last = 0, first = 0
    cdef bint has_last, cut = False, pipe = False, sign = False, at = False
    for j in range(chars):
        ch = _at(kind, data, j)
        if ch == 32:
            spaces += 1
        elif ch == 44:  # ","
            commas += 1
        elif ch == 124:  # "|"
            pipe = True
        elif ch == 0xA9:  # "©"
            sign = True
        elif ch == 64:  # "@"
            at = True
    nonspace = max(chars - spaces, 1)
    # the line's last character before closing quotes and brackets
    end = chars
    while end > 0 and _one_of(_at(kind, data, end - 1), "\"'”’»)]"):
        end -= 1
    has_last = end > 0
    if has_last:
        last = _at(kind, data, end - 1)
        if last == 0x2026 or (
            last == 46 and end >= 3 and _at(kind, data, end - 2) == 46
            and _at(kind, data, end - 3) == 46
        ):
            j = end
            while j > 0 and (_at(kind, data, j - 1) == 46 or _at(kind, data, j - 1) == 0x2026):
                j -= 1
            cut = j > 0 and Py_UNICODE_ISALPHA(_at(kind, data, j - 1))
    if chars:
        first = _at(kind, data, 0)
    out = np.empty(36)
    cdef double[:] row = out
    row[0] = log1p(words)
    row[1] = words <= 1
    row[2] = 1 < words <= 2
    row[3] = 2 < words <= 4
    row[4] = 4 < words <= 7
    row[5] = 7 < words <= 12
    row[6] = 12 < words <= 20
    row[7] = 20 < words <= 40
    row[8] = words > 40
    row[9] = log1p(<double>chars / <double>n)
    row[10] = density
    row[11] = density == 0
    row[12] = density >= 0.35
    row[13] = ends
    row[14] = has_last and last == 58
    row[15] = cut
    row[16] = not ends and not (has_last and (_one_of(last, ".!?…。！？") or last == 58))
    row[17] = chars > 0 and _one_of(first, "“\"«„‘'")
    row[18] = chars > 0 and _one_of(first, "•-*·›»>–—+▶►")
    row[19] = chars > 0 and Py_UNICODE_ISLOWER(first)
    row[20] = <double>capitals / <double>n
    row[21] = titled
    row[22] = <double>digits / <double>nonspace
    row[23] = <double>punct / <double>nonspace
    row[24] = <double>commas / <double>n
    row[25] = log1p(<double>listed)
    row[26] = pipe
    row[27] = <double>hits / <double>n
    row[28] = hits > 0
    row[29] = sign or copyright
    row[30] = at or "http" in stripped or "www." in stripped
    row[31] = digits > 0 and _has_time(kind, data, chars)
    row[32] = digits > 0 and _has_year(kind, data, chars)
    row[33] = _has_ago(kind, data, chars)
    row[34] = _has_comment_head(kind, data, chars)
    row[35] = digits > 0 and _has_count(kind, data, chars)
    return out


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


cdef void _window(const double[:] values, Py_ssize_t reach, double[:] padded, double[:] out):
    """``window_mean`` of the reference: a running sum from 0, then each window's share."""
    cdef Py_ssize_t n = values.shape[0], k, lo, hi
    padded[0] = 0.0
    for k in range(n):
        padded[k + 1] = values[k] if k == 0 else padded[k] + values[k]
    for k in range(n):
        lo = k - reach if k > reach else 0
        hi = k + reach + 1 if k + reach + 1 < n else n
        out[k] = (padded[hi] - padded[lo]) / <double>(hi - lo)


def place(const double[:] p, const double[:] words, const double[:, :] own, double total,
          tuple columns):
    """Where each line stands on the page, as the reference's ``place``, in a few passes."""
    cdef Py_ssize_t n = p.shape[0], k, first = n, last = -1, first_title = -1, r = 0, nruns
    cdef Py_ssize_t c_logw = columns[0], c_w1 = columns[1], c_w2 = columns[2]
    cdef Py_ssize_t c_ends = columns[3], c_list = columns[4], c_head = columns[5]
    cdef Py_ssize_t c_ago = columns[6], c_count = columns[7], c_title = columns[8]
    cdef Py_ssize_t c_titled = columns[9], c_time = columns[10], c_year = columns[11]
    cdef Py_ssize_t c_edge = columns[12]
    cdef double pw, sum_pw = 0.0, sum_p = 0.0, p_total = 0.0, sum_marks = 0.0
    cdef double sum_title = 0.0, sum_stamp = 0.0, stamp_total = 0.0, sum_edge = 0.0
    cdef double above, marks, d_after, d_before
    out = np.zeros((37, n))
    cdef double[:, :] o = out
    work = np.zeros((9, n + 1))
    cdef double[:, :] w = work
    # rows of ``work``: 0 shape, 1 short, 2 isolated, 3 flips, 4 heading, 5 cards,
    # 6 stamp, 7 log words, 8 a running sum for the windows
    cdef double[:] shape = w[0, :n], short = w[1, :n], isolated = w[2, :n]
    cdef double[:] flips = w[3, :n], heading = w[4, :n], cards = w[5, :n]
    cdef double[:] stamp = w[6, :n], log_words = w[7, :n], padded = w[8]
    cdef double[:] run
    cdef Py_ssize_t[:] runs
    for k in range(n):
        p_total += p[k]
        if p[k] != 0:
            if first == n:
                first = k
            last = k
        if first_title < 0 and own[k, c_title] != 0:
            first_title = k
        shape[k] = own[k, c_ends] * 2 + p[k]
        short[k] = own[k, c_w1] + own[k, c_w2]
        log_words[k] = own[k, c_logw]
        heading[k] = (
            own[k, c_ends] == 0 and words[k] >= 3 and words[k] <= 15 and own[k, c_list] == 0
        )
        stamp[k] = (
            words[k] <= 10 and own[k, c_ends] == 0 and (own[k, c_time] > 0 or own[k, c_year] > 0)
        )
        if own[k, c_head] > stamp[k]:
            stamp[k] = own[k, c_head]
        stamp_total += stamp[k]
    run = shape_runs(shape)
    for k in range(n):
        isolated[k] = p[k] * (1 - (p[k - 1] if k > 0 else 0.0)) * (
            1 - (p[k + 1] if k + 1 < n else 0.0)
        )
        if k + 2 < n:
            flips[k] = shape[k] == shape[k + 2] and shape[k] != shape[k + 1]
        if k > 0:
            cards[k] = heading[k - 1] * isolated[k]
    for k in range(n):
        pw = words[k] * p[k]
        sum_pw = pw if k == 0 else sum_pw + pw
        above = sum_pw - pw
        sum_p += p[k]
        o[0, k] = k == 0
        o[1, k] = k == n - 1
        o[2, k] = <double>k / <double>(n - 1 if n > 1 else 1)
        o[3, k] = k < first
        o[4, k] = k > last
        o[5, k] = above / total
        o[6, k] = (total - above - pw) / total
        o[7, k] = sum_p - p[k]
        o[8, k] = p_total - (sum_p - p[k]) - p[k]
        o[13, k] = k > first and k < last
        o[14, k] = run[k]
        o[15, k] = run[k] if p[k] > 0 else 0.0
        o[16, k] = isolated[k]
        marks = own[k, c_head]
        if own[k, c_ago] > marks:
            marks = own[k, c_ago]
        if own[k, c_count] > marks:
            marks = own[k, c_count]
        sum_marks = marks if k == 0 else sum_marks + marks
        o[19, k] = sum_marks - marks
        sum_title = own[k, c_title] if k == 0 else sum_title + own[k, c_title]
        o[20, k] = min(sum_title - own[k, c_title], 3.0)
        if first_title >= 0 and k > first_title:
            o[22, k] = 1.0 / <double>(k - first_title)
        o[25, k] = max(p[k - 1] if k > 0 else 0.0, p[k - 2] if k > 1 else 0.0) * max(
            p[k + 1] if k + 1 < n else 0.0, p[k + 2] if k + 2 < n else 0.0
        )
        o[27, k] = own[k, c_titled] * p[k]
        o[28, k] = o[15, k] >= 3
        o[32, k] = stamp[k]
        sum_stamp = stamp[k] if k == 0 else sum_stamp + stamp[k]
        o[33, k] = sum_stamp - stamp[k]
        o[34, k] = stamp_total - (sum_stamp - stamp[k]) - stamp[k]
        sum_edge += own[k, c_edge]
        o[35, k] = sum_edge > 0
    sum_edge = 0.0
    for k in range(n - 1, -1, -1):
        sum_edge += own[k, c_edge]
        o[36, k] = sum_edge - own[k, c_edge] > 0
    # the nearest line of a long run: the one at or after each line, or the one before
    nruns = 0
    for k in range(n):
        nruns += o[28, k] != 0
    if nruns:
        runs = np.empty(nruns, dtype=np.intp)
        r = 0
        for k in range(n):
            if o[28, k] != 0:
                runs[r] = k
                r += 1
        r = 0
        for k in range(n):
            while r < nruns - 1 and runs[r] < k:
                r += 1
            d_after = abs(runs[r] - k)
            d_before = abs(k - runs[r - 1 if r > 0 else 0])
            o[29, k] = d_after if d_after < d_before else d_before
            o[30, k] = k < runs[0]
            o[31, k] = k > runs[nruns - 1]
    else:
        for k in range(n):
            o[29, k] = n
    _window(p, 3, padded, o[9])
    _window(p, 8, padded, o[10])
    _window(log_words, 3, padded, o[11])
    _window(short, 3, padded, o[12])
    _window(isolated, 8, padded, o[17])
    _window(flips, 6, padded, o[18])
    _window(heading, 5, padded, o[23])
    _window(isolated, 5, padded, o[24])
    _window(cards, 8, padded, o[26])
    return out


def vote(list helds, list counts, Py_ssize_t languages):
    """The stoplist a page's words vote for, as the reference's ``vote``: the same
    shares added to the same scores in the same order."""
    cdef double[:] scores = np.zeros(max(languages, 1))
    cdef Py_ssize_t k, j, m, best = -1
    cdef double share
    cdef const unsigned char[:] held
    if len(counts) != len(helds):  # as the reference's strict zip
        raise ValueError("vote: one count for each word's lists")
    for k in range(len(helds)):
        if not helds[k]:
            continue
        held = helds[k]
        m = held.shape[0]
        share = <double>counts[k] / <double>m
        for j in range(m):
            if held[j] >= languages:  # the reference's list raises; never write past it
                raise IndexError("vote: a list index past the languages")
            scores[held[j]] += share
    for j in range(languages):
        if best < 0 or scores[j] > scores[best]:
            best = j
    if best < 0:
        return (-1, 0.0)
    return (best, scores[best])


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
