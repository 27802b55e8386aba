"""The ``cleaner`` command: ``clean`` files, directories or stdin; ``rules list``/``rules test``.

Exit codes follow black and ruff: 0 done, 1 ``--check`` found files to change, 2 bad
usage or bad input. Errors are one line on stderr; ``--verbose`` adds the traceback.
"""

from __future__ import annotations

import difflib
import shutil
import sys
import tempfile
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import typer

from cleaner.engine import Engine
from cleaner.errors import CleanerError, InputError
from cleaner.inputs import is_gzip, open_binary, peek, read_all, rows, walk
from cleaner.loader import default_rules_dir, load_rules
from cleaner.matching import DEFAULT_TIMEOUT
from cleaner.process import FORMATS, Options, Unit, format_for, process_jsonl, process_text
from cleaner.textio import AtomicFile, is_binary

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    help="Strip site chrome from scraped text and keep every article sentence.",
)
rules_app = typer.Typer(help="List the rules, or test them against their own examples.")
app.add_typer(rules_app, name="rules")

STDIN = "-"


def warn(message: str) -> None:
    print(f"cleaner: {message}", file=sys.stderr)


@dataclass
class Report:
    """What one run found, for the summary and the exit code."""

    would_change: list[str] = field(default_factory=list)
    written: int = 0


def build_engine(rules: list[Path], no_default_rules: bool, timeout: float) -> Engine:
    paths = ([] if no_default_rules else [default_rules_dir()]) + rules
    return Engine(load_rules(paths, timeout=timeout))


def units_for(engine: Engine, source: BinaryIO | bytes, opts: Options, name: str) -> Iterator[Unit]:
    if opts.fmt == "jsonl":
        assert not isinstance(source, bytes)
        yield from process_jsonl(engine, rows(source), opts, name)
    else:
        data = source if isinstance(source, bytes) else source.read()
        yield process_text(engine, data, opts)


def report_unit(unit: Unit, name: str, explain: bool, allow_empty: bool) -> None:
    if unit.undecodable:
        warn(f"{name}:{unit.line}: invalid UTF-8; undecodable bytes are kept as they are")
    for t in unit.timeouts:
        warn(
            f"{name}:{t.line}: rule '{t.rule_id}' timed out; line kept, rule skipped "
            "for the rest of the document"
        )
    if unit.emptied:
        warn(
            f"{name}:{unit.line}: every line would be removed; left as it is "
            "(--allow-empty to allow)"
        )
    if unit.nothing_extracted:
        warn(f"{name}: no article text found in the HTML")
    if explain and not unit.emptied:
        for r in unit.removed:
            print(f"{name}:{r.line}: {r.rule_id}: {r.text}")


def unified_diff(name: str, before: list[bytes], after: list[bytes]) -> str:
    old = b"".join(before).decode("utf-8", "replace").splitlines(keepends=True)
    new = b"".join(after).decode("utf-8", "replace").splitlines(keepends=True)
    lines = difflib.unified_diff(old, new, f"{name}\t(original)", f"{name}\t(cleaned)")
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )


