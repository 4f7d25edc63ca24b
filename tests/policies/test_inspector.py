from config.schema import PolicyRule
from policies.inspector import Inspector
from policies.policy import ANONYMOUS, Context, Policy
from policies.redact import Placeholders
from tests.policies.fake_detector import FakeDetector

CTX = Context(ANONYMOUS, "default", "openai", "gpt-4o", "request")
BODY = {
    "model": "gpt-4o",
    "messages": [
        {"role": "system", "content": "mail ops@corp.test if stuck"},
        {"role": "user", "content": [{"type": "text", "text": "use KEY-123456 and ops@corp.test"}]},
    ],
}


def inspector(*rules: PolicyRule) -> Inspector:
    return Inspector([FakeDetector()], Policy(rules))


def test_findings_are_located_judged_and_never_carry_the_value() -> None:
    inspection = inspector(PolicyRule("no-keys", "block", topics=("credentials",))).inspect(BODY, CTX)
    assert inspection.action == "block"
    assert inspection.blocking is not None and inspection.blocking.path == ("messages", 1, "content", 0, "text")
    described = inspection.findings()
    assert {f["entry"] for f in described} == {"FAKE_KEY", "FAKE_EMAIL"}
    assert "KEY-123456" not in str(described) and "ops@corp.test" not in str(described)
    assert [f["role"] for f in described if f["entry"] == "FAKE_EMAIL"] == ["system", "user"]


def test_redaction_rewrites_only_the_redacted_entries_with_stable_numbers() -> None:
    engine = inspector(PolicyRule("mask-mail", "redact", entries=("FAKE_EMAIL",), placeholder="numbered"))
    inspection = engine.inspect(BODY, CTX)
    assert inspection.action == "redact"
    redacted = engine.redacted(BODY, inspection, Placeholders())
    assert redacted["messages"][0]["content"] == "mail [FAKE_EMAIL_1] if stuck"
    assert redacted["messages"][1]["content"][0]["text"] == "use KEY-123456 and [FAKE_EMAIL_1]"
    assert BODY["messages"][0]["content"] == "mail ops@corp.test if stuck"  # the input is untouched


def test_a_clean_body() -> None:
    assert inspector().inspect({"messages": [{"role": "user", "content": "hello"}]}, CTX).action == "allow"
