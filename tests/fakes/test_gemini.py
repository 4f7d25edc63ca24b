import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest

from tests.fakes.client import read_sse
from tests.fakes.faults import Fault, fault_headers
from tests.fakes.gemini import GeminiFake
from tests.fakes.server import serve

KEY = {"x-goog-api-key": "g-key"}
WEATHER = {
    "functionDeclarations": [
        {
            "name": "get_weather",
            "parameters": {
                "type": "OBJECT",
                "properties": {"location": {"type": "STRING"}},
                "required": ["location"],
            },
        }
    ]
}


@dataclass
class Served:
    fake: GeminiFake
    base_url: str
    session: aiohttp.ClientSession

    async def post(self, path: str, body: object, **headers: str) -> aiohttp.ClientResponse:
        response = await self.session.post(self.base_url + path, json=body, headers={**KEY, **headers})
        await response.read()
        return response


@pytest.fixture
async def served() -> AsyncIterator[Served]:
    fake = GeminiFake()
    async with serve(fake.app) as base_url, aiohttp.ClientSession() as session:
        yield Served(fake, base_url, session)


def request(text: str, **extra: Any) -> dict[str, Any]:
    return {"contents": [{"role": "user", "parts": [{"text": text}]}], **extra}


async def test_generate_content(served: Served) -> None:
    body = request("hello there", systemInstruction={"parts": [{"text": "be brief"}]})
    response = await served.post("/v1beta/models/gemini-2.0-flash:generateContent", body)
    payload = await response.json()
    (candidate,) = payload["candidates"]
    assert candidate["content"] == {"parts": [{"text": "Echo: hello there"}], "role": "model"}
    assert candidate["finishReason"] == "STOP"
    usage = payload["usageMetadata"]
    assert (usage["promptTokenCount"], usage["candidatesTokenCount"], usage["totalTokenCount"]) == (4, 3, 7)
    assert "thoughtsTokenCount" not in usage and "cachedContentTokenCount" not in usage
    assert payload["modelVersion"] == "gemini-2.0-flash" and payload["responseId"]
    again = await served.post("/v1beta/models/gemini-2.0-flash:generateContent", body)
    assert await again.json() == payload


async def test_thinking_and_cached_tokens(served: Served) -> None:
    response = await served.post("/v1beta/models/gemini-2.5-pro:generateContent", request(" ".join(["w"] * 50)))
    usage = (await response.json())["usageMetadata"]
    assert (usage["thoughtsTokenCount"], usage["cachedContentTokenCount"]) == (5, 32)
    assert usage["totalTokenCount"] == 50 + 41 + 5


async def test_key_in_query_and_auth_errors(served: Served) -> None:
    path = "/v1beta/models/gemini-2.0-flash:generateContent"
    async with served.session.post(served.base_url + path + "?key=abc", json=request("x")) as response:
        assert response.status == 200
    async with served.session.post(served.base_url + path, json=request("x")) as response:
        error = (await response.json())["error"]
        assert (response.status, error["code"], error["status"]) == (403, 403, "PERMISSION_DENIED")
    strict = GeminiFake(api_keys={"good"})
    async with (
        serve(strict.app) as base_url,
        served.session.post(base_url + path, json=request("x"), headers={"x-goog-api-key": "bad"}) as response,
    ):
        assert (response.status, (await response.json())["error"]["status"]) == (400, "INVALID_ARGUMENT")


async def test_stream_sse(served: Served) -> None:
    path = "/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse"
    async with served.session.post(served.base_url + path, json=request("a b c"), headers=KEY) as response:
        assert response.headers["Content-Type"].startswith("text/event-stream")
        raw = await response.read()
    assert raw.count(b"\r\n\r\n") == 4 and raw.startswith(b"data: {")
    async with served.session.post(served.base_url + path, json=request("a b c"), headers=KEY) as response:
        chunks = [json.loads(event.data) for event in await read_sse(response)]
    texts = [chunk["candidates"][0]["content"]["parts"][0]["text"] for chunk in chunks]
    assert "".join(texts) == "Echo: a b c"
    assert [chunk["candidates"][0].get("finishReason") for chunk in chunks] == [None, None, None, "STOP"]
    assert [chunk["usageMetadata"]["candidatesTokenCount"] for chunk in chunks] == [1, 2, 3, 4]
    dropped = await served.post(path, request("a b c"), **fault_headers(Fault(drop_terminal=True)))
    assert b"finishReason" not in await dropped.read()


