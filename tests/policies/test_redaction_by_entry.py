"""Redaction output for every detector family, end to end through the inspector: the
value is replaced by its entry's placeholder, and nothing around it changes."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bench import dlp_corpus_keys as keys
from bench import dlp_corpus_values as values
from bench.dlp_corpus_base import Gen
from config.schema import PolicyRule
from policies.detectors import default_detectors
from policies.inspector import Inspector
from policies.policy import ANONYMOUS, Context, Policy
from policies.redact import Placeholders

GEN = Gen(5)
CTX = Context(ANONYMOUS, "default", "openai", "gpt-4o", "request")
INSPECTOR = Inspector(default_detectors(), Policy([PolicyRule("mask", "redact", min_level="medium")]))

CASES: list[tuple[str, str, Callable[[Gen], str]]] = [
    ("EMAIL", "Please reply to {} by Friday.", lambda g: "maria.lopez@northwind-traders.com"),
    ("CREDIT_CARD", "Charge my card {} for the renewal.", lambda g: values.format_card(g, values.card_number(g))),
    ("US_SSN", "Employee SSN: {} (do not share)", lambda g: values.ssn(g)),
    ("IBAN", "Wire the refund to IBAN {} today.", lambda g: values.iban(g, "DE")),
    ("ABA_ROUTING", "Our ABA routing number is {} for ACH.", lambda g: values.aba_routing(g)),
    ("OPENAI_API_KEY", "export OPENAI_API_KEY={}\n", keys.openai_key),
    ("ANTHROPIC_API_KEY", "client = Anthropic(api_key='{}')", keys.anthropic_key),
    ("AWS_ACCESS_KEY", "the access key {} keeps failing", keys.aws_access_key),
    ("GITHUB_TOKEN", "git clone with token {} please", keys.github_token),
    ("GITLAB_TOKEN", "CI uses {} to push", keys.gitlab_token),
    ("SLACK_TOKEN", "bot token {} in the config", keys.slack_token),
    ("STRIPE_KEY", "stripe.api_key = '{}'", keys.stripe_key),
    ("GOOGLE_API_KEY", "maps key {} is rate limited", keys.google_api_key),
    ("SENDGRID_KEY", "SENDGRID_API_KEY={}\n", keys.sendgrid_key),
    ("NPM_TOKEN", "//registry.npmjs.org/:_authToken={}\n", keys.npm_token),
    ("PYPI_TOKEN", "password = {}\n", keys.pypi_token),
    ("PRIVATE_KEY", "here is the deploy key:\n{}\nthanks", keys.private_key),
    ("JWT", "Authorization: Bearer {}\n", keys.jwt),
    ("US_ITIN", "Taxpayer ITIN {} on the W-7", lambda g: values.itin(g)),
    ("SWIFT_BIC", "Beneficiary bank SWIFT/BIC: {}", lambda g: values.swift_bic(g, "DE")),
    ("PASSPORT_NUMBER", "Passport number: {}", lambda g: values.passport(g)),
    ("DATE_OF_BIRTH", "Date of birth: {}", lambda g: values.birth_date(g)),
]


@pytest.mark.parametrize(("entry", "template", "make"), CASES, ids=[c[0] for c in CASES])
def test_the_value_becomes_its_placeholder(entry: str, template: str, make: Callable[[Gen], str]) -> None:
    value = make(GEN)
    text = template.format(value)
    inspection = INSPECTOR.inspect_text(text, CTX)
    assert entry in {loc.finding.entry for loc in inspection.located}
    redacted = INSPECTOR.redacted(text, inspection, Placeholders())
    assert value not in redacted
    assert redacted == template.format(f"[REDACTED:{entry}]"), redacted
