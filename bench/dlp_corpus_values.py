"""Personal and financial values in their real formats, with random bodies.

Card numbers come from real issuer ranges and carry a Luhn check digit; SSNs and ITINs follow
the SSA/IRS area, group and serial rules; IBANs have each country's length and mod-97 check
digits; routing numbers carry the ABA 3-7-1 checksum; phone numbers are kept only when Google's
``phonenumbers`` calls them valid. Known test and documentation values are never produced here
(the benign generator uses them on purpose).
"""

from __future__ import annotations

import string
from datetime import date, timedelta

import phonenumbers

from bench.dlp_corpus_base import Gen

# Documentation and sandbox values: detectors report these low or not at all.
TEST_CARDS: tuple[str, ...] = (
    "4111111111111111",
    "4242424242424242",
    "4012888888881881",
    "5555555555554444",
    "5105105105105100",
    "378282246310005",
    "371449635398431",
    "6011111111111117",
    "3530111333300000",
    "4000056655665556",
)
TEST_SSNS: tuple[str, ...] = ("123-45-6789", "078-05-1120", "219-09-9999", "000-00-0000")

# (prefixes, length) per issuer; weights follow rough market share.
_ISSUERS: tuple[tuple[tuple[str, ...], int, int], ...] = (
    (("4",), 16, 40),  # Visa
    (("51", "52", "53", "54", "55", "2221", "2300", "2550", "2720"), 16, 30),  # Mastercard
    (("34", "37"), 15, 12),  # American Express
    (("6011", "644", "65"), 16, 8),  # Discover
    (("3528", "3540", "3589"), 16, 4),  # JCB
    (("36", "38"), 14, 3),  # Diners Club
    (("62",), 16, 3),  # UnionPay
)

# BBAN length per IBAN country and whether the BBAN starts with letters (bank code).
_IBAN_BBAN: dict[str, tuple[int, int]] = {
    # country: (bban_length, leading_letters)
    "DE": (18, 0),
    "GB": (18, 4),
    "FR": (23, 0),
    "ES": (20, 0),
    "IT": (23, 1),
    "NL": (14, 4),
    "BE": (12, 0),
    "CH": (17, 0),
    "AT": (16, 0),
    "PL": (24, 0),
    "PT": (21, 0),
    "SE": (20, 0),
    "IE": (18, 4),
    "DK": (14, 0),
    "NO": (11, 0),
    "FI": (14, 0),
    "LU": (16, 0),
    "AE": (19, 0),
    "BR": (25, 0),
}
IBAN_COUNTRIES: tuple[str, ...] = tuple(_IBAN_BBAN)
_BIC_BANKS: tuple[tuple[str, str], ...] = (
    ("DEUT", "DE"),
    ("COBA", "DE"),
    ("BNPA", "FR"),
    ("SOGE", "FR"),
    ("BSCH", "ES"),
    ("BBVA", "ES"),
    ("UNCR", "IT"),
    ("BCIT", "IT"),
    ("INGB", "NL"),
    ("ABNA", "NL"),
    ("BARC", "GB"),
    ("HBUK", "GB"),
    ("CHAS", "US"),
    ("BOFA", "US"),
    ("CITI", "US"),
    ("UBSW", "CH"),
    ("ITAU", "BR"),
    ("BCOM", "PT"),
)
_PHONE_REGION = {
    "en_US": "US",
    "en_GB": "GB",
    "de_DE": "DE",
    "fr_FR": "FR",
    "es_ES": "ES",
    "pt_BR": "BR",
    "it_IT": "IT",
}


