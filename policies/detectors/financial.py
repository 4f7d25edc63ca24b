"""Financial information: bank account and routing numbers, SWIFT/BIC codes and money
amounts (topic ``financial``).

Account numbers have no checksum, so they need an account word just before them;
routing numbers need the ABA checksum *and* a routing word. A BIC is taken after
"SWIFT"/"BIC", or without one only when its bank code is a well-known bank's. An
amount is medium only with a finance word near; otherwise it is low, because prices
and figures are everywhere in ordinary text. ``FinancialDetector`` runs all of them
over one shared ``TextView``.
"""

from __future__ import annotations

import re

from policies.detectors.pii_view import Cue, DetectorGroup, TextView, bounded
from policies.detectors.validators import aba_valid, bic_valid, is_test_bic, looks_fabricated
from policies.finding import Finding


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Eight to seventeen digits, bare or grouped; not a date (2024-05-02, 02-05-2024).
_ACCOUNT_SHAPE = re.compile(rb"(?<![0.-])(?!0000-00-00(?![0-])|00-00-0000(?![0-]))0[0 -]{6,22}0(?![0-]|\.0)")
# The label right before a number decides what it is: "Routing number (ABA): 0210...",
# "acct #12345678", "my account number is 12345678".
_ROUTING_WORDS = frozenset([b"routing", b"aba", b"rtn", b"transit", b"ach"])
_ACCOUNT_WORDS = frozenset(
    [b"account", b"acct", b"a/c", b"checking", b"savings", b"konto", b"kontonummer", b"compte", b"cuenta", b"conto",
     b"conta", b"iban"]
)  # fmt: skip
_LABEL_WORDS = _ROUTING_WORDS | _ACCOUNT_WORDS
_STRONG_ACCOUNT_WORDS = frozenset([b"acct", b"a/c", b"checking", b"savings", b"kontonummer"])
_NOT_BANK = Cue(
    re.compile(rb"\baws\b|arn:|account id|customer id|user id|\border|phone|\btel\b|project|tenant|subscription"),
    (b"aws", b"arn:", b"account id", b"customer id", b"user id", b"order", b"phone", b"tel", b"project", b"tenant",
     b"subscription"),
)  # fmt: skip


class BankAccountDetector:
    """BANK_ACCOUNT (8-17 digits labelled as an account) and ABA_ROUTING (9 digits that
    pass the ABA checksum, labelled "routing"/"ABA"/"RTN")."""

    name = "bank_account"
    entries: tuple[str, ...] = ("BANK_ACCOUNT", "ABA_ROUTING")

    def detect(self, text: str) -> list[Finding]:
        return self.scan(TextView(text))

    def scan(self, view: TextView) -> list[Finding]:
        found: list[Finding] = []
        if view.count_in_clusters(_ACCOUNT_SHAPE, min_digits=8) > 8 and not view.mentions(_LABEL_WORDS):
            return []  # a data dump full of long numbers and no account word anywhere
        for start, end in view.find_in_clusters(_ACCOUNT_SHAPE, min_digits=8):
            finding = self._judge(view, start, end) if bounded(view, start, end) else None
            if finding is not None:
                found.append(finding)
        return found

    def _judge(self, view: TextView, start: int, end: int) -> Finding | None:
        label, skipped = view.label_before(start)
        if label not in _ROUTING_WORDS and label not in _ACCOUNT_WORDS:
            return None
        digits = "".join(ch for ch in view.text[start:end] if ch.isdigit())
        if not 8 <= len(digits) <= 17 or view.near(_NOT_BANK, start, start, before=40, after=0):
            return None
        if label in _ROUTING_WORDS:
            if not aba_valid(digits):
                return None
            return Finding("ABA_ROUTING", "financial", start, end, 0.2 if looks_fabricated(digits) else 0.9)
        if looks_fabricated(digits):
            return Finding("BANK_ACCOUNT", "financial", start, end, 0.2)
        before = view.forms.ascii_lower_slice(max(0, start - 40), start)
        strong = skipped or label in _STRONG_ACCOUNT_WORDS or b"bank" in before
        return Finding("BANK_ACCOUNT", "financial", start, end, 0.85 if strong else 0.6)


