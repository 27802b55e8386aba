"""Load rule files: safe YAML in, validated rules out, or a RuleError naming file, line and id.

A rule file holds ``rules:``, a list of rules. It may also carry ``sites:`` and
``detect:`` that scope every rule in it (a site pack), ``input: html``, which keeps
its rules to text extracted from HTML pages, ``input: markdown``, which keeps them to
Markdown pages and has their matches read each line's raw Markdown (links with their
URLs, marks and all) instead of its visible text, and ``vocabulary:``, named word lists
(see ``cleaner.vocabulary``); a file may hold vocabularies alone. Every rule of a rule
set may use every vocabulary it loads and the default ones (``rules/vocabulary/``),
which are there even without the default rules. YAML is read with the safe
loader only: rule files are data, and no tag in them can build an object or run code.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex

from cleaner.cache import cached, key_of
from cleaner.errors import RuleError
from cleaner.kinds import KINDS
from cleaner.matching import DEFAULT_TIMEOUT, Matcher, SpecError
from cleaner.rule import Rule, Scope, boolean
from cleaner.vocabulary import Entry, Vocabulary, using
from cleaner.vocabulary import parse as parse_vocabulary

COMMON_KEYS = {
    *("id", "kind", "description", "match", "examples", "sites", "detect", "timeout"),
    *("boundary", "unless"),
}
FILE_KEYS = {"rules", "sites", "detect", "description", "input", "vocabulary"}
INPUTS = ("html", "markdown")
RULE_SUFFIXES = (".yaml", ".yml")
_ID = regex.compile(r"^[^\s:]+$")
#: lines an ``unless`` that keeps every line finds something in
_ANY_LINES = ("", "x", "Chrome and 42 other words.")


class _LineDict(dict):  # type: ignore[type-arg]
    """A mapping that remembers the line it started on in its file, and its keys' lines."""

    line: int = 0
    key_lines: dict[Any, int] = {}  # noqa: RUF012 - set per instance by the loader


@lru_cache(maxsize=1)
def _loader() -> type:
    """The safe YAML loader (libyaml's when installed) that records mapping lines.

    Imported on first use: a run whose rules come from the cache never parses YAML.
    """
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc, valid-type]
        pass

    def construct_mapping(loader: Any, node: Any) -> _LineDict:
        mapping = _LineDict(loader.construct_mapping(node, deep=True))
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {
            key.value: key.start_mark.line + 1 for key, _ in node.value if hasattr(key, "value")
        }
        return mapping

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    return Loader


def default_rules_dir() -> Path:
    """The checkout's ``rules/`` when running from a checkout, else the installed copy."""
    package = Path(__file__).resolve().parent
    checkout = package.parent
    if (checkout / "rules").is_dir() and (checkout / "pyproject.toml").is_file():
        return checkout / "rules"
    return package / "default_rules"  # installed: setuptools maps rules/ here


def rule_files(path: Path) -> list[Path]:
    """``path`` itself, or every rule file below a directory, in a stable order."""
    if path.is_dir():
        found = [
            Path(root) / name
            for root, _, names in os.walk(path)
            for name in names
            if name.endswith(RULE_SUFFIXES)
        ]
        return sorted(found)
    return [path]


@dataclass(frozen=True)
class LoadedFile:
    path: str
    rules: list[Rule]


def _scope(spec: dict[str, Any], where: str, timeout: float, base: Scope | None) -> Scope:
    sites = spec.get("sites")
    detect = spec.get("detect")
    given = _input(spec)
    html = base.html if base else given == "html"
    markdown = base.markdown if base else given == "markdown"
    if sites is None and detect is None:
        return base or Scope(html=html, markdown=markdown)
    if sites is not None and (
        not isinstance(sites, list) or not all(isinstance(s, str) and s for s in sites)
    ):
        raise SpecError(f"'sites' {where} must be a list of domains")
    detect_matcher = None
    if detect is not None:
        if isinstance(detect, list):
            detect = {"contains": detect}
        detect_matcher = Matcher(detect, timeout=timeout)
    return Scope(tuple(s.lower().lstrip(".") for s in sites or ()), detect_matcher, html, markdown)


def _input(spec: dict[str, Any]) -> str | None:
    """The input a rule file's ``input:`` keeps its rules to: "html", "markdown" or None."""
    value = spec.get("input")
    if value is None:
        return None
    if value not in INPUTS:
        raise SpecError(f"'input' must be one of: {', '.join(INPUTS)}")
    return str(value)


