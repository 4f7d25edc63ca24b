"""Rewriting spans of strings inside JSON bodies, and per-request placeholders."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from policies.redact import Placeholders, Replacement, redact

R = Replacement


def chat(*contents: Any) -> dict[str, Any]:
    return {"model": "gpt-4o", "messages": [{"role": "user", "content": c} for c in contents]}


@pytest.mark.parametrize(
    ("body", "replacements", "expected"),
    [
        pytest.param(
            chat("mail a@b.io or c@d.io now"),
            [R(("messages", 0, "content"), 5, 11, "[EMAIL_1]"), R(("messages", 0, "content"), 15, 21, "[EMAIL_2]")],
            chat("mail [EMAIL_1] or [EMAIL_2] now"),
            id="two-spans-one-string",
        ),
        pytest.param(
            chat("mail a@b.io or c@d.io now"),
            [R(("messages", 0, "content"), 15, 21, "[EMAIL_2]"), R(("messages", 0, "content"), 5, 11, "[EMAIL_1]")],
            chat("mail [EMAIL_1] or [EMAIL_2] now"),
            id="spans-in-any-order",
        ),
        pytest.param(
            chat("key AKIAIOSFODNN7EXAMPLE!"),
            [R(("messages", 0, "content"), 4, 24, "[KEY]"), R(("messages", 0, "content"), 8, 12, "[OTHER]")],
            chat("key [KEY]!"),
            id="contained-span-merges",
        ),
        pytest.param(
            chat("0123456789"),
            [R(("messages", 0, "content"), 2, 6, "[A]"), R(("messages", 0, "content"), 4, 8, "[B]")],
            chat("01[A]89"),
            id="overlap-keeps-first-placeholder",
        ),
        pytest.param(
            chat("0123456789"),
            [R(("messages", 0, "content"), 2, 4, "[A]"), R(("messages", 0, "content"), 4, 6, "[B]")],
            chat("01[A][B]6789"),
            id="adjacent-spans-stay-apart",
        ),
        pytest.param(
            chat("0123456789"),
            [R(("messages", 0, "content"), 3, 3, "[X]")],
            chat("012[X]3456789"),
            id="empty-span-inserts",
        ),
        pytest.param(
            chat("first 111", "second 222"),
            [R(("messages", 1, "content"), 7, 10, "[N]"), R(("messages", 0, "content"), 6, 9, "[N]")],
            chat("first [N]", "second [N]"),
            id="several-strings",
        ),
        pytest.param(
            {"contents": [{"role": "user", "parts": [{"text": "hi"}, {"text": "ssn 123-45-6789"}]}]},
            [R(("contents", 0, "parts", 1, "text"), 4, 15, "[REDACTED:SSN]")],
            {"contents": [{"role": "user", "parts": [{"text": "hi"}, {"text": "ssn [REDACTED:SSN]"}]}]},
            id="deep-path",
        ),
        pytest.param("call 555-0100", [R((), 5, 13, "[PHONE_1]")], "call [PHONE_1]", id="root-string"),
        pytest.param(chat("untouched"), [], chat("untouched"), id="nothing-to-do"),
    ],
)
def test_redact(body: Any, replacements: list[Replacement], expected: Any) -> None:
    before = copy.deepcopy(body)
    assert redact(body, replacements) == expected
    assert body == before  # the input is not mutated


def test_untouched_subtrees_are_shared_and_touched_ones_copied() -> None:
    body = chat("secret 42", "fine")
    out = redact(body, [R(("messages", 0, "content"), 7, 9, "[N]")])
    assert out is not body
    assert out["messages"] is not body["messages"]
    assert out["messages"][0] is not body["messages"][0]
    assert out["messages"][1] is body["messages"][1]


def test_tool_call_arguments_stay_valid_json() -> None:
    arguments = json.dumps({"to": "alice@example.com", "cc": ["bob@example.com"]})
    body = {"messages": [{"role": "assistant", "tool_calls": [{"function": {"name": "send", "arguments": arguments}}]}]}
    path = ("messages", 0, "tool_calls", 0, "function", "arguments")
    spans = [(m, m + len(v)) for v in ("alice@example.com", "bob@example.com") for m in [arguments.index(v)]]
    out = redact(body, [R(path, s, e, f"[EMAIL_{i}]") for i, (s, e) in enumerate(spans, 1)])
    rewritten = out["messages"][0]["tool_calls"][0]["function"]["arguments"]
    assert json.loads(rewritten) == {"to": "[EMAIL_1]", "cc": ["[EMAIL_2]"]}


@pytest.mark.parametrize(
    ("body", "replacement", "message"),
    [
        pytest.param(chat("x"), R(("messages", 5, "content"), 0, 1, "[X]"), "no such element", id="bad-index"),
        pytest.param(chat("x"), R(("messages", 0, "nope"), 0, 1, "[X]"), "no such element", id="bad-key"),
        pytest.param(chat("x"), R(("messages", 0), 0, 1, "[X]"), "expected a string", id="not-a-string"),
        pytest.param(
            chat("x"), R(("model", "deeper"), 0, 1, "[X]"), "no such element|expected an object", id="through-str"
        ),
        pytest.param(
            chat("abc"), R(("messages", 0, "content"), 2, 9, "[X]"), "outside a string of 3", id="span-too-long"
        ),
        pytest.param(chat("abc"), R(("messages", 0, "content"), 2, 1, "[X]"), "outside", id="span-reversed"),
        pytest.param({"a": 1}, R((), 0, 1, "[X]"), "expected a string", id="root-not-string"),
    ],
)
def test_bad_replacements_are_refused(body: Any, replacement: Replacement, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        redact(body, [replacement])


def test_placeholders_entry_style() -> None:
    placeholders = Placeholders()
    assert placeholders.placeholder("EMAIL", "a@b.io") == "[REDACTED:EMAIL]"
    assert placeholders.placeholder("EMAIL", "c@d.io", "entry") == "[REDACTED:EMAIL]"


def test_numbered_placeholders_are_stable_per_value_and_entry() -> None:
    placeholders = Placeholders()
    got = [
        placeholders.placeholder(entry, value, "numbered")
        for entry, value in [
            ("EMAIL", "a@b.io"),
            ("EMAIL", "c@d.io"),
            ("EMAIL", "a@b.io"),
            ("PHONE", "555-0100"),
            ("PHONE", "a@b.io"),
            ("EMAIL", "c@d.io"),
        ]
    ]
    assert got == ["[EMAIL_1]", "[EMAIL_2]", "[EMAIL_1]", "[PHONE_1]", "[PHONE_2]", "[EMAIL_2]"]


def test_each_request_numbers_from_one() -> None:
    first, second = Placeholders(), Placeholders()
    first.placeholder("EMAIL", "x@y.io", "numbered")
    assert first.placeholder("EMAIL", "z@y.io", "numbered") == "[EMAIL_2]"
    assert second.placeholder("EMAIL", "z@y.io", "numbered") == "[EMAIL_1]"


def test_placeholders_keep_no_value() -> None:
    placeholders = Placeholders()
    value = "4929-1234-5678-9012"
    placeholders.placeholder("CREDIT_CARD", value, "numbered")
    kept = repr(vars(placeholders))
    assert value not in kept
    assert value.encode().hex() not in kept


def test_unknown_style_is_refused() -> None:
    with pytest.raises(ValueError, match='expected "entry" or "numbered", got \'fancy\''):
        Placeholders().placeholder("EMAIL", "a@b.io", "fancy")
