"""OpenAI chat requests to Gemini `generateContent` requests, and Gemini's replies back.

Gemini names the model and the method in the URL (`models/{model}:{method}`), so the
request translator returns the method with the body and leaves the model to the
provider, which also adds `alt=sse` for `streamGenerateContent` (the stream translator
expects SSE events). Streams are in `gemini_stream`, embeddings in `gemini_embeddings`.

Schemas (tool parameters, `response_format.json_schema`) go in Gemini's JSON Schema
fields, `parametersJsonSchema` and `responseJsonSchema`: OpenAI clients write JSON Schema
(`additionalProperties`, `$defs`, …) which the OpenAPI-subset `parameters` /
`responseSchema` fields reject. Dropped without a Gemini counterpart: `logit_bias`,
`logprobs`, `user`, `parallel_tool_calls`.

Gemini has no tool-call ids. Calls in replies get `call_<n>` (position within the
message); a `tool` message's function name is looked up from the latest earlier
assistant call with its `tool_call_id`, so ids repeated across turns resolve correctly.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from gateway.translate.errors import TranslationError
from gateway.translate.fields import (
    as_dict,
    as_str,
    dump_json,
    int_or_zero,
    nested_str,
    opt_dict,
    opt_int,
    opt_list,
)
from gateway.translate.finish_reasons import GEMINI_BLOCKED_PROMPT_FINISH, GEMINI_TO_OPENAI, map_reason
from gateway.translate.generation_options import GenerationKeys, write_generation_options
from gateway.translate.openai_request import (
    ContentPart,
    DataURL,
    FilePart,
    Message,
    TextPart,
    read_messages,
    read_response_format,
    read_tool_choice,
    read_tools,
    wants_stream,
)
from gateway.translate.openai_response import (
    assistant_message,
    choice,
    completion,
    error_body,
    tool_call,
    usage,
)

# Gemini wants a MIME type for a file URL; a URL's extension is the only hint without a
# fetch, and translators do no I/O. Unknown extensions leave the type to Gemini.
_MIME_BY_EXTENSION = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".heic": "image/heic",
    ".heif": "image/heif",
    ".pdf": "application/pdf",
}

_CALLING_MODES = {"auto": "AUTO", "none": "NONE", "required": "ANY", "function": "ANY"}

# Where the OpenAI generation options go in Gemini's generationConfig.
_GENERATION_KEYS = GenerationKeys(
    sampling=MappingProxyType(
        {
            "temperature": "temperature",
            "top_p": "topP",
            "presence_penalty": "presencePenalty",
            "frequency_penalty": "frequencyPenalty",
        }
    ),
    max_tokens="maxOutputTokens",
    stop="stopSequences",
    choice_count="candidateCount",
    seed="seed",
)


def openai_request_to_gemini(body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The Gemini method (`generateContent` or `streamGenerateContent`) and request body."""
    messages = read_messages(body)
    contents = _contents(messages)
    if not contents:
        raise TranslationError("messages", "Gemini needs at least one user or assistant message")
    request: dict[str, Any] = {"contents": contents}
    system = [message.text() for message in messages if message.role == "system" and message.text()]
    if system:
        request["systemInstruction"] = {"parts": [{"text": text} for text in system]}
    _add_tools(body, request)
    generation = _generation_config(body)
    if generation:
        request["generationConfig"] = generation
    return ("streamGenerateContent" if wants_stream(body) else "generateContent"), request


def _contents(messages: list[Message]) -> list[dict[str, Any]]:
    """Same-role runs merge: Gemini rejects turns that do not alternate."""
    names_by_id: dict[str, str] = {}
    contents: list[dict[str, Any]] = []
    for message in messages:
        if message.role == "system":
            continue
        parts = [_part(part) for part in message.parts]
        role = "model" if message.role == "assistant" else "user"
        for call in message.tool_calls:
            names_by_id[call.id] = call.name
            parts.append({"functionCall": {"name": call.name, "args": call.arguments_object()}})
        if message.role == "tool":
            parts = [_function_response(message, names_by_id)]
        if not parts:
            continue
        if contents and contents[-1]["role"] == role:
            contents[-1]["parts"].extend(parts)
        else:
            contents.append({"role": role, "parts": parts})
    return contents


def _function_response(message: Message, names_by_id: dict[str, str]) -> dict[str, Any]:
    call_id = message.tool_call_id or ""
    name = names_by_id.get(call_id)
    if name is None:
        raise TranslationError(f"{message.path}.tool_call_id", f'no earlier assistant tool call has id "{call_id}"')
    # Gemini wants an object; the tool's text goes under one key rather than being
    # parsed, so a result that merely looks like JSON keeps its exact text.
    return {"functionResponse": {"name": name, "response": {"content": message.text()}}}


def _part(part: ContentPart) -> dict[str, Any]:
    if isinstance(part, TextPart):
        return {"text": part.text}
    if isinstance(part, FilePart):
        return _inline_data(part.inline)
    if part.inline is not None:
        return _inline_data(part.inline)
    path = part.url.split("?", 1)[0].lower()
    mime = next((mime for ext, mime in _MIME_BY_EXTENSION.items() if path.endswith(ext)), None)
    return {"fileData": ({"mimeType": mime} if mime else {}) | {"fileUri": part.url}}


