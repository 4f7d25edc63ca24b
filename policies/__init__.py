"""Data-loss prevention: prompt extraction, detectors, confidence, policies, redaction.

A plain library (no HTTP): the gateway and the egress proxy both call it.
``default_detectors()`` assembles every detector family; ``build_inspector()`` joins
them with a policy.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

from config.schema import DlpConfig, PolicyRule
from policies.detectors import default_detectors
from policies.detectors.customer_data import EDMList
from policies.inspector import Inspector
from policies.policy import Policy


def build_inspector(dlp: DlpConfig, rules: Sequence[PolicyRule]) -> Inspector | None:
    """The gateway's inspector, or None when DLP is off. A rule naming an entry that no
    detector reports is refused here, at start-up."""
    if not dlp.enabled:
        return None
    detectors = default_detectors(custom_patterns=dlp.custom_patterns, exact_data=load_exact_data(dlp))
    policy = Policy(rules)
    policy.check_entries(entry for detector in detectors for entry in detector.entries)
    return Inspector(detectors, policy)


def load_exact_data(dlp: DlpConfig) -> dict[str, EDMList]:
    """The operator's exact-data lists: digests from their files, salts from the
    environment. Any problem stops start-up with a message naming the list."""
    lists: dict[str, EDMList] = {}
    for index, item in enumerate(dlp.exact_data):
        where = f"dlp.exact_data[{index}] ({item.entry})"
        salt = os.environ.get(item.salt_env, "")
        if not salt:
            raise ValueError(f"{where}: the environment variable {item.salt_env} (the list's salt) is not set")
        try:
            data = json.loads(Path(item.file).read_text())
        except OSError as exc:
            raise ValueError(f"{where}: cannot read {item.file}: {exc.strerror}") from None
        except ValueError:
            raise ValueError(f"{where}: {item.file} is not JSON made by 'weir hash-list'") from None
        if not isinstance(data, dict):
            raise ValueError(f"{where}: {item.file} is not JSON made by 'weir hash-list'")
        try:
            lists[item.entry] = EDMList.from_json(data, salt.encode())
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None
    return lists


__all__ = ["Inspector", "Policy", "build_inspector", "default_detectors"]
