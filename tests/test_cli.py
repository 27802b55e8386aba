"""The ``cleaner clean`` command as users drive it: files, directories, pipes, JSONL, HTML."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import FIXTURES, ROOT, default_sigint, run_cli, run_main

ARTICLE = (FIXTURES / "article.txt").read_bytes()
EXPECTED = (FIXTURES / "article.expected.txt").read_bytes()


def test_stdin_to_stdout() -> None:
    for args in ([], ["-"]):
        result = run_cli("clean", *args, stdin=ARTICLE)
        assert result.code == 0, result.err
        assert result.out_bytes == EXPECTED


def test_one_file_prints_to_stdout(monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_main(["clean", str(FIXTURES / "article.txt")], monkeypatch)
    assert result.code == 0
    assert result.out_bytes == EXPECTED


def test_in_place_rewrites_and_keeps_permissions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(ARTICLE)
    path.chmod(0o640)
    result = run_main(["clean", "--in-place", str(path)], monkeypatch)
    assert result.code == 0
    assert path.read_bytes() == EXPECTED
    assert path.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_in_place_leaves_unchanged_files_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "clean.txt"
    path.write_bytes(EXPECTED)
    before = path.stat().st_mtime_ns
    time.sleep(0.01)
    assert run_main(["clean", "-i", str(path)], monkeypatch).code == 0
    assert path.stat().st_mtime_ns == before


def test_directory_to_output_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "corpus"
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_bytes(ARTICLE)
    (src / "sub" / "rows.jsonl").write_bytes((FIXTURES / "rows.jsonl").read_bytes())
    (src / "sub" / "page.html").write_bytes((FIXTURES / "page.html").read_bytes())
    (src / "notes.rst").write_text("Source link\n")  # not a corpus file: not touched
    out = tmp_path / "out"
    result = run_main(["clean", str(src), "--output-dir", str(out)], monkeypatch)
    assert result.code == 0, result.err
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert written == ["a.txt", "sub/page.txt", "sub/rows.jsonl"]
    assert (out / "a.txt").read_bytes() == EXPECTED
    assert (out / "a.txt").stat().st_mode & 0o777 == (src / "a.txt").stat().st_mode & 0o777
    assert "Source link" not in (out / "sub" / "page.txt").read_text()
    assert (src / "a.txt").read_bytes() == ARTICLE


def test_several_files_need_a_destination(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_bytes(ARTICLE)
    result = run_cli("clean", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"))
    assert result.code == 2
    assert "--in-place" in result.err and "Traceback" not in result.err


def test_check_names_files_and_exits_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dirty, tidy = tmp_path / "dirty.txt", tmp_path / "tidy.txt"
    dirty.write_bytes(ARTICLE)
    tidy.write_bytes(EXPECTED)
    result = run_main(["clean", "--check", str(tmp_path)], monkeypatch)
    assert result.code == 1
    assert f"would clean {dirty}" in result.err
    assert str(tidy) not in result.err
    assert dirty.read_bytes() == ARTICLE
    assert run_main(["clean", "--check", str(tidy)], monkeypatch).code == 0


def test_diff_is_a_unified_diff(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(ARTICLE)
    result = run_main(["clean", "--diff", str(path)], monkeypatch)
    assert result.code == 0
    assert result.out.startswith(f"--- {path}\t(original)\n+++ {path}\t(cleaned)\n")
    assert "-Source link\n" in result.out
    assert path.read_bytes() == ARTICLE


def test_explain_lines_are_path_line_rule_text(monkeypatch: pytest.MonkeyPatch) -> None:
    path = FIXTURES / "article.txt"
    result = run_main(["clean", "--explain", str(path)], monkeypatch)
    assert result.code == 0
    lines = result.out.splitlines()
    assert f"{path}:17: source-link: Source link" in lines
    assert f"{path}:6: byline-by-name: By Jane Holloway" in lines
    source = ARTICLE.decode().splitlines()
    for line in lines:
        where, number, rule_id, text = line.split(":", 3)
        assert where == str(path) and rule_id.strip()
        assert source[int(number) - 1] == text[1:]
    stdin = run_cli("clean", "--explain", stdin=b"A line of text that stays here.\nSource link\n")
    assert stdin.out == "-:2: source-link: Source link\n"


def test_jsonl_keeps_other_fields_order_and_untouched_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = (FIXTURES / "rows.jsonl").read_bytes()
    result = run_main(["clean", str(FIXTURES / "rows.jsonl")], monkeypatch)
    assert result.code == 0, result.err
    before = [json.loads(line) for line in raw.splitlines()]
    after = [json.loads(line) for line in result.out_bytes.splitlines()]
    assert [r["id"] for r in after] == [r["id"] for r in before]
    for b, a in zip(before, after, strict=True):
        assert list(a) == list(b)
        assert {k: v for k, v in a.items() if k != "text"} == {
            k: v for k, v in b.items() if k != "text"
        }
    assert after[0]["text"] == EXPECTED.decode()
    assert "Source link" not in after[1]["text"]
    assert result.out_bytes.splitlines()[2] == raw.splitlines()[2]  # untouched row, same bytes


def test_jsonl_unicode_line_separator_is_not_a_row_break() -> None:
    row = {"text": "First part\u2028second part of one line.\nSource link\n", "k": "\u2029"}
    data = json.dumps(row, ensure_ascii=False).encode() + b"\n"
    result = run_cli("clean", "--format", "jsonl", stdin=data)
    assert result.code == 0, result.err
    assert json.loads(result.out_bytes) == {
        "text": "First part\u2028second part of one line.\n",
        "k": "\u2029",
    }


def test_jsonl_custom_field_and_html_field() -> None:
    html = (FIXTURES / "page.html").read_text()
    data = json.dumps({"body": html, "text": "untouched Source link"}).encode() + b"\n"
    result = run_cli("clean", "--format", "jsonl", "--field", "body", "--html", stdin=data)
    assert result.code == 0, result.err
    row = json.loads(result.out_bytes)
    assert row["text"] == "untouched Source link"
    assert row["body"].startswith("Harbour town votes to rebuild")
    assert "Source link" not in row["body"] and "<p>" not in row["body"]


def test_html_file_is_extracted_then_cleaned(monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_main(["clean", str(FIXTURES / "page.html")], monkeypatch)
    assert result.code == 0
    assert "Residents of Port Elwyn voted on Sunday" in result.out
    for chrome in ("Source link", "Copyright", "By Jane Holloway", "<"):
        assert chrome not in result.out


def test_extra_rules_and_no_default_rules(tmp_path: Path) -> None:
    rules = tmp_path / "mine.yaml"
    rules.write_text('rules: [{id: drop-x, kind: line, match: {phrases: ["X marks"]}}]\n')
    text = b"X marks\nSource link\nA sentence that stays in the text.\n"
    both = run_cli("clean", "--rules", str(rules), stdin=text)
    assert both.out == "A sentence that stays in the text.\n"
    only = run_cli("clean", "--no-default-rules", "--rules", str(rules), stdin=text)
    assert only.out == "Source link\nA sentence that stays in the text.\n"


def test_url_enables_site_pack() -> None:
    text = b"OpsLens\nA headline\n"
    assert run_cli("clean", stdin=text).out == "A headline\n"  # detected at the top
    shifted = b"A headline\nOpsLens\n"
    # not detected below the top: the site's rule does not apply (the line model may
    # still take the line, as chrome of an unknown site)
    assert "opslens-masthead" not in run_cli("clean", "--explain", stdin=shifted).out
    explained = run_cli("clean", "--explain", "--url", "https://www.opslens.com/x", stdin=shifted)
    assert "-:2: opslens-masthead: OpsLens" in explained.out


@pytest.mark.parametrize(
    "args",
    [
        ["--format", "xml"],
        ["--in-place", "--output-dir", "x", "f"],
        ["--no-such-flag"],
        ["/nonexistent/file.txt"],
    ],
)
def test_bad_usage_exits_2_without_traceback(args: list[str]) -> None:
    result = run_cli("clean", *args)
    assert result.code == 2
    assert "Traceback" not in result.err
    assert result.err.strip()


def test_closed_stdout_ends_quietly() -> None:
    big = ("A line of article text that goes on for a while.\n" * 200_000).encode()
    proc = subprocess.run(
        f"{sys.executable} -m cleaner.cli clean | head -1",
        shell=True,
        input=big,
        capture_output=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.stdout == b"A line of article text that goes on for a while.\n"
    assert proc.stderr == b""


def test_ctrl_c_exits_130_without_traceback() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "cleaner.cli", "clean"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        preexec_fn=default_sigint,
    )
    time.sleep(1.0)  # let it start and block on stdin
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert b"Traceback" not in err


def test_python_api_returns_text_and_decisions() -> None:
    import cleaner

    text = ARTICLE.decode()
    assert cleaner.clean(text) == EXPECTED.decode()
    outcome = cleaner.decide(text)
    removed = {d.number: d.rule_id for d in outcome.removed}
    assert removed[17] == "source-link"
    assert all(d.kept for d in outcome.decisions if d.number not in removed and d.text.strip())
    assert outcome.decisions[9].rule_id == "caption-with-credit"


def test_console_script_is_installed() -> None:
    exe = Path(sys.executable).with_name("cleaner")
    if not exe.exists():
        pytest.skip("the package is not installed in this environment")
    proc = subprocess.run(
        [str(exe), "clean", "-"], input=ARTICLE, capture_output=True, env=os.environ
    )
    assert proc.returncode == 0 and proc.stdout == EXPECTED


@pytest.mark.parametrize(
    "args",
    [
        ["--html", "--in-place"],
        ["--regex-timeout", "0"],
        ["--scheduler", "local", "--check", "--output-dir", "out"],
    ],
)
def test_refused_combinations_touch_nothing(tmp_path: Path, args: list[str]) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes((FIXTURES / "page.html").read_bytes())
    result = run_cli("clean", *args, str(path), cwd=tmp_path)
    assert result.code == 2, result.err
    assert "Traceback" not in result.err
    assert path.read_bytes() == (FIXTURES / "page.html").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.txt"]


def test_diff_splits_on_newline_only(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Kept line with a\u2028separator inside it.\nSource link\n")
    result = run_cli("clean", "--diff", str(path))
    assert " Kept line with a\u2028separator inside it.\n-Source link\n" in result.out


def test_output_dir_collisions_and_self_overwrite_are_refused(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    (corpus / "sub").mkdir(parents=True)
    for name in ("a.txt", "sub/a.txt"):
        (corpus / name).write_bytes(ARTICLE)
    both = run_cli(
        "clean", str(corpus / "a.txt"), str(corpus / "sub" / "a.txt"), "-o", str(tmp_path / "o")
    )
    assert both.code == 2 and "would both be written" in both.err
    assert not (tmp_path / "o").exists()
    same = run_cli("clean", str(corpus / "a.txt"), "-o", str(corpus))
    assert same.code == 2 and "overwrite the input" in same.err
    assert (corpus / "a.txt").read_bytes() == ARTICLE


def test_output_dir_inside_the_input_is_not_read_again(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_bytes(ARTICLE)
    for _ in range(2):
        assert run_cli("clean", str(corpus), "-o", str(corpus / "out")).code == 0
    written = sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*") if p.is_file())
    assert written == ["a.txt", "out/a.txt"]


def test_explain_and_stats_report_spans_cut_from_kept_lines(tmp_path: Path) -> None:
    rules = tmp_path / "inline.yaml"
    rules.write_text(r"rules: [{id: agency, kind: inline, match: {regex: '\s*\(AP\)'}}]" + "\n")
    text = b"The minister resigned on Monday (AP)\n"
    explain = run_cli("clean", "--no-default-rules", "--rules", str(rules), "--explain", stdin=text)
    assert explain.out == "-:1: agency:  (AP)\n"
    stats = run_cli("clean", "--no-default-rules", "--rules", str(rules), "--stats", stdin=text)
    assert stats.out == "The minister resigned on Monday\n"
    assert "  agency: 1" in stats.err.splitlines()


def test_directory_without_corpus_files_is_worth_a_warning(tmp_path: Path) -> None:
    (tmp_path / "notes.rst").write_text("Source link\n", encoding="utf-8")
    result = run_cli("clean", "--check", str(tmp_path))
    assert result.code == 0
    assert f"{tmp_path}: no .txt" in result.err
    quiet = run_cli("clean", "--check", "--quiet", str(tmp_path))
    assert quiet.code == 0
    assert "no .txt" not in quiet.err


def test_a_file_named_twice_is_cleaned_and_counted_once(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("Source link\nThe council met on Tuesday and agreed the budget.\n")
    result = run_cli("clean", "--check", str(page), str(page), str(tmp_path))
    assert result.code == 1
    assert "1 file would be cleaned" in result.err + result.out
    assert (result.err + result.out).count("would clean") == 1
