"""Data-loss prevention: prompt extraction, detectors, confidence, policies, redaction.

A plain library (no HTTP): the gateway and the egress proxy both call it.
``default_detectors()`` assembles every detector family; ``build_inspector()`` joins
them with a policy.
"""

from __future__ import annotations

from collections.abc import Sequence

from config.schema import DlpConfig, PolicyRule
from policies.detectors import default_detectors
from policies.inspector import Inspector
from policies.policy import Policy


def build_inspector(dlp: DlpConfig, rules: Sequence[PolicyRule]) -> Inspector | None:
    """The gateway's inspector, or None when DLP is off. A rule naming an entry that no
    detector reports is refused here, at start-up."""
    if not dlp.enabled:
        return None
    detectors = default_detectors(custom_patterns=dlp.custom_patterns)
    policy = Policy(rules)
    policy.check_entries(entry for detector in detectors for entry in detector.entries)
    return Inspector(detectors, policy)


__all__ = ["Inspector", "Policy", "build_inspector", "default_detectors"]
