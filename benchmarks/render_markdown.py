"""Render the dev pages' HTML to Markdown with other renderers than the shared files' one.

    pip install markdownify==1.2.3 lxml html-to-markdown==3.21.2
    python benchmarks/render_markdown.py /tmp/md2                              # markdownify
    python benchmarks/render_markdown.py /tmp/md3 --renderer html-to-markdown
    python benchmarks/quality.py --folds 5 --markdown /tmp/md2/news.jsonl.gz /tmp/md2/web.jsonl.gz

The shared Markdown files are html2text's, and the line model's Markdown weights are
fitted on them; the held-out pages are rendered by another renderer. This writes the
same dev pages as another renderer writes them, rows of ``id``, ``url`` and ``text``,
to check that nothing fits one renderer's habits: markdownify (ATX headings; scripts
and styles dropped first) or html-to-markdown (its defaults, but with its own
navigation and form removal turned off, so that the page is whole, and no front matter
of the page's meta tags). Nothing is fitted on these files.
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


def render_whole(html: str) -> str:
    """``html`` as html-to-markdown writes it, navigation and forms left in, meta tags out."""
    import html_to_markdown

    if not html:
        return ""
    options = html_to_markdown.ConversionOptions(
        preprocessing=html_to_markdown.PreprocessingOptions(enabled=False),
        extract_metadata=False,
    )
    return str(html_to_markdown.convert(html, options).content)


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


RENDERERS = {"markdownify": render, "html-to-markdown": render_whole}


def _rendered(row: dict[str, Any], url: str | None, renderer: str) -> dict[str, Any]:
    return {"id": row["id"], "url": url, "text": RENDERERS[renderer](row.get("html") or "")}


def _write(path: Path, rows: Iterator[dict[str, Any]]) -> None:
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", type=Path, help="folder for news.jsonl.gz and web.jsonl.gz")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--renderer", choices=sorted(RENDERERS), default="markdownify")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"benchdata not found at {args.data}", file=sys.stderr)
        return 2
    args.output.mkdir(parents=True, exist_ok=True)
    news = _rows(args.data / "news-dev.jsonl.gz")
    _write(args.output / "news.jsonl.gz", (_rendered(r, r.get("url"), args.renderer) for r in news))
    urls = {r["id"]: r.get("url") for r in _rows(args.data / "web-dev.jsonl.gz")}
    web = _rows(args.data / "web-dev-html.jsonl.gz")
    _write(
        args.output / "web.jsonl.gz", (_rendered(r, urls.get(r["id"]), args.renderer) for r in web)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
