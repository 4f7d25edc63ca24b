"""Pure translations between the unified (OpenAI chat-completions) format and other APIs.

Plain functions and small stream classes over JSON values: no I/O, no clock, no aiohttp.
Invalid input raises `TranslationError`, whose message starts with the field path.
"""

from gateway.translate.anthropic import (
    anthropic_error_to_openai,
    anthropic_response_to_openai,
    openai_request_to_anthropic,
)
from gateway.translate.anthropic_door import (
    anthropic_request_to_openai,
    openai_error_to_anthropic,
    openai_response_to_anthropic,
)
from gateway.translate.anthropic_door_stream import OpenAIToAnthropicStream
from gateway.translate.anthropic_stream import AnthropicToOpenAIStream
from gateway.translate.cohere import (
    cohere_error_to_openai,
    cohere_response_to_openai,
    openai_request_to_cohere,
)
from gateway.translate.cohere_embeddings import cohere_embeddings_to_openai, openai_embeddings_to_cohere
from gateway.translate.cohere_stream import CohereToOpenAIStream
from gateway.translate.errors import TranslationError, UpstreamError
from gateway.translate.gemini import (
    gemini_error_to_openai,
    gemini_response_to_openai,
    openai_request_to_gemini,
)
from gateway.translate.gemini_embeddings import gemini_embeddings_to_openai, openai_embeddings_to_gemini
from gateway.translate.gemini_stream import GeminiToOpenAIStream
from gateway.translate.openai_request import wants_stream_usage
from gateway.translate.openai_response import error_body as openai_error_body

__all__ = [
    "AnthropicToOpenAIStream",
    "CohereToOpenAIStream",
    "GeminiToOpenAIStream",
    "OpenAIToAnthropicStream",
    "TranslationError",
    "UpstreamError",
    "anthropic_error_to_openai",
    "anthropic_request_to_openai",
    "anthropic_response_to_openai",
    "cohere_embeddings_to_openai",
    "cohere_error_to_openai",
    "cohere_response_to_openai",
    "gemini_embeddings_to_openai",
    "gemini_error_to_openai",
    "gemini_response_to_openai",
    "openai_embeddings_to_cohere",
    "openai_embeddings_to_gemini",
    "openai_error_body",
    "openai_error_to_anthropic",
    "openai_request_to_anthropic",
    "openai_request_to_cohere",
    "openai_request_to_gemini",
    "openai_response_to_anthropic",
    "wants_stream_usage",
]
