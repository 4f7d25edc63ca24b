from __future__ import annotations

import random
import time

import pytest

from policies.detectors.pii import PiiDetector, pii_and_financial
from policies.finding import Finding

PII_ENTRIES = {
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
}

HR_NOTE = (
    "HR note - onboarding\nName: Grace Hopper\nSSN: 536-22-1234, spouse ITIN 912-78-1234\nDOB: 12/09/1906\n"
    "Home: 221B Baker Street, London NW1 6XE\nPhone: +44 20 7946 0958, grace.hopper@navy.mil\n"
    "Card 4539 1488 0343 6467 exp 12/27, IBAN DE44 5001 0517 5407 3249 31\n"
    "passport number: C01X00T47, driver's license D7193802, last login from 203.0.114.5\n"
    "Pay USD 5,000 to acct #63279063322, routing 021000021, SWIFT CHASUS33."
)


def _keyed(findings: list[Finding]) -> list[tuple[str, int, int, float]]:
    return sorted((f.entry, f.start, f.end, f.confidence) for f in findings)


def test_the_family_reports_every_pii_entry_of_a_dense_note() -> None:
    detector = PiiDetector()
    assert set(detector.entries) == PII_ENTRIES
    findings = detector.detect(HR_NOTE)
    assert {f.entry for f in findings if f.level >= 2} == PII_ENTRIES
    assert all(f.topic == "pii" for f in findings)


def test_the_group_reports_exactly_what_its_members_report_alone() -> None:
    group = pii_and_financial()
    alone = [finding for member in group.members for finding in member.detect(HR_NOTE)]
    assert _keyed(group.detect(HR_NOTE)) == _keyed(alone)
    assert {f.topic for f in group.detect(HR_NOTE)} == {"pii", "financial"}


@pytest.mark.parametrize(
    "text",
    [
        "Refactor the parser: it reads 4096 bytes, retries 3 times and logs at 10:15:32.",
        "See RFC 2616 section 14.9 and https://example.org/v1.2.3/docs#anchor",
        "def f(x: int) -> str:\n    return f'{x:08d}'  # 2024-01-15 release, build 1234567\n",
        "uuid 550e8400-e29b-41d4-a716-446655440000 sha 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b",
        "order ORD-128528 shipped; tracking 1Z999AA10123456784; invoice INV-2024-00042",
        "The meeting is in room 101 at 3 pm; call the front desk if the door is locked.",
    ],
)
def test_everyday_work_raises_nothing_at_medium(text: str) -> None:
    assert [f for f in pii_and_financial().detect(text) if f.level >= 2] == []


def _seconds(text: str) -> float:
    detector = pii_and_financial()
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        detector.detect(text)
        best = min(best, time.perf_counter() - start)
    return best


HOSTILE_UNITS = [
    "a",
    "0",
    "-",
    " ",
    "1 ",
    "1-",
    "1.",
    "12.34.",
    "@",
    "a@",
    "a@b.",
    ":",
    "1:",
    "a::",
    "+1 ",
    "(",
    "((1))",
    "[{(<",
    "AA00 ",
    "DE44",
    "Mr. ",
    "Dear ",
    "Hi ",
    "name: ",
    "my name is ",
    "patient ",
    "passport ",
    "driver's license ",
    "DL# ",
    "DOB ",
    "born ",
    "phone ",
    "ssn ",
    "1 Main St ",
    "London SW1A 1AA ",
    ", 12345 ",
    "IL 62704 ",
    "4111 ",
    "123-45-",
]


@pytest.mark.parametrize("unit", HOSTILE_UNITS)
def test_hostile_input_scans_in_linear_time(unit: str) -> None:
    small = unit * (16_384 // len(unit))
    large = small * 4
    assert _seconds(large) < 8 * _seconds(small) + 0.01


@pytest.mark.parametrize("unit", ["0", "1 ", "9 9-", "a", "-", "name: Ann Lee ", "4539 1488 0343 6467 "])
def test_megabytes_of_hostile_input_finish(unit: str) -> None:
    text = unit * (2_000_000 // len(unit))
    start = time.perf_counter()
    pii_and_financial().detect(text)
    assert time.perf_counter() - start < 30  # a generous bound: the ratio test above is the real check


def test_random_digits_and_spaces_scale_linearly() -> None:
    rng = random.Random(3)
    small = "".join(rng.choice("0123456789 ") for _ in range(50_000))
    assert _seconds(small * 4) < 8 * _seconds(small) + 0.01
