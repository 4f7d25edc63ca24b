"""Operator-supplied customer data: exact-data-match lists and custom patterns.

``ExactDataMatchDetector`` finds values from operator lists (customer names, account ids,
emails) without holding the values: an ``EDMList`` stores only HMAC-SHA256 digests of
each normalised value under the list's salt, plus digests of each value's first token
(a prefilter, so most text tokens cost one dictionary lookup) and the token counts that
occur. Normalising casefolds, removes punctuation and collapses whitespace, on the list
and on the text alike, so ``ACME Corp.`` matches ``acme corp``. Matching hashes each
distinct text token once and only builds the n-grams that start at a prefilter hit:
linear in the text length times the longest value's token count.

``CustomPatternDetector`` runs operator regexes from config, each checked at construction
to compile, to be linear-time (``regex_safety.assert_linear``) and not to match "".
"""

from __future__ import annotations

import hmac
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from config.schema import Topic
from policies.detectors.regex_safety import assert_linear
from policies.finding import TOPICS, Finding

EDM_CONFIDENCE = 0.9
CUSTOM_CONFIDENCE = 0.9

_TOKEN = re.compile(r"\S+")
_PUNCTUATION = re.compile(r"[^\w\s]|_")
_ENTRY_NAME = re.compile(r"[A-Z][A-Z0-9_]{0,63}")


_ASCII_PUNCTUATION = str.maketrans("", "", "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _normalise_token(token: str) -> str:
    if token.isascii():  # the common case, without a regex
        return token.lower().translate(_ASCII_PUNCTUATION)
    return _PUNCTUATION.sub("", token.casefold())


def normalise(value: str) -> list[str]:
    """The tokens a value (or text) matches on: NFKC, casefolded, punctuation removed."""
    tokens = (_normalise_token(t) for t in unicodedata.normalize("NFKC", value).split())
    return [t for t in tokens if t]


def _digest(salt: bytes, normalised: str) -> str:
    return hmac.digest(salt, normalised.encode(), "sha256").hex()


@dataclass(frozen=True, slots=True)
class EDMList:
    """One operator list, as salted digests only."""

    salt: bytes
    digests: frozenset[str]  # of each whole normalised value (tokens joined by one space)
    first_tokens: frozenset[str]  # of each value's first token
    token_counts: frozenset[int]

    @classmethod
    def build(cls, values: Iterable[str], salt: bytes) -> EDMList:
        if len(salt) < 16:
            raise ValueError("EDM salt: expected at least 16 random bytes")
        digests, firsts, counts = set(), set(), set()
        for value in values:
            tokens = normalise(value)
            if tokens:
                digests.add(_digest(salt, " ".join(tokens)))
                firsts.add(_digest(salt, tokens[0]))
                counts.add(len(tokens))
        return cls(salt, frozenset(digests), frozenset(firsts), frozenset(counts))

    def to_json(self) -> dict[str, list[str] | list[int]]:
        """The list without its salt, for a file an operator can ship to gateways."""
        return {
            "digests": sorted(self.digests),
            "first_tokens": sorted(self.first_tokens),
            "token_counts": sorted(self.token_counts),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object], salt: bytes) -> EDMList:
        def strings(key: str) -> frozenset[str]:
            items = data.get(key)
            if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                raise ValueError(f"EDM list: {key!r} must be a list of hex digests")
            return frozenset(items)

        counts = data.get("token_counts")
        if not isinstance(counts, list) or not all(isinstance(c, int) and c > 0 for c in counts):
            raise ValueError("EDM list: 'token_counts' must be a list of positive whole numbers")
        if len(salt) < 16:
            raise ValueError("EDM salt: expected at least 16 random bytes")
        return cls(salt, strings("digests"), strings("first_tokens"), frozenset(counts))

    @property
    def max_tokens(self) -> int:
        return max(self.token_counts, default=0)


class ExactDataMatchDetector:
    name = "customer_data_edm"

    def __init__(self, entries: Mapping[str, EDMList]) -> None:
        for entry in entries:
            _check_entry_name(entry)
        self._lists = dict(entries)
        self.entries: tuple[str, ...] = tuple(entries)

    def detect(self, text: str) -> list[Finding]:
        lists = [(entry, edm) for entry, edm in self._lists.items() if edm.digests]
        if not lists:
            return []
        normalised = {raw: _normalise_token(raw) for raw in set(_TOKEN.findall(text))}
        distinct = set(normalised.values()) - {""}
        findings = []
        for entry, edm in lists:
            hits = {norm for norm in distinct if _digest(edm.salt, norm) in edm.first_tokens}
            if hits:
                starts = {raw for raw, norm in normalised.items() if norm in hits}
                findings.extend(_match(text, entry, edm, starts, normalised))
        return findings


def _match(text: str, entry: str, edm: EDMList, starts: set[str], normalised: dict[str, str]) -> list[Finding]:
    """Longest listed value starting at each token whose first-token digest was a hit."""
    tokens = [(m.start(), m.end(), normalised[m.group()]) for m in _TOKEN.finditer(text)]
    tokens = [t for t in tokens if t[2]]  # pure punctuation is not a token
    findings = []
    i = 0
    while i < len(tokens):
        end_index = None
        if text[tokens[i][0] : tokens[i][1]] in starts:
            for n in sorted(edm.token_counts, reverse=True):
                if i + n <= len(tokens):
                    key = " ".join(t[2] for t in tokens[i : i + n])
                    if _digest(edm.salt, key) in edm.digests:
                        end_index = i + n - 1
                        break
        if end_index is None:
            i += 1
            continue
        start, end = tokens[i][0], tokens[end_index][1]
        while not text[start].isalnum():  # the value, not the punctuation around it
            start += 1
        while not text[end - 1].isalnum():
            end -= 1
        findings.append(Finding(entry, "customer_data", start, end, EDM_CONFIDENCE))
        i = end_index + 1
    return findings


class CustomPatternDetector:
    name = "customer_data_patterns"

    def __init__(self, patterns: Mapping[str, str], topic: Topic = "customer_data") -> None:
        if topic not in TOPICS:
            raise ValueError(f"custom patterns: unknown topic {topic!r}; expected one of {', '.join(TOPICS)}")
        self._topic: Topic = topic
        compiled = []
        for entry, pattern in patterns.items():
            _check_entry_name(entry)
            try:
                assert_linear(pattern)
                regex = re.compile(pattern)
            except (ValueError, re.error) as exc:
                raise ValueError(f"custom pattern {entry}: {exc}") from exc
            if regex.fullmatch(""):
                raise ValueError(f"custom pattern {entry}: matches the empty string")
            compiled.append((entry, regex))
        self._patterns = tuple(compiled)
        self.entries: tuple[str, ...] = tuple(patterns)

    def detect(self, text: str) -> list[Finding]:
        return [
            Finding(entry, self._topic, m.start(), m.end(), CUSTOM_CONFIDENCE)
            for entry, regex in self._patterns
            for m in regex.finditer(text)
            if m.end() > m.start()
        ]


def _check_entry_name(entry: str) -> None:
    if not _ENTRY_NAME.fullmatch(entry):
        raise ValueError(f"entry name {entry!r}: expected UPPER_SNAKE_CASE like CUSTOMER_NAME")
