"""Scored cue matching shared by the intent detectors (jailbreak, PII and malware requests).

An intent is never one pattern: "ignore the typo" and "ignore all previous instructions" share a
verb, and "act as a tutor" and "act as an AI without filters" share a frame. So an intent
detector weighs *cues*: each cue is a regex with a weight, a corroboration group and the entry
it supports. Cues close to each other form a cluster; a cluster's confidence is its strongest
cue plus a bonus for every *other* group that agrees, minus counter-cues (defensive wording,
code context) found nearby. That gives the project's calibration: one weak cue stays low, a
strong cue or two weak ones reach medium, a strong cue with corroboration reaches high.

Cost: a cue set only runs when one of its literal needles occurs in the lowered text, and then
only in windows around those occurrences, so benign text pays a few ``in`` checks. Within a
window, all of a set's cues are first tried as one alternation (``CueSet.screen``), and each
cue runs only in the windows where that found something.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from policies.detectors.base import clamp
from policies.detectors.intent_text import Needle, TextView
from policies.finding import Finding, Topic

# Weights of a cue on its own; Level.of puts 0.5 at medium and 0.8 at high.
FRAME = 0.25  # ubiquitous in benign prompts ("act as", "from now on"); only corroborates
WEAK = 0.35  # suggestive alone, low
MODERATE = 0.45  # clear but ambiguous alone, still low
STRONG = 0.6  # medium alone
DECISIVE = 0.7  # medium alone, high with any corroboration

# What a corroborating group adds, by the weight of its best cue: a frame adds little because
# benign prompts are full of frames, a strong cue from another group adds the most.
_MAX_BONUS = 0.35
_MAX_PENALTY = 0.5
_LONGEST_CUE = 400  # no cue regex can match more characters than this


@dataclass(frozen=True, slots=True)
class Cue:
    """One weighted regex. A negative weight makes it a counter-cue."""

    entry: str
    group: str
    weight: float
    pattern: re.Pattern[str]

    @property
    def boost(self) -> float:
        """What this cue adds when it corroborates a stronger cue of another group."""
        return 0.1 if self.weight <= FRAME else 0.2


@dataclass(frozen=True, slots=True)
class CueSet:
    """Primary cues that only run where one of ``needles`` occurs.

    Without needles, the cues scan the whole text once; that is for cues that begin with a
    literal (``end of ...``, ``<!--``), which the regex engine finds as fast as ``str.find``.

    A needle that is one ASCII word is looked up in the word set (``ignore`` does not match
    ``gitignore``'s word, though it does open a window there); any other needle (``<|``,
    ``instruções``, ``忽略``) is a substring of the lowered text. Cues run in windows from
    ``before`` characters ahead of each needle occurrence to ``after`` characters past it (a
    cue whose needle is its verb extends forwards, one whose needle is its object backwards),
    so a cue regex never scans benign text far from its needle. ``cased`` cues run on the
    original text (for capitalised names or ``DAN``).
    """

    needles: tuple[str, ...]
    cues: tuple[Cue, ...]
    before: int = 120
    after: int = 120
    cased: bool = False
    by_word: dict[bytes, Needle] = field(init=False, repr=False)
    words: frozenset[bytes] = field(init=False, repr=False)
    substrings: tuple[Needle, ...] = field(init=False, repr=False)
    # Every cue as one alternation: it matches in a window exactly when some cue does. Most
    # windows hold none, and one scan costs about what one cue's scan does (the shared
    # leading "\b" is tested once per position), so a set of eight cues costs a third.
    screen: re.Pattern[str] | None = field(init=False, repr=False)

    def __post_init__(self) -> None:
        literals = [Needle.of(n) for n in self.needles]
        object.__setattr__(self, "by_word", {n.word: n for n in literals if n.word is not None})
        object.__setattr__(self, "words", frozenset(self.by_word))
        object.__setattr__(self, "substrings", tuple(n for n in literals if n.word is None))
        screen = None
        if len(self.cues) > 1:
            screen = re.compile("|".join(f"(?:{c.pattern.pattern})" for c in self.cues))
        object.__setattr__(self, "screen", screen)


@dataclass(frozen=True, slots=True)
class Hit:
    cue: Cue
    start: int
    end: int


def _windows(view: TextView, cue_set: CueSet) -> list[tuple[int, int]]:
    # Merged windows never add up to more than the text, so a needle that is everywhere
    # costs one pass per cue, not one per occurrence.
    if not cue_set.needles:
        return [(0, len(view.low))]
    # One set operation finds the needle words present, instead of a check per needle.
    if cue_set.words.isdisjoint(view.words):
        present = []
    else:
        present = [cue_set.by_word[word] for word in cue_set.words.intersection(view.words)]
    present.extend(needle for needle in cue_set.substrings if view.has(needle))
    if not present:
        return []
    stems = {needle.stem: needle for needle in present}
    starts = sorted(i for needle in stems.values() for i in view.positions(needle))
    return _merge((i - cue_set.before, i + cue_set.after) for i in starts)


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Union of ``spans`` (sorted by start), clipped at 0; the end may pass the text's end."""
    merged: list[tuple[int, int]] = []
    for lo, hi in spans:
        lo = max(lo, 0)
        if merged and lo <= merged[-1][1]:
            if hi > merged[-1][1]:
                merged[-1] = (merged[-1][0], hi)
        else:
            merged.append((lo, hi))
    return merged


