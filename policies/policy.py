"""Policies: which action each finding gets, for whom, where, and in which direction.

Rules (``config.schema.PolicyRule``) are tried in order for every finding; the first
rule whose filters all match decides that finding's action. A finding no rule matches
is allowed (it is still reported). The request's action is the strongest of its
findings' actions: block > redact > flag > allow.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Literal

from config.schema import Action, PolicyRule
from policies.finding import Finding, Level

ACTION_RANK: dict[Action, int] = {"allow": 0, "flag": 1, "redact": 2, "block": 3}
_LEVELS = {"low": Level.LOW, "medium": Level.MEDIUM, "high": Level.HIGH}


@dataclass(frozen=True, slots=True)
class Identity:
    """Who is asking, from a verified token only (never from request headers)."""

    user: str | None = None
    groups: tuple[str, ...] = ()
    tenant: str | None = None


ANONYMOUS = Identity()


@dataclass(frozen=True, slots=True)
class Context:
    identity: Identity
    gateway: str
    provider: str | None
    model: str | None
    direction: Literal["request", "response"]


@dataclass(frozen=True, slots=True)
class Verdict:
    action: Action
    rule: str | None  # the deciding rule's name; None when no rule matched


ALLOWED = Verdict("allow", None)


class Policy:
    def __init__(self, rules: Sequence[PolicyRule]) -> None:
        self.rules = tuple(rules)

    def judge(self, finding: Finding, context: Context) -> Verdict:
        level = finding.level
        for rule in self.rules:
            if _matches(rule, finding, level, context):
                return Verdict(rule.action, rule.name)
        return ALLOWED

    def placeholder_style(self, rule_name: str | None) -> str:
        for rule in self.rules:
            if rule.name == rule_name:
                return rule.placeholder
        return "entry"

    def check_entries(self, known: Iterable[str]) -> None:
        """Refuse a rule naming an entry no detector reports (a typo would never match)."""
        names = set(known)
        for index, rule in enumerate(self.rules):
            for position, entry in enumerate(rule.entries):
                if entry not in names:
                    raise ValueError(
                        f"dlp rule {rule.name!r} (rules[{index}].entries[{position}]): unknown entry {entry!r}; "
                        f"known entries: {', '.join(sorted(names))}"
                    )


def strongest(actions: Iterable[Action]) -> Action:
    return max(actions, key=ACTION_RANK.__getitem__, default="allow")


def _matches(rule: PolicyRule, finding: Finding, level: Level, context: Context) -> bool:
    if level < _LEVELS[rule.min_level]:
        return False
    if rule.topics and finding.topic not in rule.topics:
        return False
    if rule.entries and finding.entry not in rule.entries:
        return False
    if rule.direction != "both" and rule.direction != context.direction:
        return False
    if rule.users and context.identity.user not in rule.users:
        return False
    if rule.groups and not set(rule.groups).intersection(context.identity.groups):
        return False
    if rule.gateways and context.gateway not in rule.gateways:
        return False
    if rule.providers and context.provider not in rule.providers:
        return False
    return not rule.models or (
        context.model is not None and any(fnmatchcase(context.model, pattern) for pattern in rule.models)
    )