def _examples(spec: dict[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    examples = spec.get("examples")
    if examples is None:
        return (), ()
    if not isinstance(examples, dict) or set(examples) - {"chrome", "keep"}:
        raise SpecError("'examples' must be a mapping with 'chrome' and/or 'keep' lists")
    out = []
    for key in ("chrome", "keep"):
        values = examples.get(key) or []
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise SpecError(f"'examples.{key}' must be a list of strings")
        out.append(tuple(values))
    return out[0], out[1]


def build_rule(spec: Any, path: str, pack_scope: Scope | None, timeout: float) -> Rule:
    """Validate one rule mapping and build its rule object."""
    line = getattr(spec, "line", 0)
    if not isinstance(spec, dict):
        raise RuleError(path, line or None, None, "each rule must be a mapping")
    rule_id = spec.get("id")
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        raise RuleError(path, line, None, "a rule needs an 'id': text without spaces or colons")
    try:
        kind = spec.get("kind")
        if kind not in KINDS:
            raise SpecError(f"unknown kind {kind!r} (expected one of: {', '.join(sorted(KINDS))})")
        cls = KINDS[kind]
        unknown = set(spec) - COMMON_KEYS - cls.params
        if unknown:
            raise SpecError(f"unknown key '{sorted(unknown)[0]}' for kind '{kind}'")
        rule_timeout = spec.get("timeout", timeout)
        if (
            isinstance(rule_timeout, bool)
            or not isinstance(rule_timeout, (int, float))
            or not 0 < rule_timeout < float("inf")
        ):
            raise SpecError("'timeout' must be a positive number of seconds")
        if cls.needs_match and "match" not in spec:
            raise SpecError(f"kind '{kind}' needs a 'match'")
        if "unless" in spec and "match" not in spec:
            raise SpecError("'unless' narrows the rule's 'match', and this rule has none")
        description = spec.get("description", "")
        if not isinstance(description, str):
            raise SpecError("'description' must be text")
        chrome, keep = _examples(spec)
        rule = cls(
            id=rule_id,
            description=description.strip(),
            match=_match(spec, rule_timeout) if "match" in spec else None,
            scope=_scope(spec, "of a rule", rule_timeout, pack_scope),
            chrome_examples=chrome,
            keep_examples=keep,
            path=path,
            line=line,
            boundary=boolean(spec, "boundary", False),
        )
        rule.configure(spec, rule_timeout)
        if rule.scope.markdown and (cls.late or kind == "inline"):
            raise SpecError(
                f"kind '{kind}' cannot read raw Markdown (input: markdown): such a rule "
                "removes whole lines of the raw page"
            )
        if (
            rule.match is not None
            and rule.kind not in ("inline", "duplicate")
            and rule.match.finds_empty()
        ):
            raise SpecError("the match finds an empty string, so it would remove every line")
    except SpecError as exc:
        raise RuleError(path, line, rule_id, str(exc)) from None
    return rule


def _match(spec: dict[str, Any], timeout: float) -> Matcher:
    """The rule's ``match``, narrowed by its ``unless`` (which compares without case
    when the match does, unless it says otherwise)."""
    if "unless" not in spec:
        return Matcher(spec["match"], timeout=timeout)
    unless = spec["unless"]
    if isinstance(unless, dict) and "ignore_case" not in unless:
        match = spec["match"]
        if isinstance(match, dict) and match.get("ignore_case") is True:
            unless = {**unless, "ignore_case": True}
    try:
        keep = Matcher(unless, timeout=timeout)
    except SpecError as exc:
        raise SpecError(f"'unless': {exc}") from None
    if all(keep.search(line) is not None for line in _ANY_LINES):
        raise SpecError("'unless' finds something in any line, so the rule would remove nothing")
    return Matcher(spec["match"], timeout=timeout, unless=keep)


def read_file(path: Path) -> dict[str, Any]:
    """A rule or vocabulary file's top-level mapping, checked for its keys."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RuleError(name, None, None, f"cannot read rule file: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RuleError(name, None, None, f"not UTF-8 text (byte {exc.start})") from None
    import yaml

    try:
        data = yaml.load(text, Loader=_loader())  # noqa: S506 - a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and mark and mark.line >= text.count("\n"):
            mark = exc.context_mark  # an error at the end of the file began where its context did
        line = mark.line + 1 if mark else None
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        raise RuleError(name, line, None, f"YAML error: {problem}") from None
    except yaml.YAMLError as exc:
        raise RuleError(name, None, None, f"YAML error: {exc}") from None
    if not isinstance(data, dict) or ("rules" not in data and "vocabulary" not in data):
        raise RuleError(name, None, None, "a rule file must be a mapping with a 'rules:' list")
    unknown = set(data) - FILE_KEYS
    if unknown:
        raise RuleError(
            name, getattr(data, "line", None), None, f"unknown top-level key '{sorted(unknown)[0]}'"
        )
    if not isinstance(data.get("rules", []), list):
        raise RuleError(name, getattr(data, "line", None), None, "'rules' must be a list")
    return data


def vocabulary_of(path: Path, data: dict[str, Any]) -> list[Entry]:
    """The vocabularies a file's ``vocabulary:`` defines (none without one)."""
    if "vocabulary" not in data:
        return []
    line = getattr(data, "key_lines", {}).get("vocabulary") or getattr(data, "line", 0)
    value = data["vocabulary"]
    return parse_vocabulary(value, str(path), line, getattr(value, "key_lines", {}))


def default_vocabulary_files() -> list[Path]:
    """The vocabulary files every rule set may use: ``vocabulary/`` of the default rules."""
    folder = default_rules_dir() / "vocabulary"
    return rule_files(folder) if folder.is_dir() else []


def build_file(
    path: Path, data: dict[str, Any], vocabulary: Vocabulary, timeout: float
) -> LoadedFile:
    """The rules of a file read by ``read_file``, their patterns read with ``vocabulary``."""
    name = str(path)
    try:
        pack_scope = _scope(data, "of a rule file", timeout, None)
    except SpecError as exc:
        raise RuleError(name, getattr(data, "line", None), None, str(exc)) from None
    with using(vocabulary):
        rules = [build_rule(spec, name, pack_scope, timeout) for spec in data.get("rules", [])]
    return LoadedFile(name, rules)


def load_vocabulary(paths: Iterable[Path] = ()) -> Vocabulary:
    """Every vocabulary the rule files under ``paths`` and the default ones define."""
    return _vocabulary(_read_all(list(paths)))


def _read_all(paths: list[Path]) -> list[tuple[Path, dict[str, Any]]]:
    """Each file to load, read: the default vocabulary files, then those under ``paths``."""
    files = default_vocabulary_files()
    seen = {p.resolve() for p in files}
    for root in paths:
        if not root.exists():
            raise RuleError(str(root), None, None, "no such rule file or directory")
        for path in rule_files(root):
            if path.resolve() not in seen:
                seen.add(path.resolve())
                files.append(path)
    return [(path, read_file(path)) for path in files]


def _vocabulary(files: list[tuple[Path, dict[str, Any]]]) -> Vocabulary:
    return Vocabulary(entry for path, data in files for entry in vocabulary_of(path, data))


def load_file(path: Path, timeout: float = DEFAULT_TIMEOUT) -> LoadedFile:
    """One rule file, with its own vocabularies and the default ones."""
    loaded = _load_files([path], timeout)
    return next((f for f in loaded if f.path == str(path)), LoadedFile(str(path), []))


def _load_files(paths: list[Path], timeout: float) -> list[LoadedFile]:
    files = _read_all(paths)
    vocabulary = _vocabulary(files)
    return [build_file(path, data, vocabulary, timeout) for path, data in files]


def load_rules(paths: Iterable[Path], timeout: float = DEFAULT_TIMEOUT) -> list[Rule]:
    """Load every rule file under ``paths``; rule ids must be unique across them.

    A rule set loaded before from the same bytes comes from the cache (see ``cache``).
    """
    paths = list(paths)
    parts = _cache_key_parts(paths, timeout)
    if parts is None:
        return _load_rules(paths, timeout)
    return cached("rules", key_of(parts), lambda: _load_rules(paths, timeout))


def _cache_key_parts(paths: list[Path], timeout: float) -> list[bytes] | None:
    """What a loaded rule set depends on; None when a path cannot be read (no caching)."""
    parts = [repr(float(timeout)).encode()]
    try:
        for path in default_vocabulary_files():
            parts += [str(path).encode(), path.read_bytes()]
        for root in paths:
            if not root.exists():
                return None
            for path in rule_files(root):
                parts += [str(path).encode(), path.read_bytes()]
    except OSError:
        return None
    return parts


def _load_rules(paths: list[Path], timeout: float) -> list[Rule]:
    rules: list[Rule] = []
    seen: dict[str, Rule] = {}
    for loaded in _load_files(paths, timeout):
        for rule in loaded.rules:
            if rule.id in seen:
                first = seen[rule.id]
                where = f"{first.path}:{first.line}"
                raise RuleError(
                    rule.path, rule.line, rule.id, f"duplicate id (first defined at {where})"
                )
            seen[rule.id] = rule
            rules.append(rule)
    return rules
