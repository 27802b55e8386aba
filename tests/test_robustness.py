"""Bad input gets a clear one-line error and never loses data."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

import cleaner

from .conftest import FIXTURES, ROOT, default_sigint, run_cli, run_main

ARTICLE = (FIXTURES / "article.txt").read_bytes()
EXPECTED = (FIXTURES / "article.expected.txt").read_bytes()
PROSE = b"A sentence of article text that is long enough to be kept as prose.\n"


def test_invalid_utf8_round_trips_and_warns_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = b"Caf\xe9 owners met on Monday to discuss the rent \xff\xfe rise in the city.\n"
    path = tmp_path / "latin1.txt"
    path.write_bytes(bad + b"Source link\n" + PROSE)
    result = run_main(["clean", str(path)], monkeypatch)
    assert result.code == 0
    assert result.out_bytes == bad + PROSE
    warnings = [line for line in result.err.splitlines() if "UTF-8" in line]
    assert len(warnings) == 1 and str(path) in warnings[0]
    assert run_main(["clean", "-i", str(path)], monkeypatch).code == 0
    assert path.read_bytes() == bad + PROSE


def test_invalid_utf8_in_jsonl_round_trips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    row = (
        b'{"text": "Caf\xe9 owners met on Monday to discuss the rise.\\nSource link\\n", "n": 1}\n'
    )
    path = tmp_path / "rows.jsonl"
    path.write_bytes(row)
    result = run_main(["clean", str(path)], monkeypatch)
    assert result.code == 0
    assert b"Caf\xe9 owners" in result.out_bytes and b"Source link" not in result.out_bytes


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"GIF89a\x01\x00",
        b"text with a NUL\x00 byte\nSource link\n",
        b"\xff\xd8\xff\xe0\x00\x10JFIF",
    ],
)
def test_binary_files_are_skipped_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: bytes
) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(data)
    result = run_main(["clean", "--in-place", str(path)], monkeypatch)
    assert result.code == 0
    assert path.read_bytes() == data
    assert result.err.strip() == f"cleaner: {path}: binary file; skipped"


@pytest.mark.parametrize("data", [b"", b"\n", b"  \n\t\n", b"\r\n\r\n", b"   "])
def test_empty_and_whitespace_files_are_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: bytes
) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(data)
    assert run_main(["clean", "--check", str(path)], monkeypatch).code == 0
    result = run_main(["clean", str(path)], monkeypatch)
    assert result.code == 0 and result.out_bytes == data and result.err == ""


def test_crlf_and_missing_final_newline_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    crlf = ARTICLE.replace(b"\n", b"\r\n").rstrip(b"\r\n")
    path = tmp_path / "dos.txt"
    path.write_bytes(crlf)
    run_main(["clean", "-i", str(path)], monkeypatch)
    out = path.read_bytes()
    assert out == EXPECTED.replace(b"\n", b"\r\n").rstrip(b"\r\n")
    assert b"\n" not in out.replace(b"\r\n", b"")


def test_document_that_would_be_emptied_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "all-chrome.txt"
    data = b"Source link\nSubscribe to our newsletter\n"
    path.write_bytes(data)
    check = run_main(["clean", "--check", str(path)], monkeypatch)
    assert "every line would be removed" in check.err and str(path) in check.err
    fix = run_main(["clean", "--in-place", str(path)], monkeypatch)
    assert fix.code == 0 and "left as it is" in fix.err
    assert path.read_bytes() == data
    allowed = run_main(["clean", "--in-place", "--allow-empty", str(path)], monkeypatch)
    assert allowed.code == 0
    assert path.read_bytes() == b""


def test_huge_single_line_and_many_short_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both finish (the suite has no timer; benchmarks/speed.py measures speed) and keep text."""
    long_line = (b"word " * 4_000_000).strip() + b".\n"  # 20 MB on one line
    path = tmp_path / "long.txt"
    path.write_bytes(long_line)
    result = run_main(["clean", str(path)], monkeypatch)
    assert result.code == 0 and result.out_bytes == long_line
    many = b"".join(b"line %d of a list\n" % i for i in range(1_000_000))
    path.write_bytes(many)
    result = run_main(["clean", "--check", str(path)], monkeypatch)
    assert result.code == 0


def _seconds(func: object, *args: object) -> float:
    best = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        func(*args)  # type: ignore[operator]
        best = min(best, time.perf_counter() - start)
    return best


def test_cost_grows_linearly_with_size() -> None:
    """A complexity check, not a speed target: 4x the input must not cost 16x (quadratic)."""
    import cleaner

    engine = cleaner.engine()
    lines = ARTICLE.decode() * 300
    small, large = _seconds(engine.run, lines), _seconds(engine.run, lines * 4)
    assert large < small * 10, (small, large)
    one_line = "word " * 200_000
    small, large = _seconds(engine.run, one_line), _seconds(engine.run, one_line * 4)
    assert large < small * 10, (small, large)


