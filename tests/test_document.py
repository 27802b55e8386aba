from hypothesis import given
from hypothesis import strategies as st

from cleaner.document import join_lines, split_lines


@given(st.text())
def test_split_then_join_is_identity(text: str) -> None:
    assert join_lines(split_lines(text)) == text


def test_only_newline_ends_a_line() -> None:
    lines = split_lines("one\u2028two\rthree\r\nfour\nfive")
    assert [line.text for line in lines] == ["one\u2028two\rthree", "four", "five"]
    assert [line.ending for line in lines] == ["\r\n", "\n", ""]
