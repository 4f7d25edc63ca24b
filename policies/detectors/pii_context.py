"""Personal data that only context makes personal: dates of birth and people's names
(topic ``pii``).

A date is a date of birth only next to "born", "DOB", "date of birth" and the like.
A name has no format at all, so ``PersonNameDetector`` delegates to a
``NameRecognizer``; the default one is rule-based (a cue such as "my name is",
"Name:", "Dear", "Mr."/"Dr." followed by capitalised words) and reports medium. A
statistical recogniser can be plugged in through the same protocol.
"""

from __future__ import annotations

import re
from typing import NamedTuple, Protocol

from policies.detectors.pii_view import Cue, TextView, bounded
from policies.finding import Finding
from policies.text_forms import word_pieces


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_DOB_STRONG = Cue(
    re.compile(
        rb"\bdob\b|d\.o\.b|birth[ _-]?date|date[ _-]of[ _-]birth|birthday|\bbday|geburtsdatum|date de naissance"
        rb"|fecha de nacimiento|data di nascita|data de nascimento"
    ),
    (b"dob", b"d.o.b", b"birth", b"bday", b"geburtsdatum", b"naissance", b"nacimiento", b"nascita", b"nascimento"),
)
_DOB_WEAK = Cue(
    re.compile(rb"\bborn\b|\bgeb\.|\bgeboren|\bn[e\xe9]e? le\b|\bnac(?:ido|ida)\b|\bnat[oa] il\b"),
    (b"born", b"geb", b"ne le", b"n\xe9 le", b"n\xe9e le", b"nee le", b"nacid", b"nato il", b"nata il"),
)
_DOB_LITERALS = frozenset(_DOB_STRONG.literals + _DOB_WEAK.literals)
# Numeric dates on the shape (12/31/1985, 31.12.1985, 1985-12-31) and a year after a
# space, which may end a written date ("March 14, 1985", "14 March 1985").
_NUMERIC_SHAPE = re.compile(rb"(?<![0./-])(?:00?[/.-]00?[/.-]00(?:00)?|0000-00-00)(?![0/-]|\.0)")
_YEAR_SHAPE = re.compile(rb"(?<![0./-])0000(?![0/-]|\.0)")
_TIME_AFTER = re.compile(r"T\d|[ \t]\d{1,2}:\d\d")
_NUMERIC_DATE = re.compile(
    r"(?:(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<y>\d{4}|\d{2})|(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2}))"
)
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]{0,6}\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_NAMED_DATE = re.compile(rf"\b(?:{_MONTH}[ \t]{_DAY},?[ \t]\d{{4}}|{_DAY}(?:[ \t]of)?[ \t]{_MONTH},?[ \t]\d{{4}})\b")


class DateOfBirthDetector:
    """DATE_OF_BIRTH: a plausible calendar date within reach of a birth word.

    "DOB", "date of birth", "birthday" (and the German, French, Spanish, Italian and
    Portuguese forms) give high; "born", "geb.", "né le" give medium.
    """

    name = "date_of_birth"
    entries: tuple[str, ...] = ("DATE_OF_BIRTH",)

    def detect(self, text: str) -> list[Finding]:
        return self.scan(TextView(text))

    def scan(self, view: TextView) -> list[Finding]:
        # Structure first (a plausible date, not a timestamp), context last: in a log most
        # candidates fail the cheap tests and never pay for the keyword lookup.
        text, shape, spans = view.text, view.shape, []
        many = view.count_in_clusters(_NUMERIC_SHAPE) + view.count_in_clusters(_YEAR_SHAPE) > 8
        if many and not view.mentions(_DOB_LITERALS):
            return []  # a log full of dates and no birth word anywhere
        numeric = view.find_in_clusters(_NUMERIC_SHAPE, min_digits=4)
        years = view.find_in_clusters(_YEAR_SHAPE, min_digits=4)
        for start, end in numeric:
            if not bounded(view, start, end) or _TIME_AFTER.match(text, end):
                continue  # "2024-05-02T11:32" and "01/02/2024 10:15" are timestamps
            m = _NUMERIC_DATE.fullmatch(text, start, end)
            if m is not None and _plausible(m):
                spans.append((start, end))
        for start, end in years:
            if shape[max(0, start - 3) : start].rstrip(b" ,.")[-1:] in (b"a", b"0") and bounded(view, start, end):
                m = _NAMED_DATE.search(text, max(0, start - 24), end)
                if m is not None and m.end() == end:
                    spans.append(m.span())
        return [f for start, end in spans if (f := _judge(view, start, end)) is not None]


def _judge(view: TextView, start: int, end: int) -> Finding | None:
    # A "Date of birth" column header may sit a table row or an SQL column list away.
    if view.near(_DOB_STRONG, start, end, before=120, after=25):
        return Finding("DATE_OF_BIRTH", "pii", start, end, 0.85)
    if view.near(_DOB_WEAK, start, end, before=45, after=25):
        return Finding("DATE_OF_BIRTH", "pii", start, end, 0.7)
    return None


