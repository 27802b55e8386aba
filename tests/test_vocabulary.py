"""Rule language: shared vocabularies, ``unless:``, verbose patterns, and their errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner.engine import Engine
from cleaner.errors import RuleError
from cleaner.loader import load_rules, load_vocabulary
from cleaner.matching import Matcher, SpecError
from cleaner.vocabulary import Entry, Vocabulary, alternation

from .conftest import run_cli

PROSE = "The council approved the new budget on Tuesday after a debate that lasted all night."

VOCAB = """\
vocabulary:
  test_month:
    description: Months for the tests.
    en: [May, June, Sept, Sep, a.m.]
    de: [Mai, Juni]
  test_verb: [said, told, according to, powiedział*]
  test_both: ["{test_verb}", "{test_month.de}"]
"""


def write(tmp_path: Path, text: str, name: str = "rules.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def engine_from(tmp_path: Path, rules: str) -> Engine:
    return Engine(load_rules([write(tmp_path, VOCAB + rules)]))


def vocabulary() -> Vocabulary:
    return Vocabulary(
        [
            Entry("test_month", {"en": ("May", "Sept", "Sep", "a.m."), "de": ("Mai",)}),
            Entry("test_verb", {"words": ("said", "according to", "powiedział*")}),
        ]
    )


# --- expansion --------------------------------------------------------------------------


def test_alternation_is_escaped_longest_first_and_word_bounded() -> None:
    edge = r"(?<![^\W\d_])", r"(?![^\W\d_])"
    assert alternation(["Sep", "Sept", "a.m."]) == rf"(?:{edge[0]}(?:Sept|a\.m\.|Sep){edge[1]})"
    assert alternation(["said", "according to"]) == (
        rf"(?:{edge[0]}(?:according\s+to|said){edge[1]})"
    )
    assert alternation(["powiedział*"]) == rf"(?:{edge[0]}(?:powiedział\w*){edge[1]})"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Published 5 Sept 2019", True),
        ("Published 5 Sep 2019", True),
        ("The Mayor spoke", False),  # May inside a word
        ("at 9 a.m. sharp", True),
        ("at 9 aXmX sharp", False),  # the dots are text, not "any character"
        ("19Sept2019", True),  # digits may touch a word
    ],
)
def test_reference_matches_whole_words_only(text: str, found: bool) -> None:
    matcher = Matcher({"regex": r"{test_month}"}, vocabulary=vocabulary())
    assert (matcher.search(text) is not None) is found


def test_reference_to_one_language() -> None:
    matcher = Matcher({"regex": r"^\d+\. {test_month.de}$"}, vocabulary=vocabulary())
    assert matcher.search("5. Mai") is not None
    assert matcher.search("5. May") is None
    with pytest.raises(SpecError, match="has no language 'fr'"):
        Matcher({"regex": "{test_month.fr}"}, vocabulary=vocabulary())


@pytest.mark.parametrize(
    "pattern",
    [r"\d{2,5}", r"\p{Lu}{2}", r"\p{greek}", r"\N{BULLET}", r"(?:abc){e<=1}", r"\{test_verb}"],
)
def test_braces_that_are_not_references_stay(pattern: str) -> None:
    assert vocabulary().expand(pattern) == pattern


def test_space_in_a_word_matches_any_white_space_and_a_star_takes_the_ending() -> None:
    matcher = Matcher({"words": "test_verb"}, vocabulary=vocabulary())
    assert matcher.search("according\t to the police") is not None
    assert matcher.search("jak powiedziała policja") is not None
    assert matcher.search("unsaid") is None


def test_unknown_reference_is_an_error_naming_the_known_ones() -> None:
    with pytest.raises(SpecError, match=r"unknown vocabulary 'test_mnth' \(known: test_month"):
        Matcher({"regex": "^{test_mnth}$"}, vocabulary=vocabulary())


def test_vocabularies_include_each_other(tmp_path: Path) -> None:
    vocab = load_vocabulary([write(tmp_path, VOCAB)])
    assert set(vocab.words("test_both")) == {"said", "told", "according to", "powiedział*"} | {
        "Mai",
        "Juni",
    }


def test_pattern_piece_is_a_group_and_may_use_vocabularies(tmp_path: Path) -> None:
    vocab = load_vocabulary(
        [
            write(
                tmp_path,
                VOCAB + "  test_stamp:\n    description: A stamp.\n"
                "    pattern: '\\d{1,2} {test_month.de}|{test_month.de} \\d{4}'\n",
            )
        ]
    )
    matcher = Matcher({"regex": "^(?i:{test_stamp})$"}, vocabulary=vocab)
    assert [bool(matcher.search(t)) for t in ("12 Juni", "Mai 2019", "12 June", "Mai")] == [
        True,
        True,
        False,
        False,
    ]
    assert vocab.words("test_stamp") == ("\\d{1,2} {test_month.de}|{test_month.de} \\d{4}",)
    assert bool(Matcher({"words": "test_stamp"}, vocabulary=vocab).search("am 3 Mai"))


def test_default_sentence_piece_keeps_sentences_not_labels() -> None:
    matcher = Matcher({"regex": "{sentence}"}, vocabulary=load_vocabulary())
    assert not matcher.search("Related articles")
    assert not matcher.search("Das könnte Sie auch interessieren.")
    assert matcher.search("Related articles in the journal describe the same effect in mice.")
    assert matcher.search(" ".join(["word"] * 20))


# --- rule files ---------------------------------------------------------------------------


def test_rule_uses_vocabulary_of_its_own_file(tmp_path: Path) -> None:
    engine = engine_from(
        tmp_path,
        "rules:\n  - id: month-line\n    kind: line\n"
        "    match: {regex: '^\\d{1,2} {test_month}$'}\n",
    )
    outcome = engine.run(f"{PROSE}\n12 June\n12 Junebug\n")
    assert [d.text for d in outcome.removed] == ["12 June"]


def test_vocabulary_file_serves_every_rule_file(tmp_path: Path) -> None:
    write(tmp_path, VOCAB, "words.yaml")
    write(
        tmp_path,
        "rules: [{id: r, kind: line, match: {regex: '^Updated {test_month}$'}}]\n",
        "a.yaml",
    )
    engine = Engine(load_rules([tmp_path]))
    assert [d.text for d in engine.run(f"{PROSE}\nUpdated Sept\n").removed] == ["Updated Sept"]


def test_default_vocabularies_are_there_without_the_default_rules(tmp_path: Path) -> None:
    path = write(tmp_path, "rules: [{id: r, kind: line, match: {words: reporting_verb}}]\n")
    engine = Engine(load_rules([path]))
    assert engine.run(f"{PROSE}\nhe said\n").removed[0].text == "he said"


def test_a_copy_of_a_vocabulary_file_is_no_second_definition(tmp_path: Path) -> None:
    from cleaner.loader import default_rules_dir

    copy = tmp_path / "vocabulary"
    copy.mkdir()
    for path in (default_rules_dir() / "vocabulary").glob("*.yaml"):
        (copy / path.name).write_bytes(path.read_bytes())
    assert "month" in load_vocabulary([tmp_path])


def test_verbose_pattern_with_comments_and_vocabulary(tmp_path: Path) -> None:
    engine = engine_from(
        tmp_path,
        "rules:\n"
        "  - id: stamp\n"
        "    kind: line\n"
        "    match:\n"
        "      regex: |-\n"
        "        (?x) ^ (?i: updated | published )   # the label\n"
        "        \\s+ \\d{1,2} \\s+ {test_month}      # a day and a month\n"
        "        \\s* $\n",
    )
    outcome = engine.run(f"{PROSE}\nUpdated 12 June\nPublished 3 Sept\nUpdated twice\n")
    assert [d.text for d in outcome.removed] == ["Updated 12 June", "Published 3 Sept"]


# --- unless -------------------------------------------------------------------------------

UNLESS = """\
rules:
  - id: share
    kind: line
    match: {regex: '^Share this', ignore_case: true}
    unless: {words: test_verb}
  - id: credit
    kind: inline
    match: {regex: '\\s*\\(photo: [^)]*\\)'}
    unless: {contains: [quoted]}
  - id: related
    kind: block
    match: {phrases: ['Related']}
    unless: {regex: 'never'}