def _inline_data(inline: DataURL) -> dict[str, Any]:
    return {"inlineData": {"mimeType": inline.media_type, "data": inline.data}}


def _add_tools(body: dict[str, Any], request: dict[str, Any]) -> None:
    tools = read_tools(body)
    if tools:
        declarations = []
        for tool in tools:
            declaration: dict[str, Any] = {"name": tool.name}
            if tool.description:
                declaration["description"] = tool.description
            # A function without parameters must omit the schema: Gemini rejects an
            # object schema with no properties.
            if tool.parameters.get("properties"):
                declaration["parametersJsonSchema"] = tool.parameters
            declarations.append(declaration)
        request["tools"] = [{"functionDeclarations": declarations}]
    tool_choice = read_tool_choice(body)
    if tool_choice is not None:
        config: dict[str, Any] = {"mode": _CALLING_MODES[tool_choice.mode]}
        if tool_choice.name is not None:
            config["allowedFunctionNames"] = [tool_choice.name]
        request["toolConfig"] = {"functionCallingConfig": config}


def _generation_config(body: dict[str, Any]) -> dict[str, Any]:
    config: dict[str, Any] = {}
    write_generation_options(body, config, _GENERATION_KEYS)
    response_format = read_response_format(body)
    if response_format is not None:
        config["responseMimeType"] = "application/json"
        if response_format.schema is not None:
            config["responseJsonSchema"] = response_format.schema
    return config


def gemini_response_to_openai(body: dict[str, Any], model: str, created: int) -> dict[str, Any]:
    """A `GenerateContentResponse` as a `chat.completion`, one choice per candidate."""
    choices = []
    for position, raw in enumerate(opt_list(body, "candidates", "candidates") or []):
        path = f"candidates[{position}]"
        candidate = as_dict(raw, path)
        texts, calls = candidate_parts(candidate, path)
        tool_calls = [tool_call(f"call_{n}", name, dump_json(args)) for n, (name, args) in enumerate(calls)]
        message = assistant_message("".join(texts) if texts else None, tool_calls)
        finish = candidate_finish(candidate, has_tool_calls=bool(calls))
        choices.append(choice(candidate_index(candidate, position), message, finish))
    if not choices:
        # A blocked prompt has no candidates at all, only promptFeedback.blockReason.
        blocked = nested_str(body, "promptFeedback", "blockReason") is not None
        choices.append(choice(0, assistant_message(None), GEMINI_BLOCKED_PROMPT_FINISH if blocked else "stop"))
    return completion(
        completion_id=response_id(body),
        created=created,
        model=model,
        choices=choices,
        usage=gemini_usage(body.get("usageMetadata")),
    )


def response_id(body: dict[str, Any]) -> str:
    return nested_str(body, "responseId") or "chatcmpl-weir"


def candidate_index(candidate: dict[str, Any], position: int) -> int:
    index = opt_int(candidate, "index", "index")
    return position if index is None else index


def candidate_parts(candidate: dict[str, Any], path: str) -> tuple[list[str], list[tuple[str, dict[str, Any]]]]:
    """The answer's text pieces and function calls; thought summaries are left out."""
    texts: list[str] = []
    calls: list[tuple[str, dict[str, Any]]] = []
    content = opt_dict(candidate, "content", f"{path}.content") or {}
    for index, raw in enumerate(opt_list(content, "parts", f"{path}.content.parts") or []):
        part_path = f"{path}.content.parts[{index}]"
        part = as_dict(raw, part_path)
        if part.get("thought") is True:
            continue
        if "text" in part:
            texts.append(as_str(part["text"], f"{part_path}.text"))
        elif "functionCall" in part:
            call = as_dict(part["functionCall"], f"{part_path}.functionCall")
            name = as_str(call.get("name"), f"{part_path}.functionCall.name")
            calls.append((name, opt_dict(call, "args", f"{part_path}.functionCall.args") or {}))
    return texts, calls


def candidate_finish(candidate: dict[str, Any], *, has_tool_calls: bool) -> str:
    reason = candidate.get("finishReason")
    finish = map_reason(GEMINI_TO_OPENAI, reason if isinstance(reason, str) else None, "stop")
    # Gemini ends a turn that calls functions with STOP; OpenAI clients loop on "tool_calls".
    return "tool_calls" if has_tool_calls and finish == "stop" else finish


def gemini_usage(metadata: Any) -> dict[str, Any]:
    """Thinking tokens are billed as output, so they count toward completion tokens."""
    thoughts = int_or_zero(metadata, "thoughtsTokenCount")
    return usage(
        int_or_zero(metadata, "promptTokenCount"),
        int_or_zero(metadata, "candidatesTokenCount") + thoughts,
        cached_tokens=int_or_zero(metadata, "cachedContentTokenCount"),
        reasoning_tokens=thoughts,
    )


def gemini_error_to_openai(status: int, body: Any) -> dict[str, Any]:
    """Google's `{"error": {"code", "message", "status"}}` in OpenAI's error shape."""
    if isinstance(body, list) and body:
        body = body[0]  # streamGenerateContent without alt=sse answers with a JSON array
    message = nested_str(body, "error", "message") or f"Gemini returned HTTP {status}"
    return error_body(status, message, code=nested_str(body, "error", "status"))
