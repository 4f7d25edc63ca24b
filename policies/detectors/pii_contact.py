"""Contact points: e-mail addresses, phone numbers and IP addresses (topic ``pii``).

Each detector starts from what its entry cannot do without (an ``@``, a number shape
of the view, a colon between hex groups) and only then runs a precise pattern or a
library on a small window. Phone numbers go through Google's ``phonenumbers``, which
is slow (~40 µs a call), so it only sees candidates that already have an
international ``+`` or a phone word nearby; a formatted US number without one is
judged by a cheap numbering-plan check and reported low.
"""

from __future__ import annotations

import ipaddress
import re

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher

from policies.detectors.pii_view import Cue, TextView, bounded
from policies.detectors.validators import COUNTRY_CODES
from policies.finding import Finding


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_LOCAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
_DOMAIN = re.compile(r"[A-Za-z0-9.-]{4,253}")
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
# Generic TLDs seen in real addresses; two-letter TLDs are checked against ISO 3166.
# Reserved ones (.example, .test, .invalid, .localhost) are absent on purpose.
_GENERIC_TLDS = _words(
    """
    com net org edu gov mil int info biz name pro aero coop museum mobi asia tel travel jobs cat app dev cloud
    online site tech store shop xyz top club blog email live news page work world agency digital solutions
    systems software network services media group company global design studio academy support center consulting
    science health law bank insurance finance capital money life link space today team zone social io ai co me
    tv uk eu ac inc llc ltd gmbh
    """
)
_PLACEHOLDER_DOMAINS = _words(
    """
    example.com example.net example.org test.com domain.com yourdomain.com mydomain.com yourcompany.com
    company.com sample.com foo.com bar.com foobar.com email.com acme.com
    """
)
_PLACEHOLDER_LOCALS = _words(
    """
    user username you your.name yourname name someone somebody test foo bar john.doe jane.doe johndoe janedoe me
    email address
    """
)
_NON_PERSONAL_LOCALS = frozenset(["noreply", "no-reply", "donotreply", "do-not-reply", "mailer-daemon", "postmaster"])


class EmailDetector:
    """EMAIL: local@domain with a known TLD -> high. Example domains, ``git@host``
    remotes and robot senders are low; a sample local part ("jane.doe@") is medium."""

    name = "email"
    entries: tuple[str, ...] = ("EMAIL",)

    def detect(self, text: str) -> list[Finding]:
        return self.scan(TextView(text))

    def scan(self, view: TextView) -> list[Finding]:
        text = view.text
        found: list[Finding] = []
        at = text.find("@")
        while at != -1:
            finding = _email_at(text, at)
            if finding is not None:
                found.append(finding)
            at = text.find("@", at + 1)
        return found


def _email_at(text: str, at: int) -> Finding | None:
    floor = max(0, at - 64)
    start = at
    while start > floor and text[start - 1] in _LOCAL_CHARS:
        start -= 1
    while start < at and text[start] == ".":
        start += 1
    if start == at or (start == floor and floor > 0 and text[floor - 1] in _LOCAL_CHARS):
        return None  # no local part, or one longer than the 64 characters allowed
    if "://" in _token_before(text, start):
        return None  # user:password@host inside a URL is a credential, not a mailbox
    m = _DOMAIN.match(text, at + 1)
    domain = m.group().rstrip(".-").lower() if m is not None else ""
    end = at + 1 + len(domain)
    if end < len(text) and (text[end].isalnum() or text[end] == "_"):
        return None  # the domain runs on into a word: "x@self.weight_init"
    labels = domain.split(".")
    if len(labels) < 2 or not all(_LABEL.fullmatch(label) for label in labels):
        return None
    tld = labels[-1]
    if tld not in _GENERIC_TLDS and not (len(tld) == 2 and tld.upper() in COUNTRY_CODES):
        return None
    return Finding("EMAIL", "pii", start, end, _email_confidence(text[start:at].lower(), domain))


def _token_before(text: str, start: int) -> str:
    """The stretch of non-space characters that ends at ``start`` (up to 200)."""
    chunk = text[max(0, start - 200) : start]
    cut = max(chunk.rfind(ch) for ch in " \t\n\"'<>(")
    return chunk[cut + 1 :]


