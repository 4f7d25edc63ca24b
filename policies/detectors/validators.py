"""Check-digit and numbering-plan rules for identifiers: pure functions on strings.

Owns Luhn and card issuer ranges, IBAN mod-97 with per-country lengths, US SSN/ITIN
numbering rules, the ABA routing checksum, SWIFT/BIC shape, and the "obviously
fabricated" test (repeated or sequential digits) that lowers confidence everywhere.
Every function takes the already extracted characters (digits only, or a compact IBAN)
and never raises on odd input; detectors and other families reuse them.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Final


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# ISO 3166-1 alpha-2, plus XK (Kosovo), which IBAN and SWIFT use.
COUNTRY_CODES: Final = _words(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY
    BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK
    FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR
    IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK
    ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
    PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF
    TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW XK
    """
)

# Length of a whole IBAN per country, from the SWIFT IBAN registry.
IBAN_LENGTHS: Final[dict[str, int]] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21, "HU": 28,
    "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28,
    "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22,
    "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23,
    "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24,
    "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}  # fmt: skip

# The registry's and banks' published specimens: documentation, not anyone's account.
EXAMPLE_IBANS: Final = _words(
    """
    GB82WEST12345698765432 GB29NWBK60161331926819 GB33BUKB20201555555555 DE89370400440532013000
    DE75512108001245126199 FR1420041010050500013M02606 FR7630006000011234567890189 NL91ABNA0417164300
    NL02ABNA0123456789 ES9121000418450200051332 IT60X0542811101000000123456 CH9300762011623852957
    BE68539007547034 AT611904300234573201 PL61109010140000071219812874 SE4550000000058398257466
    DK5000400440116243 NO9386011117947 FI2112345600000785 IE29AIBK93115212345678 PT50000201231234567890154
    LU280019400644750000 CH5604835012345678009
    """
)

# (first digits low, high, valid lengths) per issuer; the first matching row wins, so the
# narrower ranges come before the broad ones they sit inside.
_CARD_RANGES: Final[tuple[tuple[str, int, int, frozenset[int]], ...]] = (
    ("amex", 34, 34, frozenset({15})),
    ("amex", 37, 37, frozenset({15})),
    ("diners", 300, 305, frozenset(range(14, 20))),
    ("diners", 3095, 3095, frozenset(range(14, 20))),
    ("diners", 36, 36, frozenset(range(14, 20))),
    ("diners", 38, 39, frozenset(range(14, 20))),
    ("jcb", 3528, 3589, frozenset(range(16, 20))),
    ("visa", 4, 4, frozenset({13, 16, 19})),
    ("mastercard", 51, 55, frozenset({16})),
    ("mastercard", 2221, 2720, frozenset({16})),
    ("mir", 2200, 2204, frozenset(range(16, 20))),
    ("discover", 6011, 6011, frozenset(range(16, 20))),
    ("discover", 644, 649, frozenset(range(16, 20))),
    ("discover", 65, 65, frozenset(range(16, 20))),
    ("discover", 622126, 622925, frozenset(range(16, 20))),
    ("unionpay", 62, 62, frozenset(range(16, 20))),
    ("maestro", 50, 50, frozenset(range(12, 20))),
    ("maestro", 56, 58, frozenset(range(12, 20))),
    ("maestro", 6304, 6304, frozenset(range(12, 20))),
    ("maestro", 6759, 6759, frozenset(range(12, 20))),
    ("maestro", 6761, 6763, frozenset(range(12, 20))),
)

# Processor documentation (Stripe, Braintree, Adyen, PayPal): valid Luhn, never real.
TEST_CARDS: Final = _words(
    """
    4111111111111111 4242424242424242 4012888888881881 4222222222222 4000056655665556 4000000000000002
    4000000000009995 4000000000000077 4000002500003155 4000000000003220 4000000760000002 4000001240000000
    4005519200000004 4009348888881881 4012000033330026 4012000077777777 4217651111111119 4500600000000061
    4917610000000000 4462030000000000 4917300800000000 4484070000000000 5555555555554444 5105105105105100
    5200828282828210 2223003122003222 2221000000000009 5454545454545454 5431111111111111 378282246310005
    371449635398431 378734493671000 340000000000009 6011111111111117 6011000990139424 6011000000000004
    6011601160116611 3056930009020004 30569309025904 38520000023237 36227206271667 3530111333300000
    3566002020360505 3566111111111113 6200000000000005 6200000000000047 6304000000000000 6759649826438453
    5019717010103742
    """
)

