"""``cleaner rules test``: check every rule against the examples it carries.

Each ``chrome`` example must be removed, every non-blank line of it, by that rule alone.
Each ``keep`` example must survive the whole rule set. Examples are set inside a
neutral article so that rules reading their surroundings see a real page: ``head``
examples above it, ``tail`` examples below it, the rest between two of its paragraphs.
The examples of an ``input: markdown`` rule are raw Markdown, read as a Markdown page.
"""

from __future__ import annotations

from cleaner.engine import Engine, Outcome
from cleaner.rule import Rule, Scope

ARTICLE_TOP = [
    "Council approves new budget after long debate",
    "The city council approved the new budget on Tuesday after a debate that lasted all night.",
    "Members argued over the cost of repairs to the old bridge, closed since the spring floods.",
]
ARTICLE_BOTTOM = [
    "The mayor said the vote showed that the council could still agree on what matters most.",
    "Work on the bridge is expected to begin in March and to take about eighteen months to finish.",
]


def _page(rule: Rule, example: str) -> tuple[list[str], range]:
    """The example set into the article, and the positions its lines take."""
    lines = example.split("\n")
    if rule.kind == "head":
        before, after = [], ARTICLE_TOP + ARTICLE_BOTTOM
    elif rule.kind == "tail":
        before, after = ARTICLE_TOP + ARTICLE_BOTTOM, []
    else:
        before, after = ARTICLE_TOP, ARTICLE_BOTTOM
    start = len(before)
    return before + lines + after, range(start, start + len(lines))


def _url_for(rule: Rule) -> str | None:
    return f"https://{rule.scope.sites[0]}/" if rule.scope.sites else None


def check_chrome(rule: Rule, example: str) -> str | None:
    """None when ``rule`` alone removes every line of ``example`` in context, else why not."""
    lines, span = _page(rule, example)
    solo = Engine([_unscoped(rule)])
    outcome = _run(solo, rule, "\n".join(lines) + "\n", None)
    for i in span:
        decision = outcome.decisions[i]
        if decision.text.strip() and decision.rule_id != rule.id:
            return f"chrome example line not removed: {decision.text!r}"
    for i, decision in enumerate(outcome.decisions):
        if i not in span and not decision.kept:
            return f"removed article text around the example: {decision.text!r}"
    return None


def check_keep(engine: Engine, rule: Rule, example: str) -> str | None:
    """None when the whole rule set keeps every line of ``example`` in context."""
    lines, span = _page(rule, example)
    text = "\n".join(lines) + "\n"
    outcomes = [_run(engine, rule, text, _url_for(rule))]
    # as HTML input runs (no late stage), unless the example is Markdown
    if not rule.scope.markdown and any(r.scope.html for r in engine.rules):
        outcomes.append(engine.run(text, _url_for(rule), late=False, html=True))
    for outcome in outcomes:
        for i in span:
            decision = outcome.decisions[i]
            if not decision.kept:
                return f"keep example removed by '{decision.rule_id}': {decision.text!r}"
            if decision.spans:
                return f"keep example cut by '{decision.spans[0][1]}': {decision.text!r}"
    return None


def _run(engine: Engine, rule: Rule, text: str, url: str | None) -> Outcome:
    """The page cleaned as ``rule``'s input is: Markdown for an ``input: markdown`` rule."""
    if rule.scope.markdown:
        from cleaner.markdown import run

        return run(engine, text, url)
    return engine.run(text, url)


def _unscoped(rule: Rule) -> Rule:
    """``rule`` on any page of its input (sites and ``detect`` dropped)."""
    from copy import copy

    clone = copy(rule)
    clone.scope = Scope(markdown=rule.scope.markdown)
    return clone


def check_examples(engine: Engine) -> tuple[list[str], int]:
    """Every failure as ``PATH:LINE: RULE-ID: message``, and how many examples were checked."""
    failures: list[str] = []
    checked = 0
    for rule in engine.rules:
        where = f"{rule.path}:{rule.line}: {rule.id}"
        for example in rule.chrome_examples:
            checked += 1
            problem = check_chrome(rule, example)
            if problem:
                failures.append(f"{where}: {problem}")
        for example in rule.keep_examples:
            checked += 1
            problem = check_keep(engine, rule, example)
            if problem:
                failures.append(f"{where}: {problem}")
    return failures, checked
