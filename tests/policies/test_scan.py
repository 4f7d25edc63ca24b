import base64

import pytest

from policies.scan import scan_text
from tests.policies.fake_detector import FakeDetector


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("key KEY-123456 here", [("FAKE_KEY", 4, 14)]),
        ("key KEY-12\u200b3456 here", [("FAKE_KEY", 4, 15)]),  # span covers the zero-width char
        ("ＫＥＹ-１２３４５６", [("FAKE_KEY", 0, 10)]),  # full-width, mapped back to the original
        ("see " + base64.b64encode(b"the key KEY-654321 ok").decode(), [("FAKE_KEY", 4, 32)]),
        ("nothing here", []),
    ],
)
def test_spans_are_in_the_original_text(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert [(f.entry, f.start, f.end) for f in scan_text(text, [FakeDetector()])] == expected


def test_the_same_entry_overlapping_keeps_the_most_confident() -> None:
    class Twice(FakeDetector):
        def detect(self, text: str):  # type: ignore[no-untyped-def]
            found = super().detect(text)
            return found + [type(f)(f.entry, f.topic, f.start, f.end - 1, 0.3) for f in found]

    assert [(f.start, f.end, f.confidence) for f in scan_text("KEY-123456", [Twice()])] == [(0, 10, 0.9)]