def _plausible(m: re.Match[str]) -> bool:
    if m.group("iy") is not None:
        return 1 <= int(m.group("im")) <= 12 and 1 <= int(m.group("id")) <= 31 and 1900 <= int(m.group("iy")) <= 2100
    a, b, year = int(m.group("a")), int(m.group("b")), m.group("y")
    if len(year) == 4 and not 1900 <= int(year) <= 2100:
        return False
    return 1 <= a <= 31 and 1 <= b <= 31 and (a <= 12 or b <= 12)


class NameSpan(NamedTuple):
    start: int
    end: int
    confidence: float


class NameRecognizer(Protocol):
    """Finds people's names in a view; ``view.text`` is the normalised text."""

    def find_names(self, view: TextView) -> list[NameSpan]: ...


# A capitalised word (Unicode letters, with ' or - inside), optional middle initial, another.
_WORD = r"[^\W\d_][\w'-]{0,24}"
_NAME = re.compile(rf"{_WORD}(?:[ \t]{{1,2}}(?:[A-Z]\.[ \t]{{1,2}})?{_WORD}){{0,2}}")
_WORDS_BEFORE = re.compile(rf"(?<![\w'-])(?:{_WORD}[ \t]){{1,2}}{_WORD}\Z")
_LABEL_COLON = re.compile(rb":[ \t]{0,3}[A-Z]")
# The word before "Name:"-style colons that announces a person ("Full name:", "Kunde:").
_LABELS = frozenset(
    b"""
    name patient employee customer client guest driver tenant applicant candidate contact beneficiary holder
    cardholder attn author signed spouse kontoinhaber inhaber kunde mitarbeiter b\xe9n\xe9ficiaire titulaire nom
    nombre titular cliente nome paciente
    """.split()
)
# In TextForms.vocabulary: a label is a whole blank-separated word, so a word of letters is
# a whole word there; one with accents, its word pieces.
_LABEL_ENDS = tuple((b" " + label + b" ",) if label.isalnum() else word_pieces(label) for label in _LABELS)
# Patterns open with their rarest literal ("me", "M", "D", "patient") because re finds a
# leading literal ~3x faster than a leading class; lookbehinds then check the rest.
_NAME_IS = re.compile(rb"me(?<=name)(?:'s| is| was)[ \t]{1,3}")
_NAME_OWNER = re.compile(rb"(?:my|his|her|their|your|full|legal|first|last|maiden|patient's|customer's) $")
_TITLE = re.compile(rb"M(?:rs?|s|iss|x)\.?[ \t]{1,2}[A-Z]")
_DOCTOR_OR_DEAR = re.compile(rb"D(?:r\.?|ear)[ \t]{1,2}[A-Z]")
_PATIENT = re.compile(rb"patient(?:'s name)?[ \t:]{1,3}")
_GREETING = re.compile(rb"H(?:i|ello|ey)[ \t]{1,2}[A-Z]")
# How the word of every match of these ends, lower-cased, in ``TextForms.vocabulary``: the
# cue is followed by ".", a blank or ":", none a word character.
_TITLE_ENDS = (b"mr ", b"mrs ", b"ms ", b"miss ", b"mx ")
_DOCTOR_OR_DEAR_ENDS = (b"dr ", b"dear ")
_GREETING_ENDS = (b"hi ", b"hello ", b"hey ")
# Capitalised words that follow these cues but are not names (type names, salutations).
_NOT_NAMES = _words(
    """
    string str integer int boolean bool optional list dict none null true false any type object value text name
    field required unknown test example user customer client admin default the this that your my our their his
    her sir madam team all everyone hiring manager valued sales support service care portal information info
    record records data number address email phone date new hello hi dear thanks regards best please note yes no
    status id description title subject company inc ltd llc corp street road avenue city state country world
    there folks friends colleagues member members reader readers applicant candidate committee board diary god
    lord january february march april may june july august september october november december monday tuesday
    wednesday thursday friday saturday sunday was is has had and will says said mr mrs ms miss mx dr prof
    """
)
_PREFIXES = ("Mc", "Mac")
_PLACEHOLDER_NAMES = frozenset(
    {"john doe", "jane doe", "john smith", "jane smith", "jane roe", "richard roe", "max mustermann",
     "erika mustermann", "joe bloggs", "john q", "foo bar", "alice", "bob", "john", "jane"}
)  # fmt: skip


