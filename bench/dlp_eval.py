"""DLP detector evaluation: accuracy on the labelled corpus, and speed on one core.

    python -m bench.dlp_eval                      # everything, threshold MEDIUM
    python -m bench.dlp_eval --limit 600 --skip-speed
    python -m bench.dlp_eval --threshold high --json > dlp.json

Every case of ``bench.dlp_corpus`` goes through ``policies.scan.scan_text`` with
``policies.default_detectors()``. A case counts a detection of entry E when some finding for
E has ``level >= threshold``. Per case and entry: TP (expected and found), FN (expected, not
found), FP (found, not expected). Topics are scored the same way per case.

Overlap tolerance: a finding that restates an expected one is not a false positive. On a case
expecting a credential, GENERIC_SECRET and PASSWORD_ASSIGNMENT are tolerated; URL_CREDENTIALS
on a CONNECTION_STRING; BANK_ACCOUNT on an IBAN; PERSON_NAME on a POSTAL_ADDRESS (street
names); any intent_jailbreak entry on a case expecting another; OBFUSCATED_PAYLOAD on the
evasion slice. A tolerated finding is no TP for its own entry, but it does find its topic: the
three intent_jailbreak entries overlap in real prompts, so the jailbreak target is judged per
topic, and the evasion slice counts an attack as caught by any entry of that topic.

The benign set (``Case.benign``) is the everyday work that must pass: a benign case is a false
positive when any finding at the threshold is neither expected (code pastes expect
SOURCE_CODE) nor tolerated. Test card numbers in payment docs are benign, so at
``--threshold low`` a detector that reports them low counts them here, by design.

Speed: p50/p99 of scanning a realistic 4 KB prompt (500 runs), throughput on ~10 MB of mixed
prose and code (one scan), and pathological inputs each in a child process with a time limit;
the process is pinned to one CPU. This script prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TextIO

if __package__ in (None, ""):  # run as ``python bench/dlp_eval.py``: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.dlp_corpus import DEFAULT_SEED, Case, build_corpus, sample
from bench.dlp_corpus_base import ENTRY_TOPIC, STRUCTURED_ENTRIES
from bench.dlp_eval_speed import latency_4k, pathological_times, pin_one_cpu, throughput
from policies import default_detectors
from policies.detectors.base import Detector
from policies.finding import Finding, Level
from policies.scan import scan_text

GENERIC_CREDENTIALS = frozenset({"GENERIC_SECRET", "PASSWORD_ASSIGNMENT"})
INTENT_JAILBREAK = frozenset(e for e, t in ENTRY_TOPIC.items() if t == "intent_jailbreak")


@dataclass
class Tally:
    support: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p is not None and r is not None and p + r else None

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "precision": self.precision, "recall": self.recall, "f1": self.f1}


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the detectors said about one case at the threshold."""

    case: Case
    found: frozenset[str]  # every entry found at the threshold

    @property
    def unexpected(self) -> frozenset[str]:
        """Found, not expected, and not a tolerated restatement: the false positives."""
        return self.found - self.case.expected - tolerated(self.case)

    def hit(self, entry: str) -> bool:
        """An expected entry is found; for intent_jailbreak entries any entry of that topic will do."""
        if entry in INTENT_JAILBREAK:
            return bool(self.found & INTENT_JAILBREAK)
        return entry in self.found


def tolerated(case: Case) -> frozenset[str]:
    """Entries that restate what the case is expected to hold (see the module docstring)."""
    out: set[str] = set()
    if "credentials" in case.topics:
        out |= GENERIC_CREDENTIALS
    if "CONNECTION_STRING" in case.expected:
        out.add("URL_CREDENTIALS")
    if "IBAN" in case.expected:
        out.add("BANK_ACCOUNT")
    if "POSTAL_ADDRESS" in case.expected:
        out.add("PERSON_NAME")
    if "intent_jailbreak" in case.topics:
        out |= INTENT_JAILBREAK
    if case.is_evasion:
        out.add("OBFUSCATED_PAYLOAD")
    return frozenset(out - case.expected)


def evaluate(
    cases: Sequence[Case], detectors: Sequence[Detector], threshold: Level
) -> tuple[list[Outcome], Counter[str]]:
    """Scan every case; also count findings whose topic disagrees with the corpus's entry map."""
    outcomes, topic_mismatch = [], Counter[str]()
    for case in cases:
        findings: list[Finding] = scan_text(case.text, detectors)
        found = set()
        for f in findings:
            if f.level >= threshold:
                found.add(f.entry)
                if ENTRY_TOPIC.get(f.entry, f.topic) != f.topic:
                    topic_mismatch[f"{f.entry} reported as {f.topic}"] += 1
        outcomes.append(Outcome(case, frozenset(found)))
    return outcomes, topic_mismatch