def _email_confidence(local: str, domain: str) -> float:
    if domain in _PLACEHOLDER_DOMAINS:
        return 0.25  # reserved or stock example domains reach no one
    if local == "git" or local in _NON_PERSONAL_LOCALS:
        return 0.2  # ssh remotes and robot senders
    # "jane.doe@" at a real domain may be a sample, but the mailbox may well exist.
    return 0.6 if local in _PLACEHOLDER_LOCALS else 0.9


_PHONE_WORDS = Cue(
    re.compile(
        rb"phone|\btel\b|\btel[:.#]|\bcall|\bmobile|\bcell\b|cellphone|\bfax\b|contact|whatsapp|\bsms\b|text me"
        rb"|reach me|\bring me|\bdial|hotline|telefon|t\xe9l\xe9phone|\bt\xe9l\b|telefono|tel\xe9fono|\bhandy\b"
        rb"|cellulare|celular|\bmob\b|\bph[:.#]|chiam|ligar|ligue|appel|anruf|rufen"
    ),
    (b"phone", b"tel", b"t\xe9l", b"call", b"mob", b"cell", b"celular", b"fax", b"contact", b"whatsapp", b"sms",
     b"text me", b"reach me", b"ring me", b"dial", b"hotline", b"handy", b"ph:", b"ph.", b"ph#", b"chiam", b"ligar",
     b"ligue", b"appel", b"anruf", b"rufen"),
)  # fmt: skip
# Candidates, on number shapes: "+44 20 7946 0958" (from the "+"), "(415) 555-2671",
# "1-415-555-2671", "415.555.2671" or 4155552671, and national numbers with 9-13 digits.
_INTL = re.compile(rb"\+ ?\(?0[0 ().-]{5,22}0")
_NANP = re.compile(
    rb"(?<![0-])(?:0[ .-]?)?(?:\(?000\) ?000[ .-]?0000|000-000-0000|000\.000\.0000|000 000 0000|0000000000)(?![0-]|\.0)"
)
_FORMATTED_NANP = re.compile(
    rb"(?<![0-])(?:0[ .-]?)?(?:\(?000\) ?000[ .-]?0000|000-000-0000|000\.000\.0000|000 000 0000)(?![0-]|\.0)"
)
_BARE = re.compile(rb"\A0{9,11}\Z")
_PHONE_LITERALS = frozenset(_PHONE_WORDS.literals)
# National numbers: grouped by spaces, dashes or brackets ("030 12345678"), dotted in
# short groups ("01.23.45.67.89"), or ten or eleven bare digits ("0521833786").
_NATIONAL = re.compile(rb"\A(?:\(?0{2,5}\)?[ -]{1,2}0[0 ()-]{3,16}0|00?0?0?(?:\.00?0?0?){2,4}|0{9,11})\Z")
_ISO_DATE = re.compile(r"(?:19|20)\d\d-[01]\d-[0-3]\d")
_NANP_TEXT = re.compile(r"(?:1[ .-]?)?(?:\([2-9]\d\d\) ?|[2-9]\d\d(?P<sep1>[ .-]?))[2-9]\d\d(?P<sep2>[ .-]?)\d{4}")
# With a phone word nearby, national formats of these regions are tried.
_TRUNK_REGIONS = ("GB", "DE", "FR", "ES", "IT", "BR", "IN", "AU")


