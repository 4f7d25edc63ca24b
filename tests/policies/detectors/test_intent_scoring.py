"""The cue-scoring engine: calibration of levels, corroboration, counter-cues, spans, gating."""

from __future__ import annotations

import pytest

from policies.detectors.intent_scoring import (
    FRAME,
    STRONG,
    WEAK,
    CueSet,
    Family,
    Needle,
    TextView,
    cue,
    find_hits,
    inspect,
    lowered,
)
from policies.finding import Level

_FAMILY = Family(
    topic="intent_jailbreak",
    entries=("TEST",),
    cue_sets=(
        CueSet(
            needles=("alpha", "beta", "gamma", "delta"),
            cues=(
                cue("TEST", "a", WEAK, r"\balpha\b"),
                cue("TEST", "b", WEAK, r"\bbeta\b"),
                cue("TEST", "g", STRONG, r"\bgamma\b"),
            ),
        ),
    ),
    support=(cue("TEST", "frame", FRAME, r"\bomega\b"), cue("TEST", "neg", -0.3, r"\bdelta\b")),
)


def _levels(text: str) -> list[Level]:
    return [f.level for f in inspect(TextView.of(text), _FAMILY)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("alpha", [Level.LOW]),  # one weak cue
        ("alpha beta", [Level.MEDIUM]),  # two weak cues of different groups
        ("alpha alpha", [Level.LOW]),  # the same group twice is still one cue
        ("gamma", [Level.MEDIUM]),  # one strong cue
        ("gamma beta", [Level.HIGH]),  # strong and corroborated
        ("gamma omega", [Level.MEDIUM]),  # a frame corroborates only a little
        ("omega", []),  # support cues never make a finding alone
        ("gamma delta", [Level.LOW]),  # a counter-cue nearby
        ("gamma " + "x " * 400 + "delta", [Level.MEDIUM]),  # a counter-cue far away does not count
        ("nothing to see", []),
    ],
)
def test_levels_follow_the_calibration(text: str, expected: list[Level]) -> None:
    assert _levels(text) == expected


def test_distant_cues_make_separate_findings_with_their_own_spans() -> None:
    text = "gamma" + " filler" * 100 + " alpha beta"
    findings = inspect(TextView.of(text), _FAMILY)
    assert [(text[f.start : f.end], f.level) for f in findings] == [
        ("gamma", Level.MEDIUM),
        ("alpha beta", Level.MEDIUM),
    ]


def test_span_covers_the_cues_not_the_prompt() -> None:
    text = "Some long preamble about the weather. gamma and beta. More unrelated text after it."
    (finding,) = inspect(TextView.of(text), _FAMILY)
    assert text[finding.start : finding.end] == "gamma and beta"


def test_cues_only_run_where_a_needle_is() -> None:
    gated = CueSet(needles=("zeta",), cues=(cue("TEST", "x", STRONG, r"gamma"),))
    assert find_hits(TextView.of("gamma"), [gated]) == []
    assert len(find_hits(TextView.of("gamma zeta"), [gated])) == 1


def test_a_set_without_needles_scans_the_whole_text() -> None:
    anchored = CueSet(needles=(), cues=(cue("TEST", "x", STRONG, r"gamma"),))
    assert len(find_hits(TextView.of("x " * 500 + "gamma"), [anchored])) == 1


def test_word_needles_match_whole_words_and_open_windows_at_word_starts() -> None:
    view = TextView.of("Open Windows and run dos2unix; DOS is old.")
    needle = Needle.of("dos")
    assert view.has(needle)
    # Windows open where a word starts with the stem ("dos2unix", "DOS"), not inside "Windows".
    assert view.positions(needle) == [21, 31]
    assert not TextView.of("endpoint").has(Needle.of("end"))


def test_inflections_share_one_stem() -> None:
    assert {Needle.of(w).stem for w in ("ignore", "ignored", "ignores", "ignoring")} == {"ignor"}
    assert Needle.of("addresses").stem == Needle.of("address").stem


def test_lowered_keeps_offsets_aligned() -> None:
    text = "İGNORE all previous instructions"  # "İ".lower() is two characters
    assert len(lowered(text)) == len(text)
    assert lowered(text).endswith("gnore all previous instructions")