@dataclass
class Run:
    engine: Engine
    opts: Options
    check: bool
    diff: bool
    explain: bool
    in_place: bool
    output_dir: Path | None
    report: Report = field(default_factory=Report)

    def clean_stream(self, source: BinaryIO | bytes, name: str, sink: BinaryIO | None) -> bool:
        """Clean one input; write cleaned bytes to ``sink``. Returns whether anything changed."""
        changed = False
        before: list[bytes] = []
        after: list[bytes] = []
        for unit in units_for(self.engine, source, self.opts, name):
            report_unit(unit, name, self.explain, self.opts.allow_empty)
            changed |= unit.changed
            if self.diff:
                before.append(unit.original)
                after.append(unit.cleaned)
            if sink is not None:
                sink.write(unit.cleaned)
        if self.diff and changed:
            sys.stdout.write(unified_diff(name, before, after))
        if changed:
            self.report.would_change.append(name)
        return changed

    def writes_stdout(self) -> bool:
        return not (self.check or self.diff or self.explain or self.in_place or self.output_dir)

    def clean_stdin(self) -> None:
        stdin = sys.stdin.buffer
        source: BinaryIO | bytes = stdin if self.opts.fmt == "jsonl" else stdin.read()
        if isinstance(source, bytes) and is_binary(source):
            raise InputError("-: binary input; nothing to clean")
        self._to_stdout(source, STDIN)

    def _to_stdout(self, source: BinaryIO | bytes, name: str) -> None:
        if not self.writes_stdout():
            self.clean_stream(source, name, None)
            return
        # spool first: a malformed row half-way must not leave half an output behind
        with tempfile.SpooledTemporaryFile(max_size=64 << 20) as spool:
            self.clean_stream(source, name, spool)
            spool.seek(0)
            shutil.copyfileobj(spool, sys.stdout.buffer)
        sys.stdout.flush()

    def clean_file(self, path: Path, base: Path | None) -> None:
        name = str(path)
        if is_binary(peek(path)):
            warn(f"{name}: binary file; skipped")
            return
        opts = self.opts
        if opts.fmt == "html" and self.in_place:
            raise InputError(f"{name}: --in-place cannot turn HTML into text; use --output-dir")
        if self.in_place or self.output_dir:
            target = self._target(path, base)
            out = AtomicFile(target, compress=is_gzip(target), like=path)
            with out as sink, self._source(path) as src:
                changed = self.clean_stream(src, name, sink)
                if self.in_place and not changed:
                    return
                sink.commit()
            self.report.written += 1
            if self.in_place:
                print(f"cleaned {name}", file=sys.stderr)
            return
        with self._source(path) as src:
            self._to_stdout(src, name)

    def _source(self, path: Path) -> _Source:
        return _Source(path, self.opts.fmt == "jsonl")

    def _target(self, path: Path, base: Path | None) -> Path:
        if self.in_place or self.output_dir is None:
            return path
        relative = path.relative_to(base) if base is not None else Path(path.name)
        if self.opts.fmt == "html":
            relative = relative.with_suffix(".txt")
        return self.output_dir / relative


class _Source:
    """A file opened as a row stream (JSONL) or read whole (text, HTML)."""

    def __init__(self, path: Path, stream: bool) -> None:
        self.path = path
        self.stream = stream
        self.handle: BinaryIO | None = None

    def __enter__(self) -> BinaryIO | bytes:
        if self.stream:
            self.handle = open_binary(self.path)
            return self.handle
        return read_all(self.path)

    def __exit__(self, *exc: object) -> None:
        if self.handle is not None:
            self.handle.close()


def inputs_with_bases(paths: list[str]) -> Iterable[tuple[Path, Path | None]]:
    for raw in paths:
        path = Path(raw)
        base = path if path.is_dir() else None
        for found in walk([path]):
            yield found, base


