"""How the unified (OpenAI-format) endpoint speaks to each API family.

An adapter maps a unified request to the provider's path and body, and the provider's
responses, stream events and errors back to OpenAI's format. The OpenAI-compatible
adapter is the identity; the others delegate to the pure translators in
``gateway/translate``. Dispatch is by family name in one table, never by provider name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Protocol

from gateway.providers import Provider
from gateway.providers.family import parse_json
from gateway.sse import SSEEvent
from gateway.translate import (
    AnthropicToOpenAIStream,
    CohereToOpenAIStream,
    GeminiToOpenAIStream,
    TranslationError,
    anthropic_error_to_openai,
    anthropic_response_to_openai,
    cohere_embeddings_to_openai,
    cohere_error_to_openai,
    cohere_response_to_openai,
    gemini_embeddings_to_openai,
    gemini_error_to_openai,
    gemini_response_to_openai,
    openai_embeddings_to_cohere,
    openai_embeddings_to_gemini,
    openai_request_to_anthropic,
    openai_request_to_cohere,
    openai_request_to_gemini,
)
from gateway.translate.openai_response import error_body


@dataclass(frozen=True, slots=True)
class UpstreamRequest:
    path: str  # relative to the provider's base URL, without a leading slash
    query: str
    body: dict[str, Any]


class ChunkStream(Protocol):
    """Provider stream events in, OpenAI ``chat.completion.chunk`` dicts out."""

    @property
    def is_complete(self) -> bool: ...

    def feed(self, event: SSEEvent) -> list[dict[str, Any]]: ...

    def finish(self) -> list[dict[str, Any]]: ...


class Adapter(Protocol):
    def chat_request(self, provider: Provider, body: dict[str, Any], model: str) -> UpstreamRequest: ...

    def chat_response(self, body: dict[str, Any], model: str, created: int) -> dict[str, Any]: ...

    def chat_stream(self, model: str, created: int, include_usage: bool) -> ChunkStream: ...

    def embeddings_request(self, provider: Provider, body: dict[str, Any], model: str) -> UpstreamRequest: ...

    def embeddings_response(self, body: dict[str, Any], model: str, encoding_format: str) -> dict[str, Any]: ...

    def error(self, status: int, body: bytes) -> dict[str, Any]: ...


def _path(template: str) -> str:
    return template.lstrip("/")


class OpenAIChunks:
    """An OpenAI-compatible stream: each ``data:`` line is already a chunk."""

    def __init__(self) -> None:
        self.is_complete = False

    def feed(self, event: SSEEvent) -> list[dict[str, Any]]:
        if event.data == "[DONE]":
            self.is_complete = True
            return []
        chunk = parse_json(event.data)
        if not isinstance(chunk, dict):
            raise TranslationError("stream", "an OpenAI-compatible stream event is not a JSON object")
        return [chunk]

    def finish(self) -> list[dict[str, Any]]:
        return []


class OpenAIAdapter:
    def chat_request(self, provider: Provider, body: dict[str, Any], model: str) -> UpstreamRequest:
        return UpstreamRequest(_path(provider.config.chat_path), "", {**body, "model": model})

    def chat_response(self, body: dict[str, Any], model: str, created: int) -> dict[str, Any]:
        return body

    def chat_stream(self, model: str, created: int, include_usage: bool) -> ChunkStream:
        return OpenAIChunks()

    def embeddings_request(self, provider: Provider, body: dict[str, Any], model: str) -> UpstreamRequest:
        return UpstreamRequest(_path(provider.config.embeddings_path), "", {**body, "model": model})

    def embeddings_response(self, body: dict[str, Any], model: str, encoding_format: str) -> dict[str, Any]:
        return body

    def error(self, status: int, body: bytes) -> dict[str, Any]:
        parsed = parse_json(body)
        if isinstance(parsed, dict) and isinstance(parsed.get("error"), dict):
            return parsed
        return error_body(status, _plain_message(status, body))


class AnthropicAdapter(OpenAIAdapter):
    def chat_request(self, provider: Provider, body: dict[str, Any], model: str) -> UpstreamRequest:
        return UpstreamRequest(
            _path(provider.config.chat_path), "", openai_request_to_anthropic({**body, "model": model})
        )

    def chat_response(self, body: dict[str, Any], model: str, created: int) -> dict[str, Any]:
        return anthropic_response_to_openai(body, model, created)

    def chat_stream(self, model: str, created: int, include_usage: bool) -> ChunkStream:
        return AnthropicToOpenAIStream(model, created, include_usage)

    def embeddings_request(self, provider: Provider, body: dict[str, Any], model: str) -> UpstreamRequest:
        raise TranslationError("model", "Anthropic has no embeddings API")

    def error(self, status: int, body: bytes) -> dict[str, Any]:
        return anthropic_error_to_openai(status, parse_json(body))


class GeminiAdapter(OpenAIAdapter):
    def chat_request(self, provider: Provider, body: dict[str, Any], model: str) -> UpstreamRequest:
        method, translated = openai_request_to_gemini({**body, "model": model})
        stream = method == "streamGenerateContent"
        return UpstreamRequest(
            f"{_path(provider.config.chat_path)}/{_bare(model)}:{method}", "alt=sse" if stream else "", translated
        )

    def chat_response(self, body: dict[str, Any], model: str, created: int) -> dict[str, Any]:
        return gemini_response_to_openai(body, model, created)

    def chat_stream(self, model: str, created: int, include_usage: bool) -> ChunkStream:
        return GeminiToOpenAIStream(model, created, include_usage)

    def embeddings_request(self, provider: Provider, body: dict[str, Any], model: str) -> UpstreamRequest:
        method, translated = openai_embeddings_to_gemini({**body, "model": model})
        return UpstreamRequest(f"{_path(provider.config.embeddings_path)}/{_bare(model)}:{method}", "", translated)

    def embeddings_response(self, body: dict[str, Any], model: str, encoding_format: str) -> dict[str, Any]:
        return gemini_embeddings_to_openai(body, model, encoding_format)

    def error(self, status: int, body: bytes) -> dict[str, Any]:
        return gemini_error_to_openai(status, parse_json(body))


class CohereAdapter(OpenAIAdapter):
    def chat_request(self, provider: Provider, body: dict[str, Any], model: str) -> UpstreamRequest:
        return UpstreamRequest(_path(provider.config.chat_path), "", openai_request_to_cohere({**body, "model": model}))

    def chat_response(self, body: dict[str, Any], model: str, created: int) -> dict[str, Any]:
        return cohere_response_to_openai(body, model, created)

    def chat_stream(self, model: str, created: int, include_usage: bool) -> ChunkStream:
        return CohereToOpenAIStream(model, created, include_usage)

    def embeddings_request(self, provider: Provider, body: dict[str, Any], model: str) -> UpstreamRequest:
        return UpstreamRequest(
            _path(provider.config.embeddings_path), "", openai_embeddings_to_cohere({**body, "model": model})
        )

    def embeddings_response(self, body: dict[str, Any], model: str, encoding_format: str) -> dict[str, Any]:
        return cohere_embeddings_to_openai(body, model, encoding_format)

    def error(self, status: int, body: bytes) -> dict[str, Any]:
        return cohere_error_to_openai(status, parse_json(body))


ADAPTERS: Mapping[str, Adapter] = MappingProxyType(
    {
        "openai": OpenAIAdapter(),
        "azure-openai": OpenAIAdapter(),
        "generic": OpenAIAdapter(),
        "anthropic": AnthropicAdapter(),
        "gemini": GeminiAdapter(),
        "cohere": CohereAdapter(),
    }
)


def _bare(model: str) -> str:
    return model.removeprefix("models/")


def _plain_message(status: int, body: bytes) -> str:
    """A non-JSON provider error: say so, without echoing bytes that may hold secrets."""
    return f"the provider answered HTTP {status} without a JSON error body"
