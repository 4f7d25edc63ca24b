from __future__ import annotations

import base64
import struct
from typing import Any

import pytest

from gateway.translate.errors import TranslationError
from gateway.translate.gemini_embeddings import gemini_embeddings_to_openai, openai_embeddings_to_gemini


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"model": "gemini-embedding-001", "input": "hello"},
            ("embedContent", {"content": {"parts": [{"text": "hello"}]}}),
        ),
        (
            {"model": "gemini-embedding-001", "input": "hello", "dimensions": 768},
            ("embedContent", {"content": {"parts": [{"text": "hello"}]}, "outputDimensionality": 768}),
        ),
        (
            {"model": "models/text-embedding-004", "input": ["a", "b"]},
            (
                "batchEmbedContents",
                {
                    "requests": [
                        {"model": "models/text-embedding-004", "content": {"parts": [{"text": "a"}]}},
                        {"model": "models/text-embedding-004", "content": {"parts": [{"text": "b"}]}},
                    ]
                },
            ),
        ),
        (
            {"model": "gemini-embedding-001", "input": ["a"], "dimensions": 3},
            (
                "batchEmbedContents",
                {
                    "requests": [
                        {
                            "model": "models/gemini-embedding-001",
                            "content": {"parts": [{"text": "a"}]},
                            "outputDimensionality": 3,
                        }
                    ]
                },
            ),
        ),
    ],
)
def test_request(body: dict[str, Any], expected: tuple[str, dict[str, Any]]) -> None:
    assert openai_embeddings_to_gemini(body) == expected


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"model": "m", "input": [[1, 2, 3]]}, "input[0]: Gemini embeds text only; token arrays are not supported"),
        ({"model": "m", "input": []}, "input: expected at least one input"),
        ({"model": "m"}, "input: expected an array, got null"),
        (
            {"model": "m", "input": "x", "encoding_format": "int8"},
            'encoding_format: expected "float" or "base64", got "int8"',
        ),
        ({"model": "m", "input": "x", "dimensions": "3"}, 'dimensions: expected an integer, got "3"'),
    ],
)
def test_request_rejects_invalid_input(body: dict[str, Any], message: str) -> None:
    with pytest.raises(TranslationError) as excinfo:
        openai_embeddings_to_gemini(body)
    assert str(excinfo.value) == message


def test_single_response() -> None:
    body = {"embedding": {"values": [0.25, -0.5]}}
    assert gemini_embeddings_to_openai(body, "gemini-embedding-001") == {
        "object": "list",
        "data": [{"object": "embedding", "index": 0, "embedding": [0.25, -0.5]}],
        "model": "gemini-embedding-001",
        "usage": {"prompt_tokens": 0, "total_tokens": 0},
    }


def test_batch_response_as_base64() -> None:
    body = {"embeddings": [{"values": [0.25, -0.5]}, {"values": [1.0, 2]}]}
    result = gemini_embeddings_to_openai(body, "m", encoding_format="base64")
    decoded = [struct.unpack("<2f", base64.b64decode(item["embedding"])) for item in result["data"]]
    assert decoded == [(0.25, -0.5), (1.0, 2.0)]
    assert [item["index"] for item in result["data"]] == [0, 1]


def test_malformed_response_names_the_field() -> None:
    with pytest.raises(TranslationError) as excinfo:
        gemini_embeddings_to_openai({"embeddings": [{"values": [0.1, "x"]}]}, "m")
    assert str(excinfo.value) == 'embeddings[0].values[1]: expected a number, got "x"'