@app.command()
def clean(
    paths: list[str] = typer.Argument(None, help="Files or directories; none or '-' reads stdin."),
    in_place: bool = typer.Option(False, "--in-place", "-i", help="Rewrite each file atomically."),
    output_dir: Path = typer.Option(None, "--output-dir", "-o", help="Write cleaned files here."),
    fmt: str = typer.Option(
        None,
        "--format",
        "-f",
        help="text, jsonl or html (default: from the extension; stdin: text).",
    ),
    field_name: str = typer.Option("text", "--field", help="JSONL field to clean."),
    html: bool = typer.Option(False, "--html", help="The input (or the JSONL field) is HTML."),
    url: str = typer.Option(None, "--url", help="The page's URL, for site packs."),
    check: bool = typer.Option(
        False, "--check", help="Write nothing; exit 1 if any file would change."
    ),
    diff: bool = typer.Option(
        False, "--diff", help="Print a unified diff instead of the cleaned text."
    ),
    explain: bool = typer.Option(
        False, "--explain", help="Print PATH:LINE: RULE-ID: TEXT for each removed line."
    ),
    rules: list[Path] = typer.Option(
        None, "--rules", help="Extra rule file or directory (repeatable)."
    ),
    no_default_rules: bool = typer.Option(
        False, "--no-default-rules", help="Do not load the default rules."
    ),
    allow_empty: bool = typer.Option(
        False, "--allow-empty", help="Allow a document to be emptied."
    ),
    exit_non_zero_on_fix: bool = typer.Option(
        False, "--exit-non-zero-on-fix", help="With --in-place: exit 1 when a file was changed."
    ),
    regex_timeout: float = typer.Option(
        DEFAULT_TIMEOUT, "--regex-timeout", help="Seconds a pattern may run on one line."
    ),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show tracebacks for errors."),
) -> None:
    """Clean files, directories, or stdin (to stdout)."""
    paths = paths or [STDIN]
    if fmt is not None and fmt not in FORMATS:
        raise InputError(f"--format must be one of {', '.join(FORMATS)}")
    if in_place and output_dir is not None:
        raise InputError("--in-place and --output-dir exclude each other")
    engine = build_engine(list(rules or []), no_default_rules, regex_timeout)
    base_opts = dict(field=field_name, html=html, url=url, allow_empty=allow_empty)
    run = Run(
        engine,
        Options(fmt=fmt or "text", **base_opts),
        check,
        diff,
        explain,
        in_place and not check,
        None if check else output_dir,
    )
    if paths == [STDIN]:
        if in_place or output_dir:
            raise InputError("stdin cannot be cleaned --in-place or into --output-dir")
        run.clean_stdin()
        raise typer.Exit(1 if check and run.report.would_change else 0)
    found = list(inputs_with_bases(paths))
    if len(found) > 1 and run.writes_stdout():
        raise InputError(
            "several files: use --in-place, --output-dir, --check, --diff or --explain"
        )
    for path, base in found:
        run.opts = Options(fmt=fmt or format_for(path.name), **base_opts)
        run.clean_file(path, base)
    if run.in_place and run.report.written:
        count = run.report.written
        print(f"cleaned {count} file{'s' if count != 1 else ''}", file=sys.stderr)
        raise typer.Exit(1 if exit_non_zero_on_fix else 0)
    if check:
        for name in run.report.would_change:
            print(f"would clean {name}", file=sys.stderr)
        count = len(run.report.would_change)
        print(
            f"{count} file{'s' if count != 1 else ''} would be cleaned, "
            f"{len(found) - count} left unchanged",
            file=sys.stderr,
        )
        raise typer.Exit(1 if count else 0)


@rules_app.command("list")
def rules_list(
    rules: list[Path] = typer.Option(None, "--rules", help="Extra rule file or directory."),
    no_default_rules: bool = typer.Option(False, "--no-default-rules"),
) -> None:
    """Show every rule: id, kind, scope and description."""
    engine = build_engine(list(rules or []), no_default_rules, DEFAULT_TIMEOUT)
    for rule in engine.rules:
        scope = "" if rule.scope.generic else f" [{', '.join(rule.scope.sites) or 'detected'}]"
        print(f"{rule.id}  ({rule.kind}){scope}  {rule.description}")


@rules_app.command("test")
def rules_test(
    rules: list[Path] = typer.Option(None, "--rules", help="Extra rule file or directory."),
    no_default_rules: bool = typer.Option(False, "--no-default-rules"),
) -> None:
    """Run every rule's own examples: chrome must be removed by it, keep must survive all rules."""
    from cleaner.selftest import check_examples

    engine = build_engine(list(rules or []), no_default_rules, DEFAULT_TIMEOUT)
    failures, checked = check_examples(engine)
    for failure in failures:
        print(failure)
    print(f"{checked - len(failures)} passed, {len(failures)} failed")
    raise typer.Exit(1 if failures else 0)


def main(argv: list[str] | None = None) -> int:
    """Console entry point: maps errors to one-line messages and exit codes."""
    args = sys.argv[1:] if argv is None else argv
    verbose = "--verbose" in args or "-v" in args
    try:
        code = app(args=args, prog_name="cleaner", standalone_mode=False)
        return code if isinstance(code, int) else 0
    except typer.Exit as exc:
        return exc.exit_code
    except CleanerError as exc:
        if verbose:
            traceback.print_exc()
        warn(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except Exception as exc:  # click usage errors and the unexpected
        return _other_error(exc, verbose)


def _other_error(exc: Exception, verbose: bool) -> int:
    import click

    if isinstance(exc, click.exceptions.Abort):
        return 130
    if isinstance(exc, click.ClickException):
        exc.show()
        return exc.exit_code
    if isinstance(exc, OSError) and exc.filename:
        warn(f"{exc.filename}: {exc.strerror}")
        return 2
    if verbose:
        traceback.print_exc()
    warn(f"error: {type(exc).__name__}: {exc}")
    return 2


def _silence_stdout() -> None:
    """After a closed pipe, point stdout at devnull so the interpreter's flush stays quiet."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass


if __name__ == "__main__":
    sys.exit(main())
