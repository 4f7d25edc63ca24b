"""Numbered personal identifiers: payment cards, US SSN/ITIN, IBAN, passports and
driver's licences (topic ``pii``).

Cards, SSNs and ITINs are found in the view's number shapes and must pass their
numbering rules (Luhn and issuer ranges, SSA/IRS area-group-serial) before context
words move the confidence. IBANs start from the shape ``AA00`` and must pass mod-97
at the registry length. Passport and licence numbers have no checksum, so they are
only reported right after a word that names them.
"""

from __future__ import annotations

import re

from policies.detectors.pii_view import Cue, TextView, bounded
from policies.detectors.validators import (
    EXAMPLE_IBANS,
    EXAMPLE_SSNS,
    IBAN_LENGTHS,
    TEST_CARDS,
    card_issuer,
    iban_valid,
    itin_valid,
    looks_fabricated,
    luhn_valid,
    ssn_valid,
)
from policies.finding import Finding

# A stretch of digits joined by spaces or dashes in a number shape; the card is then
# looked for among its groups, so "4111 1111 1111 1111 12/27" still yields the card.
_CARD_STRETCH = re.compile(rb"(?<![0.])0[0 -]{11,300}0(?!0|\.0)")
_GROUP = re.compile(r"\d+")
_CARD_WORDS = Cue(
    re.compile(
        rb"card|visa|master ?card|\bamex\b|american express|discover|\bjcb\b|diners|unionpay|maestro|credit|debit"
        rb"|\bcc\b|\bcvv|\bcvc|\bexp(?:iry|ires|iration)?\b|\bpan\b|billing|charged|karte|carte|tarjeta|carta|cart\xe3o"
    ),
    (b"card", b"visa", b"master", b"amex", b"american express", b"discover", b"jcb", b"diners", b"unionpay",
     b"maestro", b"credit", b"debit", b"cc", b"cvv", b"cvc", b"exp", b"pan", b"billing", b"charged", b"karte",
     b"carte", b"tarjeta", b"carta", b"cart\xe3o"),
)  # fmt: skip
_NOT_CARD_WORDS = Cue(
    re.compile(rb"order|tracking|shipment|invoice|\bisbn|\bimei|serial|\bid\b|uuid|timestamp|\bref\b"),
    (b"order", b"tracking", b"shipment", b"invoice", b"isbn", b"imei", b"serial", b"id", b"uuid", b"timestamp",
     b"ref"),
)  # fmt: skip


class CreditCardDetector:
    """CREDIT_CARD: 13-19 digits, Luhn-valid, in an issuer's range and length.

    Grouped like a card (4-4-4-4, 4-6-5) is high, bare digits medium, card words raise
    and order/tracking words lower it. Processor test cards and repeated digits are low.
    """

    name = "credit_card"
    entries: tuple[str, ...] = ("CREDIT_CARD",)

    def detect(self, text: str) -> list[Finding]:
        return self.scan(TextView(text))

    def scan(self, view: TextView) -> list[Finding]:
        found: list[Finding] = []
        for start, end in view.find_in_clusters(_CARD_STRETCH, min_digits=13):
            if bounded(view, start, end, b"+"):
                groups = [m.span() for m in _GROUP.finditer(view.text, start, end)]
                found.extend(self._cards(view, groups))
        return found

    def _cards(self, view: TextView, groups: list[tuple[int, int]]) -> list[Finding]:
        """Walk the groups; from each, the longest stretch printed like a card (one block
        of 13-19 digits, or 4 digits then groups of 4-6) that passes the checks."""
        found: list[Finding] = []
        sizes = [end - start for start, end in groups]
        i = 0
        while i < len(groups):
            for j in reversed(_card_ends(sizes, i)):
                start, end = groups[i][0], groups[j - 1][1]
                confidence = self._confidence(view, start, end, [view.text[a:b] for a, b in groups[i:j]])
                if confidence is not None:
                    found.append(Finding("CREDIT_CARD", "pii", start, end, confidence))
                    i = j - 1
                    break
            i += 1
        return found

    def _confidence(self, view: TextView, start: int, end: int, groups: list[str]) -> float | None:
        digits = "".join(groups)
        if not 13 <= len(digits) <= 19 or not _card_grouping(groups):
            return None
        if not luhn_valid(digits) or card_issuer(digits) is None:
            return None
        if digits in TEST_CARDS or looks_fabricated(digits):
            return 0.2
        if view.near(_CARD_WORDS, start, end):
            return 0.95
        if view.near(_NOT_CARD_WORDS, start, end):
            return 0.4
        return 0.85 if len(groups) > 1 else 0.7


