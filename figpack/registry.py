"""The rule registry: each rule has a name, a kind (the module it lives in), the resource it
reports on, the resources it needs and an explanation; its function carries its name.

A rule whose needed resources are not all readable does not run, and that is itself a failure
(`rule_cannot_run`): validation fails closed.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable, Iterator


@dataclass(frozen=True)
class Failure:
    file: str  # the package path of the CSV (or datapackage.json, or a Table Schema)
    row: int | None  # row-level: 0-based data row; file-level: the CSV line itself, or None
    field: str | None
    value: str | None
    rule: str
    message: str  # what is wrong, or what would satisfy the rule ("expected ...")


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str
    resource: str
    needs: tuple[str, ...]
    explanation: str
    check: Callable[..., Iterator[tuple]]


RULES: list[Rule] = []


def rule(resource: str, needs: tuple[str, ...], explanation: str):
    """Register the decorated function as a rule named after it, of the kind of its module."""

    def register(func):
        RULES.append(Rule(func.__name__, func.__module__.rsplit(".", 1)[-1], resource, needs, explanation, func))
        return func

    return register


def checks(ctx, paths: dict[str, str]) -> list[Callable[[], list[Failure]]]:
    """One job per rule, in the registry's order, each giving that rule's failures. A check yields
    (field, row, value, expected) for its own resource, or (resource, row, field, value, expected)
    when the rule spans several."""
    import figpack.rules  # noqa: F401  (registers every rule)

    return [functools.partial(_failures, r, ctx, paths) for r in RULES]


def run(ctx, paths: dict[str, str]) -> list[Failure]:
    """Every failure of every rule, one rule after another."""
    return [failure for job in checks(ctx, paths) for failure in job()]


def _failures(r: Rule, ctx, paths: dict[str, str]) -> list[Failure]:
    missing = [n for n in r.needs if n not in ctx.tables]
    if missing:
        message = f"expected the resource(s) {', '.join(missing)} readable: rule {r.name} needs them"
        return [Failure("datapackage.json", None, None, None, "rule_cannot_run", message)]
    failures = []
    try:
        for found in r.check(ctx):
            resource, row, field, value, expected = found if len(found) == 5 else (r.resource, *found)
            text = None if ctx.blank(value) else str(value)
            failures.append(Failure(paths[resource], row, field, text, r.name, "expected " + expected))
    except Exception as exc:  # data no rule foresaw: the rule did not run, so the package is not valid
        message = f"expected data rule {r.name} can check; it stopped on {exc.__class__.__name__}"
        failures.append(Failure("datapackage.json", None, None, None, "rule_cannot_run", message))
    return failures
