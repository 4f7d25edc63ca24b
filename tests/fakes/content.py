"""Deterministic content shared by every fake: reply text, token counts, ids, tool calls
and embedding vectors, all derived from the request alone (never the clock or a RNG),
so a call through the gateway and a direct call produce identical responses.

The rules: the reply is ``"Echo: "`` + the last user text (first ``MAX_ECHO_WORDS``
words); a token is a whitespace-separated word; prompt tokens count the words of every
message text (at least 1); ``CACHED_TOKENS`` of the prompt are "cached" once it reaches
``CACHE_MIN_PROMPT_TOKENS``; reasoning models spend ``REASONING_TOKENS`` thinking.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
import struct
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

MAX_ECHO_WORDS = 40
REASONING_TOKENS = 5
CACHED_TOKENS = 32
CACHE_MIN_PROMPT_TOKENS = 50
DEFAULT_EMBEDDING_DIMENSIONS = 8
CREATED_BASE = 1_700_000_000
TOOL_TRIGGER = "call tool"
# Request keys that change how a reply is delivered, not what it says: they are left out
# of the digest so a streamed and a plain call (or a gateway adding stream_options)
# get the same ids.
TRANSPORT_KEYS = frozenset({"stream", "stream_options"})

ToolMode = Literal["auto", "none", "any"]


def count_words(texts: Iterable[str]) -> int:
    return sum(len(text.split()) for text in texts)


def count_prompt_tokens(texts: Iterable[str]) -> int:
    return max(1, count_words(texts))


def cached_tokens(prompt_tokens: int) -> int:
    return CACHED_TOKENS if prompt_tokens >= CACHE_MIN_PROMPT_TOKENS else 0


def text_of(value: object) -> str:
    """The plain text inside any provider's content shape: a string, a list of parts or
    blocks (``{"text": …}``), or a block that nests more (``content``/``parts``)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return " ".join(text for text in (text_of(item) for item in value) if text)
    if isinstance(value, Mapping):
        if isinstance(value.get("text"), str):
            return str(value["text"])
        for key in ("content", "parts"):
            if key in value:
                return text_of(value[key])
    return ""


def mappings(value: object) -> list[Mapping[str, Any]]:
    """The objects in a JSON list (anything else in it, or a non-list, is skipped)."""
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def last_text(messages: Sequence[Mapping[str, Any]], roles: Collection[str | None] = ("user",)) -> str:
    """The text of the last message whose ``role`` is one of ``roles``."""
    for message in reversed(messages):
        if message.get("role") in roles:
            return text_of(message.get("content", message.get("parts")))
    return ""


def int_or_none(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def content_digest(body: Mapping[str, Any], scope: str = "") -> str:
    """SHA-256 of ``scope`` and ``body`` as canonical JSON, ``TRANSPORT_KEYS`` left out."""
    kept = {key: value for key, value in body.items() if key not in TRANSPORT_KEYS}
    canonical = json.dumps([scope, kept], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def created_at(digest: str) -> int:
    """A Unix time in late 2023 that depends only on the request."""
    return CREATED_BASE + int(digest[:5], 16)


def uuid_of(digest: str) -> str:
    return f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"


@dataclass(frozen=True, slots=True)
class Reply:
    """The assistant text and its word-by-word stream chunks (``"".join(chunks) == text``)."""

    text: str
    chunks: tuple[str, ...]
    is_truncated: bool

    @property
    def num_tokens(self) -> int:
        return len(self.chunks)


def compose_reply(user_text: str, max_tokens: int | None = None) -> Reply:
    words = ["Echo:", *user_text.split()[:MAX_ECHO_WORDS]]
    is_truncated = max_tokens is not None and max_tokens < len(words)
    if is_truncated:
        words = words[: max(1, max_tokens or 0)]
    chunks = (words[0], *(f" {word}" for word in words[1:]))
    return Reply(text="".join(chunks), chunks=chunks, is_truncated=is_truncated)


@dataclass(frozen=True, slots=True)
class ToolSpec:
    """A callable tool as the request declared it, whatever the provider's wrapping."""

    name: str
    schema: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class ToolCall:
    id_suffix: str
    name: str
    arguments: dict[str, Any]

    @property
    def arguments_json(self) -> str:
        return json.dumps(self.arguments, separators=(",", ":"))

    @property
    def fragments(self) -> list[str]:
        """``arguments_json`` split the way providers stream it: ``{"`` ``location`` …"""
        return re.findall(r"\w+|\W+", self.arguments_json) or [self.arguments_json]

    @property
    def num_tokens(self) -> int:
        return len(self.fragments)


def tool_mode(choice: object, modes: Mapping[str, ToolMode]) -> ToolMode:
    """A provider's tool-choice word mapped through ``modes``; anything else is "auto"."""
    return modes.get(choice, "auto") if isinstance(choice, str) else "auto"


def plan_tool_call(
    tools: Sequence[ToolSpec], mode: ToolMode, forced_name: str | None, user_text: str, digest: str
) -> ToolCall | None:
    """The tool call the fake makes, or None for a text reply: when a tool is forced
    (by name or "any"), or the last user text says "call tool" and tools are allowed."""
    if not tools or mode == "none":
        return None
    if forced_name is None and mode != "any" and TOOL_TRIGGER not in user_text.lower():
        return None
    tool = next((tool for tool in tools if tool.name == forced_name), tools[0])
    return ToolCall(id_suffix=digest[24:48], name=tool.name, arguments=arguments_for(tool.schema))


def function_tools(raw: object) -> list[ToolSpec]:
    """Tools declared the OpenAI way (``{"type": "function", "function": {…}}``), which
    Cohere's v2 API shares."""
    specs = []
    for tool in mappings(raw):
        function = tool.get("function")
        if isinstance(function, Mapping) and isinstance(function.get("name"), str):
            parameters = function.get("parameters")
            specs.append(ToolSpec(function["name"], parameters if isinstance(parameters, Mapping) else {}))
    return specs


def arguments_for(schema: Mapping[str, Any]) -> dict[str, Any]:
    """Plausible arguments for a JSON schema: its required properties (all of them when
    none are marked required), each with a value of the declared type."""
    properties = schema.get("properties")
    if not isinstance(properties, Mapping):
        return {}
    required = schema.get("required")
    names = [name for name in properties if not isinstance(required, list) or name in required]
    return {name: _example_value(properties[name]) for name in names}


def _example_value(schema: object) -> Any:
    if not isinstance(schema, Mapping):
        return "Paris"
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return schema["enum"][0]
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((item for item in kind if item != "null"), "string")
    kind = str(kind).lower() if kind else "string"
    examples: dict[str, Any] = {"integer": 1, "number": 1.5, "boolean": True, "array": [], "null": None}
    if kind == "object":
        return arguments_for(schema)
    return examples.get(kind, "Paris")


def embedding_vector(key: str, dimensions: int = DEFAULT_EMBEDDING_DIMENSIONS) -> list[float]:
    """A unit vector of float32-exact values derived from ``key`` (so the float and the
    base64 encodings decode to the same numbers)."""
    raw = b"".join(hashlib.sha256(f"{block}:{key}".encode()).digest() for block in range(math.ceil(dimensions / 8)))
    values = [value / 2**31 - 1.0 for value in struct.unpack(f">{dimensions}I", raw[: 4 * dimensions])]
    norm = math.sqrt(sum(value * value for value in values)) or 1.0
    return list(struct.unpack(f"<{dimensions}f", struct.pack(f"<{dimensions}f", *(v / norm for v in values))))


def embedding_base64(vector: Sequence[float]) -> str:
    return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode()