def _card_ends(sizes: list[int], i: int) -> list[int]:
    """Ends j such that groups i..j-1 hold 13-19 digits in a card's grouping."""
    if 13 <= sizes[i] <= 19:
        return [i + 1]
    if sizes[i] != 4:
        return []
    ends, total, j = [], 4, i + 1
    while j < len(sizes) and total + sizes[j] <= 19:
        total += sizes[j]
        j += 1
        if total >= 13 and sizes[j - 1] <= 6:
            ends.append(j)
        if not 4 <= sizes[j - 1] <= 6:
            break  # only the last group may be shorter
    return ends


def _card_grouping(groups: list[str]) -> bool:
    """Either one block of digits or the printed groups: 4 first, then 4-6, last 1-6."""
    if len(groups) == 1:
        return True
    return len(groups[0]) == 4 and all(4 <= len(g) <= 6 for g in groups[1:-1]) and 1 <= len(groups[-1]) <= 6


_SSN_SHAPE = re.compile(rb"(?<![0.-])000[ -]?00[ -]?0000(?![0-]|\.0)")
_FORMATTED_SSN = re.compile(rb"(?<![0.-])000[ -]00[ -]0000(?![0-]|\.0)")
_BARE_NINE = re.compile(rb"(?<![0.-])000000000(?![0-]|\.0)")
_SSN = re.compile(r"(\d{3})([ -]?)(\d{2})([ -]?)(\d{4})")
_SSN_WORDS = Cue(
    re.compile(rb"\bssn|social security|\bss ?#|\bss no|soc\.? ?sec|\bw-[249]\b|\bi-9\b"),
    (b"ssn", b"social security", b"ss", b"soc", b"w-", b"i-9"),
)
_TAX_WORDS = Cue(
    re.compile(rb"\bitin|taxpayer|tax id|\btin\b|\birs\b|1040|w-7"), (b"tin", b"tax", b"irs", b"1040", b"w-7")
)
# Labels that may stand right before nine bare digits ("SSN 123456789", "ITIN: ...").
_SSN_LABELS = frozenset([b"ssn", b"ss#", b"ssn#", b"security", b"itin", b"tin", b"taxpayer", b"ssns"])


class SSNDetector:
    """US_SSN and US_ITIN: 3-2-4 digits that keep the SSA/IRS numbering rules.

    Dashed is medium, spaced low, and nine bare digits are reported only with a word
    such as "SSN", "social security" or "ITIN" near. 123-45-6789, 078-05-1120 and
    repeated or sequential digits are low.
    """

    name = "ssn"
    entries: tuple[str, ...] = ("US_SSN", "US_ITIN")

    def detect(self, text: str) -> list[Finding]:
        return self.scan(TextView(text))

    def scan(self, view: TextView) -> list[Finding]:
        found: list[Finding] = []
        # Nine bare digits need their label, and most numbers in data have none: when there
        # are many, look once for any label in the whole text before looking per number.
        bare = view.count_in_clusters(_BARE_NINE) <= 8 or view.mentions(_SSN_LABELS)
        for start, end in view.find_in_clusters(_SSN_SHAPE if bare else _FORMATTED_SSN, min_digits=9):
            if end - start == 9 and view.label_before(start)[0] not in _SSN_LABELS:
                continue
            m = _SSN.fullmatch(view.text, start, end)
            finding = self._judge(view, m) if m is not None and bounded(view, start, end) else None
            if finding is not None:
                found.append(finding)
        return found

    def _judge(self, view: TextView, m: re.Match[str]) -> Finding | None:
        area, sep, group, sep2, serial = m.groups()
        if sep != sep2:
            return None
        entry = "US_ITIN" if itin_valid(area, group, serial) else "US_SSN" if ssn_valid(area, group, serial) else None
        if entry is None:
            return None
        if sep:
            named = view.near(_SSN_WORDS, m.start(), m.end()) or (
                entry == "US_ITIN" and view.near(_TAX_WORDS, m.start(), m.end())
            )
        else:  # bare digits are common in data: only a label right before them counts
            named = view.label_before(m.start())[0] in _SSN_LABELS
            if not named:
                return None
        digits = area + group + serial
        if digits in EXAMPLE_SSNS or looks_fabricated(digits):
            confidence: float | None = 0.15 if named or sep else None
        elif named:
            confidence = 0.9
        else:
            confidence = {"-": 0.65, " ": 0.4}.get(sep)
        return None if confidence is None else Finding(entry, "pii", m.start(), m.end(), confidence)


_IBAN_HINT = re.compile(rb"AA00")
_IBAN = re.compile(r"[A-Z]{2}\d{2}[ A-Z0-9-]{11,45}")
_IBAN_WORDS = Cue(
    re.compile(rb"iban|bank|account|konto|compte|cuenta|conto|transfer|wire|swift|\bbic\b|\brib\b|pay"),
    (b"iban", b"bank", b"account", b"konto", b"compte", b"cuenta", b"conto", b"transfer", b"wire", b"swift", b"bic",
     b"rib", b"pay"),
)  # fmt: skip


