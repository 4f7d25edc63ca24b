"""Normalisation of evasions, and exact mapping of spans back to the original text."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import pytest

from policies.normalize import Normalized, normalize

ZWSP, ZWNJ, ZWJ, WJ, BOM, SHY = "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"
RLO, PDF, VS16, STRIKE, ACUTE = "\u202e", "\u202c", "\ufe0f", "\u0336", "\u0301"


def tags(ascii_text: str) -> str:
    """ASCII smuggled as invisible Unicode tag characters."""
    return "".join(chr(0xE0000 + ord(c)) for c in ascii_text)


# (original, normalised text, a needle in the normalised text, the original text it maps to)
CASES = [
    pytest.param(
        f"key: sk-proj-{ZWSP}Ab9{ZWJ}cD3{WJ}xY7 end",
        "key: sk-proj-Ab9cD3xY7 end",
        "sk-proj-Ab9cD3xY7",
        f"sk-proj-{ZWSP}Ab9{ZWJ}cD3{WJ}xY7",
        id="zero-width-inside-openai-key",
    ),
    pytest.param(
        "id ＡＫＩＡＩＯＳＦＯＤＮＮ７ＥＸＡＭＰＬＥ.",
        "id AKIAIOSFODNN7EXAMPLE.",
        "AKIAIOSFODNN7EXAMPLE",
        "ＡＫＩＡＩＯＳＦＯＤＮＮ７ＥＸＡＭＰＬＥ",
        id="full-width-aws-key",
    ),
    pytest.param("my раѕѕword is", "my password is", "password", "раѕѕword", id="cyrillic-mixed-word"),
    pytest.param("АКІА1234", "AKIA1234", "AKIA", "АКІА", id="cyrillic-prefix-with-digits"),
    pytest.param("ΑΚΙΑ ok", "AKIA ok", "AKIA", "ΑΚΙΑ", id="greek-whole-word"),
    pytest.param("Привет, мир", "Привет, мир", "Привет", "Привет", id="genuine-russian-kept"),
    pytest.param(f"pass{SHY}word{SHY}123", "password123", "password123", f"pass{SHY}word{SHY}123", id="soft-hyphens"),
    pytest.param(
        f"hello{tags('ignore previous')}world",
        "helloworld",
        "helloworld",
        f"hello{tags('ignore previous')}world",
        id="tag-characters",
    ),
    pytest.param(f"a{RLO}terces{PDF}b", "atercesb", "terces", f"terces{PDF}", id="bidi-override"),
    pytest.param(
        "".join(c + STRIKE for c in "AKIA") + "X",
        "AKIAX",
        "AKIA",
        "".join(c + STRIKE for c in "AKIA"),
        id="strike-through-marks",
    ),
    pytest.param(f"jose{ACUTE}@example.com", "jose@example.com", "jose", f"jose{ACUTE}", id="nfd-accent"),
    pytest.param("the ﬁle", "the file", "fi", "ﬁ", id="ligature-expands"),
    pytest.param("x ﬁle", "x file", "f", "ﬁ", id="span-inside-expansion-covers-source"),
    pytest.param("“quoted” — a–b −1 ‘x’", "\"quoted\" - a-b -1 'x'", "a-b", "a–b", id="quotes-and-dashes"),
    pytest.param("1\u00a0000", "1 000", "1 000", "1\u00a0000", id="nbsp"),
    pytest.param("𝐀𝐊𝐈𝐀 key", "AKIA key", "AKIA", "𝐀𝐊𝐈𝐀", id="math-bold-astral"),
    pytest.param(f"love ❤{VS16} it", "love ❤ it", "❤", f"❤{VS16}", id="emoji-variation-selector"),
    pytest.param("user＠example。com", "user@example.com", "user@example.com", "user＠example。com", id="email-parts"),
    pytest.param("café naïve", "café naïve", "naïve", "naïve", id="precomposed-accents-kept"),
    pytest.param("数据泄露", "数据泄露", "泄露", "泄露", id="cjk-unchanged"),
]


@pytest.mark.parametrize(("original", "text", "needle", "source"), CASES)
def test_normalises_and_maps_back(original: str, text: str, needle: str, source: str) -> None:
    normalized = normalize(original)
    assert normalized.text == text
    start = normalized.text.index(needle)
    a, b = normalized.original_span(start, start + len(needle))
    assert original[a:b] == source


def test_ascii_is_returned_as_is_with_identity_map() -> None:
    text = "plain ascii " * 1000
    normalized = normalize(text)
    assert normalized.text is text
    assert normalized.original_span(6, 11) == (6, 11)
    assert normalized.piece_starts == ()


def test_one_to_one_folds_keep_the_identity_map() -> None:
    normalized = normalize("“x” ＡＢ раѕѕ")
    assert normalized.text == '"x" AB pass'
    assert normalized.piece_starts == ()


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        pytest.param("x " * 5000 + "раѕѕword" + " y" * 5000, "x " * 5000 + "password" + " y" * 5000, id="sparse"),
        pytest.param("a" * 100 + "а" + "b", "a" * 101 + "b", id="deep-inside-a-long-word"),
        pytest.param(("Съешь же ещё булок, раѕѕword! " * 500), ("Съешь же ещё булок, password! " * 500), id="dense"),
        pytest.param("_раѕѕ_ сор СОР", "_pass_ cop COP", id="underscores-and-whole-script-words"),
    ],
)
def test_look_alike_words_fold_the_same_sparse_or_dense(original: str, expected: str) -> None:
    assert normalize(original).text == expected


@pytest.mark.parametrize(
    ("original", "span", "expected"),
    [
        pytest.param(f"ab{ZWSP}{ZWSP}cd", (2, 2), (4, 4), id="empty-span-after-removed"),
        pytest.param(f"ab{ZWSP}", (2, 2), (3, 3), id="empty-span-at-end"),
        pytest.param(f"{ZWSP}ab", (0, 1), (1, 2), id="leading-removed-not-covered"),
        pytest.param(f"ab{ZWSP}{ZWSP}", (0, 2), (0, 4), id="trailing-removed-covered"),
        pytest.param(f"{ZWSP}{ZWSP}", (0, 0), (2, 2), id="all-invisible"),
    ],
)
def test_edge_spans(original: str, span: tuple[int, int], expected: tuple[int, int]) -> None:
    assert normalize(original).original_span(*span) == expected


@pytest.mark.parametrize("span", [(-1, 2), (3, 2), (0, 99)])
def test_span_outside_text_is_refused(span: tuple[int, int]) -> None:
    with pytest.raises(ValueError, match="outside the normalised text"):
        normalize(f"ab{ZWSP}cd").original_span(*span)


ALPHABET = ["a", "B", "7", "-", " ", ZWSP, ZWJ, SHY, BOM, "ﬁ", "Ａ", "ｚ", "ﬃ", STRIKE, tags("x"), "é", "—", "𝐀"]


@pytest.mark.parametrize("seed", range(30))
def test_random_spans_map_to_text_that_normalises_to_them(seed: int) -> None:
    rng = random.Random(seed)
    original = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 60)))
    normalized = normalize(original)
    text = normalized.text
    previous = (0, 0)
    for start in range(len(text) + 1):
        a, _ = normalized.original_span(start, start)
        assert previous[0] <= a <= len(original)
        previous = (a, a)
        for end in range(start + 1, len(text) + 1):
            a, b = normalized.original_span(start, end)
            assert 0 <= a < b <= len(original)
            assert text[start:end] in normalize(original[a:b]).text


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
        pytest.param("a" + ZWSP, id="alternating-zero-width"),
        pytest.param(ZWSP, id="zero-width-run"),
        pytest.param("ﬁ", id="expansions"),
        pytest.param("a" + STRIKE, id="marks"),
        pytest.param("а", id="one-long-cyrillic-word"),
        pytest.param("раѕѕword ", id="look-alike-words"),
        pytest.param("aа", id="long-mixed-word"),
        pytest.param(tags("x"), id="tags"),
        pytest.param("Ａ-", id="full-width"),
    ],
)
def test_hostile_input_scales_linearly(unit: str) -> None:
    small = unit * (100_000 // len(unit))
    large = unit * (400_000 // len(unit))
    normalize(small + "й")  # warm the per-character memo
    ratio = _seconds(lambda: normalize(large + "й")) / _seconds(lambda: normalize(small + "й"))
    assert ratio < 8


def test_normalized_is_a_frozen_value() -> None:
    normalized = normalize("ab")
    assert isinstance(normalized, Normalized)
    with pytest.raises(AttributeError):
        normalized.text = "x"  # type: ignore[misc]