_SWIFT_CUE = re.compile(rb"wift(?<=swift)")  # "w" is rarer than "s": the literal search is faster
_BIC_CUE = re.compile(rb"bic\b")
_BIC_TOKEN = re.compile(r"(?<![\w-])[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?(?![\w-])")
_BIC_SHAPE = re.compile(rb"AAAAAA[A0][A0](?:[A0]{3})?(?![A0a_-])")
# Bank codes common enough in payment instructions to trust without a "SWIFT" word.
_KNOWN_BANKS = _words(
    """
    DEUT COBA DRES HYVE GENO BYLA MARK BNPA SOGE CRLY AGRI CCBP BSCH BBVA CAIX UNCR BCIT INGB ABNA RABO BARC
    HBUK HSBC MIDL NWBK LOYD RBOS CHAS BOFA CITI WFBI IRVT UBSW CRES ZKBK ITAU BCOM BKCH ICBK PCBC MHCB BOTK
    SMBC NDEA DABA HAND ESSE SWED BPOT RZBA GIBA KRED GEBA BKAU
    """
)


class SwiftBicDetector:
    """SWIFT_BIC: a BIC-shaped code after "SWIFT"/"BIC" (high), or a well-known bank's
    code on its own (medium). SWIFT test codes (location ending in 0) are low."""

    name = "swift_bic"
    entries: tuple[str, ...] = ("SWIFT_BIC",)

    def detect(self, text: str) -> list[Finding]:
        return self.scan(TextView(text))

    def scan(self, view: TextView) -> list[Finding]:
        spans: dict[int, Finding] = {}
        text = view.text
        mentions = view.forms.may_mention  # no scan for a word the text lacks (see TextForms)
        cues = [m.start() - 1 for m in _SWIFT_CUE.finditer(view.lower)] if mentions((b"swift",)) else []
        if mentions((b"bic",)):
            lower = view.lower
            cues += [m.start() for m in _BIC_CUE.finditer(lower) if not lower[m.start() - 1 : m.start()].isalpha()]
        for cue in cues:  # "bic" inside "public" or "cubic" is no cue
            for m in _BIC_TOKEN.finditer(text, max(0, cue - 24), cue + 45):
                if bic_valid(m.group()):
                    spans[m.start()] = Finding(
                        "SWIFT_BIC", "financial", m.start(), m.end(), _bic_confidence(m.group(), 0.9)
                    )
        for hint in _BIC_SHAPE.finditer(view.shape):
            start, end = hint.span()
            if start in spans or (start > 0 and view.shape[start - 1] in b"Aa0_-"):
                continue
            code = text[start:end]
            if code[:4] in _KNOWN_BANKS and bic_valid(code):
                spans[start] = Finding("SWIFT_BIC", "financial", start, end, _bic_confidence(code, 0.6))
        return list(spans.values())


def _bic_confidence(code: str, confidence: float) -> float:
    return 0.3 if is_test_bic(code) else confidence


_NUMBER = r"(?:\d{1,3}(?:,\d{3}){1,5}(?:\.\d{1,2})?|\d{1,3}(?:\.\d{3}){1,5}(?:,\d{1,2})?|\d{1,12}(?:[.,]\d{1,2})?)"
_SCALE = r"(?:[ \t]?(?:[kKmMbB]n?|million|billion|thousand|Mio\.?|Mrd\.?)\b)?"
_CODES = (
    "USD|EUR|GBP|JPY|CHF|CAD|AUD|NZD|CNY|RMB|INR|BRL|MXN|SEK|NOK|DKK|PLN|ZAR|SGD|HKD|KRW|RUB|TRY|AED|SAR|ILS|CZK|HUF"
)
_SYMBOL_FIRST = re.compile(rf"(?:[A-Z]{{1,2}})?[$\xa3\xa5\u20ac\u20b9][ \t]?{_NUMBER}{_SCALE}(?![\d.,]\d)")
_CODE_FIRST = re.compile(rf"\b(?:{_CODES})[ \t]?{_NUMBER}{_SCALE}(?![\d.,]\d)")
_SYMBOL_DIGIT = re.compile(r"[$\xa3\xa5\u20ac\u20b9][ \t]?\d")  # in every _SYMBOL_FIRST match
_DIGIT = re.compile(r"\d")  # in every _AMOUNT_LAST match
_AMOUNT_LAST = re.compile(rf"(?<![\d.,]){_NUMBER}{_SCALE}[ \t]?(?:[\u20ac\u20b9]|(?:{_CODES})\b)")
# A three-capital word before or after a number ("USD 5,000", "300 EUR"), in one pass
# led by the capitals, which number-heavy text hardly has.
_CODE_HINT = re.compile(rb"AAA(?![Aa])(?:(?P<before> ?0)|(?<=0AAA)|(?<=0 AAA))")
_FINANCE_WORDS = Cue(
    re.compile(
        rb"invoice|salary|revenue|wire|balance|payment|\bpaid|\bpay|price|cost|refund|transfer|deposit|loan|budget"
        rb"|income|\bowe|\bbill|\bfee|\btax|amount|total|earn|profit|bonus|compensation|debt|mortgage|\brent|spend"
        rb"|charge|fund|invest|expense|purchase|\bsold|\bsale|credit|debit|dispute|payroll|\bwage|\bach\b"
        rb"|\xfcberweis|betrag|rechnung|gehalt|miete|virement|montant|facture|salaire|transferencia|importe|factura"
        rb"|bonifico|importo|fattura|transfer\xeancia|valor|transf|\bpag|zahl|paie|versement|cobro"
    ),
    (b"invoice", b"salary", b"revenue", b"wire", b"balance", b"pay", b"price", b"cost", b"refund", b"transfer",
     b"deposit", b"loan", b"budget", b"income", b"owe", b"bill", b"fee", b"tax", b"amount", b"total", b"earn",
     b"profit", b"bonus", b"compensation", b"debt", b"mortgage", b"rent", b"spend", b"charge", b"fund", b"invest",
     b"expense", b"purchase", b"sold", b"sale", b"credit", b"debit", b"dispute", b"payroll", b"wage", b"ach",
     b"\xfcberweis", b"betrag", b"rechnung", b"gehalt", b"miete", b"virement", b"montant", b"facture", b"salaire",
     b"transferencia", b"importe", b"factura", b"bonifico", b"importo", b"fattura", b"transfer\xeancia", b"valor",
     b"transf", b"pag", b"zahl", b"paie", b"versement", b"cobro"),
)  # fmt: skip


