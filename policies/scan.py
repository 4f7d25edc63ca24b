"""Scanning one piece of text: normalise, run every detector, look inside hidden
payloads, and report findings with spans in the ORIGINAL text.

This is the one place that knows the order of those steps. The byte forms of the text
that several detectors scan (``TextForms``) are made once here and shared. Findings
from a decoded view (base64, URL-encoding, escapes; ASCII smuggled in Unicode tag
characters) cover the whole encoded run in the original text, since that is what a
redaction must rewrite. Overlapping findings of the same entry keep the most confident
one.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter

from policies.decode import decoded_views, smuggled_views
from policies.detectors.base import Detector
from policies.finding import Finding
from policies.normalize import normalize
from policies.text_forms import FormsDetector, TextForms

_CONFIDENCE = attrgetter("confidence")
_ENTRY_START = attrgetter("entry", "start")
_SPAN = attrgetter("start", "end")


def scan_text(text: str, detectors: Sequence[Detector]) -> list[Finding]:
    forms = TextForms(text)  # shared by normalisation and the detectors that take it
    normalized = normalize(text, forms)
    if normalized.text is not text:
        forms = TextForms(normalized.text)
    found: list[Finding] = []
    for detector in detectors:
        for finding in _detect(detector, forms):
            start, end = normalized.original_span(finding.start, finding.end)
            found.append(_moved(finding, start, end))
    views = decoded_views(normalized.text, one_byte=forms.one_byte)
    hidden = [(*normalized.original_span(v.start, v.end), v.text) for v in views]
    # Tag characters are read from the original: normalisation deletes them as invisible,
    # so where it deleted nothing (no pieces in its map) there are none.
    if normalized.piece_starts:
        hidden += [(v.start, v.end, v.text) for v in smuggled_views(text)]
    for start, end, payload in hidden:
        inner = TextForms(normalize(payload).text)
        for detector in detectors:
            for finding in _detect(detector, inner):
                found.append(_moved(finding, start, end))
    return _strongest(found)


def _detect(detector: Detector, forms: TextForms) -> list[Finding]:
    if isinstance(detector, FormsDetector):
        return detector.detect_forms(forms)
    return detector.detect(forms.text)


def _moved(finding: Finding, start: int, end: int) -> Finding:
    if (start, end) == (finding.start, finding.end):
        return finding
    return Finding(finding.entry, finding.topic, start, end, finding.confidence)


def _strongest(findings: list[Finding]) -> list[Finding]:
    """Drop a finding when another of the same entry overlaps it with more confidence."""
    if len(findings) < 2:
        return findings
    # Two stable sorts with C-level keys (by confidence, then by entry and start) order the
    # findings as (entry, start, -confidence) would, without a Python call per finding.
    findings.sort(key=_CONFIDENCE, reverse=True)
    findings.sort(key=_ENTRY_START)
    kept: list[Finding] = []
    for finding in findings:
        last = kept[-1] if kept else None
        if last is not None and last.entry == finding.entry and finding.start < last.end:
            if finding.confidence > last.confidence:
                kept[-1] = finding
            continue
        kept.append(finding)
    kept.sort(key=_SPAN)
    return kept
