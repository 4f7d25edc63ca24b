"""The credentials detector: provider keys, private keys, tokens, passwords, credentialed URLs.

One pass finds every *token run* (a maximal run of letters, digits and ``_-/+%`` at
least 20 long) with ``bytes.translate`` and ``bytes.find`` on the text's Latin-1 bytes,
so benign prose and code cost a few C-level scans however many formats are known. Each
run is offered to the key table (``secrets_keys``), then to the generic classifier
(``secrets_generic``). Three cheap literal scans add what runs cannot see: PEM blocks,
``scheme://user:password@`` URLs, and ``password = ...`` assignments.

A shapeless finding gives way to a specific one over the same text (a GitHub token in a
password assignment is GITHUB_TOKEN only); specific findings are all kept (a URL with a
token as its password is both URL_CREDENTIALS and GITHUB_TOKEN).
"""

from __future__ import annotations

from collections.abc import Iterator

from policies.detectors.secrets_blocks import pem_blocks, url_credentials
from policies.detectors.secrets_generic import classify_token, password_findings
from policies.detectors.secrets_keys import KEY_RULES, MIN_RUN, RUN_CHARS, match_key
from policies.finding import Finding
from policies.text_forms import TextForms

_RUN_CLASS = bytes(ord("a") if chr(i) in RUN_CHARS else ord(" ") for i in range(256))
_RUN_NEEDLE = b"a" * MIN_RUN
_LEADING_JUNK = "/+%"
_URL_REACH = 400  # "://" to "@" in a credentialed URL: a user (128) and a password (256) at most

# Shapeless findings give way to a specific one over the same text.
_GENERIC = frozenset({"GENERIC_SECRET", "PASSWORD_ASSIGNMENT"})


def token_runs(classes: bytes) -> Iterator[tuple[int, int]]:
    """(start, end) of each run of at least MIN_RUN run characters, from translated bytes."""
    start = classes.find(_RUN_NEEDLE)
    while start >= 0:
        end = classes.find(b" ", start + MIN_RUN)
        if end < 0:
            end = len(classes)
        yield start, end
        start = classes.find(_RUN_NEEDLE, end)


class SecretsDetector:
    name = "secrets"
    entries: tuple[str, ...] = (
        *dict.fromkeys(rule.entry for rule in KEY_RULES),
        "PRIVATE_KEY",
        "URL_CREDENTIALS",
        "CONNECTION_STRING",
        "PASSWORD_ASSIGNMENT",
        "GENERIC_SECRET",
    )

    def detect(self, text: str) -> list[Finding]:
        return self.detect_forms(TextForms(text))

    def detect_forms(self, forms: TextForms) -> list[Finding]:
        # One byte per character (Latin-1, "?" for the rest): offsets agree.
        text, raw = forms.text, forms.one_byte
        # "BEGIN" is letters, so the text's distinct words rule it out without a scan.
        has_pem = forms.may_mention((b"begin",)) and "-----BEGIN" in text
        findings, pem_spans = pem_blocks(text) if has_pem else ([], [])
        findings.extend(self._runs(text, raw.translate(_RUN_CLASS), pem_spans))
        if _url_before_at(text):
            findings.extend(url_credentials(text))
        findings.extend(password_findings(text, forms))
        return _resolve_overlaps(findings)

    def _runs(self, text: str, classes: bytes, skip: list[tuple[int, int]]) -> list[Finding]:
        findings = []
        covered = 0  # a match may run past its token run (JWT dots, SendGrid): skip what it took
        spans = iter(skip)
        block = next(spans, None)
        for start, end in token_runs(classes):
            while block is not None and block[1] <= start:
                block = next(spans, None)
            if start < covered or (block is not None and block[0] <= start):
                continue
            hit = match_key(text, start, end)
            if hit is None and text[start] in _LEADING_JUNK:  # "//token@host", or a secret starting with "/"
                start += len(text[start:end]) - len(text[start:end].lstrip(_LEADING_JUNK))
                hit = match_key(text, start, end)
            if hit is not None:
                rule, hit_start, hit_end, confidence = hit
                findings.append(Finding(rule.entry, "credentials", hit_start, hit_end, confidence))
                covered = hit_end
                continue
            finding = classify_token(text, start, end)
            if finding is not None:
                findings.append(finding)
        return findings


def _url_before_at(text: str) -> bool:
    """Whether "://" comes shortly before some "@", as in every credentialed URL. "@" is
    found by memchr, so text without one costs no search for "://"; each stretch of text
    is searched once, however many "@" there are."""
    floor = 0
    at = text.find("@")
    while at >= 0:
        if text.find("://", max(floor, at - _URL_REACH), at) >= 0:
            return True
        floor = at
        at = text.find("@", at + 1)
    return False


def _resolve_overlaps(findings: list[Finding]) -> list[Finding]:
    """Drop a generic finding that overlaps a specific one; keep the longest of overlapping generics."""
    specific = sorted((f for f in findings if f.entry not in _GENERIC), key=lambda f: f.start)
    kept = list(specific)
    generic = sorted((f for f in findings if f.entry in _GENERIC), key=lambda f: (f.start, -f.end))
    i = 0
    last_end = -1
    for f in generic:
        while i < len(specific) and specific[i].end <= f.start:
            i += 1
        if (i < len(specific) and specific[i].start < f.end) or f.start < last_end:
            continue
        kept.append(f)
        last_end = f.end
    return sorted(kept, key=lambda f: (f.start, f.end))