class PhoneDetector:
    """PHONE_NUMBER: ``phonenumbers`` (leniency VALID) on small windows.

    ``+CC`` numbers are medium, high with a phone word near; national numbers need
    the phone word; a formatted US number without one is low, a bare one ignored.
    555-0100 to 555-0199 are reserved for fiction and reported low.
    """

    name = "phone"
    entries: tuple[str, ...] = ("PHONE_NUMBER",)

    def detect(self, text: str) -> list[Finding]:
        return self.scan(TextView(text))

    def scan(self, view: TextView) -> list[Finding]:
        found: list[Finding] = []
        for m in _INTL.finditer(view.shape):
            if bounded(view, m.start(), m.end()):
                found.extend(self._international(view, m.start(), m.end()))
        text = view.text
        # Bare digits need a phone word; in a data dump full of them, look once first.
        words = view.count_in_clusters(_BARE, min_digits=9) <= 8 or view.mentions(_PHONE_LITERALS)
        for start, end in view.find_in_clusters(_NANP if words else _FORMATTED_NANP, min_digits=10):
            if end - start == 10 and text[start] in "01":
                continue  # ten bare digits from 0 or 1: epoch seconds and ids, never a US number
            if start > 0 and text[start - 1] == "(":
                start -= 1
            if bounded(view, start, end, b"+"):
                found.extend(self._nanp(view, start, end))
        for start, end in view.find_in_clusters(_NATIONAL, min_digits=9) if words else []:
            if (text[start] == "0" or not text[start:end].isdigit()) and bounded(view, start, end, b"+"):
                found.extend(self._trunk(view, start, end))
        return _first_of_overlaps(found)

    def _international(self, view: TextView, start: int, end: int) -> list[Finding]:
        if not _phone_shaped(view.text[start + 1 : end]):
            return []
        base = 0.9 if view.near(_PHONE_WORDS, start, end) else 0.7
        return _matches(view.text, start, end, None, base)

    def _nanp(self, view: TextView, start: int, end: int) -> list[Finding]:
        text = view.text
        candidate = text[start:end]
        m = _NANP_TEXT.fullmatch(candidate)
        if m is None or m.group("sep1") not in (None, m.group("sep2")):
            return []  # area code or exchange starting 0/1, or mixed separators: not a US number
        if candidate.isdigit():
            # Ten bare digits are as likely an id: only a phone word before them counts.
            return _matches(text, start, end, "US", 0.9) if view.near(_PHONE_WORDS, start, end, after=0) else []
        if view.near(_PHONE_WORDS, start, end):
            return _matches(text, start, end, "US", 0.9)
        digits = "".join(ch for ch in candidate if ch.isdigit())[-10:]
        fictional = digits[3:6] == "555" and digits[6:8] == "01"
        confidence = 0.2 if fictional else 0.35
        return [Finding("PHONE_NUMBER", "pii", start, end, confidence)]

    def _trunk(self, view: TextView, start: int, end: int) -> list[Finding]:
        text = view.text
        piece = text[start:end]
        if not 9 <= sum(ch.isdigit() for ch in piece) <= 13 or not _phone_shaped(piece):
            return []
        if not view.near(_PHONE_WORDS, start, end):
            return []
        for region in _TRUNK_REGIONS:
            found = _matches(text, start, end, region, 0.85)
            if found:
                return found
        return []


def _first_of_overlaps(found: list[Finding]) -> list[Finding]:
    """One finding per stretch of text: the earliest, then the most confident."""
    found.sort(key=lambda f: (f.start, -f.confidence))
    kept: list[Finding] = []
    for finding in found:
        if not kept or finding.start >= kept[-1].end:
            kept.append(finding)
    return kept


def _matches(text: str, start: int, end: int, region: str | None, confidence: float) -> list[Finding]:
    window = text[start:end]
    return [
        Finding("PHONE_NUMBER", "pii", start + m.start, start + m.end, _cap(m, confidence))
        for m in PhoneNumberMatcher(window, region, leniency=Leniency.VALID)
    ]


def _phone_shaped(piece: str) -> bool:
    """Cheap rejections before any lookup: decimals, IP addresses, ISO dates."""
    if "." in piece:
        groups = piece.split(".")
        if not 3 <= len(groups) <= 4 or not all(2 <= len(g.strip(" ()-")) <= 5 for g in groups):
            return False
    return _ISO_DATE.match(piece) is None


def _cap(match: phonenumbers.PhoneNumberMatch, confidence: float) -> float:
    number = match.number
    national = str(number.national_number)
    fictional = number.country_code == 1 and national[3:6] == "555" and national[6:8] == "01"
    return 0.2 if fictional else confidence


