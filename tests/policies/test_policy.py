"""Rules in order, first match wins; identity, place and direction filters."""

from __future__ import annotations

import pytest

from config.schema import PolicyRule
from policies.finding import Finding
from policies.policy import ANONYMOUS, Context, Identity, Policy, Verdict, strongest

KEY = Finding("AWS_ACCESS_KEY", "credentials", 0, 20, 0.95)
EMAIL = Finding("EMAIL", "pii", 0, 10, 0.6)
WEAK = Finding("EMAIL", "pii", 0, 10, 0.3)

RULES = [
    PolicyRule("security-may-paste-keys", "allow", topics=("credentials",), groups=("security",)),
    PolicyRule("no-keys", "block", topics=("credentials",)),
    PolicyRule("redact-email-to-gpt", "redact", entries=("EMAIL",), models=("gpt-4o*",), direction="request"),
    PolicyRule("flag-pii", "flag", topics=("pii",), min_level="medium"),
]


def ctx(identity: Identity = ANONYMOUS, model: str | None = "gpt-4o-mini", direction: str = "request") -> Context:
    return Context(identity, "default", "openai", model, direction)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("finding", "context", "expected"),
    [
        (KEY, ctx(), Verdict("block", "no-keys")),
        (KEY, ctx(Identity("ana", ("security",))), Verdict("allow", "security-may-paste-keys")),
        (KEY, ctx(Identity("bob", ("sales",))), Verdict("block", "no-keys")),
        (EMAIL, ctx(), Verdict("redact", "redact-email-to-gpt")),
        (EMAIL, ctx(model="claude-sonnet-4-5"), Verdict("flag", "flag-pii")),
        (EMAIL, ctx(direction="response"), Verdict("flag", "flag-pii")),
        (WEAK, ctx(), Verdict("allow", None)),  # below every rule's level
    ],
)
def test_first_matching_rule_decides(finding: Finding, context: Context, expected: Verdict) -> None:
    assert Policy(RULES).judge(finding, context) == expected


def test_strongest_action_and_unknown_entries() -> None:
    assert strongest(["flag", "allow", "redact"]) == "redact"
    assert strongest([]) == "allow"
    Policy(RULES).check_entries(["EMAIL", "AWS_ACCESS_KEY"])
    with pytest.raises(
        ValueError, match=r"dlp rule 'redact-email-to-gpt' \(rules\[2\]\.entries\[0\]\): unknown entry 'EMAIL'"
    ):
        Policy(RULES).check_entries(["AWS_ACCESS_KEY"])
