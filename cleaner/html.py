"""HTML input: trafilatura extracts the main text; the rules clean the rest.

trafilatura's own balance of precision and recall is kept for the body: on the shared
benchmarks ``favor_recall`` let through more chrome than it won back in article text,
and ``favor_precision`` dropped whole article bodies on some pages. Comments are left
out because an article's reader comments are not its text.

The article's end is the one place where the precise extraction is worth asking: what
the default extraction holds below the last line the precise one kept is, on those
benchmarks, mostly newsletter prompts, "related" links, contact boxes and copyright
lines (see ``trim_tail``).

trafilatura is imported only when HTML is cleaned: plain-text runs never pay for it.
"""

from __future__ import annotations

from typing import Any

from cleaner.errors import InputError

#: the precise extraction sets the article's end only when it holds at least this share
#: of the default extraction's characters; below that it missed the article, not chrome
MIN_PRECISE_SHARE = 0.3

_SETTINGS: dict[str, Any] = {
    "include_comments": False,
    "include_tables": True,
    "include_formatting": False,
    "include_links": False,
    "include_images": False,
    "deduplicate": False,  # trafilatura's cache spans documents: a later page loses text
    "with_metadata": False,
}


def extract_text(html: str) -> str:
    """The page's main text, one paragraph a line, or "" when nothing could be extracted."""
    try:
        import trafilatura
    except ImportError as exc:  # pragma: no cover - a broken install
        raise InputError(f"HTML input needs trafilatura: {exc}") from None
    text = trafilatura.extract(html, **_SETTINGS)
    if not text:
        return ""
    precise = trafilatura.extract(html, favor_precision=True, **_SETTINGS)
    return trim_tail(text, precise or "")


def _key(line: str) -> str:
    return " ".join(line.split())


def trim_tail(text: str, precise: str, min_share: float = MIN_PRECISE_SHARE) -> str:
    """``text`` without the lines below the last line that ``precise`` also holds.

    ``precise`` is the same page extracted with ``favor_precision``: it keeps the article
    and stops where the article stops, while the default extraction runs on into the
    boxes below it. The head is left alone: there the precise extraction also drops
    lead paragraphs and list items that are article text. Nothing is cut when the
    precise extraction is much shorter than ``text`` (it missed the article) or shares
    no line with it.
    """
    if len(precise) < min_share * len(text):
        return text
    kept = {_key(line) for line in precise.split("\n") if line.strip()}
    lines = text.split("\n")  # only "\n" ends a line, as everywhere in cleaner
    last = next((k for k in range(len(lines) - 1, -1, -1) if _key(lines[k]) in kept), None)
    if last is None or not any(line.strip() for line in lines[last + 1 :]):
        return text
    return "\n".join(lines[: last + 1])
