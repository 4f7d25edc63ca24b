"""Shared vocabulary of the DLP evaluation corpus: entry names, their topics, and the generator state.

Every module of the corpus draws from one ``Gen``: a seeded ``random.Random`` plus one seeded
Faker per locale. Nothing iterates over a set or a dict whose order depends on hashing, so the
same seed gives the same corpus in every process, whatever ``PYTHONHASHSEED`` is.

A generator returns ``Draft`` values (text, expected entries, kind, benign); ``dlp_corpus``
numbers them and derives the topics.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from faker import Faker

T = TypeVar("T")

# The entries the detectors report, grouped by the topic they belong to (policies.finding.Topic).
ENTRY_TOPIC: dict[str, str] = {
    **dict.fromkeys(
        (
            "EMAIL",
            "PHONE_NUMBER",
            "CREDIT_CARD",
            "US_SSN",
            "US_ITIN",
            "IBAN",
            "IP_ADDRESS",
            "DATE_OF_BIRTH",
            "PASSPORT_NUMBER",
            "DRIVERS_LICENSE",
            "POSTAL_ADDRESS",
            "PERSON_NAME",
        ),
        "pii",
    ),
    **dict.fromkeys(("BANK_ACCOUNT", "ABA_ROUTING", "SWIFT_BIC", "MONETARY_AMOUNT"), "financial"),
    **dict.fromkeys(
        (
            "OPENAI_API_KEY",
            "ANTHROPIC_API_KEY",
            "AWS_ACCESS_KEY",
            "AWS_SECRET_KEY",
            "GITHUB_TOKEN",
            "GITLAB_TOKEN",
            "SLACK_TOKEN",
            "SLACK_WEBHOOK",
            "STRIPE_KEY",
            "GOOGLE_API_KEY",
            "AZURE_KEY",
            "TWILIO_KEY",
            "SENDGRID_KEY",
            "NPM_TOKEN",
            "PYPI_TOKEN",
            "PRIVATE_KEY",
            "JWT",
            "URL_CREDENTIALS",
            "CONNECTION_STRING",
            "PASSWORD_ASSIGNMENT",
            "GENERIC_SECRET",
        ),
        "credentials",
    ),
    "SOURCE_CODE": "source_code",
    **dict.fromkeys(("PROMPT_INJECTION", "JAILBREAK", "OBFUSCATED_PAYLOAD"), "intent_jailbreak"),
    "PII_REQUEST": "intent_pii",
    "MALICIOUS_CODE_REQUEST": "intent_code_abuse",
}

# Entries with a fixed, checkable format: the project's target is precision and recall >= 0.95.
KEY_ENTRIES: tuple[str, ...] = (
    "OPENAI_API_KEY",
    "ANTHROPIC_API_KEY",
    "AWS_ACCESS_KEY",
    "AWS_SECRET_KEY",
    "GITHUB_TOKEN",
    "GITLAB_TOKEN",
    "SLACK_TOKEN",
    "SLACK_WEBHOOK",
    "STRIPE_KEY",
    "GOOGLE_API_KEY",
    "AZURE_KEY",
    "TWILIO_KEY",
    "SENDGRID_KEY",
    "NPM_TOKEN",
    "PYPI_TOKEN",
)
STRUCTURED_ENTRIES: tuple[str, ...] = ("CREDIT_CARD", "US_SSN", "IBAN", *KEY_ENTRIES, "PRIVATE_KEY", "JWT")

LOCALES: tuple[str, ...] = ("en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "pt_BR", "it_IT")

ALNUM = string.ascii_letters + string.digits
B64URL = ALNUM + "-_"
HEX = "0123456789abcdef"


@dataclass(frozen=True, slots=True)
class Draft:
    """A case before it is numbered: what ``dlp_corpus`` turns into a ``Case``."""

    text: str
    expected: frozenset[str]
    kind: str
    benign: bool = False


@dataclass
class Gen:
    """The seeded state every generator draws from."""

    seed: int
    rng: random.Random = field(init=False)
    fakers: dict[str, Faker] = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.fakers = {}
        for n, loc in enumerate(LOCALES):
            fk = Faker(loc)
            fk.seed_instance(self.seed * 1000 + n)
            self.fakers[loc] = fk

    def fake(self, locale: str = "en_US") -> Faker:
        return self.fakers[locale]

    def pick(self, seq: Sequence[T]) -> T:
        return seq[self.rng.randrange(len(seq))]

    def chars(self, alphabet: str, n: int) -> str:
        return "".join(alphabet[self.rng.randrange(len(alphabet))] for _ in range(n))

    def digits(self, n: int) -> str:
        return self.chars(string.digits, n)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def locale(self) -> str:
        return self.pick(LOCALES)


def distinct(count: int, make: Callable[[int], Draft], attempts: int = 50) -> list[Draft]:
    """``count`` drafts with pairwise different texts, calling ``make(i)`` for i = 0, 1, 2, ...

    Repeated texts would weigh some prompts several times in the rates; a generator whose
    combinations run out returns fewer (the corpus test checks the minimum counts).
    """
    seen: set[str] = set()
    out: list[Draft] = []
    for i in range(count * attempts):
        if len(out) == count:
            break
        d = make(i)
        if d.text not in seen:
            seen.add(d.text)
            out.append(d)
    return out


def draft(text: str, expected: Sequence[str], kind: str, benign: bool = False) -> Draft:
    """Build a draft, refusing entry names the detectors do not report (a typo in a template)."""
    unknown = [e for e in expected if e not in ENTRY_TOPIC]
    if unknown:
        raise ValueError(f"unknown entries {unknown} in a {kind} draft")
    return Draft(text, frozenset(expected), kind, benign)
