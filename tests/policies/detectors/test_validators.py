from __future__ import annotations

import pytest

from policies.detectors.validators import (
    EXAMPLE_IBANS,
    IBAN_LENGTHS,
    TEST_CARDS,
    aba_valid,
    bic_valid,
    card_issuer,
    iban_valid,
    is_test_bic,
    itin_valid,
    looks_fabricated,
    luhn_valid,
    ssn_valid,
)


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("4539148803436467", True),
        ("4539148803436468", False),
        ("79927398713", True),
        ("0", True),
        ("", False),
        ("4539 1488 0343 6467", False),  # callers strip separators first
        ("４５３９１４８８０３４３６４６７", False),  # fullwidth digits are not ASCII
    ],
)
def test_luhn(digits: str, valid: bool) -> None:
    assert luhn_valid(digits) is valid


@pytest.mark.parametrize(
    ("digits", "issuer"),
    [
        ("4539148803436467", "visa"),
        ("4222222222222", "visa"),
        ("5555555555554444", "mastercard"),
        ("2223003122003222", "mastercard"),
        ("378282246310005", "amex"),
        ("6011111111111117", "discover"),
        ("6221260000000000", "discover"),  # inside UnionPay's 62, Discover's co-branded range wins
        ("6200000000000005", "unionpay"),
        ("3530111333300000", "jcb"),
        ("30569309025904", "diners"),
        ("2200000000000004", "mir"),
        ("4539148803436", "visa"),
        ("453914880343646", None),  # Visa is 13, 16 or 19 digits
        ("37828224631000", None),  # Amex is 15
        ("9999999999999999", None),
        ("1234567890123", None),
    ],
)
def test_card_issuer(digits: str, issuer: str | None) -> None:
    assert card_issuer(digits) == issuer


def test_every_test_card_is_luhn_valid_and_in_an_issuer_range() -> None:
    assert all(luhn_valid(card) and card_issuer(card) is not None for card in TEST_CARDS)


@pytest.mark.parametrize(
    ("digits", "fabricated"),
    [
        ("1111111111", True),
        ("4111111111111111", True),  # one leading digit, the rest repeated
        ("4242424242424242", True),
        ("123412341234", True),
        ("123456789", True),
        ("987654321", True),
        ("1234567890123456", True),
        ("4539148803436467", False),
        ("536221234", False),
        ("123", False),
    ],
)
def test_looks_fabricated(digits: str, fabricated: bool) -> None:
    assert looks_fabricated(digits) is fabricated


@pytest.mark.parametrize(
    ("area", "group", "serial", "valid"),
    [
        ("536", "22", "1234", True),
        ("001", "01", "0001", True),
        ("899", "99", "9999", True),
        ("000", "22", "1234", False),
        ("666", "22", "1234", False),
        ("900", "70", "1234", False),  # 9xx is the ITIN space
        ("536", "00", "1234", False),
        ("536", "22", "0000", False),
        ("53", "622", "1234", False),
        ("5a6", "22", "1234", False),
    ],
)
def test_ssn_rules(area: str, group: str, serial: str, valid: bool) -> None:
    assert ssn_valid(area, group, serial) is valid


@pytest.mark.parametrize(
    ("area", "group", "valid"),
    [
        ("912", "50", True),
        ("912", "65", True),
        ("912", "70", True),
        ("912", "88", True),
        ("912", "90", True),
        ("912", "92", True),
        ("912", "94", True),
        ("912", "99", True),
        ("912", "49", False),
        ("912", "66", False),
        ("912", "89", False),
        ("912", "93", False),
        ("812", "70", False),
    ],
)
def test_itin_rules(area: str, group: str, valid: bool) -> None:
    assert itin_valid(area, group, "1234") is valid


@pytest.mark.parametrize(
    ("iban", "valid"),
    [
        ("DE44500105175407324931", True),
        ("GB33BUKB20201555555555", True),
        ("FR1420041010050500013M02606", True),
        ("NO9386011117947", True),
        ("DE44500105175407324932", False),  # check digits do not match
        ("DE4450010517540732493", False),  # one short for DE
        ("XX44500105175407324931", False),  # no such country
        ("de44500105175407324931", False),  # lower case is not the electronic form
        ("DE44 5001 0517 5407 3249 31", False),  # callers compact first
        ("DEAB500105175407324931", False),
    ],
)
def test_iban(iban: str, valid: bool) -> None:
    assert iban_valid(iban) is valid


def test_every_example_iban_is_valid_and_registered() -> None:
    assert all(iban_valid(iban) for iban in EXAMPLE_IBANS)
    assert all(len(code) == 2 and 15 <= length <= 34 for code, length in IBAN_LENGTHS.items())


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("021000021", True),  # JPMorgan Chase
        ("011000015", True),  # Federal Reserve Bank of Boston
        ("121000358", True),  # Bank of America, California
        ("021000022", False),  # checksum
        ("131000000", False),  # 13 is no Federal Reserve routing symbol
        ("000000000", False),
        ("02100002", False),
        ("02100002a", False),
    ],
)
def test_aba(digits: str, valid: bool) -> None:
    assert aba_valid(digits) is valid


@pytest.mark.parametrize(
    ("code", "valid", "test"),
    [
        ("DEUTDEFF", True, False),
        ("DEUTDEFF500", True, False),
        ("CHASUS33", True, False),
        ("BNPAFRP0", True, True),  # location ending in 0: a test BIC
        ("DATABASE", True, False),  # shape alone proves little: detectors want context
        ("CHECKSUM", False, False),  # KS is no country
        ("DEUTDEF", False, False),
        ("DEUTDEFF50", False, False),
        ("D3UTDEFF", False, False),
        ("deutdeff", False, False),
    ],
)
def test_bic(code: str, valid: bool, test: bool) -> None:
    assert bic_valid(code) is valid
    assert is_test_bic(code) is test
