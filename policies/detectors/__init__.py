"""Detectors, one module per family; ``default_detectors()`` assembles them."""

from __future__ import annotations

from collections.abc import Mapping

from policies.detectors.base import Detector
from policies.detectors.customer_data import CustomPatternDetector, EDMList, ExactDataMatchDetector
from policies.detectors.intent import IntentDetector
from policies.detectors.obfuscation import ObfuscationDetector
from policies.detectors.pii import pii_and_financial
from policies.detectors.secrets import SecretsDetector
from policies.detectors.source_code import SourceCodeDetector


def default_detectors(
    custom_patterns: Mapping[str, str] | None = None, exact_data: Mapping[str, EDMList] | None = None
) -> list[Detector]:
    """Every built-in detector family, plus the operator's own patterns and lists."""
    detectors: list[Detector] = [
        SecretsDetector(),
        pii_and_financial(),  # one shared text view for both families
        SourceCodeDetector(),
        IntentDetector(),
        ObfuscationDetector(),
    ]
    if custom_patterns:
        detectors.append(CustomPatternDetector(custom_patterns))
    if exact_data:
        detectors.append(ExactDataMatchDetector(exact_data))
    return detectors


__all__ = ["Detector", "default_detectors"]
