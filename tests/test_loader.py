"""Bad rule files fail fast with file, line and rule id; rule files are data, never code."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner.errors import RuleError
from cleaner.loader import load_rules

from .conftest import run_cli

BAD = {
    "yaml-syntax": ("rules:\n  - id: a\n    kind: line\n    match: {regex: 'x'\n", 4, None, "YAML"),
    "unknown-kind": (
        "rules:\n  - id: a\n    kind: lien\n    match: {regex: x}\n",
        2,
        "a",
        "unknown kind",
    ),
    "bad-regex": (
        "rules:\n\n  - id: b\n    kind: line\n    match: {regex: '(unclosed'}\n",
        3,
        "b",
        "does not compile",
    ),
    "unknown-key": (
        "rules:\n  - id: c\n    kind: line\n    matches: {regex: x}\n",
        2,
        "c",
        "unknown key",
    ),
    "no-match": ("rules:\n  - id: d\n    kind: tail\n", 2, "d", "needs a 'match'"),
    "bad-param": (
        "rules:\n  - id: e\n    kind: block\n    match: {regex: x}\n    max_lines: -1\n",
        2,
        "e",
        "max_lines",
    ),
    "bad-boundary": (
        "rules:\n  - id: h\n    kind: line\n    match: {regex: x}\n    boundary: 'yes'\n",
        2,
        "h",
        "'boundary' must be true or false",
    ),
    "no-id": ("rules:\n  - kind: line\n    match: {regex: x}\n", 2, None, "'id'"),
    "python-tag": (
        "rules:\n  - id: f\n    kind: !!python/object/apply:os.system ['true']\n",
        3,
        None,
        "YAML",
    ),
    "not-rules": ("- id: g\n", None, None, "'rules:'"),
    "markdown-inline": (
        "input: markdown\nrules:\n  - id: i\n    kind: inline\n    match: {regex: x}\n",
        3,
        "i",
        "cannot read raw Markdown",
    ),
    "unknown-input": ("input: pdf\nrules: []\n", 1, None, "'input' must be one of: html, markdown"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_rule_file_names_file_line_and_rule(tmp_path: Path, name: str) -> None:
    text, line, rule_id, words = BAD[name]
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        load_rules([path])
    error = caught.value
    assert error.path == str(path)
    assert error.line == line
    assert error.rule_id == rule_id
    assert words in str(error)


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text("rules: [{id: same, kind: line, match: {regex: x}}]\n")
    with pytest.raises(RuleError, match="duplicate id"):
        load_rules([tmp_path])


def test_cli_reports_bad_rules_in_one_line_with_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("rules:\n  - id: oops\n    kind: line\n    match: {regex: '(x'}\n")
    result = run_cli("clean", "--rules", str(path), stdin=b"text\n")
    assert result.code == 2
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.err
    assert f"{path}:2: rule 'oops':" in lines[0]


def test_python_tags_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    path = tmp_path / "evil.yaml"
    path.write_text(
        f"rules:\n  - !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8"
    )
    with pytest.raises(RuleError):
        load_rules([path])
    assert not marker.exists()


def test_rule_error_survives_pickling_to_worker_processes() -> None:
    import pickle

    error = pickle.loads(pickle.dumps(RuleError("r.yaml", 3, "x", "bad regex")))
    assert (error.path, error.line, error.rule_id, str(error)) == (
        "r.yaml",
        3,
        "x",
        "r.yaml:3: rule 'x': bad regex",
    )


@pytest.mark.parametrize(
    ("match", "words"),
    [
        ("{regex: ''}", "empty string"),
        ("{regex: '(x)?'}", "empty string"),
        ("{phrases: ['']}", "empty string"),
        ("{regex: '(?V1)x'}", "does not compile"),
        ("{regex: '\\p{Nope}x'}", "does not compile"),  # the stdlib reads it as \\w
        ("{regex: '\\p{L}*'}", "empty string"),
        ("{regex: '(?=x)|y?'}", "empty string"),
    ],
)
def test_match_that_would_remove_everything_or_cannot_compile(
    tmp_path: Path, match: str, words: str
) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(f"rules:\n  - id: all\n    kind: line\n    match: {match}\n")
    with pytest.raises(RuleError, match=words) as caught:
        load_rules([path])
    assert (caught.value.line, caught.value.rule_id) == (2, "all")


@pytest.mark.parametrize("timeout", [".nan", "true", "0", "-1", ".inf"])
def test_bad_timeouts_are_rejected(tmp_path: Path, timeout: str) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(f"rules: [{{id: t, kind: line, timeout: {timeout}, match: {{regex: x}}}}]\n")
    with pytest.raises(RuleError, match="timeout"):
        load_rules([path])


def test_patterns_compile_on_first_use_and_every_default_one_compiles(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Loading checks a pattern with the stdlib parser and leaves compiling to its first
    use (most never run on a short input); ``regex`` reads a superset of what the stdlib
    does, so a pattern that passed compiles: every default one does."""
    import gc

    from cleaner.loader import default_rules_dir, rule_files
    from cleaner.matching import Matcher

    monkeypatch.setenv("CLEANER_CACHE_DIR", "")  # built from the files, not the cache
    rules = load_rules(rule_files(default_rules_dir()))
    matchers = [o for o in gc.get_objects() if isinstance(o, Matcher)]
    loaded = [m for m in matchers if any(getattr(r, "match", None) is m for r in rules)]
    assert len(loaded) > 50
    assert all(m._patterns is None for m in loaded if m._sources)
    assert all(len(m.patterns) == len(m._sources) for m in loaded)