class IBANDetector:
    """IBAN: registry country, registry length and ISO 7064 mod-97 -> high.

    Printed (groups of four) or electronic form; published specimens are low.
    """

    name = "iban"
    entries: tuple[str, ...] = ("IBAN",)

    def detect(self, text: str) -> list[Finding]:
        return self.scan(TextView(text))

    def scan(self, view: TextView) -> list[Finding]:
        found: list[Finding] = []
        shape = view.shape
        for hint in _IBAN_HINT.finditer(shape):
            start = hint.start()
            if start > 0 and shape[start - 1] in b"Aa0":
                continue
            m = _IBAN.match(view.text, start)
            span = _iban_span(view.text, m) if m is not None else None
            if span is None:
                continue
            compact = "".join(ch for ch in view.text[span[0] : span[1]] if ch.isalnum())
            example = compact in EXAMPLE_IBANS
            confidence = 0.2 if example else 0.98 if view.near(_IBAN_WORDS, *span) else 0.9
            found.append(Finding("IBAN", "pii", span[0], span[1], confidence))
        return found


def _iban_span(text: str, m: re.Match[str]) -> tuple[int, int] | None:
    """Cut the greedy match at the country's length; the IBAN must end at a boundary."""
    length = IBAN_LENGTHS.get(m.group()[:2])
    if length is None:
        return None
    count, end = 0, m.start()
    while count < length and end < m.end():
        if text[end].isalnum():
            count += 1
        end += 1
    if count < length or (end < len(text) and text[end].isalnum()):
        return None
    compact = "".join(ch for ch in text[m.start() : end] if ch.isalnum())
    return (m.start(), end) if iban_valid(compact) else None


_PASSPORT_CUE = re.compile(rb"pas(?:s(?:port|eport|aporto|aporte|nummer|-?nr)|aporte)")
_LICENCE_CUE = re.compile(rb"driv(?:er'?s?|ing)[ -]licen[cs]e")
_DL_CUE = re.compile(rb"DL ?(?:#|No\b|NO\b|Nr\b|Num|NUM)")
# What every _PASSPORT_CUE match holds, one of these.
_PASSPORT_LETTERS = (b"passport", b"passeport", b"passaport", b"passnummer", b"passnr", b"pass-nr", b"pasaporte")
_FILLER = re.compile(
    r"(?i)(?:[\s:#.,=()'\"-]|(?:numbers?|nummer|numero|número|numéro|no|nr|num|n°|n|is|id|was|of|de|the|ist|es)\b){0,14}"
)
_ID_TOKEN = re.compile(r"(?:[A-Z]{1,3}\d{1,6}|\d{1,6})(?:[ -]\d{1,6}){1,5}(?![\w-])|[A-Z0-9]{6,16}(?![\w-])")


class GovernmentIdDetector:
    """PASSPORT_NUMBER and DRIVERS_LICENSE: an id token right after a word naming it.

    "passport (number|no.|#)" and its European forms, "driver's license/licence",
    "DL#". A bare "license number" is not enough: software and trade licences have them.
    """

    name = "government_id"
    entries: tuple[str, ...] = ("PASSPORT_NUMBER", "DRIVERS_LICENSE")

    def detect(self, text: str) -> list[Finding]:
        return self.scan(TextView(text))

    def scan(self, view: TextView) -> list[Finding]:
        found: list[Finding] = []
        mentions = view.forms.may_mention  # no scan for a word the text lacks
        for m in _PASSPORT_CUE.finditer(view.lower) if mentions(_PASSPORT_LETTERS) else ():
            found.extend(_id_after(view, m.end(), "PASSPORT_NUMBER", 0.85))
        for m in _LICENCE_CUE.finditer(view.lower) if mentions((b"licen",)) else ():
            found.extend(_id_after(view, m.end(), "DRIVERS_LICENSE", 0.85))
        for m in _DL_CUE.finditer(view.raw) if mentions((b"dl",)) else ():
            if m.start() == 0 or not view.raw[m.start() - 1 : m.start()].isalnum():
                found.extend(_id_after(view, m.start() + 2, "DRIVERS_LICENSE", 0.85))
        return found


def _id_after(view: TextView, pos: int, entry: str, confidence: float) -> list[Finding]:
    filler = _FILLER.match(view.text, pos, pos + 40)
    start = filler.end() if filler is not None else pos
    m = _ID_TOKEN.match(view.text, start, start + 32)
    if m is None:
        return []
    digits = "".join(ch for ch in m.group() if ch.isdigit())
    if not digits or (m.group().isdigit() and len(digits) < 6):
        return []
    if looks_fabricated(digits) or len(set(m.group())) <= 2:
        confidence = 0.2
    return [Finding(entry, "pii", m.start(), m.end(), confidence)]