def _run(cues: Iterable[Cue], source: str, spans: list[tuple[int, int]], hits: list[Hit]) -> None:
    for cue in cues:
        for lo, hi in spans:
            hits.extend(Hit(cue, m.start(), m.end()) for m in cue.pattern.finditer(source, lo, hi))


def find_hits(view: TextView, primary: Sequence[CueSet], support: Sequence[Cue] = (), link: int = 240) -> list[Hit]:
    """Cue matches in the viewed text.

    ``support`` cues (frames, verbatim, counter-cues...) cannot make a finding by themselves,
    so they only run within ``link`` characters of a primary hit: benign text never pays them.
    """
    hits: list[Hit] = []
    for cue_set in primary:
        spans = _windows(view, cue_set)
        source = view.text if cue_set.cased else view.low
        if spans and cue_set.screen is not None:
            spans = [(lo, hi) for lo, hi in spans if cue_set.screen.search(source, lo, hi)]
        if spans:
            _run(cue_set.cues, source, spans, hits)
    if hits and support:
        near_hits = _merge((h.start - link, h.end + link) for h in sorted(hits, key=lambda h: h.start))
        _run(support, view.low, near_hits, hits)
    return hits


def _clusters(hits: list[Hit], link: int) -> list[list[Hit]]:
    clusters: list[list[Hit]] = []
    end = -1
    for hit in sorted(hits, key=lambda h: h.start):
        if clusters and hit.start <= end + link:
            clusters[-1].append(hit)
            end = max(end, hit.end)
        else:
            clusters.append([hit])
            end = hit.end
    return clusters


def _bonus(cluster: list[Hit], top_group: str) -> float:
    boosts: dict[str, float] = {}
    for hit in cluster:
        if hit.cue.group != top_group:
            boosts[hit.cue.group] = max(boosts.get(hit.cue.group, 0.0), hit.cue.boost)
    return min(_MAX_BONUS, sum(boosts.values()))


def _penalty(negatives: list[Hit], starts: list[int], lo: int, hi: int, reach: int) -> float:
    """The counter-cues near ``lo..hi``; ``negatives`` is sorted by start, ``starts`` its starts."""
    worst: dict[str, float] = {}
    # Counter-cues are short, so one starting more than ``_LONGEST_CUE`` before the range ends before it.
    first = bisect.bisect_left(starts, lo - reach - _LONGEST_CUE)
    for hit in negatives[first : bisect.bisect_right(starts, hi + reach)]:
        if hit.end >= lo - reach:
            worst[hit.cue.group] = max(worst.get(hit.cue.group, 0.0), -hit.cue.weight)
    return min(_MAX_PENALTY, sum(worst.values()))


def score(hits: Sequence[Hit], topic: Topic, link: int = 240, reach: int = 120) -> list[Finding]:
    """Turn cue hits into findings: one per entry per cluster of nearby positive hits.

    Every group in the cluster corroborates every entry in it (an override phrase followed by
    a persona makes both the injection and the jailbreak more certain). The span of a finding
    covers that entry's own cues.
    """
    positives = [h for h in hits if h.cue.weight > 0]
    negatives = sorted((h for h in hits if h.cue.weight < 0), key=lambda h: h.start)
    starts = [h.start for h in negatives]
    findings: list[Finding] = []
    for cluster in _clusters(positives, link):
        lo, hi = cluster[0].start, max(h.end for h in cluster)
        penalty = _penalty(negatives, starts, lo, hi, reach)
        entries = dict.fromkeys(h.cue.entry for h in cluster)
        for entry in entries:
            own = [h for h in cluster if h.cue.entry == entry]
            top = max(own, key=lambda h: h.cue.weight)
            confidence = clamp(top.cue.weight + _bonus(cluster, top.cue.group) - penalty)
            start, end = min(h.start for h in own), max(h.end for h in own)
            findings.append(Finding(entry, topic, start, end, round(confidence, 3)))
    return findings