@pytest.mark.parametrize(
    ("rows", "bad_line", "words"),
    [
        ([b'{"text": "ok"}', b'{"text": "unterminated}'], 2, "malformed JSON"),
        ([b'{"text": "ok"}', b'{"text": "ok"}', b"[1, 2]"], 3, "JSON object"),
        ([b'{"body": "no text field"}'], 1, "no field 'text'"),
        ([b'{"text": "ok"}', b'{"text": 42}'], 2, "not a string"),
        ([b'{"text": null}'], 1, "not a string"),
    ],
)
def test_malformed_jsonl_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows: list[bytes], bad_line: int, words: str
) -> None:
    data = b"\n".join(rows) + b"\n"
    data = data.replace(b'"ok"', b'"Fine text here.\\nSource link"')
    path = tmp_path / "rows.jsonl"
    path.write_bytes(data)
    for args in (["--in-place"], ["--output-dir", str(tmp_path / "out")], []):
        result = run_main(["clean", *args, str(path)], monkeypatch)
        assert result.code == 2
        assert result.out_bytes == b""
        assert result.err.startswith(f"cleaner: {path}:{bad_line}: ") and words in result.err
        assert len(result.err.strip().splitlines()) == 1
        assert result.err.rstrip().endswith("; nothing was written")
        assert path.read_bytes() == data
    assert not (tmp_path / "out" / "rows.jsonl").exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["rows.jsonl"]


def test_malformed_jsonl_after_written_files_says_what_was_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    good = b'{"text": "Fine text here.\\nSource link"}\n'
    bad = b'{"text": "Fine text here.\\nSource link"}\n{oops\n'
    (corpus / "a.jsonl").write_bytes(good)
    (corpus / "b.jsonl").write_bytes(good)
    (corpus / "c.jsonl").write_bytes(bad)
    result = run_main(["clean", "--in-place", "--quiet", str(corpus)], monkeypatch)
    assert result.code == 2
    assert result.err == (
        f"cleaner: {corpus / 'c.jsonl'}:2: malformed JSON (Expecting property name enclosed "
        "in double quotes at column 2); this file left as it was, 2 files before it "
        "already cleaned in place\n"
    )
    assert (corpus / "a.jsonl").read_bytes() == b'{"text": "Fine text here."}\n'
    assert (corpus / "c.jsonl").read_bytes() == bad
    out = tmp_path / "out"
    (corpus / "a.jsonl").write_bytes(good)
    result = run_main(["clean", "--output-dir", str(out), str(corpus)], monkeypatch)
    assert result.code == 2
    assert result.err.rstrip().endswith(
        "; no output for this file, 2 files before it already written"
    )
    assert sorted(p.name for p in out.iterdir()) == ["a.jsonl", "b.jsonl"]


def test_malformed_jsonl_on_stdin_writes_nothing() -> None:
    data = b'{"text": "Fine text.\\nSource link"}\n{oops\n'
    result = run_cli("clean", "--format", "jsonl", stdin=data)
    assert result.code == 2 and result.out == ""
    assert result.err.startswith("cleaner: -:2: malformed JSON")


def test_jsonl_gz_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "rows.jsonl.gz"
    path.write_bytes(gzip.compress((FIXTURES / "rows.jsonl").read_bytes() * 500))
    assert run_main(["clean", "--in-place", str(path)], monkeypatch).code == 0
    rows = [json.loads(line) for line in gzip.decompress(path.read_bytes()).splitlines()]
    assert rows[0]["text"] == EXPECTED.decode()


def test_catastrophic_user_regex_reports_timeout_and_keeps_line(tmp_path: Path) -> None:
    rules = tmp_path / "evil.yaml"
    rules.write_text(
        "rules: [{id: evil, kind: line, timeout: 0.05, match: {regex: '^(a|aa)+(?<!a)$'}}]\n"
    )
    # a line the pattern cannot match but must be tried on: the Hyperscan pass drops
    # the lookbehind, so it cannot rule the line out
    data = ("a" * 5000 + "\n").encode() + PROSE
    start = time.monotonic()
    result = run_cli("clean", "--no-default-rules", "--rules", str(rules), stdin=data)
    assert time.monotonic() - start < 60  # a guard against a hang, not a speed target
    assert result.code == 0
    assert result.out_bytes == data
    assert "-:1: rule 'evil' timed out" in result.err


