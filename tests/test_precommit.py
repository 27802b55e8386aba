"""The hooks in .pre-commit-hooks.yaml, driven by the real pre-commit in a scratch repository."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import FIXTURES, ROOT

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

ARTICLE = (FIXTURES / "article.txt").read_bytes()
EXPECTED = (FIXTURES / "article.expected.txt").read_bytes()
# files that are not corpus files, with chrome-looking lines in them: hooks must not touch them
BYSTANDERS = {
    "README.md": b"# Corpus\nSource link\n",
    "requirements.txt": b"Source link\n",
    ".pre-commit-config.yaml": b"repos: []\n# Source link\n",
    "tools/clean.py": b"# Source link\nprint('x')\n",
}


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture(scope="module")
def precommit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("pre_commit", reason="pre-commit is a test dependency")
    return tmp_path_factory.mktemp("pre-commit-home")


def try_repo(repo: Path, home: Path, hook: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    return subprocess.run(
        ["pre-commit", "try-repo", str(ROOT), hook, "--all-files", "--color", "never"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.fixture
def corpus_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "corpus"
    (repo / "tools").mkdir(parents=True)
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "test@example.org")
    git(repo, "config", "user.name", "Test")
    (repo / "page.txt").write_bytes(ARTICLE)
    (repo / "clean.txt").write_bytes(EXPECTED)
    for name, data in BYSTANDERS.items():
        (repo / name).write_bytes(data)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "corpus")
    return repo


def assert_bystanders_untouched(repo: Path) -> None:
    for name, data in BYSTANDERS.items():
        assert (repo / name).read_bytes() == data, f"{name} was rewritten"


def test_check_hook_fails_names_the_file_and_changes_nothing(
    corpus_repo: Path, precommit_home: Path
) -> None:
    result = try_repo(corpus_repo, precommit_home, "cleaner-check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "would clean page.txt" in result.stdout
    assert "clean.txt" not in result.stdout.replace("would clean", "")
    assert (corpus_repo / "page.txt").read_bytes() == ARTICLE
    assert_bystanders_untouched(corpus_repo)


def test_fix_hook_fails_once_fixes_then_passes(corpus_repo: Path, precommit_home: Path) -> None:
    first = try_repo(corpus_repo, precommit_home, "cleaner")
    assert first.returncode == 1, first.stdout + first.stderr
    assert "files were modified by this hook" in first.stdout
    assert (corpus_repo / "page.txt").read_bytes() == EXPECTED
    assert_bystanders_untouched(corpus_repo)
    second = try_repo(corpus_repo, precommit_home, "cleaner")
    assert second.returncode == 0, second.stdout + second.stderr
