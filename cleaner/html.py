"""HTML input: trafilatura extracts the main text; the rules clean the rest.

trafilatura's own balance of precision and recall is kept: on the shared benchmarks
``favor_recall`` let through more chrome than it won back in article text, and
comments are left out because an article's reader comments are not its text.

trafilatura is imported only when HTML is cleaned: plain-text runs never pay for it.
"""

from __future__ import annotations

from cleaner.errors import InputError


def extract_text(html: str) -> str:
    """The page's main text, one paragraph a line, or "" when nothing could be extracted."""
    try:
        import trafilatura
    except ImportError as exc:  # pragma: no cover - a broken install
        raise InputError(f"HTML input needs trafilatura: {exc}") from None
    text = trafilatura.extract(
        html,
        include_comments=False,
        include_tables=True,
        include_formatting=False,
        include_links=False,
        include_images=False,
        deduplicate=False,
        with_metadata=False,
    )
    return text or ""