@dataclass(frozen=True, slots=True)
class Family:
    """The cues of one intent topic. Cues of different families never corroborate each other."""

    topic: Topic
    entries: tuple[str, ...]
    cue_sets: tuple[CueSet, ...]
    support: tuple[Cue, ...] = ()
    # The union of every cue set's needles: one check rules the whole family out on most
    # benign text, instead of one check per cue set (measured: ~30 µs a short prompt).
    gate_words: frozenset[str] = field(init=False, default=frozenset())
    gate_substrings: tuple[Needle, ...] = field(init=False, default=())
    ungated: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "gate_words", frozenset().union(*(s.words for s in self.cue_sets)))
        unique = {n.text: n for s in self.cue_sets for n in s.substrings}
        object.__setattr__(self, "gate_substrings", tuple(unique.values()))
        object.__setattr__(self, "ungated", any(not s.needles for s in self.cue_sets))

    def may_match(self, view: TextView) -> bool:
        return (
            self.ungated
            or not self.gate_words.isdisjoint(view.words)
            or any(view.has(needle) for needle in self.gate_substrings)
        )


def inspect(view: TextView, family: Family) -> list[Finding]:
    if not family.may_match(view):
        return []
    return score(find_hits(view, family.cue_sets, family.support), family.topic)


def cue(entry: str, group: str, weight: float, regex: str) -> Cue:
    return Cue(entry, group, weight, re.compile(regex))


def cues_for(entry: str) -> Callable[[str, float, str], Cue]:
    """A ``cue`` maker bound to one entry, for a module that defines that entry's cues."""

    def make(group: str, weight: float, regex: str) -> Cue:
        return cue(entry, group, weight, regex)

    return make


def wordlist(text: str) -> tuple[str, ...]:
    """Needle words from one space-separated string, so long lists stay short on the page."""
    return tuple(text.split())


def forms(stem: str, *endings: str) -> tuple[str, ...]:
    """Needle words for the inflections of ``stem``: ``forms("ignor", "e", "ing")``."""
    return tuple(stem + ending for ending in endings)


def gap(n: int) -> str:
    """Up to ``n`` characters of the same sentence, as few as possible (a bounded, lazy gap)."""
    return f"[^.!?\\n]{{0,{n}}}?"


def words(*alternatives: str) -> str:
    """A non-capturing alternation, for building cue regexes from word lists.

    Where every alternative opens with a plain letter or digit, they are grouped by it, in
    their order ("address", "age", "phone" become ``(?:a(?:ddress|ge)|phone)``). The regex
    engine turns an alternative away on its first literal with one comparison but steps
    into any other (an optional group, a nested alternation), so at each word start a cue
    then costs a comparison per letter. Matches are unchanged: alternatives that start with
    different characters never compete for the same position, and the order among those
    that do is kept. Letters that differ only in case are not grouped apart, since under
    ``(?i:...)`` they would compete.
    """
    groups: dict[str, list[str]] = {}
    for alternative in alternatives:
        first, second = alternative[:1], alternative[1:2]
        plain = first.isascii() and first.isalnum() and second not in ("?", "*", "+", "{")
        if not plain or _has_top_level_bar(alternative):
            return "(?:" + "|".join(alternatives) + ")"
        groups.setdefault(first, []).append(alternative[1:])
    if len({first.lower() for first in groups}) < len(groups):
        return "(?:" + "|".join(alternatives) + ")"
    branches = [first + (rest[0] if len(rest) == 1 else "(?:" + "|".join(rest) + ")") for first, rest in groups.items()]
    return "(?:" + "|".join(branches) + ")"


def prefixed(qualifiers: str, *cores: str) -> tuple[str, ...]:
    """``(?:q1 |q2 )?(?:core1|core2)`` as alternatives for ``words``, in the order the regex
    engine tries them: each qualifier with the cores, then the bare cores."""
    core = cores[0] if len(cores) == 1 else "(?:" + "|".join(cores) + ")"
    return (*(f"{qualifier} {core}" for qualifier in qualifiers.split()), *cores)


def _has_top_level_bar(regex: str) -> bool:
    """Whether ``regex`` is itself an alternation ("a|b"), which a prefix would split."""
    depth, i = 0, 0
    in_class = False
    while i < len(regex):
        char = regex[i]
        if char == "\\":
            i += 1  # the escaped character
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if regex[i + 1 : i + 2] == "^":
                i += 1
            if regex[i + 1 : i + 2] == "]":
                i += 1  # a leading "]" is a member
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
        i += 1
    return False
