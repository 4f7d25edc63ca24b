from __future__ import annotations

import base64
import struct
from typing import Any

import pytest

from gateway.translate.cohere_embeddings import cohere_embeddings_to_openai, openai_embeddings_to_cohere
from gateway.translate.errors import TranslationError


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"model": "embed-v4.0", "input": "hello"},
            {"model": "embed-v4.0", "texts": ["hello"], "input_type": "search_document", "embedding_types": ["float"]},
        ),
        (
            {"model": "embed-v4.0", "input": ["a", "b"], "dimensions": 256, "encoding_format": "base64"},
            {
                "model": "embed-v4.0",
                "texts": ["a", "b"],
                "input_type": "search_document",
                "embedding_types": ["float"],
                "output_dimension": 256,
            },
        ),
    ],
)
def test_request(body: dict[str, Any], expected: dict[str, Any]) -> None:
    assert openai_embeddings_to_cohere(body) == expected


def test_request_rejects_token_arrays() -> None:
    with pytest.raises(TranslationError) as excinfo:
        openai_embeddings_to_cohere({"model": "m", "input": ["ok", [1, 2]]})
    assert str(excinfo.value) == "input[1]: Cohere embeds text only; token arrays are not supported"


# Captured shape of a /v2/embed response.
EMBED_RESPONSE = {
    "id": "da6e531f-54c6-4a73-bf92-f60566d8d753",
    "embeddings": {"float": [[0.016296387, -0.008354187], [0.5, 0.25]]},
    "texts": ["hello", "goodbye"],
    "meta": {"api_version": {"version": "2"}, "billed_units": {"input_tokens": 2}},
}


def test_response() -> None:
    assert cohere_embeddings_to_openai(EMBED_RESPONSE, "embed-v4.0") == {
        "object": "list",
        "data": [
            {"object": "embedding", "index": 0, "embedding": [0.016296387, -0.008354187]},
            {"object": "embedding", "index": 1, "embedding": [0.5, 0.25]},
        ],
        "model": "embed-v4.0",
        "usage": {"prompt_tokens": 2, "total_tokens": 2},
    }


def test_response_as_base64_and_without_meta() -> None:
    body = {"embeddings": {"float": [[0.5, 0.25]]}}
    result = cohere_embeddings_to_openai(body, "m", encoding_format="base64")
    assert struct.unpack("<2f", base64.b64decode(result["data"][0]["embedding"])) == (0.5, 0.25)
    assert result["usage"] == {"prompt_tokens": 0, "total_tokens": 0}


def test_malformed_response_names_the_field() -> None:
    with pytest.raises(TranslationError) as excinfo:
        cohere_embeddings_to_openai({"embeddings": {"int8": [[1]]}}, "m")
    assert str(excinfo.value) == "embeddings.float: expected an array, got null"