class RuleNameRecognizer:
    """Cue rules only: no dictionary, no model. Each cue is a literal-led pass: "Name:"
    and other labels, "my name is", "Mr./Ms./Dr.", "Dear", "Hi", "patient", and the
    display name before an e-mail address."""

    def find_names(self, view: TextView) -> list[NameSpan]:
        spans: list[NameSpan] = []
        forms = view.forms
        # Each cue is skipped when no word of the text ends as every match of it needs (a
        # label, "name", "Mr", "Dear", "Hi"...): the words tell that far faster than a scan.
        ends = forms.holds
        labelled = any(all(ends((piece,)) for piece in label) for label in _LABEL_ENDS)
        for m in _LABEL_COLON.finditer(view.raw) if labelled else ():
            words = forms.ascii_lower_slice(max(0, m.start() - 16), m.start()).split()
            if words and words[-1] in _LABELS:
                spans.extend(_name_at(view.text, m.end() - 1, words=2, confidence=0.6))
        for m in _NAME_IS.finditer(view.lower) if ends((b"name ",)) else ():
            owned = _NAME_OWNER.search(view.lower, max(0, m.start() - 14), m.start() - 2) is not None  # before "na"
            spans.extend(_name_at(view.text, m.end(), words=1 if owned else 2, confidence=0.65))
        for pattern, endings in ((_TITLE, _TITLE_ENDS), (_DOCTOR_OR_DEAR, _DOCTOR_OR_DEAR_ENDS)):
            for m in pattern.finditer(view.raw) if ends(endings) else ():
                spans.extend(_name_at(view.text, m.end() - 1, words=1, confidence=0.6))
        for m in _PATIENT.finditer(view.lower) if ends((b"patient ",)) else ():
            if m.start() == 0 or not view.lower[m.start() - 1 : m.start()].isalpha():  # not "impatient"
                spans.extend(_name_at(view.text, m.end(), words=2, confidence=0.6))
        for m in _GREETING.finditer(view.raw) if ends(_GREETING_ENDS) else ():
            if m.start() == 0 or not view.raw[m.start() - 1 : m.start()].isalpha():
                spans.extend(_name_at(view.text, m.end() - 1, words=1, confidence=0.55))
        spans.extend(_display_names(view))
        return spans


def _display_names(view: TextView) -> list[NameSpan]:
    """The name in a mail header or signature: "Jane Roe <jane@example.org>"."""
    text, spans = view.text, []
    at = view.raw.find(b"@")
    while at != -1:
        lt = text.rfind("<", max(0, at - 65), at)
        if lt > 1 and text[lt - 1] == " " and not any(ch.isspace() for ch in text[lt:at]):
            before = _WORDS_BEFORE.search(text, max(0, lt - 80), lt - 1)
            if before is not None:
                spans.extend(_name_at(text, before.start(), words=2, confidence=0.6))
        at = view.raw.find(b"@", at + 1)
    return [span for span in spans if text.startswith(" <", span.end)]


def _name_at(text: str, pos: int, words: int, confidence: float) -> list[NameSpan]:
    m = _NAME.match(text, pos)
    if m is None:
        return []
    # Keep the words up to the first that is no name: "Dear Valued Customer" -> nothing,
    # "Mr. Darcy Was" -> "Darcy". A middle initial ("John Q. Public") passes through.
    parts: list[str] = []
    end = m.start()
    for word in m.group().split():
        if not (_is_name_word(word) or (len(word) == 2 and word[0].isupper() and word[1] == "." and parts)):
            break
        parts.append(word)
        end = text.index(word, end) + len(word)
    names = [part for part in parts if not part.endswith(".")]
    if len(names) < words:
        return []
    if " ".join(names).lower() in _PLACEHOLDER_NAMES:
        confidence = 0.3
    return [NameSpan(m.start(), end, confidence)]


def _is_name_word(word: str) -> bool:
    """Capitalised like a name: "Anne", "O'Brien", "Jean-Luc", "McDonald"; not "ChatGPT",
    "GitHub" or "IBM", and not a word from the stop list."""
    letters = word.replace("'", "").replace("-", "")
    if len(letters) < 2 or not letters.isalpha() or word.lower() in _NOT_NAMES:
        return False
    parts = word.replace("'", "-").split("-")
    return all(
        part[:1].isupper()
        and (part[1:].islower() or any(part[len(p) :].istitle() for p in _PREFIXES if part.startswith(p)))
        for part in parts
        if len(part) > 1
    )


class PersonNameDetector:
    """PERSON_NAME from a ``NameRecognizer`` (rule-based unless one is given)."""

    name = "person_name"
    entries: tuple[str, ...] = ("PERSON_NAME",)

    def __init__(self, recognizer: NameRecognizer | None = None) -> None:
        self.recognizer: NameRecognizer = recognizer if recognizer is not None else RuleNameRecognizer()

    def detect(self, text: str) -> list[Finding]:
        return self.scan(TextView(text))

    def scan(self, view: TextView) -> list[Finding]:
        return [Finding("PERSON_NAME", "pii", s.start, s.end, s.confidence) for s in self.recognizer.find_names(view)]
