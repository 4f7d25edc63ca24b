from __future__ import annotations

import pytest

from policies.detectors.pii_identifiers import CreditCardDetector, GovernmentIdDetector, IBANDetector, SSNDetector
from policies.detectors.pii_view import ViewDetector

Found = list[tuple[str, str, str]]


def found(detector: ViewDetector, text: str) -> Found:
    return [(f.entry, text[f.start : f.end], f.level.name.lower()) for f in detector.detect(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("card 4539 1488 0343 6467 exp 12/27", [("CREDIT_CARD", "4539 1488 0343 6467", "high")]),
        ("4539-1488-0343-6467", [("CREDIT_CARD", "4539-1488-0343-6467", "high")]),
        ("4539148803436467", [("CREDIT_CARD", "4539148803436467", "medium")]),
        ("Ann,4539148803436467,06/27", [("CREDIT_CARD", "4539148803436467", "medium")]),
        ("Amex 3714 496353 98431", [("CREDIT_CARD", "3714 496353 98431", "low")]),  # a processor test card
        ("paid with 3782 822465 10000 yesterday", [("CREDIT_CARD", "3782 822465 10000", "high")]),
        ("12 4539 1488 0343 6467 99", [("CREDIT_CARD", "4539 1488 0343 6467", "high")]),
        ("order 4539148803436467", [("CREDIT_CARD", "4539148803436467", "low")]),
        ("test card 4111 1111 1111 1111", [("CREDIT_CARD", "4111 1111 1111 1111", "low")]),
        ("Card: 4242424242424242", [("CREDIT_CARD", "4242424242424242", "low")]),
        # near misses
        ("4539 1488 0343 6468", []),  # Luhn fails
        ("1234 5678 9012 3452", []),  # Luhn passes, no issuer starts with 1
        ("uuid 45391488-0343-6467-1111-222233334444", []),
        ("version 4539148803436467.5", []),
        ("1 2 3 4 5 6 7 8 9 0 1 2 3", []),
        ("ts 1712345678901", []),
        ("sha 4539148803436467abcdef", []),
    ],
)
def test_credit_card(text: str, expected: Found) -> None:
    assert found(CreditCardDetector(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SSN: 536-22-1234", [("US_SSN", "536-22-1234", "high")]),
        ("536-22-1234", [("US_SSN", "536-22-1234", "medium")]),
        ("536 22 1234", [("US_SSN", "536 22 1234", "low")]),
        ("ssn 536221234", [("US_SSN", "536221234", "high")]),
        ("Social Security Number: 536221234", [("US_SSN", "536221234", "high")]),
        ("ITIN: 912-78-1234", [("US_ITIN", "912-78-1234", "high")]),
        ("taxpayer id 912-78-1234", [("US_ITIN", "912-78-1234", "high")]),
        ("912-78-1234", [("US_ITIN", "912-78-1234", "medium")]),
        ("SSN: 123-45-6789", [("US_SSN", "123-45-6789", "low")]),
        ("ssn 078-05-1120", [("US_SSN", "078-05-1120", "low")]),
        ("333-33-3333", [("US_SSN", "333-33-3333", "low")]),
        # near misses
        ("536221234", []),  # nine bare digits need their label
        ("order 536221234", []),
        ("SSN 666-12-1234 and 000-12-1234 and 536-00-1234 and 536-22-0000", []),
        ("912-45-1234", []),  # 9xx but not an ITIN group
        ("SSN 536-22-1234-5", []),
        ("536-221234", []),
        ("tel 536.22.1234", []),
        ("A536-22-1234", []),
    ],
)
def test_ssn_and_itin(text: str, expected: Found) -> None:
    assert found(SSNDetector(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("IBAN: DE44 5001 0517 5407 3249 31 please", [("IBAN", "DE44 5001 0517 5407 3249 31", "high")]),
        ("pay to DE44500105175407324931.", [("IBAN", "DE44500105175407324931", "high")]),
        ("FR51 2004 1010 0505 0001 7M02 606", [("IBAN", "FR51 2004 1010 0505 0001 7M02 606", "high")]),
        ("FR14 2004 1010 0505 0001 3M02 606", [("IBAN", "FR14 2004 1010 0505 0001 3M02 606", "low")]),
        ("DE44 5001 0517 5407 3249 31 THEN MORE", [("IBAN", "DE44 5001 0517 5407 3249 31", "high")]),
        ("send it to GB33BUKB20201555555555", [("IBAN", "GB33BUKB20201555555555", "low")]),  # a published sample
        # near misses
        ("DE44500105175407324932", []),  # mod-97 fails
        ("DE445001051754073249", []),  # too short for Germany
        ("DE44 5001 0517 5407 3249 31X", []),
        ("XDE44500105175407324931", []),
        ("SHA256 AB12 CDEF 3456 7890 ABCD", []),
        ("de44500105175407324931", []),
    ],
)
def test_iban(text: str, expected: Found) -> None:
    assert found(IBANDetector(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("passport number: C01X00T47", [("PASSPORT_NUMBER", "C01X00T47", "high")]),
        ("Passport No. 534216709 issued", [("PASSPORT_NUMBER", "534216709", "high")]),
        ("Reisepassnummer L4H7KT9N2", [("PASSPORT_NUMBER", "L4H7KT9N2", "high")]),
        ("Numéro de passeport : 12AB57381", [("PASSPORT_NUMBER", "12AB57381", "high")]),
        ("Passaporto n. AB7305912", [("PASSPORT_NUMBER", "AB7305912", "high")]),
        ("passport 123456789", [("PASSPORT_NUMBER", "123456789", "low")]),  # a placeholder
        ("driver's license D7193802 (CA)", [("DRIVERS_LICENSE", "D7193802", "high")]),
        ("My DL# is S531-462-78-901-0 - help", [("DRIVERS_LICENSE", "S531-462-78-901-0", "high")]),
        ("driving licence number MORGA753116SM9IJ", [("DRIVERS_LICENSE", "MORGA753116SM9IJ", "high")]),
        ("driver license number 493 817 265", [("DRIVERS_LICENSE", "493 817 265", "high")]),
        # near misses
        ("passport.use(new LocalStrategy())", []),
        ("the passport office opens at 9", []),
        ("passport expires 2030", []),
        ("the license number is 4711-0815", []),  # no driver: a software or trade licence
        ("Licensed under the Apache License, Version 2.0", []),
        ("DLL version 10.0.19041", []),
    ],
)
def test_government_ids(text: str, expected: Found) -> None:
    assert found(GovernmentIdDetector(), text) == expected
