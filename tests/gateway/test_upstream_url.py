import pytest

from gateway.upstream_url import UnsafePath, build_upstream_url

BASE = "https://api.openai.com/v1"


@pytest.mark.parametrize(
    ("tail", "query", "expected"),
    [
        ("chat/completions", "", "https://api.openai.com/v1/chat/completions"),
        ("models/gpt-4o", "", "https://api.openai.com/v1/models/gpt-4o"),
        ("", "", "https://api.openai.com/v1"),
        ("files/abc%20def", "limit=2&after=x", "https://api.openai.com/v1/files/abc%20def?limit=2&after=x"),
        (
            "models/gemini-pro:generateContent",
            "alt=sse",
            "https://api.openai.com/v1/models/gemini-pro:generateContent?alt=sse",
        ),
    ],
)
def test_paths_under_the_base(tail: str, query: str, expected: str) -> None:
    assert str(build_upstream_url(BASE, tail, query)) == expected


@pytest.mark.parametrize(
    "tail",
    [
        "../admin",
        "chat/../../admin",
        "%2e%2e/admin",
        "%2E%2E/admin",
        ".%2e/admin",
        "%252e%252e/admin",
        "a/%2f/b",
        "a%2fb",
        "a%5cb",
        "a\\b",
        "/evil.com/x",
        "//evil.com/x",
        "chat//completions",
        "http://evil.com/x",
        "https:%2f%2fevil.com",
        ".",
        "a/./b",
        "a b",
        "a\x00b",
        "a%00",
        "caf\u00e9",
        "x#frag",
        "x?y",
    ],
)
def test_escapes_are_refused(tail: str) -> None:
    with pytest.raises(UnsafePath):
        build_upstream_url(BASE, tail, "")


@pytest.mark.parametrize("query", ["a=1#frag", "a=<script>", "a= b", "a=\r\nHost: x"])
def test_bad_queries_are_refused(query: str) -> None:
    with pytest.raises(UnsafePath):
        build_upstream_url(BASE, "chat/completions", query)


def test_azure_resource_is_a_dns_label_under_the_configured_domain() -> None:
    base = "https://{resource}.openai.azure.com/openai"
    url = build_upstream_url(base, "myres/deployments/gpt4/chat/completions", "api-version=2024-06-01")
    assert str(url) == "https://myres.openai.azure.com/openai/deployments/gpt4/chat/completions?api-version=2024-06-01"
    for resource in ["evil.com%2f", "a.b", "evil.com#", "-x", "UPPER", "x@evil.com", ""]:
        with pytest.raises(UnsafePath):
            build_upstream_url(base, f"{resource}/deployments/x", "")
