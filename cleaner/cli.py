"""The ``cleaner`` command: ``clean`` files, directories or stdin; ``learn`` site packs;
``train`` the line model; ``rules list|test|vocab``.

Exit codes follow black and ruff: 0 done, 1 ``--check`` found files to change, 2 bad
usage or bad input. Errors are one line on stderr; ``--verbose`` adds the traceback.
"""

from __future__ import annotations

import sys
import traceback
from dataclasses import replace
from pathlib import Path

import typer

from cleaner.engine import Engine
from cleaner.errors import CleanerError, InputError
from cleaner.kinds.model import precise
from cleaner.loader import default_rules_dir, load_rules
from cleaner.matching import DEFAULT_TIMEOUT
from cleaner.parallel import default_jobs
from cleaner.process import FORMATS, Options, format_for
from cleaner.rule import Rule
from cleaner.run import STDIN, Mode, Run, inputs_with_bases, report_unit, warn

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    help="Strip site chrome from scraped text and keep every article sentence.",
)
rules_app = typer.Typer(
    help="List the rules and their vocabularies, or test the rules against their own examples."
)
app.add_typer(rules_app, name="rules")


def build_engine(rules: list[Path], no_default_rules: bool, timeout: float) -> Engine:
    paths = ([] if no_default_rules else [default_rules_dir()]) + rules
    return Engine(load_rules(paths, timeout=timeout))


@app.command()
def clean(
    paths: list[str] = typer.Argument(None, help="Files or directories; none or '-' reads stdin."),
    in_place: bool = typer.Option(False, "--in-place", "-i", help="Rewrite each file atomically."),
    output_dir: Path = typer.Option(None, "--output-dir", "-o", help="Write cleaned files here."),
    fmt: str = typer.Option(
        None,
        "--format",
        "-f",
        help="text, jsonl, html or markdown (default: from the extension; stdin: text).",
    ),
    field_name: str = typer.Option("text", "--field", help="JSONL field to clean."),
    html: bool = typer.Option(False, "--html", help="The input (or the JSONL field) is HTML."),
    markdown: bool = typer.Option(
        False, "--markdown", help="The input (or the JSONL field) is Markdown; it stays Markdown."
    ),
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
    jobs: int = typer.Option(0, "--jobs", "-j", help="Worker processes (default: all cores)."),
    stats: bool = typer.Option(
        False, "--stats", help="Print documents, bytes in and out, and lines removed per rule."
    ),
    quiet: bool = typer.Option(
        False, "--quiet", "-q", help="No progress line, no summary, no note of an empty directory."
    ),
    learn_first: bool = typer.Option(
        False, "--learn", help="Learn each site's repeated chrome from the inputs, then clean."
    ),
    precision: bool = typer.Option(
        False,
        "--precision",
        help="Favor precision: keep only the article's main runs of text (less chrome; "
        "article lines that stand apart from them go too).",
    ),
    scheduler: str = typer.Option(
        None, "--scheduler", help="Run on the Dask cluster at this address ('local' starts one)."
    ),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show tracebacks for errors."),
) -> None:
    """Clean files, directories, or stdin (to stdout)."""
    paths = paths or [STDIN]
    if fmt is not None and fmt not in FORMATS:
        raise InputError(f"--format must be one of {', '.join(FORMATS)}")
    if (html or fmt == "html") and (markdown or fmt == "markdown"):
        raise InputError("HTML input and Markdown input exclude each other")
    if in_place and output_dir is not None:
        raise InputError("--in-place and --output-dir exclude each other")
    if jobs < 0:
        raise InputError("--jobs must be 0 (all cores) or more")
    if not 0 < regex_timeout < float("inf"):
        raise InputError("--regex-timeout must be a positive number of seconds")
    options = Options(
        fmt=fmt or "text",
        field=field_name,
        html=html,
        markdown=markdown,
        url=url,
        allow_empty=allow_empty,
    )
    if scheduler is not None and learn_first:
        raise InputError("--learn runs on this machine only: learn first, then clean with --rules")
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
            regex_timeout,
            precision,
        )
        return
    engine = build_engine(list(rules or []), no_default_rules, regex_timeout)
    if learn_first:
        if paths == [STDIN]:
            raise InputError("--learn reads the inputs twice: name files or directories, not stdin")
        engine = _with_learned(engine, [Path(p) for p in paths], options)
    if precision:
        engine = Engine(precise(engine.rules))
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
        raise typer.Exit(1 if check and run.would_change else 0)
    found = list(inputs_with_bases(paths, quiet))
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
        raise typer.Exit(1 if exit_non_zero_on_fix else 0)
    if check:
        for name in run.would_change:
            print(f"would clean {name}", file=sys.stderr)
        count = len(run.would_change)
        print(
            f"{count} file{'s' if count != 1 else ''} would be cleaned, "
            f"{len(found) - count} left unchanged",
            file=sys.stderr,
        )
        raise typer.Exit(1 if count else 0)


