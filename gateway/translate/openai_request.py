"""Reading the unified (OpenAI chat-completions) request into small typed values.

Every provider translation starts from the same OpenAI request, so the checks that name
an offending field (`messages[2].content[0].type: unsupported content part "input_audio"`)
live here once instead of once per provider. Translators map these frozen values to their
own wire shapes and never index the raw request for anything this module reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from gateway.translate.errors import TranslationError
from gateway.translate.fields import (
    as_dict,
    as_list,
    as_str,
    describe,
    opt_dict,
    opt_int,
    opt_list,
    opt_str,
    parse_json_object,
    tagged_objects,
)

Role = Literal["system", "user", "assistant", "tool"]

# Which content parts each role may carry; anything else is rejected by name rather
# than dropped, so a client never silently loses part of its prompt.
_PARTS_BY_ROLE: dict[str, frozenset[str]] = {
    "system": frozenset({"text"}),
    "developer": frozenset({"text"}),
    "user": frozenset({"text", "image_url", "file"}),
    "assistant": frozenset({"text", "refusal"}),
    "tool": frozenset({"text"}),
}


@dataclass(frozen=True, slots=True)
class DataURL:
    """A base64 `data:` URL split into what every provider asks for separately."""

    media_type: str
    data: str

    def as_url(self) -> str:
        return f"data:{self.media_type};base64,{self.data}"


@dataclass(frozen=True, slots=True)
class TextPart:
    text: str


@dataclass(frozen=True, slots=True)
class ImagePart:
    url: str
    inline: DataURL | None  # set when `url` was a data: URL


@dataclass(frozen=True, slots=True)
class FilePart:
    inline: DataURL
    filename: str | None


ContentPart = TextPart | ImagePart | FilePart


@dataclass(frozen=True, slots=True)
class ToolCall:
    id: str
    name: str
    arguments: str  # JSON text, as OpenAI carries it
    path: str  # "messages[3].tool_calls[0]", for errors raised later

    def arguments_object(self) -> dict[str, Any]:
        return parse_json_object(self.arguments, f"{self.path}.function.arguments")


@dataclass(frozen=True, slots=True)
class Message:
    role: Role  # "developer" is read as "system": no other provider tells them apart
    parts: tuple[ContentPart, ...]
    path: str
    tool_calls: tuple[ToolCall, ...] = ()
    tool_call_id: str | None = None

    def text(self) -> str:
        return "".join(part.text for part in self.parts if isinstance(part, TextPart))


@dataclass(frozen=True, slots=True)
class FunctionTool:
    name: str
    description: str | None
    parameters: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ToolChoice:
    mode: Literal["auto", "none", "required", "function"]
    name: str | None = None  # set when mode is "function"


@dataclass(frozen=True, slots=True)
class ResponseFormat:
    schema: dict[str, Any] | None  # None for plain json_object


def parse_data_url(url: str, path: str) -> DataURL:
    header, comma, data = url.partition(",")
    if not comma or not header.lower().startswith("data:"):
        raise TranslationError(path, "expected a data: URL")
    media_type, *params = header[5:].split(";")
    if "base64" not in (param.lower() for param in params):
        raise TranslationError(path, "only base64 data: URLs are supported")
    if not media_type:
        raise TranslationError(path, "data: URL has no media type")
    return DataURL(media_type=media_type.lower(), data=data)


def read_messages(body: dict[str, Any]) -> list[Message]:
    raw_messages = as_list(body.get("messages"), "messages")
    if not raw_messages:
        raise TranslationError("messages", "expected at least one message")
    return [_read_message(raw, f"messages[{index}]") for index, raw in enumerate(raw_messages)]


def _read_message(raw: Any, path: str) -> Message:
    message = as_dict(raw, path)
    role = as_str(message.get("role"), f"{path}.role")
    if role not in _PARTS_BY_ROLE:
        raise TranslationError(f"{path}.role", f'unsupported role "{role}"')
    if message.get("function_call") is not None:
        raise TranslationError(f"{path}.function_call", "legacy function calling is not supported; use tool_calls")
    parts = tuple(read_parts(message.get("content"), f"{path}.content", _PARTS_BY_ROLE[role]))
    if role in ("system", "developer"):
        return Message(role="system", parts=parts, path=path)
    if role == "user":
        return Message(role="user", parts=parts, path=path)
    if role == "tool":
        tool_call_id = as_str(message.get("tool_call_id"), f"{path}.tool_call_id")
        return Message(role="tool", parts=parts, path=path, tool_call_id=tool_call_id)
    calls = opt_list(message, "tool_calls", f"{path}.tool_calls") or []
    tool_calls = tuple(_read_tool_call(call, f"{path}.tool_calls[{i}]") for i, call in enumerate(calls))
    return Message(role="assistant", parts=parts, path=path, tool_calls=tool_calls)


def _function(item: dict[str, Any], path: str, what: str) -> dict[str, Any]:
    """The `function` object of a tool or tool call; `type` may be left out and means function."""
    kind = item.get("type", "function")
    if kind != "function":
        raise TranslationError(f"{path}.type", f"unsupported {what} type {describe(kind)}")
    return as_dict(item.get("function"), f"{path}.function")


def _read_tool_call(raw: Any, path: str) -> ToolCall:
    call = as_dict(raw, path)
    function = _function(call, path, "tool call")
    return ToolCall(
        id=as_str(call.get("id"), f"{path}.id"),
        name=as_str(function.get("name"), f"{path}.function.name"),
        arguments=opt_str(function, "arguments", f"{path}.function.arguments") or "",
        path=path,
    )


def read_parts(content: Any, path: str, allowed: frozenset[str]) -> list[ContentPart]:
    """A message's content as parts; empty text is dropped (no provider accepts it)."""
    if content is None:
        return []
    if isinstance(content, str):
        return [TextPart(content)] if content else []
    parts: list[ContentPart] = []
    for part_path, part, kind in tagged_objects(content, path):
        if kind not in allowed:
            raise TranslationError(f"{part_path}.type", f'unsupported content part "{kind}"')
        read = _read_part(kind, part, part_path)
        if not (isinstance(read, TextPart) and not read.text):
            parts.append(read)
    return parts


