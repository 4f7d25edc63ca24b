"""Scanning one piece of text: normalise, run every detector, look inside hidden
payloads, and report findings with spans in the ORIGINAL text.

This is the one place that knows the order of those steps. Findings from a decoded
view (base64, URL-encoding, escapes) cover the whole encoded run in the original text,
since that is what a redaction must rewrite. Overlapping findings of the same entry
keep the most confident one.
"""

from __future__ import annotations

from collections.abc import Sequence

from policies.decode import decoded_views
from policies.detectors.base import Detector
from policies.finding import Finding
from policies.normalize import normalize


def scan_text(text: str, detectors: Sequence[Detector]) -> list[Finding]:
    normalized = normalize(text)
    found: list[Finding] = []
    for detector in detectors:
        for finding in detector.detect(normalized.text):
            start, end = normalized.original_span(finding.start, finding.end)
            found.append(_moved(finding, start, end))
    for view in decoded_views(normalized.text):
        start, end = normalized.original_span(view.start, view.end)
        inner = normalize(view.text).text
        for detector in detectors:
            for finding in detector.detect(inner):
                found.append(_moved(finding, start, end))
    return _strongest(found)


def _moved(finding: Finding, start: int, end: int) -> Finding:
    if (start, end) == (finding.start, finding.end):
        return finding
    return Finding(finding.entry, finding.topic, start, end, finding.confidence)


def _strongest(findings: list[Finding]) -> list[Finding]:
    """Drop a finding when another of the same entry overlaps it with more confidence."""
    if len(findings) < 2:
        return findings
    findings.sort(key=lambda f: (f.entry, f.start, -f.confidence))
    kept: list[Finding] = []
    for finding in findings:
        last = kept[-1] if kept else None
        if last is not None and last.entry == finding.entry and finding.start < last.end:
            if finding.confidence > last.confidence:
                kept[-1] = finding
            continue
        kept.append(finding)
    kept.sort(key=lambda f: (f.start, f.end))
    return kept
