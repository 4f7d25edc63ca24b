"""Data-loss prevention: prompt extraction, detectors, rules, redaction (later issue)."""
