"""Errors that end a run with a one-line message and exit code 2."""

from __future__ import annotations


class CleanerError(Exception):
    """Bad usage or bad input: shown to the user as one line, exit code 2."""

    exit_code = 2


class RuleError(CleanerError):
    """A rule file that cannot be used: names the file, the line and the rule id."""

    def __init__(self, path: str, line: int | None, rule_id: str | None, message: str) -> None:
        self.path = path
        self.line = line
        self.rule_id = rule_id
        self.message = message
        where = f"{path}:{line}" if line else path
        who = f" rule '{rule_id}':" if rule_id else ""
        super().__init__(f"{where}:{who} {message}")

    def __reduce__(self) -> tuple[type[RuleError], tuple[str, int | None, str | None, str]]:
        # crosses process boundaries (worker pools, Dask) with all its fields
        return (RuleError, (self.path, self.line, self.rule_id, self.message))


class InputError(CleanerError):
    """Input that cannot be cleaned (malformed JSONL, a missing field...)."""


class RowError(InputError):
    """A JSONL row that cannot be cleaned. The run that meets it adds what it leaves
    written: only the run knows whether files before this one were rewritten."""
