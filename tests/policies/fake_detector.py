"""A deterministic detector for testing the machinery around detectors."""

from __future__ import annotations

import re

from policies.finding import Finding

_KEY = re.compile(r"KEY-[0-9]{6}")
_MAIL = re.compile(r"[a-z]{1,20}@corp\.test")


class FakeDetector:
    name = "fake"
    entries = ("FAKE_KEY", "FAKE_EMAIL")

    def detect(self, text: str) -> list[Finding]:
        found = [Finding("FAKE_KEY", "credentials", m.start(), m.end(), 0.9) for m in _KEY.finditer(text)]
        found += [Finding("FAKE_EMAIL", "pii", m.start(), m.end(), 0.6) for m in _MAIL.finditer(text)]
        return found