def _big_corpus(path: Path) -> bytes:
    data = ARTICLE * 40_000  # about 30 MB: long enough to interrupt mid-way
    path.write_bytes(data)
    return data


def test_kill_9_leaves_original_or_finished_file(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    original = _big_corpus(path)
    expected = subprocess.run(
        [sys.executable, "-m", "cleaner.cli", "clean", str(path)], capture_output=True, cwd=ROOT
    ).stdout
    for delay in (0.3, 0.8, 1.5, 3.0):
        path.write_bytes(original)
        proc = subprocess.Popen(
            [sys.executable, "-m", "cleaner.cli", "clean", "-i", str(path)], cwd=ROOT
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert path.read_bytes() in (original, expected)
    for leftover in tmp_path.glob(".big.txt.*"):
        leftover.unlink()  # a killed process cannot clean up; the original is intact


def test_ctrl_c_during_in_place_leaves_no_temporary_files(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    original = _big_corpus(path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "cleaner.cli", "clean", "-i", str(path)],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        preexec_fn=default_sigint,
    )
    time.sleep(1.5)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.skip("the run finished before the interrupt arrived")
    assert proc.returncode == 130
    assert b"Traceback" not in err
    assert os.listdir(tmp_path) == ["big.txt"]
    assert path.read_bytes() == original


def test_unreadable_input_is_one_line_error(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        directory = tmp_path / "dir.txt"
        directory.mkdir()
        result = run_cli("clean", "--format", "text", str(directory / "missing.txt"))
    else:
        path = tmp_path / "secret.txt"
        path.write_text("x")
        path.chmod(0)
        result = run_cli("clean", str(path))
    assert result.code == 2
    assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err


def test_in_place_through_a_symlink_keeps_the_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = tmp_path / "real.txt"
    real.write_bytes(ARTICLE)
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    assert run_main(["clean", "-i", str(link)], monkeypatch).code == 0
    assert link.is_symlink()
    assert real.read_bytes() == EXPECTED


def test_ctrl_c_with_worker_processes_exits_130_quietly(tmp_path: Path) -> None:
    rows = tmp_path / "rows.jsonl"
    rows.write_text((json.dumps({"text": ARTICLE.decode()}) + "\n") * 20_000)
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "cleaner.cli", "clean", str(rows), "-o", str(out), "-j", "2"],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        preexec_fn=default_sigint,
        start_new_session=True,
    )
    time.sleep(3)
    os.killpg(proc.pid, signal.SIGINT)  # a terminal's Ctrl-C reaches the whole group
    _, err = proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.skip("the run finished before the interrupt arrived")
    assert proc.returncode == 130
    assert b"Traceback" not in err
    assert not out.exists() or list(out.iterdir()) == []


def test_posix_class_pattern_is_not_prefiltered_wrongly(tmp_path: Path) -> None:
    rules = tmp_path / "px.yaml"
    rules.write_text("rules: [{id: caps, kind: line, match: {regex: '^[[:upper:]]+$'}}]\n")
    result = run_cli("clean", "--no-default-rules", "--rules", str(rules), stdin=b"SPORT\nkept\n")
    assert result.out == "kept\n"
    assert "Warning" not in result.err


def test_rules_whose_only_prefilter_is_a_character_class(tmp_path: Path) -> None:
    # a digit required anywhere (here by a lookahead) is the whole prefilter
    rules = tmp_path / "digits.yaml"
    rules.write_text("rules: [{id: num, kind: line, match: {regex: '^(?=\\D*\\d)\\w+$'}}]\n")
    result = run_cli("clean", "--no-default-rules", "--rules", str(rules), stdin=b"abc1\nkept\n")
    assert (result.code, result.out) == (0, "kept\n")


@pytest.mark.parametrize(
    ("row", "note"),
    [
        (b'{"id": 1, "id": 2, "text": "Fine text stays here.\\nSource link"}', "duplicate keys"),
    ],
)
def test_jsonl_rows_that_cannot_be_written_back_are_left_as_they_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, row: bytes, note: str
) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_bytes(row + b"\n")
    result = run_main(["clean", "-i", str(path)], monkeypatch)
    assert result.code == 0
    assert path.read_bytes() == row + b"\n"
    assert f"{path}:1: " in result.err and note in result.err


def test_jsonl_rewrites_only_the_cleaned_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # numbers, escapes and spacing outside the field keep their bytes, even a number
    # Python reads as infinity
    path = tmp_path / "rows.jsonl"
    head, tail = b'{"score": 1.10, "big": 1e400, "t":"caf\\u00e9",  "text": ', b', "n": [1, 2.50]}'
    path.write_bytes(head + b'"Fine text stays here.\\nSource link"' + tail + b"\n")
    assert run_main(["clean", "-i", str(path)], monkeypatch).code == 0
    assert path.read_bytes() == head + b'"Fine text stays here."' + tail + b"\n"