def _read_part(kind: str, part: dict[str, Any], path: str) -> ContentPart:
    if kind in ("text", "refusal"):
        return TextPart(as_str(part.get(kind), f"{path}.{kind}"))
    if kind == "image_url":
        image = part.get("image_url")
        # Some clients send the URL as a bare string; the meaning is unambiguous.
        url = image if isinstance(image, str) else as_dict(image, f"{path}.image_url").get("url")
        url_path = f"{path}.image_url.url"
        url = as_str(url, url_path)
        if url.lower().startswith("data:"):
            return ImagePart(url=url, inline=parse_data_url(url, url_path))
        if not url.lower().startswith(("https://", "http://")):
            raise TranslationError(url_path, "expected an http(s) URL or a base64 data: URL")
        return ImagePart(url=url, inline=None)
    file = as_dict(part.get("file"), f"{path}.file")
    if file.get("file_data") is None:
        raise TranslationError(f"{path}.file", "only inline file_data is supported, not file_id references")
    file_data = as_str(file.get("file_data"), f"{path}.file.file_data")
    return FilePart(
        inline=parse_data_url(file_data, f"{path}.file.file_data"),
        filename=opt_str(file, "filename", f"{path}.file.filename"),
    )


def read_tools(body: dict[str, Any]) -> list[FunctionTool]:
    tools: list[FunctionTool] = []
    for index, raw in enumerate(opt_list(body, "tools", "tools") or []):
        path = f"tools[{index}]"
        function = _function(as_dict(raw, path), path, "tool")
        parameters = opt_dict(function, "parameters", f"{path}.function.parameters")
        tools.append(
            FunctionTool(
                name=as_str(function.get("name"), f"{path}.function.name"),
                description=opt_str(function, "description", f"{path}.function.description"),
                # OpenAI allows omitting parameters for a no-argument function; every
                # other provider wants an object schema.
                parameters=parameters if parameters is not None else {"type": "object", "properties": {}},
            )
        )
    return tools


