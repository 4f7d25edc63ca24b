"""Hidden payloads: base64, base64url, percent-encoding, escapes and hex, with spans."""

from __future__ import annotations

import base64
import random
import time
from collections.abc import Callable
from urllib.parse import quote

import pytest

from policies.decode import DecodedView, decoded_views, smuggled_views

SECRET = "sk-proj-T3BlbkFJx9Qw7ZpL2mN8vR4s"
B64 = base64.b64encode(SECRET.encode()).decode()
B64_PADDED = base64.b64encode(b"password=hunter22").decode()  # ends with "="
B64URL = base64.urlsafe_b64encode("clé secrète: ~~~>>>???".encode()).decode().rstrip("=")
HEX = SECRET.encode().hex()
RANDOM = random.Random(7)
PERCENT_ALL = "".join(f"%{b:02X}" for b in SECRET.encode())


def views(text: str) -> list[tuple[str, str, str]]:
    """(encoded source, decoded text, kind) of each view."""
    return [(text[v.start : v.end], v.text, v.kind) for v in decoded_views(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(f"token: {B64} thanks", [(B64, SECRET, "base64")], id="base64"),
        pytest.param(f'"{B64_PADDED}"', [(B64_PADDED, "password=hunter22", "base64")], id="base64-padded"),
        pytest.param(f"x={B64URL}", [(B64URL, "clé secrète: ~~~>>>???", "base64")], id="base64url-unpadded"),
        pytest.param(
            "Authorization: Basic dXNlcjpzM2NyM3RQYXNzIQ==",
            [("dXNlcjpzM2NyM3RQYXNzIQ==", "user:s3cr3tPass!", "base64")],
            id="basic-auth",
        ),
        pytest.param(f"see {PERCENT_ALL}.", [(PERCENT_ALL + ".", SECRET + ".", "percent")], id="percent-all"),
        pytest.param(
            "key sk-pr%6Fj-T3Blbk%46Jx9 end",
            [("sk-pr%6Fj-T3Blbk%46Jx9", "sk-proj-T3BlbkFJx9", "percent")],
            id="percent-word",
        ),
        pytest.param(
            "https://x.test/cb?token=abc%2Fdef%3D%3D&u=1",
            [("https://x.test/cb?token=abc%2Fdef%3D%3D&u=1", "https://x.test/cb?token=abc/def==&u=1", "percent")],
            id="percent-url",
        ),
        pytest.param(
            r"s = '\u0073\u006b-proj-abc'",
            [(r"\u0073\u006b-proj-abc", "sk-proj-abc", "escape")],
            id="unicode-escapes",
        ),
        pytest.param(
            r"b'\x70\x61\x73\x73\x77\x6f\x72\x64'",
            [(r"\x70\x61\x73\x73\x77\x6f\x72\x64", "password", "escape")],
            id="hex-escapes",
        ),
        pytest.param(
            r"na\xc3\xafve_caf\xc3\xa9!", [(r"na\xc3\xafve_caf\xc3\xa9!", "naïve_café!", "escape")], id="utf8-bytes"
        ),
        pytest.param(f"dump {HEX}\n", [(HEX, SECRET, "hex")], id="hex"),
        pytest.param(
            f"GET https://x.test/v1/{B64URL}/info",
            [(B64URL, "clé secrète: ~~~>>>???", "base64")],
            id="url-path-segment",
        ),
        pytest.param(
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZUBleGFtcGxlLmNvbSJ9.c2ln",
            [
                ("eyJhbGciOiJIUzI1NiJ9", '{"alg":"HS256"}', "base64"),
                ("eyJzdWIiOiJhbGljZUBleGFtcGxlLmNvbSJ9", '{"sub":"alice@example.com"}', "base64"),
            ],
            id="jwt-parts",
        ),
    ],
)
def test_decodes_hidden_text(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert views(text) == expected


def test_base64_inside_percent_encoding_maps_to_the_outer_span() -> None:
    hidden = "".join(f"%{b:02x}" for b in B64.encode())
    text = f"q={hidden}&x=1"
    found = decoded_views(text)
    start = text.index("q=")
    assert [(v.start, v.end, v.text) for v in found] == [
        (start, len(text), f"q={B64}&x=1"),
        (start, len(text), SECRET),
    ]


def test_depth_is_bounded() -> None:
    twice = base64.b64encode(B64.encode()).decode()
    thrice = base64.b64encode(twice.encode()).decode()
    assert [v.text for v in decoded_views(twice)] == [B64, SECRET]
    assert [v.text for v in decoded_views(thrice)] == [twice, B64]
    assert [v.text for v in decoded_views(twice, max_depth=1)] == [B64]


def test_budget_caps_decoded_bytes() -> None:
    text = " ".join([B64] * 10)
    assert len(decoded_views(text)) == 10
    assert 1 <= len(decoded_views(text, max_bytes=len(SECRET) * 6)) <= 6  # probes of decoded text count too
    assert decoded_views(text, max_bytes=0) == []


def test_a_long_run_past_the_budget_yields_a_prefix() -> None:
    long_text = ("The quick brown fox. " * 200).encode()
    found = decoded_views(base64.b64encode(long_text).decode(), max_bytes=1000)
    assert len(found) == 1
    assert long_text.decode().startswith(found[0].text)
    assert 500 <= len(found[0].text) <= 1000


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("id 123e4567-e89b-12d3-a456-426614174000", id="uuid"),
        pytest.param("commit da39a3ee5e6b4b0d3255bfef95601890afd80709", id="git-sha"),
        pytest.param("sha256 " + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", id="sha256"),
        pytest.param("document.getElementsByTagName(x); internationalization", id="long-identifiers"),
        pytest.param("/usr/local/lib/python3.11/site-packages/requests", id="unix-path"),
        pytest.param(f"data:image/png;base64,{base64.b64encode(RANDOM.randbytes(300)).decode()}", id="binary-image"),
        pytest.param(f"key={base64.b64encode(RANDOM.randbytes(32)).decode()}", id="random-key-bytes"),
        pytest.param("AKIAIOSFODNN7EXAMPLE and ghp_16C7e42F292c6912E7710c838347Ae178B4a", id="plain-tokens"),
        pytest.param("100%25 sure, 5%20", id="short-percent"),
        pytest.param("50% off, 100% sure", id="percent-sign-prose"),
        pytest.param(r"C:\x\u", id="broken-escapes"),
        pytest.param("1234567890123456789012345678901234567890", id="digits"),
        pytest.param("abcdefabcdefabcdef0123456789", id="hex-word-nonprintable"),
        pytest.param("", id="empty"),
    ],
)
def test_hard_negatives_yield_nothing(text: str) -> None:
    assert decoded_views(text) == []


