from __future__ import annotations

import time

import pytest

from policies.detectors.financial import (
    BankAccountDetector,
    FinancialDetector,
    MonetaryAmountDetector,
    SwiftBicDetector,
)
from policies.detectors.pii_view import ViewDetector

Found = list[tuple[str, str, str]]


def found(detector: ViewDetector, text: str) -> Found:
    return [(f.entry, text[f.start : f.end], f.level.name.lower()) for f in detector.detect(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Routing number (ABA): 021000021, account number: 4928301775",
            [("ABA_ROUTING", "021000021", "high"), ("BANK_ACCOUNT", "4928301775", "high")],
        ),
        ("acct #63279063322", [("BANK_ACCOUNT", "63279063322", "high")]),
        ("my account number is 4928-301775", [("BANK_ACCOUNT", "4928-301775", "high")]),
        ("Kontonummer 4928301775", [("BANK_ACCOUNT", "4928301775", "high")]),
        ("deposit to account 4928301775", [("BANK_ACCOUNT", "4928301775", "medium")]),
        ("account: 12345678", [("BANK_ACCOUNT", "12345678", "low")]),  # a placeholder
        ("RTN 011000015", [("ABA_ROUTING", "011000015", "high")]),
        # near misses
        ("routing 021000022", []),  # checksum fails
        ("ABA 123456789", []),
        ("AWS account 123456789012", []),
        ("account id 4928301775", []),
        ("order 49283017751", []),
        ("the id is 4928301775", []),  # no account word
        ("account settings. Order 4928301775", []),
        ('{"account": "x", "ts": 1712345678}', []),
        ("account 1234567", []),  # seven digits
    ],
)
def test_bank_account_and_routing(text: str, expected: Found) -> None:
    assert found(BankAccountDetector(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SWIFT: DEUTDEFF500", [("SWIFT_BIC", "DEUTDEFF500", "high")]),
        ("BIC/SWIFT: COBADEFFXXX", [("SWIFT_BIC", "COBADEFFXXX", "high")]),
        ('{"bic": "BNPAFRPP"}', [("SWIFT_BIC", "BNPAFRPP", "high")]),
        ("BNPAFRPP (BIC)", [("SWIFT_BIC", "BNPAFRPP", "high")]),
        ("wire via CHASUS33 today", [("SWIFT_BIC", "CHASUS33", "medium")]),  # a well-known bank
        ("SWIFT: BNPAFRP0", [("SWIFT_BIC", "BNPAFRP0", "low")]),  # a test BIC
        # near misses
        ("DATABASE CHECKSUM PASSWORD", []),
        ("public static String BICYCLE", []),
        ("import SwiftUI; let PASSWORD = 1", []),
        ("swift: ABCDEFGH", []),  # EF is no country
        ("XYZWUS33 and QWERDEFF", []),  # unknown banks need a SWIFT word
    ],
)
def test_swift_bic(text: str, expected: Found) -> None:
    assert found(SwiftBicDetector(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("wire $1,234.56 today", [("MONETARY_AMOUNT", "$1,234.56", "medium")]),
        ("price: 1.234,56 € incl. VAT", [("MONETARY_AMOUNT", "1.234,56 €", "medium")]),
        ("USD 5000 invoice", [("MONETARY_AMOUNT", "USD 5000", "medium")]),
        ("the total is 300 EUR", [("MONETARY_AMOUNT", "300 EUR", "medium")]),
        ("transfiera €87.300,00 a la cuenta", [("MONETARY_AMOUNT", "€87.300,00", "medium")]),
        ("R$ 1.234,56 salary", [("MONETARY_AMOUNT", "R$ 1.234,56", "medium")]),
        ("raised £2.5m in seed", [("MONETARY_AMOUNT", "£2.5m", "low")]),
        ("ticket at ₹499 only", [("MONETARY_AMOUNT", "₹499", "low")]),
        ("for i in 1..100 $2.50", [("MONETARY_AMOUNT", "$2.50", "low")]),
        # near misses
        ("it costs $5", []),  # one unit: nobody's secret
        ("echo $1 $HOME ${PATH}", []),
        ("HTTP 200 OK and TLS 1.3", []),
        ("SHA 256 bits", []),
    ],
)
def test_monetary_amount(text: str, expected: Found) -> None:
    assert found(MonetaryAmountDetector(), text) == expected


def test_the_group_reports_what_its_members_report() -> None:
    text = "Pay USD 5,000 to acct #63279063322, routing 021000021, SWIFT CHASUS33."
    members: list[ViewDetector] = [BankAccountDetector(), SwiftBicDetector(), MonetaryAmountDetector()]
    expected = sorted((f.entry, f.start, f.end, f.confidence) for m in members for f in m.detect(text))
    group = FinancialDetector()
    assert sorted((f.entry, f.start, f.end, f.confidence) for f in group.detect(text)) == expected
    assert set(group.entries) == {"BANK_ACCOUNT", "ABA_ROUTING", "SWIFT_BIC", "MONETARY_AMOUNT"}
    assert all(f.topic == "financial" for f in group.detect(text))


def _seconds(text: str) -> float:
    detector = FinancialDetector()
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        detector.detect(text)
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize(
    "unit",
    ["$", "$1 ", "USD 1 ", "1 EUR ", "account ", "acct #12345678 ", "SWIFT ", "BICBICBIC ", "AAAAAA00", "9", "1,"],
)
def test_hostile_input_scans_in_linear_time(unit: str) -> None:
    small = unit * (16_384 // len(unit))
    large = small * 4
    assert _seconds(large) < 8 * _seconds(small) + 0.01
