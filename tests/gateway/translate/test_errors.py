from __future__ import annotations

from gateway.translate.errors import TranslationError, UpstreamError


def test_translation_error_leads_with_the_path() -> None:
    error = TranslationError("messages[2].content[0].type", 'unsupported content part "audio"')
    assert str(error) == 'messages[2].content[0].type: unsupported content part "audio"'
    assert isinstance(error, ValueError)
    assert (error.path, error.problem) == ("messages[2].content[0].type", 'unsupported content part "audio"')


def test_upstream_error_carries_status_and_body() -> None:
    error = UpstreamError(502, {"error": {"message": "x"}})
    assert (error.status, error.body) == (502, {"error": {"message": "x"}})
