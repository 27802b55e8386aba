"""The ``cleaner`` command: ``clean`` files, directories or stdin; ``rules list``/``rules test``.

Exit codes follow black and ruff: 0 done, 1 ``--check`` found files to change, 2 bad
usage or bad input. Errors are one line on stderr; ``--verbose`` adds the traceback.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

import click

from cleaner.engine import Engine
from cleaner.errors import CleanerError, InputError
from cleaner.loader import default_rules_dir, load_rules
from cleaner.matching import DEFAULT_TIMEOUT
from cleaner.parallel import default_jobs
from cleaner.process import FORMATS, Options, format_for
from cleaner.run import STDIN, Mode, Run, inputs_with_bases, warn

# click, not a framework over it: the command starts in a fraction of the time
F = TypeVar("F", bound=Callable[..., object])


@click.group(
    no_args_is_help=True,
    help="Strip site chrome from scraped text and keep every article sentence.",
)
def app() -> None:
    pass


@app.group("rules", help="List the rules, or test them against their own examples.")
def rules_app() -> None:
    pass


def build_engine(rules: list[Path], no_default_rules: bool, timeout: float) -> Engine:
    paths = ([] if no_default_rules else [default_rules_dir()]) + rules
    return Engine(load_rules(paths, timeout=timeout))


_PATH = click.Path(path_type=Path)


def _flag(*decls: str, help: str) -> Callable[[F], F]:  # noqa: A002 - click's own name
    return click.option(*decls, is_flag=True, default=False, help=help)


@app.command()
@click.argument("paths", nargs=-1)
@_flag("--in-place", "-i", help="Rewrite each file atomically.")
@click.option("--output-dir", "-o", type=_PATH, default=None, help="Write cleaned files here.")
@click.option(
    "--format",
    "-f",
    "fmt",
    default=None,
    help="text, jsonl or html (default: from the extension; stdin: text).",
)
@click.option("--field", "field_name", default="text", help="JSONL field to clean.")
@_flag("--html", help="The input (or the JSONL field) is HTML.")
@click.option("--url", default=None, help="The page's URL, for site packs.")
@_flag("--check", help="Write nothing; exit 1 if any file would change.")
@_flag("--diff", help="Print a unified diff instead of the cleaned text.")
@_flag("--explain", help="Print PATH:LINE: RULE-ID: TEXT for each removed line.")
@click.option(
    "--rules", multiple=True, type=_PATH, help="Extra rule file or directory (repeatable)."
)
@_flag("--no-default-rules", help="Do not load the default rules.")
@_flag("--allow-empty", help="Allow a document to be emptied.")
@_flag("--exit-non-zero-on-fix", help="With --in-place: exit 1 when a file was changed.")
@click.option(
    "--regex-timeout",
    type=float,
    default=DEFAULT_TIMEOUT,
    help="Seconds a pattern may run on one line.",
)
@click.option("--jobs", "-j", type=int, default=0, help="Worker processes (default: all cores).")
@_flag("--stats", help="Print documents, bytes in and out, and lines removed per rule.")
@_flag("--quiet", "-q", help="No progress line, no summary.")
@click.option(
    "--scheduler",
    default=None,
    help="Run on the Dask cluster at this address ('local' starts one).",
)
@_flag("--verbose", "-v", help="Show tracebacks for errors.")
def clean(
    paths: tuple[str, ...],
    in_place: bool,
    output_dir: Path | None,
    fmt: str | None,
    field_name: str,
    html: bool,
    url: str | None,
    check: bool,
    diff: bool,
    explain: bool,
    rules: tuple[Path, ...],
    no_default_rules: bool,
    allow_empty: bool,
    exit_non_zero_on_fix: bool,
    regex_timeout: float,
    jobs: int,
    stats: bool,
    quiet: bool,
    scheduler: str | None,
    verbose: bool,
) -> None:
    """Clean files, directories, or stdin (to stdout)."""
    paths = list(paths) or [STDIN]  # type: ignore[assignment]
    if fmt is not None and fmt not in FORMATS:
        raise InputError(f"--format must be one of {', '.join(FORMATS)}")
    if in_place and output_dir is not None:
        raise InputError("--in-place and --output-dir exclude each other")
    if jobs < 0:
        raise InputError("--jobs must be 0 (all cores) or more")
    if not 0 < regex_timeout < float("inf"):
        raise InputError("--regex-timeout must be a positive number of seconds")
    options = Options(
        fmt=fmt or "text", field=field_name, html=html, url=url, allow_empty=allow_empty
    )
    if scheduler is not None:
        _on_cluster(
            paths,
            output_dir,
            scheduler,
            rules,
            no_default_rules,
            fmt,
            options,
            check or diff or explain or in_place,
        )
        return
    engine = build_engine(list(rules or []), no_default_rules, regex_timeout)
    mode = Mode(
        check=check,
        diff=diff,
        explain=explain,
        in_place=in_place and not check,
        output_dir=None if check else output_dir,
        quiet=quiet,
    )
    run = Run(engine, mode, jobs=jobs or default_jobs())
    if paths == [STDIN]:
        if in_place or output_dir:
            raise InputError("stdin cannot be cleaned --in-place or into --output-dir")
        run.clean_stdin(options)
        run.finish(stats)
        raise click.exceptions.Exit(1 if check and run.would_change else 0)
    found = list(inputs_with_bases(paths))
    if len(found) > 1 and mode.to_stdout:
        raise InputError(
            "several files: use --in-place, --output-dir, --check, --diff or --explain"
        )
    files = [
        (path, base, replace(options, fmt=fmt or format_for(path.name))) for path, base in found
    ]
    if mode.output_dir is not None:
        files = _distinct_targets(run, files, mode.output_dir)
    run.clean_files(files)
    run.finish(stats)
    if mode.in_place and run.written:
        if not quiet:
            print(f"cleaned {run.written} file{'s' if run.written != 1 else ''}", file=sys.stderr)
        raise click.exceptions.Exit(1 if exit_non_zero_on_fix else 0)
    if check:
        for name in run.would_change:
            print(f"would clean {name}", file=sys.stderr)
        count = len(run.would_change)
        print(
            f"{count} file{'s' if count != 1 else ''} would be cleaned, "
            f"{len(found) - count} left unchanged",
            file=sys.stderr,
        )
        raise click.exceptions.Exit(1 if count else 0)


def _distinct_targets(
    run: Run, files: list[tuple[Path, Path | None, Options]], output_dir: Path
) -> list[tuple[Path, Path | None, Options]]:
    """Files whose --output-dir targets are all different and none of them the input.

    Files already under the output directory (a previous run's output inside the input
    tree) are not inputs.
    """
    out = output_dir.resolve()
    seen: dict[Path, Path] = {}
    kept = []
    for path, base, opts in files:
        source = path.resolve()
        walked = base is not None and base.resolve() in out.parents
        if walked and out in source.parents:
            continue
        target = run.target(path, base, opts).resolve()
        if target == source:
            raise InputError(f"{path}: --output-dir would overwrite the input; use --in-place")
        if target in seen:
            raise InputError(f"{seen[target]} and {path} would both be written to {target}")
        seen[target] = path
        kept.append((path, base, opts))
    return kept


def _on_cluster(
    paths: list[str],
    output_dir: Path | None,
    scheduler: str,
    rules: list[Path] | None,
    no_default_rules: bool,
    fmt: str | None,
    options: Options,
    local_only: bool,
) -> None:
    """``--scheduler``: clean into ``--output-dir`` on a Dask cluster."""
    if output_dir is None or paths == [STDIN]:
        raise InputError("--scheduler cleans files and directories into --output-dir")
    if local_only:
        raise InputError(
            "--scheduler writes into --output-dir; it does not --check, "
            "--diff, --explain or clean --in-place"
        )
    try:
        from cleaner.cluster import clean_files_on_cluster
    except ImportError:
        raise InputError("--scheduler needs the dask extra: pip install 'cleaner[dask]'") from None
    written = clean_files_on_cluster(
        paths,
        output_dir,
        scheduler=scheduler,
        rules=rules or [],
        default_rules=not no_default_rules,
        fmt=fmt,
        options=options,
    )
    print(
        f"wrote {len(written)} file{'s' if len(written) != 1 else ''} to {output_dir}",
        file=sys.stderr,
    )


@rules_app.command("list")
@click.option("--rules", multiple=True, type=_PATH, help="Extra rule file or directory.")
@click.option("--no-default-rules", is_flag=True, default=False)
def rules_list(rules: tuple[Path, ...], no_default_rules: bool) -> None:
    """Show every rule: id, kind, scope and description, in the order they run."""
    engine = build_engine(list(rules or []), no_default_rules, DEFAULT_TIMEOUT)
    width = max((len(r.id) for r in engine.rules), default=0)
    for rule in engine.rules:
        scope = "" if rule.scope.generic else f"[{', '.join(rule.scope.sites) or 'detected'}] "
        print(f"{rule.id:<{width}}  {rule.kind:<9}  {scope}{rule.description}")


@rules_app.command("test")
@click.option("--rules", multiple=True, type=_PATH, help="Extra rule file or directory.")
@click.option("--no-default-rules", is_flag=True, default=False)
def rules_test(rules: tuple[Path, ...], no_default_rules: bool) -> None:
    """Run every rule's own examples: chrome must be removed by it, keep must survive all rules."""
    from cleaner.selftest import check_examples

    engine = build_engine(list(rules or []), no_default_rules, DEFAULT_TIMEOUT)
    failures, checked = check_examples(engine)
    for failure in failures:
        print(failure)
    print(f"{checked - len(failures)} passed, {len(failures)} failed")
    raise click.exceptions.Exit(1 if failures else 0)


def main(argv: list[str] | None = None) -> int:
    """Console entry point: maps errors to one-line messages and exit codes."""
    args = sys.argv[1:] if argv is None else argv
    verbose = "--verbose" in args or "-v" in args
    try:
        code = app.main(args=args, prog_name="cleaner", standalone_mode=False)
        return code if isinstance(code, int) else 0
    except click.exceptions.Exit as exc:
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
    if isinstance(exc, click.Abort):
        return 130
    show, code = getattr(exc, "show", None), getattr(exc, "exit_code", None)
    if callable(show) and isinstance(code, int):
        show()
        return code
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
