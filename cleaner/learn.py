"""Learn each site's chrome from its own pages: ``cleaner learn``.

A crawl holds many pages of each site, and every page repeats the site's menus,
footers, newsletter boxes and copyright lines. Counting, per site, on how many pages
each line stands finds them; no single page can. A line is learned when it stands on at
least ``share`` of its site's pages (and on ``min_pages`` of them), unless the cleaner
keeps it as a paragraph of prose on most of the pages it stands on and it stands on
fewer than ``PROSE_SHARE`` of the site's pages: a column's standing sentence or a
byline the article keeps is not chrome because it repeats, but a paragraph printed on
nearly every page of a site (an author's bio box, a blog's "about" blurb) is the
site's, not any article's. Nor is a line learned that stands in a page's title (its
first line) as well: an article's headline, listed under
"Recent posts" on the site's other pages, is the article's own on its page. Lines the
rules already remove on every page they stand on are left out: a pack holds only what
it adds.

Each site gets one rule file, a ``line`` rule scoped to the site with its learned
lines as phrases, each with the count of pages it stands on; a person can read, edit
and commit it, and ``cleaner clean --rules DIR`` applies it. A repeated line that
stands, on nearly every page it stands on, below most of the page's prose (a "Leave a
Reply" heading, a "More from the blog" list head) also becomes a marker of a ``tail``
rule: what follows it on a page is the site's tail, comment threads and teasers
whose prose the per-page model may keep; the ``tail`` kind's own test (more prose above
the marker than below it) keeps an article that runs on past it. A site named by
a field rather than a host (``--site-field``) has no URL to be known by: its pack also
names, under ``detect:``, up to three of its lines that stand on nearly every page of
the site and on no other site's, and a page that holds one is cleaned with the pack.
Markdown pages are read as ``clean`` reads them: a line counts by its visible text
(links as their text), which is what the rules match on a Markdown page.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaner.engine import Engine
from cleaner.errors import InputError
from cleaner.inputs import read_all, walk
from cleaner.markdown import run_read
from cleaner.parallel import ordered_map, worker_engine
from cleaner.rule import site_host
from cleaner.textio import decode, write_atomic
from cleaner.textstats import is_prose

#: one page's distinct lines: all of them, those the cleaner kept, those it kept as
#: prose, those that stand in the page's title (its first line) besides, and those that
#: stand below ``LATE`` of the prose the cleaner kept
PageLines = tuple[list[str], list[str], list[str], list[str], list[str]]
#: a page to learn from: its site, its text, its URL, whether it is Markdown
Doc = tuple[str, str, str | None, bool]
#: pages a worker counts at a time
BATCH = 32
#: a site forgets its lines seen on one page only every this many pages
PRUNE_EVERY = 1000
#: a line stands late on a page below this share of the prose words the cleaner kept ...
LATE = 2 / 3
#: ... and a repeated line is a tail marker when it stands late on this share of its pages
TAIL_SHARE = 0.9
#: a line kept as prose is learned only when it stands on this share of its site's pages
#: (on the 36 sites of sites-dev, 12 of the 13 such lines were bios, blurbs and comment
#: policies; the 13th, a comment form's note, is text the nfl.com golds keep by mistake)
PROSE_SHARE = 0.9
#: a pack's ``detect:`` phrases, for pages without a URL: learned lines on this share of
#: the site's pages, of this many characters or more, seen on no other site's pages
SIGNATURE_SHARE = 0.9
SIGNATURE_CHARS = 20
_HOST = re.compile(r"^[a-z0-9-]+(?:\.[a-z0-9-]+)+$")


def page_lines(engine: Engine, text: str, url: str | None, markdown: bool = False) -> PageLines:
    """Clean one page and sort its distinct non-blank lines into ``PageLines`` (a
    Markdown page's lines by their visible text)."""
    seen: set[str] = set()
    kept: set[str] = set()
    prose: set[str] = set()
    late: set[str] = set()
    title = ""
    if markdown:
        outcome, view = run_read(engine, text, url)
        decisions, shown = outcome.decisions, view.visible
    else:
        decisions = engine.run(text, url).decisions
        shown = [d.text for d in decisions]
    order: list[tuple[str, int]] = []  # each non-blank line, and its kept prose words
    for decision, visible in zip(decisions, shown, strict=True):
        line = visible.strip()
        if not line:
            continue
        if not seen:
            title = line
        seen.add(line)
        words = 0
        if decision.kept:
            kept.add(line)
            if is_prose(line):
                prose.add(line)
                words = len(line.split())
        order.append((line, words))
    total = sum(words for _, words in order)
    above = 0
    for line, words in order:
        if total and above >= LATE * total and line not in prose:
            late.add(line)
        above += words
    # a headline of 3 words or more inside the title ("Headline - Site name")
    titled = {line for line in seen if line != title and line in title and len(line.split()) >= 3}
    return sorted(seen), sorted(kept), sorted(prose), sorted(titled), sorted(late - titled)


def _batch(docs: list[Doc]) -> list[tuple[str, PageLines]]:
    """In a worker: the lines of a batch of pages, with their sites."""
    engine = worker_engine()
    return [(site, page_lines(engine, text, url, md)) for site, text, url, md in docs]


def _key(line: str) -> bytes:
    """A line's 8-byte digest: counts are kept by digest, so a line seen once costs a
    few dozen bytes, not its text."""
    return hashlib.blake2b(line.encode("utf-8", "surrogatepass"), digest_size=8).digest()


@dataclass
class SiteCounts:
    """What one site's pages repeat: per line (by digest), the pages it stands on, the
    pages on which the cleaner kept it, on which it kept it as prose, on which it stood
    in the title, and on which it stood late (below ``LATE`` of the kept prose). A
    line's text is kept from its second page on; every ``PRUNE_EVERY`` pages the lines
    seen on one page only are forgotten, so memory follows the lines the site repeats,
    not the corpus (a line forgotten and met again counts from there)."""

    pages: int = 0
    seen: Counter[bytes] = field(default_factory=Counter)
    kept: Counter[bytes] = field(default_factory=Counter)
    prose: Counter[bytes] = field(default_factory=Counter)
    titled: Counter[bytes] = field(default_factory=Counter)
    late: Counter[bytes] = field(default_factory=Counter)
    texts: dict[bytes, str] = field(default_factory=dict)

    def add(self, page: PageLines) -> None:
        """Count one page's lines (see ``page_lines``)."""
        seen, kept, prose, titled, late = page
        self.pages += 1
        for line in seen:
            key = _key(line)
            self.seen[key] += 1
            if self.seen[key] == 2:
                self.texts[key] = line
        self.kept.update(map(_key, kept))
        self.prose.update(map(_key, prose))
        self.titled.update(map(_key, titled))
        self.late.update(map(_key, late))
        if self.pages % PRUNE_EVERY == 0:
            self._prune()

    def _prune(self) -> None:
        once = [key for key, count in self.seen.items() if count == 1]
        for key in once:
            del self.seen[key]
            self.kept.pop(key, None)
            self.prose.pop(key, None)
            self.titled.pop(key, None)
            self.late.pop(key, None)

    def learned(self, share: float, min_pages: int) -> list[tuple[str, int]]:
        """The learned lines with their page counts, most frequent first."""
        need = max(min_pages, share * self.pages, 2)
        everywhere = max(need, PROSE_SHARE * self.pages)
        found = [
            (self.texts[key], count)
            for key, count in self.seen.items()
            if count >= need
            and self.kept[key]
            and (2 * self.prose[key] <= count or count >= everywhere)
            and not self.titled[key]
        ]
        return sorted(found, key=lambda item: (-item[1], item[0]))

    def tails(self, share: float, min_pages: int) -> list[tuple[str, int]]:
        """The learned lines that stand late on ``TAIL_SHARE`` of their pages: markers
        of the site's tail, with their page counts."""
        return [
            (line, count)
            for line, count in self.learned(share, min_pages)
            if self.late[_key(line)] >= TAIL_SHARE * count
        ]


def documents(
    paths: list[Path],
    field_name: str,
    site_field: str | None,
    url: str | None,
    markdown: bool = False,
) -> Iterator[Doc]:
    """Every page (``Doc``): JSONL rows (their ``url``, or ``site_field``, name the site;
    ``markdown``: their field is Markdown) and text and Markdown files (``url`` names
    their site; without it they have none)."""
    for path in walk(paths):
        name = path.name.lower()
        data = read_all(path)
        if name.endswith((".jsonl", ".jsonl.gz")):
            yield from _rows(path, data, field_name, site_field, markdown)
        elif name.endswith((".txt", ".md", ".markdown")):
            text, _ = decode(data)
            md = markdown or not name.endswith(".txt")
            yield (site_host(url), text, url, md)


def _rows(
    path: Path, data: bytes, field_name: str, site_field: str | None, markdown: bool
) -> Iterator[Doc]:
    for number, raw in enumerate(data.split(b"\n"), 1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}:{number}: not a JSON object ({exc})") from None
        if not isinstance(row, dict) or not isinstance(row.get(field_name), str):
            raise InputError(f"{path}:{number}: no string field '{field_name}'")
        url = row.get("url") if isinstance(row.get("url"), str) else None
        site = str(row.get(site_field) or "") if site_field else site_host(url)
        yield site, row[field_name], url, markdown


def count(engine: Engine, docs: Iterable[Doc], jobs: int = 1) -> dict[str, SiteCounts]:
    """Per site, what its pages repeat (pages without a site are not counted). ``jobs``
    worker processes clean the pages; the counts are the same for any number."""
    batches = batched((d for d in docs if d[0]), BATCH)
    return merge(ordered_map(_batch, batches, engine, jobs))


def batched(docs: Iterable[Doc], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for doc in docs:
        batch.append(doc)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def slug(site: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", site.lower()).strip("-") or "site"


def pack(
    site: str,
    counts: SiteCounts,
    lines: list[tuple[str, int]],
    share: float,
    tails: Sequence[tuple[str, int]] = (),
    signature: Sequence[str] = (),
) -> str:
    """The YAML rule file of one site's learned lines and tail markers (each quoted as
    JSON, which YAML reads as it is, with its page count beside it), scoped to the site,
    and to pages holding one of its ``signature`` lines (a row without a URL)."""
    out = [
        f"# Written by `cleaner learn` from {counts.pages} pages of {site}; edit it freely.\n",
        f"description: {json.dumps(f'Learned from the pages of {site}.')}\n",
        f"sites: [{json.dumps(site)}]\n",
    ]
    if signature:
        phrases = ", ".join(json.dumps(line, ensure_ascii=False) for line in signature)
        out.append(f"detect: [{phrases}]  # lines of this site's pages only\n")
    out.append("rules:\n")
    if tails:  # before the lines: the markers are learned lines too
        description = (
            f"Takes what follows a line {site} prints below most of the prose of nearly "
            f"every page it stands on ({len(tails)} such lines): its comment threads and "
            "teasers. Keeps an article that runs on past the marker: the cut is made only "
            "with more prose above the marker than below it."
        )
        example = f"{tails[0][0]}\n{_EXAMPLE_TAIL}"
        out += _rule(f"learned-{slug(site)}-tail", "tail", description, tails, counts.pages)
        out.append(f"        - {json.dumps(example, ensure_ascii=False)}\n")
    lowest = min(c for _, c in lines)
    description = (
        f"Takes {len(lines)} lines {site} repeats on {lowest} or more of its {counts.pages} "
        f"pages (at least {share:.0%}). Keeps a line the cleaner keeps as prose on most of "
        f"its pages unless it stands on {PROSE_SHARE:.0%} of the site's pages or more, and a "
        "headline that is a page's title."
    )
    out += _rule(f"learned-{slug(site)}-lines", "line", description, lines, counts.pages)
    out += [f"        - {json.dumps(line, ensure_ascii=False)}\n" for line, _ in lines[:3]]
    return "".join(out)


#: what the tail rule's example puts below its marker (the self-test sets it below an article)
_EXAMPLE_TAIL = "What follows the marker goes with it."


def _rule(
    rule_id: str, kind: str, description: str, lines: list[tuple[str, int]], pages: int
) -> list[str]:
    """A learned rule's YAML up to its ``chrome:`` examples (the caller adds them)."""
    phrases = [
        f"        - {json.dumps(line, ensure_ascii=False)}  # on {c} of {pages} pages\n"
        for line, c in lines
    ]
    return [
        f"  - id: {rule_id}\n",
        f"    kind: {kind}\n",
        f"    description: {json.dumps(description, ensure_ascii=False)}\n",
        "    match:\n",
        "      phrases:\n",
        *phrases,
        "    examples:\n",
        "      chrome:\n",
    ]


def write_packs(
    sites: dict[str, SiteCounts], out_dir: Path, share: float = 0.5, min_pages: int = 3
) -> list[Path]:
    """One rule file per site that learned a line, in site order; the files."""
    written = []
    out_dir.mkdir(parents=True, exist_ok=True)
    spread = Counter(key for counts in sites.values() for key in counts.seen)
    for site in sorted(sites):
        counts = sites[site]
        lines = counts.learned(share, min_pages)
        if not lines:
            continue
        tails = counts.tails(share, min_pages)
        signature = []
        if not _HOST.match(site):  # a site named by a field, not a host: no URL to go by
            signature = [
                line
                for line, c in lines
                if c >= SIGNATURE_SHARE * counts.pages
                and len(line) >= SIGNATURE_CHARS
                and spread[_key(line)] == 1
            ][:3]
        path = out_dir / f"{slug(site)}.yaml"
        write_atomic(path, pack(site, counts, lines, share, tails, signature))
        written.append(path)
    return written


def learn(
    engine: Engine,
    docs: Iterable[Doc],
    out_dir: Path,
    share: float = 0.5,
    min_pages: int = 3,
    jobs: int = 1,
) -> list[Path]:
    """Count ``docs``, write one rule file per site that learned a line; the files."""
    return write_packs(count(engine, docs, jobs), out_dir, share, min_pages)


def merge(batches: Iterable[list[tuple[str, PageLines]]]) -> dict[str, SiteCounts]:
    """Site counts from batches of counted pages, taken in order."""
    sites: dict[str, SiteCounts] = {}
    for batch in batches:
        for site, lines in batch:
            sites.setdefault(site, SiteCounts()).add(lines)
    return sites
