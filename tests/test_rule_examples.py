"""Every default rule's own examples hold: ``cleaner rules test`` is part of the suite."""

from __future__ import annotations

from pathlib import Path

from cleaner.engine import Engine
from cleaner.loader import load_rules
from cleaner.selftest import check_examples

from .conftest import run_cli


def test_default_rules_pass_their_own_examples(default_engine: Engine) -> None:
    failures, checked = check_examples(default_engine)
    assert checked > 50
    assert failures == []


def test_every_default_rule_is_documented(default_engine: Engine) -> None:
    for rule in default_engine.rules:
        assert rule.description, f"{rule.id} has no description"
        assert rule.chrome_examples or rule.keep_examples, f"{rule.id} has no examples"


def test_every_default_rule_says_what_it_takes_and_keeps(default_engine: Engine) -> None:
    # "Takes <what goes>. Keeps <what stays>.": the two halves a reviewer checks a
    # rule's pattern and examples against
    for rule in default_engine.rules:
        text = " ".join(rule.description.split())
        assert text.startswith("Takes "), f"{rule.id}: the description opens with 'Takes'"
        assert ". Keeps " in text, f"{rule.id}: the description says what it keeps"


def test_rules_test_command_fails_loudly_on_a_wrong_example(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(
        "rules:\n  - id: greedy\n    kind: line\n    match: {contains: ['the']}\n"
        "    examples:\n      chrome: ['nothing to see']\n      keep: ['the article']\n"
    )
    failures, _ = check_examples(Engine(load_rules([path])))
    assert len(failures) == 2
    assert all("greedy" in f for f in failures)
    result = run_cli("rules", "test", "--no-default-rules", "--rules", str(path))
    assert result.code == 1
    assert "0 passed, 2 failed" in result.out


def test_rules_list_shows_every_rule(default_engine: Engine) -> None:
    result = run_cli("rules", "list")
    assert result.code == 0
    for rule in default_engine.rules:
        assert rule.id in result.out


def test_rules_list_names_every_scope_a_rule_has(tmp_path: Path) -> None:
    path = tmp_path / "scoped.yaml"
    path.write_text(
        "input: html\nsites: [example.com]\ndetect: {phrases: ['Example Times']}\n"
        "rules: [{id: scoped, kind: line, match: {phrases: ['Share']}}]\n",
        encoding="utf-8",
    )
    result = run_cli("rules", "list", "--no-default-rules", "--rules", str(path))
    assert result.code == 0
    assert "[example.com, detected, html]" in result.out