# Famous specimens: printed on a wallet insert (078-05-1120), in ads, or in every tutorial.
EXAMPLE_SSNS: Final = frozenset({"123456789", "078051120", "219099999", "457555462", "987654321", "987654320"})

_ITIN_GROUPS: Final = frozenset([*range(50, 66), *range(70, 89), 90, 91, 92, *range(94, 100)])
_ABA_PREFIXES: Final = frozenset([*range(0, 13), *range(21, 33), *range(61, 73), 80])


def luhn_valid(digits: str) -> bool:
    """Luhn (mod 10) over a string of ASCII digits; false for anything else."""
    if not digits.isdigit() or not digits.isascii():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def card_issuer(digits: str) -> str | None:
    """The issuer whose range and length the number fits, or None."""
    for issuer, low, high, lengths in _CARD_RANGES:
        width = len(str(low))
        if len(digits) in lengths and digits[:width].isdigit() and low <= int(digits[:width]) <= high:
            return issuer
    return None


def looks_fabricated(digits: str) -> bool:
    """One digit repeated, a short pattern repeated, or a run like 123456789 / 987654321.

    Such values are placeholders people type into examples; real identifiers almost
    never have them, so detectors report them at low confidence at most.
    """
    n = len(digits)
    if n < 4:
        return False
    for period in (1, 2, 3, 4):
        if n >= 2 * period and digits == (digits[:period] * (n // period + 1))[:n]:
            return True
    body = digits[1:] if n > 6 else digits
    if len(set(body)) == 1:
        return True
    steps = {(ord(b) - ord(a)) % 10 for a, b in pairwise(digits)}
    return steps == {1} or steps == {9}


def ssn_valid(area: str, group: str, serial: str) -> bool:
    """Numbering rules the SSA has always kept: no 000/666/9xx area, 00 group, 0000 serial."""
    if not (len(area) == 3 and len(group) == 2 and len(serial) == 4 and (area + group + serial).isdigit()):
        return False
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


def itin_valid(area: str, group: str, serial: str) -> bool:
    """IRS ITINs: 9xx area and one of the group ranges the IRS has issued."""
    if not (len(area) == 3 and len(group) == 2 and len(serial) == 4 and (area + group + serial).isdigit()):
        return False
    return area[0] == "9" and int(group) in _ITIN_GROUPS


def iban_valid(iban: str) -> bool:
    """Country code, registry length and ISO 7064 mod-97 over a compact, upper-case IBAN."""
    if not (iban.isascii() and iban.isalnum() and iban[2:4].isdigit()) or iban != iban.upper():
        return False
    if IBAN_LENGTHS.get(iban[:2]) != len(iban):
        return False
    rearranged = iban[4:] + iban[:4]
    number = "".join(ch if ch.isdigit() else str(ord(ch) - 55) for ch in rearranged)
    return int(number) % 97 == 1


def aba_valid(digits: str) -> bool:
    """ABA routing transit number: Federal Reserve prefix and the 3-7-1 weighted checksum."""
    if len(digits) != 9 or not digits.isdigit() or not digits.isascii() or int(digits[:2]) not in _ABA_PREFIXES:
        return False
    d = [ord(ch) - 48 for ch in digits]
    total = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8])
    return total % 10 == 0 and digits != "000000000"


def bic_valid(code: str) -> bool:
    """SWIFT/BIC shape: 4-letter bank, ISO country, 2-char location, optional 3-char branch."""
    if len(code) not in (8, 11) or not code.isascii() or not code.isalnum() or not code.isupper():
        return False
    return code[:4].isalpha() and code[4:6] in COUNTRY_CODES


def is_test_bic(code: str) -> bool:
    """A location code ending in '0' marks a SWIFT test-and-training address."""
    return len(code) >= 8 and code[7] == "0"