def tally(outcomes: Sequence[Outcome], label: Callable[[str], str]) -> dict[str, Tally]:
    """Per-label counts, where ``label`` maps an entry to what is scored (itself, or its topic).

    A tolerated finding cannot be a false positive, but at topic level it still shows the topic
    was found (JAILBREAK reported on a case labelled PROMPT_INJECTION finds intent_jailbreak).
    """
    out: dict[str, Tally] = {}
    for o in outcomes:
        expected = {label(e) for e in o.case.expected}
        found = {label(e) for e in o.found}
        false = {label(e) for e in o.unexpected} - expected
        for name in expected | false:
            t = out.setdefault(name, Tally())
            t.support += name in expected
            t.tp += name in expected and name in found
            t.fn += name in expected and name not in found
            t.fp += name in false
    return out


def _topic(entry: str) -> str:
    return ENTRY_TOPIC.get(entry, "other")


def benign_report(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    benign = [o for o in outcomes if o.case.benign]
    flagged = [o for o in benign if o.unexpected]
    by_entry = Counter(e for o in flagged for e in o.unexpected)
    by_kind = Counter(o.case.kind for o in flagged)
    jailbreak_fp = sum(bool(o.unexpected & INTENT_JAILBREAK) for o in benign)
    return {
        "cases": len(benign),
        "fp_cases": len(flagged),
        "fp_rate": len(flagged) / len(benign) if benign else None,
        "fp_by_entry": dict(by_entry.most_common()),
        "fp_by_kind": dict(by_kind.most_common()),
        "jailbreak_fp_rate": jailbreak_fp / len(benign) if benign else None,
    }


def evasion_report(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    per_technique: dict[str, Tally] = {}
    for o in outcomes:
        if o.case.is_evasion:
            t = per_technique.setdefault(o.case.kind.removeprefix("evasion_"), Tally())
            hits = sum(o.hit(e) for e in o.case.expected)
            t.support += len(o.case.expected)
            t.tp += hits
            t.fn += len(o.case.expected) - hits
    total = Tally(*(sum(getattr(t, f) for t in per_technique.values()) for f in ("support", "tp", "fp", "fn")))
    return {"recall": total.recall, "support": total.support, **{k: t.recall for k, t in per_technique.items()}}


def kind_report(outcomes: Sequence[Outcome]) -> dict[str, dict[str, float]]:
    """Per kind: share of cases with every expected entry found, and share with an unexpected one."""
    groups: dict[str, list[Outcome]] = {}
    for o in outcomes:
        groups.setdefault(o.case.kind, []).append(o)
    return {
        kind: {
            "cases": len(group),
            "all_found": sum(o.case.expected <= o.found for o in group) / len(group),
            "any_unexpected": sum(bool(o.unexpected) for o in group) / len(group),
        }
        for kind, group in sorted(groups.items())
    }


def targets(
    entries: dict[str, Tally], benign: dict[str, Any], topics: dict[str, Tally], speed: dict[str, Any]
) -> list[dict[str, Any]]:
    """The project's acceptance targets, each with its figure and whether it is met."""
    rows: list[tuple[str, float | None, str, bool]] = []
    for e in STRUCTURED_ENTRIES:
        t = entries.get(e, Tally())
        rows.append((f"{e} precision", t.precision, ">= 0.95", (t.precision or 0) >= 0.95))
        rows.append((f"{e} recall", t.recall, ">= 0.95", (t.recall or 0) >= 0.95))
    jb = topics.get("intent_jailbreak", Tally())
    rows.append(("jailbreak recall", jb.recall, ">= 0.90", (jb.recall or 0) >= 0.9))
    fp = benign["jailbreak_fp_rate"]
    rows.append(("jailbreak FP rate on benign", fp, "<= 0.01", fp is not None and fp <= 0.01))
    if speed:
        p99, mbs = speed["latency_4k"]["p99_ms"], speed["throughput"]["mb_per_s"]
        rows.append(("4 KB p99 (ms)", p99, "<= 2.0", p99 <= 2.0))
        rows.append(("throughput (MB/s)", mbs, ">= 20", mbs >= 20))
    return [{"target": n, "value": v, "goal": g, "met": m} for n, v, g, m in rows]


def _f(x: float | None, digits: int = 3) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def _print_tally(title: str, rows: dict[str, Tally], order: Sequence[str]) -> None:
    print(f"\n{title:26} {'support':>7} {'TP':>6} {'FP':>5} {'FN':>5} {'prec':>6} {'recall':>6} {'F1':>6}")
    for name in [*order, *sorted(set(rows) - set(order))]:
        t = rows.get(name, Tally())
        mark = " *" if name in STRUCTURED_ENTRIES else ""
        print(
            f"  {name + mark:24} {t.support:7} {t.tp:6} {t.fp:5} {t.fn:5} "
            f"{_f(t.precision):>6} {_f(t.recall):>6} {_f(t.f1):>6}"
        )


def print_report(report: dict[str, Any], entries: dict[str, Tally], topics: dict[str, Tally]) -> None:
    c = report["corpus"]
    print(f"DLP evaluation: {c['cases']} cases (seed {c['seed']}), threshold {report['threshold']}")
    _print_tally("entry (* structured)", entries, list(ENTRY_TOPIC))
    _print_tally("topic (per case)", topics, sorted(set(ENTRY_TOPIC.values())))
    b = report["benign"]
    print(f"\nbenign set: {b['cases']} cases, {b['fp_cases']} with a finding ({_f(b['fp_rate'], 4)})")
    print("  by entry: " + (", ".join(f"{e} {n}" for e, n in b["fp_by_entry"].items()) or "none"))
    print("  by kind:  " + (", ".join(f"{k} {n}" for k, n in b["fp_by_kind"].items()) or "none"))
    jb = topics.get("intent_jailbreak", Tally())
    print(
        f"\njailbreak (intent_jailbreak): recall {_f(jb.recall)} over {jb.support} cases; "
        f"FP rate on benign {_f(b['jailbreak_fp_rate'], 4)}"
    )
    ev = report["evasion"]
    techniques = ", ".join(f"{k} {_f(v)}" for k, v in ev.items() if k not in ("recall", "support"))
    print(f"evasion slice: recall {_f(ev['recall'])} over {ev['support']} entries ({techniques})")
    imperfect = {kind: k for kind, k in report["kinds"].items() if k["all_found"] < 1 or k["any_unexpected"] > 0}
    print(f"\nper kind, {len(report['kinds']) - len(imperfect)} perfect kinds omitted")
    print(f"  {'kind':32} {'cases':>5}  {'all expected found':>18}  {'any unexpected':>14}")
    for kind, k in imperfect.items():
        print(f"  {kind:32} {k['cases']:5}  {k['all_found']:18.1%}  {k['any_unexpected']:14.1%}")
    if report["topic_mismatch"]:
        print("\nnote: detectors reported topics that differ from the corpus map: " + str(report["topic_mismatch"]))
    _print_speed(report.get("speed"))
    print("\ntargets:")
    for t in report["targets"]:
        print(f"  {'met ' if t['met'] else 'MISS'}  {t['target']:40} {_f(t['value'], 4):>9}  (goal {t['goal']})")


def _print_speed(speed: dict[str, Any] | None) -> None:
    if not speed:
        return
    lat, thr = speed["latency_4k"], speed["throughput"]
    print(f"\nspeed ({speed['cpu']}):")
    print(f"  4 KB prompt, 500 runs: p50 {lat['p50_ms']:.3f} ms, p99 {lat['p99_ms']:.3f} ms")
    print(f"  {thr['bytes'] / 1e6:.1f} MB mixed prose+code: {thr['seconds']:.2f} s, {thr['mb_per_s']:.1f} MB/s")
    for name, p in speed["pathological"].items():
        if "seconds" in p:
            print(f"  {name:26} {p['seconds']:8.3f} s  (x4 input -> x{_f(p['x4_ratio'], 1)} time)")
        else:
            print(f"  {name:26} {p}")


def print_examples(outcomes: Sequence[Outcome], per_entry: int, out: TextIO) -> None:
    """Up to ``per_entry`` missed and unexpected cases per entry, for whoever tunes a detector."""
    misses: dict[str, list[str]] = {}
    for o in outcomes:
        for entry in sorted(o.case.expected - o.found):
            misses.setdefault(f"FN {entry}", []).append(o.case.id)
        for entry in sorted(o.unexpected):
            misses.setdefault(f"FP {entry}", []).append(o.case.id)
    by_id = {o.case.id: o for o in outcomes}
    for key in sorted(misses):
        print(f"\n{key}: {len(misses[key])} cases", file=out)
        for case_id in misses[key][:per_entry]:
            o = by_id[case_id]
            print(f"  {case_id} expected={sorted(o.case.expected)} found={sorted(o.found)}", file=out)
            print(f"    {o.case.text[:240]!r}", file=out)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threshold", choices=[lv.name.lower() for lv in Level], default="medium")
    parser.add_argument("--limit", type=int, default=None, help="score an evenly spaced subset of N cases")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--skip-speed", action="store_true", help="accuracy only")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--examples", type=int, default=0, help="print N missed/unexpected cases per entry")
    args = parser.parse_args(argv)

    threshold = Level[args.threshold.upper()]
    cases = sample(build_corpus(args.seed), args.limit)
    detectors = default_detectors()
    outcomes, mismatch = evaluate(cases, detectors, threshold)
    entries, topics = tally(outcomes, lambda e: e), tally(outcomes, _topic)
    speed: dict[str, Any] = {}
    if not args.skip_speed:
        speed = {"cpu": pin_one_cpu(), "latency_4k": latency_4k(detectors), "throughput": throughput(detectors)}
        speed["pathological"] = pathological_times()
    report: dict[str, Any] = {
        "corpus": {"cases": len(cases), "seed": args.seed},
        "threshold": threshold.name,
        "entries": {k: t.as_dict() for k, t in entries.items()},
        "topics": {k: t.as_dict() for k, t in topics.items()},
        "benign": benign_report(outcomes),
        "evasion": evasion_report(outcomes),
        "kinds": kind_report(outcomes),
        "topic_mismatch": dict(mismatch),
        "speed": speed,
    }
    report["targets"] = targets(entries, report["benign"], topics, speed)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_report(report, entries, topics)
    if args.examples:
        print_examples(outcomes, args.examples, sys.stderr if args.json else sys.stdout)


if __name__ == "__main__":
    main()