def test_jsonl_lone_surrogate_escape_and_bom(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "rows.jsonl"
    row = b'\xef\xbb\xbf{"text": "Broken emoji \\ud83d in a kept sentence.\\nSource link\\n"}\n'
    path.write_bytes(row)
    assert run_main(["clean", "-i", str(path)], monkeypatch).code == 0
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert json.loads(data[3:]) == {"text": "Broken emoji \ud83d in a kept sentence.\n"}


def test_jsonl_escaped_low_surrogate_stays_valid_utf8(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a "\\udc80" escape in a valid row is a character, not an undecodable byte: written
    # back raw through surrogateescape it would become a lone 0x80 byte
    path = tmp_path / "rows.jsonl"
    row = b'{"text": "A kept sentence with a stray \\udc80 escape in it.\\nSource link\\n"}\n'
    path.write_bytes(row)
    assert run_main(["clean", "-i", str(path)], monkeypatch).code == 0
    data = path.read_bytes()
    assert json.loads(data.decode("utf-8")) == {
        "text": "A kept sentence with a stray \udc80 escape in it.\n"
    }


def test_default_rules_stay_fast_on_pathological_lines() -> None:
    """No default pattern backtracks catastrophically: hostile lines of every shape
    finish well inside the per-line timeout, and nothing is reported as timed out."""
    import cleaner

    date = "2019-11-18"
    hostile = [
        "By " + "a" * 150 + " " + date,
        "by Jane " + date + " " + " ".join(["word"] * 40),
        "By Jane Doe " + date + " " + " ".join(["abcdefgh"] * 15),  # short, many words
        "Von " + "x" * 60 + " | " + "y" * 60 + " " + date,
        " | ".join(["Share"] * 200),
        "© " + "x " * 300,
        ("Foto: " + "a" * 40 + " / ") * 20,
        "." * 5000,
        "- " * 3000,
        " ".join(["Home"] * 500),
        ("Lesen Sie auch: " + "Wort " * 30) * 5,
        # wide separators between items a pattern repeats
        "Facebook   Twitter   LinkedIn Email Print WhatsApp Reddit Telegram Pinterest   More",
        ("Share" + " " * 4) * 12 + "x",
        " >      ".join(["Home crumb"] * 12) + " x.",
        "1" + " \t \t \t 2" * 40 + " x",
    ]
    text = "\n".join(hostile) + "\n"
    engine = cleaner.engine()
    engine.run(text)  # compile the patterns first
    started = time.perf_counter()
    outcome = engine.run(text)
    assert outcome.timeouts == []
    assert time.perf_counter() - started < 5  # generous: a catastrophic pattern takes minutes


@pytest.mark.parametrize(
    "line",
    [
        " © A" * 5_000,  # a © every few characters: each one once looked ahead to the end
        " (c) Agency" * 2_000,
        "Caption" + " " * 20_000 + "© no credit here",  # a wide run of white space before ©
        "Caption" + " " * 20_000 + "| Foto: no credit",
        "©" + " " * 20_000 + "x",
    ],
    ids=["signs", "c-in-brackets", "spaces-then-sign", "spaces-then-pipe", "sign-then-spaces"],
)
def test_trailing_photo_credit_stays_linear_on_long_lines(line: str) -> None:
    """trailing-photo-credit once looked from every © to the end of the line for a rights
    notice, and let every character of a run of white space start a match: a line of
    20,000 characters ran past the per-line timeout, which switched the rule off there.
    A linear pattern finishes such a line far inside the timeout, so nothing times out."""
    import cleaner

    text = f"The council met on Monday.\n{line}\nThe vote was close.\n"
    outcome = cleaner.engine().run(text)
    assert [t.rule_id for t in outcome.timeouts] == []


def test_a_very_long_phrase_is_matched_and_a_line_sharing_its_start_is_not(
    tmp_path: Path,
) -> None:
    """The line-start table holds a phrase's first characters only: a phrase thousands of
    characters long neither nests the table that deep nor matches a line that merely
    starts like it."""
    long_phrase = "Menu " * 1000 + "end"
    rules = tmp_path / "long.yaml"
    rule = {"id": "long", "kind": "line", "match": {"phrases": [long_phrase]}}
    rules.write_text(yaml.safe_dump({"rules": [rule]}))
    lookalike = "Menu " * 1000 + "and more"
    text = f"{long_phrase}\nThe council met on Tuesday.\n{lookalike}\n"
    out = cleaner.engine([rules], default_rules=False).run(text).text
    assert out == f"The council met on Tuesday.\n{lookalike}\n"
