"""OpenAI embedding requests to Gemini `embedContent` / `batchEmbedContents`, and back.

One string goes to `embedContent`; a list goes to `batchEmbedContents`, whose requests
each repeat the model as `models/<model>`. Gemini does not report token usage for
embeddings, so usage is zero unless a `usageMetadata` is present.
"""

from __future__ import annotations

from typing import Any

from gateway.translate.fields import as_dict, as_str, as_vector, int_or_zero, opt_int, opt_list
from gateway.translate.openai_request import read_embedding_inputs, read_encoding_format
from gateway.translate.openai_response import embedding_list


def openai_embeddings_to_gemini(body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The Gemini method and request body for an OpenAI `/embeddings` request."""
    model = as_str(body.get("model"), "model")
    resource = model if model.startswith("models/") else f"models/{model}"
    texts, is_single = read_embedding_inputs(body, "Gemini")
    read_encoding_format(body)  # rejected here, early, rather than after the upstream call
    dimensions = opt_int(body, "dimensions", "dimensions")

    def embed_request(text: str) -> dict[str, Any]:
        request: dict[str, Any] = {"content": {"parts": [{"text": text}]}}
        if dimensions is not None:
            request["outputDimensionality"] = dimensions
        return request

    if is_single:
        return "embedContent", embed_request(texts[0])
    return "batchEmbedContents", {"requests": [{"model": resource} | embed_request(text) for text in texts]}


def gemini_embeddings_to_openai(body: dict[str, Any], model: str, encoding_format: str = "float") -> dict[str, Any]:
    """Either response shape as OpenAI's embedding list; `encoding_format` is the client's."""
    if body.get("embedding") is not None:
        embedding = as_dict(body["embedding"], "embedding")
        vectors = [as_vector(embedding.get("values"), "embedding.values")]
    else:
        vectors = [
            as_vector(as_dict(raw, f"embeddings[{index}]").get("values"), f"embeddings[{index}].values")
            for index, raw in enumerate(opt_list(body, "embeddings", "embeddings") or [])
        ]
    prompt_tokens = int_or_zero(body.get("usageMetadata"), "promptTokenCount")
    return embedding_list(vectors, model, prompt_tokens, encoding_format)