"""


def test_unless_keeps_the_line_the_match_found(tmp_path: Path) -> None:
    engine = engine_from(tmp_path, UNLESS)
    outcome = engine.run(
        f"{PROSE}\nShare this story\nSHARE THIS, the mayor SAID.\n"
        "A bridge (photo: AP)\nA quoted bridge (photo: AP)\n"
    )
    removed = {d.text: d.rule_id for d in outcome.removed}
    assert removed == {"Share this story": "share"}
    cut = [d for d in outcome.decisions if d.spans]
    assert [(d.text, d.spans) for d in cut] == [
        ("A bridge (photo: AP)", [(" (photo: AP)", "credit")])
    ]


def test_unless_compares_without_case_when_the_match_does(tmp_path: Path) -> None:
    engine = engine_from(tmp_path, UNLESS)
    assert engine.run(f"{PROSE}\nShare this, he Said\n").removed == []


def test_unless_never_widens_the_candidates(tmp_path: Path) -> None:
    engine = engine_from(tmp_path, UNLESS)
    rule = next(r for r in engine.rules if r.id == "share")
    assert rule.match is not None and rule.match.unless is not None
    assert rule.match.plan == Matcher({"regex": "^Share this", "ignore_case": True}).plan


def test_unless_timeout_is_reported_and_keeps_the_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "rules: [{id: slow, kind: line, timeout: 0.05, match: {regex: '^a'},"
        " unless: {regex: '^(a|aa)+$'}}]\n",
    )
    outcome = Engine(load_rules([path])).run(f"{PROSE}\n{'a' * 40}b\n")
    assert outcome.removed == []
    assert [t.rule_id for t in outcome.timeouts] == ["slow"]


# --- errors ---------------------------------------------------------------------------------

ERRORS = {
    "unknown-reference": (
        "rules:\n  - id: a\n    kind: line\n    match: {regex: '^{no_such_words}$'}\n",
        2,
        "a",
        "unknown vocabulary 'no_such_words'",
    ),
    "unknown-words": (
        "rules:\n  - id: b\n    kind: line\n    match: {regex: x}\n    unless: {words: no_no}\n",
        2,
        "b",
        "'unless': unknown vocabulary 'no_no'",
    ),
    "unless-bad-key": (
        "rules:\n  - id: c\n    kind: line\n    match: {regex: x}\n    unless: {regexp: y}\n",
        2,
        "c",
        "'unless': unknown match key 'regexp'",
    ),
    "unless-everything": (
        "rules:\n  - id: d\n    kind: line\n    match: {regex: x}\n    unless: {regex: 'y?'}\n",
        2,
        "d",
        "'unless' finds something in any line",
    ),
    "unless-without-match": (
        "rules:\n  - id: e\n    kind: duplicate\n    unless: {regex: y}\n",
        2,
        "e",
        "'unless' narrows the rule's 'match'",
    ),
    "unless-not-a-mapping": (
        "rules:\n  - id: f\n    kind: line\n    match: {regex: x}\n    unless: [y]\n",
        2,
        "f",
        "'unless': a match must be a mapping",
    ),
    "cycle": (
        "vocabulary:\n  aa_words: ['{bb_words}']\n  bb_words: [x, '{aa_words}']\nrules: []\n",
        2,
        None,
        "vocabulary cycle: aa_words -> bb_words -> aa_words",
    ),
    "bad-name": ("vocabulary:\n  Month: [x]\nrules: []\n", 2, None, "must be lower case"),
    "bad-words": ("vocabulary:\n  month_x: x\n", 2, None, "vocabulary 'month_x': must be"),
    "bad-language": (
        "vocabulary:\n  month_x:\n    english: [May]\n",
        2,
        None,
        "unknown key 'english'",
    ),
    "pattern-in-words": (
        "vocabulary:\n  aa_piece: {pattern: 'x+'}\n  bb_words: [y, '{aa_piece}']\nrules: []\n",
        3,
        None,
        "includes 'aa_piece', which is a pattern, not words",
    ),
    "pattern-cycle": (
        "vocabulary:\n  aa_piece: {pattern: 'x{bb_piece}'}\n  bb_piece: {pattern: 'y{aa_piece}'}\n",
        2,
        None,
        "vocabulary cycle: aa_piece -> bb_piece -> aa_piece",
    ),
    "pattern-bad": (
        "vocabulary:\n  aa_piece: {pattern: 'x(', description: broken}\n",
        2,
        None,
        "the pattern does not compile",
    ),
    "pattern-verbose": (
        "vocabulary:\n  aa_piece: {pattern: '(?x) a b'}\n",
        2,
        None,
        "write it without (?x)",
    ),
    "pattern-language": (
        "vocabulary:\n  aa_piece: {pattern: 'x'}\n"
        "rules: [{id: g, kind: line, match: {regex: '{aa_piece.de}'}}]\n",
        3,
        "g",
        "is a pattern: it has no languages",
    ),
    "twice": (
        "vocabulary:\n  reporting_verb: [said]\n",
        2,
        None,
        "vocabulary 'reporting_verb' is defined twice",
    ),
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_bad_vocabulary_or_unless_names_file_line_and_rule(tmp_path: Path, name: str) -> None:
    text, line, rule_id, words = ERRORS[name]
    path = write(tmp_path, text, f"{name}.yaml")
    with pytest.raises(RuleError) as caught:
        load_rules([path])
    error = caught.value
    assert (error.path, error.line, error.rule_id) == (str(path), line, rule_id)
    assert words in str(error)


def test_cli_reports_an_unknown_vocabulary_in_one_line_with_exit_2(tmp_path: Path) -> None:
    path = write(tmp_path, "rules:\n  - id: oops\n    kind: line\n    match: {regex: '{mnth}'}\n")
    result = run_cli("clean", "--rules", str(path), stdin=b"text\n")
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 1
    assert f"{path}:2: rule 'oops': unknown vocabulary 'mnth'" in lines[0]


def test_rules_vocab_lists_and_shows_vocabularies(tmp_path: Path) -> None:
    path = write(tmp_path, VOCAB + "rules: []\n")
    listed = run_cli("rules", "vocab", "--rules", str(path))
    assert listed.code == 0
    assert "test_month" in listed.out and "reporting_verb" in listed.out
    shown = run_cli("rules", "vocab", "test_month", "--rules", str(path))
    assert shown.code == 0
    assert "de: Mai, Juni" in shown.out
    assert run_cli("rules", "vocab", "no_such").code == 2