def _with_learned(engine: Engine, paths: list[Path], options: Options) -> Engine:
    """``engine`` with the site packs learned from ``paths`` after its rules."""
    import tempfile

    from cleaner.learn import documents, learn

    with tempfile.TemporaryDirectory(prefix="cleaner-learn-") as folder:
        docs = documents(paths, options.field, None, options.url, options.markdown_input)
        packs = learn(engine, docs, Path(folder))
        learned = load_rules(packs) if packs else []
    return Engine([*engine.rules, *learned])


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
    timeout: float,
    precision: bool,
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
        timeout=timeout,
        precision=precision,
        report=report_unit,
    )
    print(
        f"wrote {len(written)} file{'s' if len(written) != 1 else ''} to {output_dir}",
        file=sys.stderr,
    )


@rules_app.command("list")
def rules_list(
    rules: list[Path] = typer.Option(None, "--rules", help="Extra rule file or directory."),
    no_default_rules: bool = typer.Option(False, "--no-default-rules"),
) -> None:
    """Show every rule: id, kind, scope and description, in the order they run."""
    engine = build_engine(list(rules or []), no_default_rules, DEFAULT_TIMEOUT)
    width = max((len(r.id) for r in engine.rules), default=0)
    for rule in engine.rules:
        scope = "" if rule.scope.generic else f"[{_scope_label(rule)}] "
        print(f"{rule.id:<{width}}  {rule.kind:<9}  {scope}{rule.description}")


def _scope_label(rule: Rule) -> str:
    """Where a scoped rule applies: its sites, or pages it detects, and HTML or Markdown
    input only."""
    where = list(rule.scope.sites)
    if rule.scope.detect is not None:
        where.append("detected")
    if rule.scope.html:
        where.append("html")
    if rule.scope.markdown:
        where.append("markdown")
    return ", ".join(where)


@rules_app.command("vocab")
def rules_vocab(
    names: list[str] = typer.Argument(None, help="Vocabularies whose words to show."),
    rules: list[Path] = typer.Option(None, "--rules", help="Extra rule file or directory."),
    no_default_rules: bool = typer.Option(False, "--no-default-rules"),
) -> None:
    """Show the vocabularies rules may use ({name} in a pattern): or, named, their words."""
    from cleaner.loader import load_vocabulary

    paths = ([] if no_default_rules else [default_rules_dir()]) + list(rules or [])
    vocabulary = load_vocabulary(paths)
    if not names:
        width = max((len(e.name) for e in vocabulary), default=0)
        for entry in vocabulary:
            count = len(vocabulary.words(entry.name))
            languages = ", ".join(entry.languages)
            print(f"{entry.name:<{width}}  {count:>3} words  [{languages}]  {entry.description}")
        return
    for name in names:
        if name not in vocabulary:
            raise CleanerError(f"no vocabulary '{name}'")
        entry = vocabulary.entries[name]
        print(f"{name}  ({entry.path}:{entry.line})  {entry.description}".rstrip())
        for language in entry.languages:
            words = vocabulary.words(name, None if language == "words" else language)
            print(f"  {language}: {', '.join(words)}")


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


