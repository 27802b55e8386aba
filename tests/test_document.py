from hypothesis import given
from hypothesis import strategies as st

from cleaner.document import join, split


@given(st.text(alphabet=st.sampled_from("ab \r\n\u2028\t")))
def test_split_then_join_is_identity(text: str) -> None:
    assert join(*split(text)) == text


def test_only_newline_ends_a_line() -> None:
    texts, endings = split("one\u2028two\rthree\r\nfour\nfive")
    assert texts == ["one\u2028two\rthree", "four", "five"]
    assert endings == ["\r\n", "\n", ""]