_IPV4_SHAPE = re.compile(rb"(?<![0.])00?0?\.00?0?\.00?0?\.00?0?(?!0|\.0)")
_IPV4 = re.compile(r"(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)")
# A colon followed by a shape only IPv6 has: three colons in hex groups, or "::" next to
# a hex group and another colon. C++ "std::vector" and Python "[::2]" do not qualify.
_V6_HINT = re.compile(rb":(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:|:[0-9A-Fa-f]{1,4}:|[0-9A-Fa-f]{1,4}::)")
_IPV6 = re.compile(r"(?<![\w:.])[0-9A-Fa-f:]{3,39}(?:\.\d{1,3}){0,3}(?![\w:])")
_HEX_COLON = frozenset("0123456789abcdefABCDEF:")
_IP_WORDS = Cue(
    re.compile(
        rb"\bip\b|ipv[46]|address|\baddr|client|\bhost|server|remote|source|\bsrc\b|\bdst\b|peer|from|log(?:ged|in)"
        rb"|signed in|connect|firewall|allow|block|whitelist|banned"
    ),
    (b"ip", b"addr", b"client", b"host", b"server", b"remote", b"source", b"src", b"dst", b"peer", b"from", b"log",
     b"signed in", b"connect", b"firewall", b"allow", b"block", b"whitelist", b"banned"),
)  # fmt: skip
_VERSION_WORDS = Cue(
    re.compile(rb"version|\bver\b|\bv\.?$|release|build|firmware|\brev|section|chapter|step|fig|table|oid|\xa7"),
    (b"version", b"ver", b"v", b"release", b"build", b"firmware", b"rev", b"section", b"chapter", b"step", b"fig",
     b"table", b"oid", b"\xa7"),
)  # fmt: skip
_WELL_KNOWN = frozenset({"8.8.8.8", "8.8.4.4", "1.1.1.1", "1.0.0.1", "9.9.9.9", "208.67.222.222", "208.67.220.220"})


_DOC_NETWORKS = tuple(
    ipaddress.ip_network(net) for net in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")
)


def _documentation(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return any(address.version == net.version and address in net for net in _DOC_NETWORKS)


class IPAddressDetector:
    """IP_ADDRESS: IPv4 with valid octets and IPv6 that ``ipaddress`` parses.

    Public addresses are medium, high with network words near. Private ranges are low,
    medium with network words near; loopback, link-local, documentation and reserved
    ranges, public resolvers, and numbers read as versions or section numbers are low.
    """

    name = "ip_address"
    entries: tuple[str, ...] = ("IP_ADDRESS",)

    def detect(self, text: str) -> list[Finding]:
        return self.scan(TextView(text))

    def scan(self, view: TextView) -> list[Finding]:
        found: list[Finding] = []
        for start, end in view.find_in_clusters(_IPV4_SHAPE, min_digits=4):
            if bounded(view, start, end) and _IPV4.fullmatch(view.text, start, end):
                found.append(self._judge(view, start, end, view.text[start:end]))
        return found + self._ipv6(view)

    def _ipv6(self, view: TextView) -> list[Finding]:
        found: list[Finding] = []
        pos = 0
        text = view.text
        while (hint := _V6_HINT.search(view.raw, pos)) is not None:
            pos = hint.end()
            start = hint.start()
            while start > max(0, hint.start() - 40) and text[start - 1] in _HEX_COLON:
                start -= 1  # back to where this run of hex groups begins
            m = _IPV6.match(text, start, hint.end() + 40)
            if m is None:
                continue
            pos = max(pos, m.end())
            value = m.group()
            if sum(1 for group in value.split(":") if group) < 3 and "." not in value:
                continue
            try:
                ipaddress.IPv6Address(value)
            except ValueError:
                continue
            found.append(self._judge(view, m.start(), m.end(), value))
        return found

    def _judge(self, view: TextView, start: int, end: int, value: str) -> Finding:
        address = ipaddress.ip_address(value)
        if view.near(_VERSION_WORDS, start, start, before=20, after=0):
            confidence = 0.15
        elif address.is_private and not (address.is_loopback or address.is_link_local or _documentation(address)):
            # Internal addresses still locate a person's machine when a login names them.
            confidence = 0.5 if view.near(_IP_WORDS, start, end) else 0.25
        elif not address.is_global or address.is_multicast or value in _WELL_KNOWN:
            confidence = 0.25
        elif view.near(_IP_WORDS, start, end):
            confidence = 0.8
        else:
            confidence = 0.55
        return Finding("IP_ADDRESS", "pii", start, end, confidence)