async def test_stream_json_array(served: Served) -> None:
    path = "/v1beta/models/gemini-2.0-flash:streamGenerateContent"
    response = await served.post(path, request("a b"))
    assert response.headers["Content-Type"].startswith("application/json")
    chunks = json.loads(await response.read())
    assert "".join(c["candidates"][0]["content"]["parts"][0]["text"] for c in chunks) == "Echo: a b"
    assert chunks[-1]["candidates"][0]["finishReason"] == "STOP"
    dropped = await served.post(path, request("a b"), **fault_headers(Fault(drop_terminal=True)))
    assert all("finishReason" not in c["candidates"][0] for c in json.loads(await dropped.read()))


@pytest.mark.parametrize(
    ("text", "tool_config"),
    [
        ("please call tool", None),
        ("hi", {"functionCallingConfig": {"mode": "ANY"}}),
        ("hi", {"function_calling_config": {"mode": "ANY", "allowed_function_names": ["get_weather"]}}),
    ],
)
async def test_function_call(served: Served, text: str, tool_config: Any) -> None:
    body = request(text, tools=[WEATHER], **({"toolConfig": tool_config} if tool_config else {}))
    payload = await (await served.post("/v1beta/models/gemini-2.0-flash:generateContent", body)).json()
    assert payload["candidates"][0]["content"]["parts"] == [
        {"functionCall": {"name": "get_weather", "args": {"location": "Paris"}}}
    ]
    stream = await served.post("/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse", body)
    assert b'"functionCall"' in await stream.read()


async def test_function_call_not_made_by_default(served: Served) -> None:
    body = request("hi", tools=[WEATHER])
    payload = await (await served.post("/v1/models/gemini-2.0-flash:generateContent", body)).json()
    assert payload["candidates"][0]["content"]["parts"] == [{"text": "Echo: hi"}]


async def test_embeddings_and_count_tokens(served: Served) -> None:
    single = await served.post(
        "/v1beta/models/text-embedding-004:embedContent", {"content": {"parts": [{"text": "hello"}]}}
    )
    values = (await single.json())["embedding"]["values"]
    assert len(values) == 8
    batch = await served.post(
        "/v1beta/models/text-embedding-004:batchEmbedContents",
        {
            "requests": [
                {"model": "models/text-embedding-004", "content": {"parts": [{"text": "hello"}]}},
                {"content": {"parts": [{"text": "other"}]}, "outputDimensionality": 4},
            ]
        },
    )
    first, second = (await batch.json())["embeddings"]
    assert first["values"] == values and len(second["values"]) == 4
    counted = await served.post("/v1beta/models/gemini-2.0-flash:countTokens", request("a b c"))
    assert (await counted.json())["totalTokens"] == 3


@pytest.mark.parametrize(("status", "name"), [(429, "RESOURCE_EXHAUSTED"), (500, "INTERNAL"), (503, "UNAVAILABLE")])
async def test_fault_statuses(served: Served, status: int, name: str) -> None:
    served.fake.faults.push(Fault(status=status))
    response = await served.post("/v1beta/models/gemini-2.0-flash:generateContent", request("x"))
    assert response.status == status
    assert (await response.json())["error"]["status"] == name


async def test_missing_contents(served: Served) -> None:
    response = await served.post("/v1beta/models/gemini-2.0-flash:generateContent", {})
    assert response.status == 400 and "contents" in (await response.json())["error"]["message"]