@app.command()
def learn(
    paths: list[Path] = typer.Argument(
        ..., help="Corpus files or directories (JSONL, text, Markdown)."
    ),
    output_dir: Path = typer.Option(..., "--output-dir", "-o", help="Write the packs here."),
    field_name: str = typer.Option("text", "--field", help="JSONL field holding the page."),
    site_field: str = typer.Option(
        None, "--site-field", help="JSONL field naming the site (default: the url's host)."
    ),
    url: str = typer.Option(None, "--url", help="The site of text files."),
    markdown: bool = typer.Option(
        False, "--markdown", help="The pages (or the JSONL field) are Markdown; .md files are."
    ),
    share: float = typer.Option(
        0.5, "--share", min=0.0, max=1.0, help="Learn lines on at least this share of pages."
    ),
    min_pages: int = typer.Option(3, "--min-pages", min=1, help="... and on this many pages."),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="Worker processes (0: all cores)."),
    scheduler: str = typer.Option(
        None, "--scheduler", help="Clean the pages on this Dask scheduler ('local': a local one)."
    ),
    rules: list[Path] = typer.Option(None, "--rules", help="Extra rule file or directory."),
    no_default_rules: bool = typer.Option(False, "--no-default-rules"),
) -> None:
    """Learn each site's repeated chrome from a corpus; write one rule pack per site."""
    from cleaner.learn import documents
    from cleaner.learn import learn as learn_packs

    if scheduler is not None:
        from cleaner.cluster import learn_on_cluster

        written = learn_on_cluster(
            paths,
            output_dir,
            scheduler=scheduler,
            rules=list(rules or []),
            default_rules=not no_default_rules,
            field=field_name,
            site_field=site_field,
            url=url,
            markdown=markdown,
            share=share,
            min_pages=min_pages,
        )
        print(f"wrote {len(written)} site pack(s) to {output_dir}", file=sys.stderr)
        return
    engine = build_engine(list(rules or []), no_default_rules, DEFAULT_TIMEOUT)
    docs = documents(paths, field_name, site_field, url, markdown)
    written = learn_packs(engine, docs, output_dir, share, min_pages, jobs or default_jobs())
    print(f"wrote {len(written)} site pack(s) to {output_dir}", file=sys.stderr)


@app.command()
def train(
    labelled: list[Path] = typer.Argument(
        ...,
        help="JSONL files (.jsonl, .jsonl.gz) of rows with 'text' and 'gold' or 'with'/'without'.",
    ),
    output: Path = typer.Option(..., "--output", "-o", help="The rule file to write."),
    rules: list[Path] = typer.Option(
        None, "--rules", help="Extra rule file or directory the model comes after."
    ),
    no_default_rules: bool = typer.Option(False, "--no-default-rules"),
    rule_id: str = typer.Option("line-model", "--id", help="The id of the written rule."),
    markdown: list[Path] = typer.Option(
        None,
        "--markdown",
        help="JSONL of Markdown renderings of the pages, labelled by the row with the same id.",
    ),
) -> None:
    """Fit the line model on labelled pages and write it as a rule file (refitting one
    that exists keeps its keys other than the weights)."""
    from cleaner.textio import write_atomic
    from cleaner.training import (
        existing_rule,
        fit,
        fitted_on,
        markdown_rows,
        prepare,
        read_rows,
        rule_file,
    )

    engine = build_engine(list(rules or []), no_default_rules, DEFAULT_TIMEOUT)
    rows = list(read_rows(labelled))
    pages = prepare(rows, engine.rules)
    model = fit(pages)
    trained = f"fitted on {fitted_on(pages, labelled)}"
    md_model = None
    if markdown:
        md_pages = prepare(markdown_rows(markdown, rows), engine.rules)
        md_model = fit(md_pages)
        trained += f"; Markdown weights on {fitted_on(md_pages, markdown)}"
    text = rule_file(model, trained, rule_id, existing_rule(output), md_model)
    write_atomic(output, text)
    print(f"{output}: {trained}", file=sys.stderr)


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
    # typer ships its own copy of click: recognise its exceptions by what they offer
    if isinstance(exc, typer.Abort):
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
