"""OpenAI embedding requests to Cohere v2 `/v2/embed`, and back.

OpenAI's embeddings API has no notion of query versus document; `search_document` is
Cohere's type for text stored and searched later, which is what OpenAI-style clients
(vector stores, RAG indexers) mostly embed. Only float embeddings are asked for; the
client's `encoding_format` is applied when translating back.
"""

from __future__ import annotations

from typing import Any

from gateway.translate.fields import as_list, as_str, as_vector, int_or_zero, nested_dict, opt_int
from gateway.translate.openai_request import read_embedding_inputs, read_encoding_format
from gateway.translate.openai_response import embedding_list

INPUT_TYPE = "search_document"


def openai_embeddings_to_cohere(body: dict[str, Any]) -> dict[str, Any]:
    texts, _ = read_embedding_inputs(body, "Cohere")
    read_encoding_format(body)  # rejected here, early, rather than after the upstream call
    request: dict[str, Any] = {
        "model": as_str(body.get("model"), "model"),
        "texts": texts,
        "input_type": INPUT_TYPE,
        "embedding_types": ["float"],
    }
    dimensions = opt_int(body, "dimensions", "dimensions")
    if dimensions is not None:
        request["output_dimension"] = dimensions
    return request


def cohere_embeddings_to_openai(body: dict[str, Any], model: str, encoding_format: str = "float") -> dict[str, Any]:
    """`embeddings.float` (or the older bare list) as OpenAI's embedding list."""
    embeddings = body.get("embeddings")
    if isinstance(embeddings, dict):
        raw_vectors, path = embeddings.get("float"), "embeddings.float"
    else:
        raw_vectors, path = embeddings, "embeddings"
    vectors = [as_vector(raw, f"{path}[{index}]") for index, raw in enumerate(as_list(raw_vectors, path))]
    billed = nested_dict(body, "meta", "billed_units")
    return embedding_list(vectors, model, int_or_zero(billed, "input_tokens"), encoding_format)