def luhn_valid(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _luhn_complete(payload: str) -> str:
    """Append the check digit that makes ``payload`` Luhn-valid."""
    for check in string.digits:
        if luhn_valid(payload + check):
            return payload + check
    raise AssertionError("unreachable: one of ten digits always completes a Luhn payload")


def card_number(g: Gen) -> str:
    """A Luhn-valid number from a real issuer range, never a known test card."""
    weights = [w for _, _, w in _ISSUERS]
    prefixes, length, _ = g.rng.choices(_ISSUERS, weights=weights)[0]
    while True:
        prefix = g.pick(prefixes)
        number = _luhn_complete(prefix + g.digits(length - len(prefix) - 1))
        if number not in TEST_CARDS and len(set(number[len(prefix) :])) > 3:
            return number


def format_card(g: Gen, number: str) -> str:
    """Print a card as people paste it: grouped by spaces or dashes, or contiguous."""
    style = g.rng.random()
    if style < 0.35:
        return number
    sep = " " if style < 0.75 else "-"
    groups = (4, 6, 5) if len(number) == 15 else (4, 6, 4) if len(number) == 14 else (4, 4, 4, 4)
    parts, pos = [], 0
    for size in groups:
        parts.append(number[pos : pos + size])
        pos += size
    return sep.join(parts)


def ssn(g: Gen, sep: str = "-") -> str:
    """An SSN that satisfies the SSA rules: area not 000/666/9xx, group not 00, serial not 0000."""
    while True:
        area = g.rng.randint(1, 899)
        if area == 666:
            continue
        value = f"{area:03d}{sep}{g.rng.randint(1, 99):02d}{sep}{g.rng.randint(1, 9999):04d}"
        if value.replace(sep, "-") not in TEST_SSNS:
            return value


def itin(g: Gen) -> str:
    """An ITIN: 9xx, group in the IRS-issued ranges 50-65, 70-88, 90-92, 94-99."""
    group = g.pick((*range(50, 66), *range(70, 89), 90, 91, 92, *range(94, 100)))
    return f"9{g.digits(2)}-{group:02d}-{g.rng.randint(1, 9999):04d}"


def _iban_check(country: str, bban: str) -> str:
    rearranged = bban + country + "00"
    numeric = "".join(str(int(ch, 36)) for ch in rearranged)
    return f"{98 - int(numeric) % 97:02d}"


def iban_valid(value: str) -> bool:
    compact = value.replace(" ", "")
    numeric = "".join(str(int(ch, 36)) for ch in compact[4:] + compact[:4])
    return int(numeric) % 97 == 1 and len(compact) == 4 + _IBAN_BBAN[compact[:2]][0]


def iban(g: Gen, country: str | None = None) -> str:
    """An IBAN in electronic form (no spaces) with the country's length and mod-97 check digits."""
    country = country or g.pick(IBAN_COUNTRIES)
    length, letters = _IBAN_BBAN[country]
    bban = g.chars(string.ascii_uppercase, letters) + g.digits(length - letters)
    return country + _iban_check(country, bban) + bban


def format_iban(g: Gen, value: str) -> str:
    """Half the time in the print form, in groups of four."""
    if g.chance(0.5):
        return value
    return " ".join(value[i : i + 4] for i in range(0, len(value), 4))


def aba_routing(g: Gen) -> str:
    """A routing number with a Federal Reserve prefix and the 3-7-1 checksum."""
    prefix = g.pick((*range(1, 13), *range(21, 33), *range(61, 73), 80))
    body = f"{prefix:02d}" + g.digits(6)
    weights = (3, 7, 1, 3, 7, 1, 3, 7)
    partial = sum(int(d) * w for d, w in zip(body, weights, strict=True))
    return body + str((10 - partial % 10) % 10)


def bank_account(g: Gen) -> str:
    return str(g.rng.randint(1, 9)) + g.digits(g.rng.randint(7, 11))


def swift_bic(g: Gen, country: str | None = None) -> str:
    banks = [b for b in _BIC_BANKS if country is None or b[1] == country] or list(_BIC_BANKS)
    bank, ctry = g.pick(banks)
    # A location code ending in "0" marks a test BIC, "1" a passive participant: avoid both.
    location = g.chars(string.ascii_uppercase + "23456789", 1) + g.chars(string.ascii_uppercase + "23456789", 1)
    return bank + ctry + location + (g.pick(("", "XXX", g.chars(string.ascii_uppercase, 3))))


def amount(g: Gen, locale: str = "en_US") -> str:
    """A money amount written the way the locale writes it."""
    value = g.rng.randint(120, 2_500_000) / 100 if g.chance(0.7) else float(g.rng.randint(1, 900) * 100)
    us = f"{value:,.2f}"
    eu = us.replace(",", " ").replace(".", ",").replace(" ", ".")
    if locale == "en_US":
        return g.pick((f"${us}", f"USD {us}", f"{us} USD"))
    if locale == "en_GB":
        return g.pick((f"£{us}", f"GBP {us}"))
    if locale == "pt_BR":
        return f"R$ {eu}"
    return g.pick((f"{eu} €", f"€{eu}", f"EUR {eu}"))


def birth_date(g: Gen, locale: str = "en_US") -> str:
    born = date(1940, 1, 1) + timedelta(days=g.rng.randint(0, 365 * 65))
    if locale == "en_US":
        return g.pick((born.strftime("%m/%d/%Y"), born.strftime("%B %d, %Y"), born.isoformat()))
    if locale == "de_DE":
        return born.strftime("%d.%m.%Y")
    return g.pick((born.strftime("%d/%m/%Y"), born.isoformat()))


def passport(g: Gen, locale: str = "en_US") -> str:
    upper = string.ascii_uppercase
    if locale == "de_DE":
        return g.chars("CFGHJKLMNPRTVWXYZ", 1) + g.chars("CFGHJKLMNPRTVWXYZ0123456789", 8)
    if locale == "fr_FR":
        return g.digits(2) + g.chars(upper, 2) + g.digits(5)
    if locale in ("es_ES", "it_IT", "pt_BR"):
        return g.chars(upper, 2 if locale != "es_ES" else 3) + g.digits(7 if locale != "es_ES" else 6)
    if locale == "en_GB":
        return g.digits(9)
    return g.pick((str(g.rng.randint(1, 9)) + g.digits(8), g.chars(upper, 1) + g.digits(8)))


def drivers_license(g: Gen) -> tuple[str, str]:
    """A US driver's licence number and its state, in that state's format."""
    upper = string.ascii_uppercase
    state = g.pick(("CA", "NY", "FL", "TX", "IL", "WA", "PA", "OH"))
    formats = {
        "CA": lambda: g.chars(upper, 1) + g.digits(7),
        "NY": lambda: g.digits(9),
        "FL": lambda: f"{g.chars(upper, 1)}{g.digits(3)}-{g.digits(3)}-{g.digits(2)}-{g.digits(3)}-{g.digits(1)}",
        "TX": lambda: g.digits(8),
        "IL": lambda: f"{g.chars(upper, 1)}{g.digits(3)}-{g.digits(4)}-{g.digits(4)}",
        "WA": lambda: "WDL" + g.chars(upper + string.digits, 9),
        "PA": lambda: g.digits(8),
        "OH": lambda: g.chars(upper, 2) + g.digits(6),
    }
    return formats[state](), state


def phone(g: Gen, locale: str = "en_US") -> str:
    """A phone number in the locale's style that ``phonenumbers`` accepts as valid."""
    region = _PHONE_REGION[locale]
    for _ in range(50):
        raw = g.fake(locale).phone_number()
        try:
            parsed = phonenumbers.parse(raw, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(parsed) and "x" not in raw:
            return raw
    raise RuntimeError(f"faker produced no valid {region} phone number in 50 tries")


def email(g: Gen, locale: str = "en_US") -> str:
    """A personal or work address, never on the reserved example.* domains."""
    fk = g.fake(locale)
    while True:
        value = fk.free_email() if g.chance(0.6) else fk.company_email()
        if ".example" not in value and "@example" not in value:
            return value


def ipv4(g: Gen) -> str:
    """A public IPv4 address (the private ranges read like internal config, also fine, but rarer)."""
    if g.chance(0.2):
        return f"10.{g.rng.randint(0, 255)}.{g.rng.randint(0, 255)}.{g.rng.randint(1, 254)}"
    return g.fake().ipv4_public()


def postal_address(g: Gen, locale: str = "en_US") -> str:
    fk = g.fake(locale)
    if locale == "en_US":
        return f"{fk.street_address()}, {fk.city()}, {fk.state_abbr()} {fk.zipcode()}"
    if locale == "en_GB":
        return f"{fk.street_address()}, {fk.city()} {fk.postcode()}"
    return f"{fk.street_address()}, {fk.postcode()} {fk.city()}"


def person_name(g: Gen, locale: str = "en_US") -> str:
    fk = g.fake(locale)
    return f"{fk.first_name()} {fk.last_name()}"
