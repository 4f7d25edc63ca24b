"""Operator lists (exact data match), operator patterns, and the linear-time regex check."""

from __future__ import annotations

import re
import time

import pytest

from policies.detectors.customer_data import CustomPatternDetector, EDMList, ExactDataMatchDetector, normalise
from policies.detectors.regex_safety import assert_linear

SALT = bytes(range(32))
CUSTOMERS = EDMList.build(["Acme Corp.", "Jane  O'Brien", "Zoë Ångström", "Globex"], SALT)
ACCOUNTS = EDMList.build(["ACC-00912345", "acc 77"], SALT)
DETECTOR = ExactDataMatchDetector({"CUSTOMER_NAME": CUSTOMERS, "ACCOUNT_ID": ACCOUNTS})


def matches(text: str) -> list[tuple[str, str]]:
    return [(f.entry, text[f.start : f.end]) for f in DETECTOR.detect(text)]


def test_list_holds_only_digests() -> None:
    stored = repr(CUSTOMERS)
    assert "acme" not in stored.lower() and "globex" not in stored.lower()
    assert all(re.fullmatch(r"[0-9a-f]{64}", d) for d in CUSTOMERS.digests | CUSTOMERS.first_tokens)
    assert CUSTOMERS.token_counts == frozenset({1, 2})


def test_same_values_under_another_salt_do_not_match() -> None:
    other = ExactDataMatchDetector({"CUSTOMER_NAME": EDMList.build(["Globex"], bytes(32))})
    assert other.detect("Globex") != [] and EDMList.build(["Globex"], bytes(32)).digests != CUSTOMERS.digests


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Contract for ACME corp, signed.", [("CUSTOMER_NAME", "ACME corp")]),
        ("contact (jane o'brien); today", [("CUSTOMER_NAME", "jane o'brien")]),
        ("Jane\n  O'Brien called", [("CUSTOMER_NAME", "Jane\n  O'Brien")]),
        ("ZOË ÅNGSTRÖM wrote", [("CUSTOMER_NAME", "ZOË ÅNGSTRÖM")]),
        ("account acc-00912345.", [("ACCOUNT_ID", "acc-00912345")]),
        ("Acme Corp and Globex merged", [("CUSTOMER_NAME", "Acme Corp"), ("CUSTOMER_NAME", "Globex")]),
        ("acc 77 and ACC77", [("ACCOUNT_ID", "acc 77")]),
    ],
)
def test_listed_values_match_after_normalising(text: str, expected: list[tuple[str, str]]) -> None:
    assert sorted(matches(text)) == sorted(expected)


@pytest.mark.parametrize("text", ["Acme alone", "Corp Acme", "Jane Smith", "Globexx", "acc-0091234", ""])
def test_near_misses(text: str) -> None:
    assert matches(text) == []


def test_normalise() -> None:
    assert normalise("  ACME,  Corp. ") == ["acme", "corp"]
    assert normalise("O'Brien-Smith") == ["obriensmith"]
    assert normalise("--- ...") == []


def test_edm_rejects_a_short_salt_and_bad_entry_names() -> None:
    with pytest.raises(ValueError, match="salt"):
        EDMList.build(["x"], b"short")
    with pytest.raises(ValueError, match="UPPER_SNAKE_CASE"):
        ExactDataMatchDetector({"customer names": CUSTOMERS})


def test_edm_is_linear() -> None:
    def elapsed(text: str) -> float:
        start = time.perf_counter()
        DETECTOR.detect(text)
        return time.perf_counter() - start

    unit = "acme acme corp jane globex x "  # every token a prefilter hit
    small = min(elapsed(unit * 4000) for _ in range(2))
    large = min(elapsed(unit * 16000) for _ in range(2))
    assert large / max(small, 2e-3) < 8


def test_custom_patterns() -> None:
    detector = CustomPatternDetector({"ORDER_ID": r"ORD-[0-9]{8}", "PROJECT": r"Project (?:Falcon|Osprey)"})
    text = "ship ORD-12345678 for Project Falcon"
    found = [(f.entry, f.topic, text[f.start : f.end]) for f in detector.detect(text)]
    assert found == [("ORDER_ID", "customer_data", "ORD-12345678"), ("PROJECT", "customer_data", "Project Falcon")]
    assert detector.entries == ("ORDER_ID", "PROJECT")


def test_custom_pattern_topic() -> None:
    detector = CustomPatternDetector({"INTERNAL_HOST": r"[a-z]{1,20}\.corp\.example"}, topic="credentials")
    assert detector.detect("db.corp.example")[0].topic == "credentials"
    with pytest.raises(ValueError, match="unknown topic"):
        CustomPatternDetector({"X": "x"}, topic="secrets")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("(a+)+$", "nested quantifier"),
        (r"(\w+\s?)*", "nested quantifier"),
        (r"(?:x|y+){2,5}", "nested quantifier"),
        (r"(a)\1", "backreferences"),
        (r"(a)?(?(1)b|c)", "backreferences"),
        ("[", "invalid regular expression"),
        ("a*", "matches the empty string"),
    ],
)
def test_custom_pattern_rejections_name_the_entry(pattern: str, message: str) -> None:
    with pytest.raises(ValueError, match=rf"custom pattern ORDER_ID: .*{message}"):
        CustomPatternDetector({"ORDER_ID": pattern})


@pytest.mark.parametrize(
    "pattern",
    [r"[A-Z]{2}[0-9]{6}", r"(?:ab|cd)+", r"(a{1,5}){1,9}", r"\bORD-\d+\b", r"x(?=y+)", rb"[0-9]+"],
)
def test_assert_linear_accepts(pattern: str | bytes) -> None:
    assert_linear(pattern)


@pytest.mark.parametrize("pattern", [r"(?=(a+))+", r"(?>a+)*", r"((ab)*c)+", rb"(a+)*"])
def test_assert_linear_rejects(pattern: str | bytes) -> None:
    with pytest.raises(ValueError):
        assert_linear(pattern)


def test_assert_linear_honours_verbose() -> None:
    assert_linear(r"a + # comment (b+)+", re.VERBOSE)
    with pytest.raises(ValueError):
        assert_linear(r"a + # comment (b+)+")  # outside verbose mode the parentheses are real
