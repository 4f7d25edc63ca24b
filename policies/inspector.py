"""The DLP library's entry point: inspect a JSON body (or plain text) under a policy.

``Inspector.inspect(body, context)`` extracts every text segment of a request or
response, scans each, judges each finding by the policy, and returns an
``Inspection``: the located findings, the overall action, and — for redaction — the
rewritten body. Matched values never leave this module: a ``Located`` carries the
entry, topic, span and confidence, not the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from config.schema import Action
from policies.detectors.base import Detector
from policies.extract import Segment, extract
from policies.finding import Finding
from policies.policy import Context, Policy, strongest
from policies.redact import Placeholders, Replacement, redact
from policies.scan import scan_text


@dataclass(frozen=True, slots=True)
class Located:
    """A finding placed in a body: where, who decided, and what it decided."""

    path: tuple[str | int, ...]
    role: str
    finding: Finding
    action: Action
    rule: str | None

    def describe(self) -> dict[str, Any]:
        """The log- and API-safe form: no matched text."""
        f = self.finding
        return {
            "entry": f.entry,
            "topic": f.topic,
            "level": f.level.name.lower(),
            "confidence": round(f.confidence, 3),
            "path": list(self.path),
            "role": self.role,
            "span": [f.start, f.end],
            "action": self.action,
            "rule": self.rule,
        }


@dataclass(frozen=True, slots=True)
class Inspection:
    located: tuple[Located, ...]
    action: Action

    @property
    def blocking(self) -> Located | None:
        return next((loc for loc in self.located if loc.action == "block"), None)

    def findings(self) -> list[dict[str, Any]]:
        return [loc.describe() for loc in self.located]


CLEAN = Inspection((), "allow")


class Inspector:
    def __init__(self, detectors: Sequence[Detector], policy: Policy) -> None:
        self.detectors = tuple(detectors)
        self.policy = policy

    def inspect(self, body: Any, context: Context) -> Inspection:
        return self.inspect_segments(extract(body), context)

    def inspect_text(self, text: str, context: Context) -> Inspection:
        return self.inspect_segments([Segment((), "user", text)], context)

    def inspect_segments(self, segments: Sequence[Segment], context: Context) -> Inspection:
        located: list[Located] = []
        for segment in segments:
            for finding in scan_text(segment.text, self.detectors):
                verdict = self.policy.judge(finding, context)
                located.append(Located(segment.path, segment.role, finding, verdict.action, verdict.rule))
        if not located:
            return CLEAN
        return Inspection(tuple(located), strongest(loc.action for loc in located))

    def redacted(self, body: Any, inspection: Inspection, placeholders: Placeholders) -> Any:
        """``body`` with every span whose action is ``redact`` replaced by a placeholder."""
        return redact(body, self.replacements(body, inspection, placeholders))

    def replacements(self, body: Any, inspection: Inspection, placeholders: Placeholders) -> list[Replacement]:
        out: list[Replacement] = []
        for loc in inspection.located:
            if loc.action != "redact":
                continue
            value = _at(body, loc.path)
            if not isinstance(value, str):
                continue
            f = loc.finding
            style = self.policy.placeholder_style(loc.rule)
            out.append(
                Replacement(loc.path, f.start, f.end, placeholders.placeholder(f.entry, value[f.start : f.end], style))
            )
        return out


def _at(body: Any, path: tuple[str | int, ...]) -> Any:
    for key in path:
        try:
            body = body[key]
        except (KeyError, IndexError, TypeError):
            return None
    return body