class MonetaryAmountDetector:
    """MONETARY_AMOUNT: a number with a currency symbol or ISO code, medium with a
    finance word near, low without. ``$1``-``$9`` alone are shell and regex variables."""

    name = "monetary_amount"
    entries: tuple[str, ...] = ("MONETARY_AMOUNT",)

    def detect(self, text: str) -> list[Finding]:
        return self.scan(TextView(text))

    def scan(self, view: TextView) -> list[Finding]:
        text, spans = view.text, {}
        # Currency symbols are rare single characters: find() (memchr) beats any pattern.
        starts = [i for symbol in b"$\xa3\xa5" for i in _byte_positions(view.raw, symbol)]
        if not text.isascii():  # "€" and "₹" are outside Latin-1, so only the text has them
            starts += [i for symbol in "\u20ac\u20b9" for i in _char_positions(text, symbol)]
        for pos in starts:
            # Both patterns need a digit in their window (right after a symbol, for the first):
            # in code "$" is mostly a variable, and these short checks rule it out several
            # times faster than the patterns would.
            m = None
            if _SYMBOL_DIGIT.search(text, max(0, pos - 2), pos + 40):
                m = _SYMBOL_FIRST.search(text, max(0, pos - 2), pos + 40)
            if m is None and _DIGIT.search(text, max(0, pos - 30), pos + 1):
                m = _AMOUNT_LAST.search(text, max(0, pos - 30), pos + 1)
            if m is not None:
                spans[m.start()] = m
        for hint in _CODE_HINT.finditer(view.shape):
            if hint.group("before") is not None:
                m = _CODE_FIRST.match(text, hint.start())
            else:
                m = _AMOUNT_LAST.search(text, max(0, hint.start() - 26), hint.end() + 1)
            if m is not None:
                spans[m.start()] = m
        return [f for m in spans.values() if (f := self._judge(view, m)) is not None]

    def _judge(self, view: TextView, m: re.Match[str]) -> Finding | None:
        value = m.group()
        digits = sum(ch.isdigit() for ch in value)
        if digits == 1 and not any(ch in value for ch in ".,kKmMbB"):
            return None  # "$1" is a shell or regex variable, and one unit is no one's secret
        confidence = 0.6 if view.near(_FINANCE_WORDS, m.start(), m.end()) else 0.3
        return Finding("MONETARY_AMOUNT", "financial", m.start(), m.end(), confidence)


def _byte_positions(data: bytes, byte: int) -> list[int]:
    found, i = [], data.find(byte)
    while i != -1:
        found.append(i)
        i = data.find(byte, i + 1)
    return found


def _char_positions(text: str, char: str) -> list[int]:
    found, i = [], text.find(char)
    while i != -1:
        found.append(i)
        i = text.find(char, i + 1)
    return found


class FinancialDetector(DetectorGroup):
    """The financial family over one shared view; register this one."""

    name = "financial"

    def __init__(self) -> None:
        super().__init__((BankAccountDetector(), SwiftBicDetector(), MonetaryAmountDetector()))
