"""Every regular expression in the DLP library is linear-time by construction: no nested
unbounded repetition and no backreferences (checked structurally on the parsed
pattern, so a new pattern that could backtrack exponentially fails here, whatever the
timer says). Ambiguous alternation under repetition, like ``(a|aa)+``, is not caught by
this check; each detector's tests run such patterns on long crafted inputs instead."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

import policies
from policies.detectors.regex_safety import assert_linear


def _module_patterns() -> list[tuple[str, re.Pattern[str] | re.Pattern[bytes]]]:
    found = []
    for info in pkgutil.walk_packages(policies.__path__, "policies."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                found.append((f"{info.name}.{name}", value))
    return found


PATTERNS = _module_patterns()


def test_the_library_has_patterns_to_check() -> None:
    assert len(PATTERNS) > 50


@pytest.mark.parametrize(("name", "pattern"), PATTERNS, ids=[name for name, _ in PATTERNS])
def test_pattern_is_linear(name: str, pattern: re.Pattern[str] | re.Pattern[bytes]) -> None:
    assert_linear(pattern.pattern, pattern.flags & re.VERBOSE)


@pytest.mark.parametrize("bad", [r"(a+)+b", r"(\w+\s?)*$", r"(.*)\1", r"((ab)*c)*"])
def test_the_check_rejects_backtracking_shapes(bad: str) -> None:
    with pytest.raises(ValueError):
        assert_linear(bad)
