"""OBFUSCATED_PAYLOAD: an instruction hidden by encoding, so that plain-text filters miss it.

Each de-obfuscated view (``obfuscation_views``) is rescanned with the intent cues of the
jailbreak and malicious-code families. Decoding something that turns out to be "ignore all
previous instructions" or "write a keylogger" is a stronger signal than the same words in the
clear: someone took the trouble to hide them. So a view's confidence is the best intent
confidence inside it, plus ``HIDING_BONUS`` once that reaches a clear cue. Encoded data that
decodes to ordinary text (a JWT, an inline image, a base64 config) finds no cue and is not
reported.

The finding's span is the encoded region of the original text; only cues that overlap what
decoding changed count, so a plain injection next to an unrelated "md5sum" is not blamed on
leetspeak (the intent detector reports it in the clear).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from policies.detectors.intent import CODE_ABUSE_FAMILY, JAILBREAK_FAMILY
from policies.detectors.intent_scoring import MODERATE, Family, inspect
from policies.detectors.intent_text import TextView
from policies.detectors.obfuscation_decoders import View
from policies.detectors.obfuscation_views import views
from policies.finding import Finding
from policies.text_forms import TextForms

ENTRY = "OBFUSCATED_PAYLOAD"
HIDING_BONUS = 0.2


class ObfuscationDetector:
    """Base64, hex, binary, escapes, rot13, reversed text, leetspeak and spaced letters that hide an instruction."""

    name = "obfuscation"
    entries: tuple[str, ...] = (ENTRY,)

    def __init__(self, families: Sequence[Family] = (JAILBREAK_FAMILY, CODE_ABUSE_FAMILY)) -> None:
        self.families = tuple(families)

    def detect(self, text: str) -> list[Finding]:
        return self.detect_forms(TextForms(text))

    def detect_forms(self, forms: TextForms) -> list[Finding]:
        findings: list[Finding] = []
        for view in views(forms.text, forms):
            confidence = self._confidence(view)
            if confidence > 0.0:
                findings.append(Finding(ENTRY, "intent_jailbreak", view.start, view.end, confidence))
        return _best_per_region(findings)

    def _confidence(self, view: View) -> float:
        decoded = TextView.of(view.text)
        best = 0.0
        for family in self.families:
            for finding in inspect(decoded, family):
                if _overlaps_change(finding, view):
                    best = max(best, finding.confidence)
        if best >= MODERATE:
            best = min(1.0, best + HIDING_BONUS)
        return round(best, 3)


def _overlaps_change(finding: Finding, view: View) -> bool:
    if not view.changed:
        return True
    # ``changed`` is sorted and disjoint: only spans starting before the finding ends can overlap.
    i = bisect.bisect_left(view.changed, (finding.end, finding.end))
    return any(finding.start < end for _, end in view.changed[max(0, i - 8) : i])


def _best_per_region(findings: list[Finding]) -> list[Finding]:
    """One finding per region: the leetspeak decoders try two spellings of the same window."""
    best: dict[tuple[int, int], Finding] = {}
    for finding in findings:
        key = (finding.start, finding.end)
        if key not in best or finding.confidence > best[key].confidence:
            best[key] = finding
    return sorted(best.values(), key=lambda f: f.start)
