"""The five documents the project started from come out exactly as expected."""

from __future__ import annotations

from pathlib import Path

import pytest

import cleaner

from .conftest import SHARED, shared_or_skip

SEEDS = sorted(p for p in (SHARED / "seeds").glob("*.txt") if not p.name.endswith(".expected.txt"))


def nonblank(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("name", [p.name for p in SEEDS] or ["(seeds absent)"])
def test_seed_comes_out_as_expected(name: str) -> None:
    seeds = shared_or_skip("seeds")
    raw = seeds / name
    expected = raw.with_name(raw.name.replace(".txt", ".expected.txt"))
    cleaned = cleaner.clean(raw.read_text(encoding="utf-8"))
    assert nonblank(cleaned) == nonblank(expected.read_text(encoding="utf-8"))


def test_own_fixture_comes_out_as_expected() -> None:
    root = Path(__file__).resolve().parents[1] / "fixtures"
    cleaned = cleaner.clean((root / "article.txt").read_text(encoding="utf-8"))
    assert cleaned == (root / "article.expected.txt").read_text(encoding="utf-8")
