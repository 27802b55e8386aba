"""Render the dev pages' HTML to Markdown with a second renderer, markdownify.

    pip install markdownify==1.2.3 lxml
    python benchmarks/render_markdown.py /tmp/md2
    python benchmarks/quality.py --folds 5 --markdown /tmp/md2/news.jsonl.gz /tmp/md2/web.jsonl.gz

The shared Markdown files are html2text's, and the line model's Markdown weights are
fitted on them; the held-out pages are rendered by another renderer. This writes the
same dev pages as markdownify renders them (ATX headings; scripts and styles dropped
first), rows of ``id``, ``url`` and ``text``, to check that nothing fits one renderer's
habits. Nothing is fitted on these files.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from quality import DEFAULT_DATA  # noqa: E402


def render(html: str) -> str:
    """``html`` as markdownify writes it, without the text of scripts and styles."""
    import lxml.html
    from lxml.etree import ParserError
    from markdownify import markdownify

    if not html:
        return ""
    try:
        doc = lxml.html.fromstring(html)
    except (ParserError, ValueError):
        return str(markdownify(html, heading_style="ATX"))
    for node in doc.xpath("//script|//style"):
        node.drop_tree()
    return str(markdownify(lxml.html.tostring(doc, encoding="unicode"), heading_style="ATX"))


def _rows(path: Path) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def _rendered(row: dict[str, Any], url: str | None) -> dict[str, Any]:
    return {"id": row["id"], "url": url, "text": render(row.get("html") or "")}


def _write(path: Path, rows: Iterator[dict[str, Any]]) -> None:
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", type=Path, help="folder for news.jsonl.gz and web.jsonl.gz")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"benchdata not found at {args.data}", file=sys.stderr)
        return 2
    args.output.mkdir(parents=True, exist_ok=True)
    news = _rows(args.data / "news-dev.jsonl.gz")
    _write(args.output / "news.jsonl.gz", (_rendered(r, r.get("url")) for r in news))
    urls = {r["id"]: r.get("url") for r in _rows(args.data / "web-dev.jsonl.gz")}
    web = _rows(args.data / "web-dev-html.jsonl.gz")
    _write(args.output / "web.jsonl.gz", (_rendered(r, urls.get(r["id"])) for r in web))
    return 0


if __name__ == "__main__":
    sys.exit(main())
