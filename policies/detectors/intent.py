"""The intent detector: what a prompt *asks for*, as opposed to what it contains.

It reports three topics, each from its own cue tables: ``intent_jailbreak`` (PROMPT_INJECTION
and JAILBREAK: ``intent_injection``, ``intent_indirect``, ``intent_persona``,
``intent_multilingual``), ``intent_pii`` (PII_REQUEST: ``intent_pii``) and ``intent_code_abuse``
(MALICIOUS_CODE_REQUEST: ``intent_code_abuse``). One detector serves all three because they share the expensive step,
lowering the text and building its word set; a deployment that wants only some topics passes
those families. How cues become confidences is in ``intent_scoring``.
"""

from __future__ import annotations

from collections.abc import Sequence

from policies.detectors import (
    intent_code_abuse,
    intent_indirect,
    intent_injection,
    intent_multilingual,
    intent_persona,
    intent_pii,
)
from policies.detectors.intent_scoring import Family, inspect
from policies.detectors.intent_text import TextView
from policies.finding import Finding
from policies.text_forms import TextForms

JAILBREAK_FAMILY = Family(
    topic="intent_jailbreak",
    entries=(intent_injection.ENTRY, intent_persona.ENTRY),
    cue_sets=(
        *intent_injection.CUE_SETS,
        *intent_indirect.CUE_SETS,
        *intent_persona.CUE_SETS,
        *intent_multilingual.CUE_SETS,
    ),
    support=(*intent_injection.SUPPORT, *intent_persona.SUPPORT, *intent_multilingual.SUPPORT),
)
PII_FAMILY = Family(
    topic="intent_pii",
    entries=(intent_pii.ENTRY,),
    cue_sets=intent_pii.CUE_SETS,
    support=intent_pii.SUPPORT,
)
CODE_ABUSE_FAMILY = Family(
    topic="intent_code_abuse",
    entries=(intent_code_abuse.ENTRY,),
    cue_sets=intent_code_abuse.CUE_SETS,
    support=intent_code_abuse.SUPPORT,
)
DEFAULT_FAMILIES = (JAILBREAK_FAMILY, PII_FAMILY, CODE_ABUSE_FAMILY)


class IntentDetector:
    """Jailbreaks and prompt injection, requests for someone's personal data, requests for malware."""

    name = "intent"
    entries: tuple[str, ...] = tuple(entry for family in DEFAULT_FAMILIES for entry in family.entries)

    def __init__(self, families: Sequence[Family] = DEFAULT_FAMILIES) -> None:
        self.families = tuple(families)
        self.entries = tuple(entry for family in self.families for entry in family.entries)

    def detect(self, text: str) -> list[Finding]:
        return self.detect_forms(TextForms(text))

    def detect_forms(self, forms: TextForms) -> list[Finding]:
        view = TextView.of(forms.text, forms)
        return [finding for family in self.families for finding in inspect(view, family)]
