"""The cue-scoring engine: calibration of levels, corroboration, counter-cues, spans, gating."""

from __future__ import annotations

import random
import re

import pytest

from policies.detectors.intent_scoring import (
    FRAME,
    STRONG,
    WEAK,
    CueSet,
    Family,
    cue,
    find_hits,
    inspect,
    prefixed,
    words,
)
from policies.detectors.intent_text import TextView
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


@pytest.mark.parametrize(
    ("alternatives", "grouped"),
    [
        (("address", "age", "phone"), "(?:a(?:ddress|ge)|phone)"),
        (("ex", "ex-wife"), "(?:e(?:x|x-wife))"),
        (("(?:home )?address", "age"), "(?:(?:home )?address|age)"),  # not led by a letter: as given
        (("a?b", "ac"), "(?:a?b|ac)"),  # the first letter is quantified
        (("ab|cd", "ax"), "(?:ab|cd|ax)"),  # an alternative that is itself an alternation
        (("SSN", "ssn"), "(?:SSN|ssn)"),  # would compete under (?i:...)
    ],
)
def test_words_groups_alternatives_by_first_letter(alternatives: tuple[str, ...], grouped: str) -> None:
    assert words(*alternatives) == grouped


def test_grouped_words_match_exactly_what_the_plain_alternation_matches() -> None:
    rng = random.Random(5)
    alternatives = (*prefixed("home street", "address(?:es)?"), *prefixed("cell", "phone(?: ?numbers?)?"), "ex",
                    "ex-wife", "e-?mail", "age", "a")  # fmt: skip
    plain = re.compile(r"\b(?:" + "|".join(alternatives) + r")\s(?:of|for)\b")
    grouped = re.compile(r"\b" + words(*alternatives) + r"\s(?:of|for)\b")
    assert grouped.pattern != plain.pattern
    vocabulary = ["home", "street", "address", "addresses", "cell", "phone", "numbers", "ex", "ex-wife", "email",
                  "e-mail", "age", "a", "of", "for", "x"]  # fmt: skip
    for _ in range(500):
        text = " ".join(rng.choice(vocabulary) for _ in range(12))
        assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_prefixed_spells_out_an_optional_qualifier_in_the_order_tried() -> None:
    assert prefixed("home work", "phone", "cell") == ("home (?:phone|cell)", "work (?:phone|cell)", "phone", "cell")


def test_screen_finds_a_window_exactly_when_some_cue_matches() -> None:
    cue_set = CueSet(
        needles=("zeta",),
        cues=(cue("TEST", "x", STRONG, r"\bgamma\b"), cue("TEST", "y", WEAK, r"\bdelta\s(?:zeta|eta)")),
    )
    assert cue_set.screen is not None
    for text in ("zeta gamma", "zeta delta eta", "zeta gammas", "zeta", "delta zeta"):
        hits = find_hits(TextView.of(text), [cue_set])
        assert bool(hits) == bool(cue_set.screen.search(text)), text
    assert CueSet(needles=(), cues=(cue("TEST", "x", STRONG, r"gamma"),)).screen is None