def read_tool_choice(body: dict[str, Any]) -> ToolChoice | None:
    choice = body.get("tool_choice")
    if choice is None:
        return None
    if isinstance(choice, str):
        if choice not in ("auto", "none", "required"):
            raise TranslationError("tool_choice", f'expected "auto", "none", "required" or an object, got "{choice}"')
        return ToolChoice(mode=choice)  # type: ignore[arg-type]  # narrowed by the check above
    named = as_dict(choice, "tool_choice")
    if named.get("type") != "function":
        raise TranslationError("tool_choice.type", f"unsupported tool_choice type {describe(named.get('type'))}")
    function = as_dict(named.get("function"), "tool_choice.function")
    return ToolChoice(mode="function", name=as_str(function.get("name"), "tool_choice.function.name"))


def read_stop(body: dict[str, Any]) -> list[str]:
    stop = body.get("stop")
    if stop is None:
        return []
    if isinstance(stop, str):
        return [stop]
    return [as_str(item, f"stop[{index}]") for index, item in enumerate(as_list(stop, "stop"))]


def read_max_tokens(body: dict[str, Any]) -> int | None:
    """`max_completion_tokens` replaced `max_tokens` in OpenAI's API; it wins when both are set."""
    newer = opt_int(body, "max_completion_tokens", "max_completion_tokens")
    return newer if newer is not None else opt_int(body, "max_tokens", "max_tokens")


def read_choice_count(body: dict[str, Any]) -> int:
    count = opt_int(body, "n", "n")
    if count is not None and count < 1:
        raise TranslationError("n", f"expected a positive integer, got {count}")
    return count or 1


def require_single_choice(body: dict[str, Any], provider: str) -> None:
    count = read_choice_count(body)
    if count != 1:
        raise TranslationError("n", f"{provider} returns one choice per request; got {count}")


def read_response_format(body: dict[str, Any]) -> ResponseFormat | None:
    raw = opt_dict(body, "response_format", "response_format")
    if raw is None or raw.get("type") == "text":
        return None
    kind = raw.get("type")
    if kind == "json_object":
        return ResponseFormat(schema=None)
    if kind == "json_schema":
        spec = as_dict(raw.get("json_schema"), "response_format.json_schema")
        return ResponseFormat(schema=opt_dict(spec, "schema", "response_format.json_schema.schema"))
    raise TranslationError("response_format.type", f"unsupported response format {describe(kind)}")


def wants_stream(body: dict[str, Any]) -> bool:
    return body.get("stream") is True


def wants_stream_usage(body: dict[str, Any]) -> bool:
    """Whether the client asked for the trailing usage chunk (`stream_options.include_usage`)."""
    options = body.get("stream_options")
    return isinstance(options, dict) and options.get("include_usage") is True


def read_user(body: dict[str, Any]) -> str | None:
    return opt_str(body, "user", "user")


def read_embedding_inputs(body: dict[str, Any], provider: str) -> tuple[list[str], bool]:
    """The texts to embed, and whether the client sent one string rather than a list."""
    raw = body.get("input")
    if isinstance(raw, str):
        return [raw], True
    items = as_list(raw, "input")
    if not items:
        raise TranslationError("input", "expected at least one input")
    texts: list[str] = []
    for index, item in enumerate(items):
        if not isinstance(item, str):
            raise TranslationError(f"input[{index}]", f"{provider} embeds text only; token arrays are not supported")
        texts.append(item)
    return texts, False


def read_encoding_format(body: dict[str, Any]) -> str:
    value = opt_str(body, "encoding_format", "encoding_format") or "float"
    if value not in ("float", "base64"):
        raise TranslationError("encoding_format", f'expected "float" or "base64", got "{value}"')
    return value
