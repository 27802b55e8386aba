"""cleaner: strip site chrome from scraped text and keep every article sentence.

    >>> import cleaner
    >>> cleaner.clean("Big news today.\\nSource link\\n")
    'Big news today.\\n'

``cleaner.decide`` returns the same result with a decision for every input line,
each removal carrying the id of the rule that made it.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from cleaner.engine import Engine, LineDecision, Outcome
from cleaner.loader import default_rules_dir, load_rules

__all__ = ["Engine", "LineDecision", "Outcome", "clean", "decide", "engine"]
__version__ = "0.1.0"


def engine(
    rules: Iterable[str | Path] = (), *, default_rules: bool = True, precision: bool = False
) -> Engine:
    """An engine over the default rules (unless ``default_rules`` is false) plus ``rules``;
    ``precision``: its line model favours precision, as ``clean --precision`` does."""
    paths = [default_rules_dir()] if default_rules else []
    paths += [Path(p) for p in rules]
    loaded = load_rules(paths)
    if precision:
        from cleaner.kinds.model import precise

        loaded = precise(loaded)
    return Engine(loaded)


@lru_cache(maxsize=1)
def _default_engine() -> Engine:
    return engine()


def decide(text: str, url: str | None = None, *, markdown: bool = False) -> Outcome:
    """Clean ``text`` with the default rules; return the text and every line's decision.
    ``markdown``: the text is Markdown, and stays Markdown (see ``cleaner.markdown``)."""
    if markdown:
        from cleaner.markdown import run

        return run(_default_engine(), text, url)
    return _default_engine().run(text, url)


def clean(text: str, url: str | None = None, *, markdown: bool = False) -> str:
    """Clean ``text`` with the default rules. ``url`` lets site packs for that site apply;
    ``markdown`` says the text is Markdown."""
    return decide(text, url, markdown=markdown).text