def test_non_ascii_text_keeps_offsets() -> None:
    text = f"ключ: «{B64}» ✓"
    [view] = decoded_views(text)
    assert text[view.start : view.end] == B64
    assert view.text == SECRET


def _tags(text: str) -> str:
    return "".join(chr(0xE0000 + ord(c)) for c in text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(f"hi {_tags(SECRET)} there", [(3, 3 + len(SECRET), SECRET)], id="tag-run"),
        pytest.param(f"é{_tags('abc')}—{_tags('one two')}", [(5, 12, "one two")], id="short-runs-skipped"),
        pytest.param(f"emoji 😀 and \U0001d400 {_tags('x')}", [], id="astral-but-no-run"),
        pytest.param("plain ascii", [], id="ascii"),
        pytest.param("naïve café — résumé", [], id="bmp-only"),
    ],
)
def test_smuggled_views_read_tag_characters(text: str, expected: list[tuple[int, int, str]]) -> None:
    assert [(v.start, v.end, v.text) for v in smuggled_views(text)] == expected
    assert all(v.kind == "tags" for v in smuggled_views(text))


def test_smuggled_views_are_bounded() -> None:
    text = " ".join([_tags(SECRET)] * 4)
    assert [v.text for v in smuggled_views(text, max_bytes=len(SECRET) + 5)] == [SECRET, SECRET[:5]]


def test_view_is_frozen() -> None:
    view = DecodedView(0, 1, "x", "base64")
    with pytest.raises(AttributeError):
        view.text = "y"  # type: ignore[misc]


def _seconds(f: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(3):
        began = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - began)
    return best


@pytest.mark.parametrize(
    "unit",
    [
        pytest.param("a", id="a"),
        pytest.param("7", id="digits"),
        pytest.param("-", id="dashes"),
        pytest.param("=", id="equals"),
        pytest.param("%", id="percent-signs"),
        pytest.param("%41", id="percent-run"),
        pytest.param("%41 ", id="short-percent-runs"),
        pytest.param("x%4", id="broken-percent"),
        pytest.param("\\u0041", id="escape-run"),
        pytest.param("\\u00", id="broken-escapes"),
        pytest.param("abcdefghijklmnopqrst ", id="identifier-words"),
        pytest.param(B64 + " ", id="real-base64-many"),
        pytest.param("[{(", id="brackets"),
        pytest.param("/abcdefghijklmnopq", id="path-segments"),
        pytest.param("ff", id="hex"),
        pytest.param(quote(B64) + " ", id="percent-of-base64"),
    ],
)
def test_hostile_input_scales_linearly(unit: str) -> None:
    small = unit * (250_000 // len(unit))
    large = unit * (1_000_000 // len(unit))
    ratio = _seconds(lambda: decoded_views(large)) / _seconds(lambda: decoded_views(small))
    assert ratio < 8
