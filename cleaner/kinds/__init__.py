"""Rule kinds, one module each. ``KINDS`` maps the YAML ``kind:`` value to its class."""

from __future__ import annotations

from cleaner.kinds.block import BlockRule
from cleaner.kinds.content import ContentRule
from cleaner.kinds.copy import CopyRule
from cleaner.kinds.duplicate import DuplicateRule
from cleaner.kinds.head import HeadRule
from cleaner.kinds.inline import InlineRule
from cleaner.kinds.line import LineRule
from cleaner.kinds.model import ModelRule
from cleaner.kinds.tail import TailRule
from cleaner.rule import Rule

KINDS: dict[str, type[Rule]] = {
    cls.kind: cls
    for cls in (
        *(LineRule, InlineRule, BlockRule, TailRule, HeadRule, DuplicateRule, CopyRule),
        *(ContentRule, ModelRule),
    )
}
