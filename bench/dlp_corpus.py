"""The labelled DLP evaluation corpus: ~6,000 realistic prompts, reproducible from one seed.

    python -m bench.dlp_corpus            # composition: cases per kind and per entry
    python -m bench.dlp_corpus --show 5   # plus five sample cases per kind

Each ``Case`` says which entries a correct detector reports on its text (``expected``), their
topics, whether it is benign, and its kind (which generator and template family made it).

Labelling rules, applied by the generators:

* Every text appears once (``dlp_corpus_base.distinct``), so no prompt weighs twice.
* ``expected`` is exactly the set of entries present: a template gets an entry from each
  sensitive slot it fills (``dlp_corpus_slots``) plus those its own wording carries.
* ``benign`` means no personal, financial, credential or intent entry: ``expected`` is empty
  or just ``{"SOURCE_CODE"}``. Code pastes are SOURCE_CODE positives *and* benign, because
  they are the everyday work on which every other detector must stay silent.
* SOURCE_CODE is a program of three lines or more (SQL and shell scripts included);
  configuration and data formats (.env, YAML, JSON, INI, HTTP, logs, stack traces) and single
  lines are not.
* Documentation values (test card numbers in a payments-doc context, AWS's example key pair,
  placeholders) are benign: NOT expected. See ``dlp_corpus_benign``.
* Database and broker URLs with a password are CONNECTION_STRING; http(s)/ftp URLs with a
  password are URL_CREDENTIALS; a token in a git URL's userinfo is both.
* The evasion slice (kinds ``evasion_*``) hides values with zero-width characters, full-width
  forms, Cyrillic look-alikes, base64 or percent-encoding; each is a positive for its entry.

Generation is deterministic: one seeded ``random.Random`` and seeded Fakers, no iteration over
hash-ordered containers. Faker's data can change between Faker releases, so the corpus is
reproducible for a given Faker version (pinned by the environment), not across versions.
"""

from __future__ import annotations

import argparse
import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bench import (
    dlp_corpus_benign,
    dlp_corpus_benign_text,
    dlp_corpus_code,
    dlp_corpus_creds,
    dlp_corpus_evasion,
    dlp_corpus_intent,
    dlp_corpus_jailbreak,
    dlp_corpus_pii,
    dlp_corpus_secrets,
)
from bench.dlp_corpus_base import ENTRY_TOPIC, Draft, Gen

DEFAULT_SEED = 20240611


@dataclass(frozen=True, slots=True)
class Case:
    """One labelled prompt."""

    id: str
    text: str
    expected: frozenset[str]
    topics: frozenset[str]
    benign: bool
    kind: str

    @property
    def is_evasion(self) -> bool:
        return self.kind.startswith("evasion_")


def _drafts(g: Gen) -> list[Draft]:
    """Every generator, always in the same order (the order is part of the seed's meaning)."""
    return [
        *dlp_corpus_pii.cases(g),
        *dlp_corpus_secrets.vendor_cases(g),
        *dlp_corpus_creds.cases(g),
        *dlp_corpus_jailbreak.cases(g),
        *dlp_corpus_intent.cases(g),
        *dlp_corpus_code.cases(g),
        *dlp_corpus_benign.cases(g),
        *dlp_corpus_benign_text.cases(g),
        *dlp_corpus_evasion.cases(g),
    ]


def build_corpus(seed: int = DEFAULT_SEED) -> list[Case]:
    """The whole corpus for ``seed``; ids are ``<kind>-<n>``, numbered within each kind."""
    numbered: Counter[str] = Counter()
    cases = []
    for d in _drafts(Gen(seed)):
        numbered[d.kind] += 1
        topics = frozenset(ENTRY_TOPIC[e] for e in d.expected)
        cases.append(Case(f"{d.kind}-{numbered[d.kind]:04d}", d.text, d.expected, topics, d.benign, d.kind))
    return cases


def sample(cases: list[Case], limit: int | None) -> list[Case]:
    """An evenly spaced subset of ``limit`` cases, so a quick run keeps the mix of kinds."""
    if not limit or limit >= len(cases):
        return cases
    step = len(cases) / limit
    return [cases[int(i * step)] for i in range(limit)]


def fingerprint(cases: Iterable[Case]) -> str:
    """A SHA-256 over ids, texts and labels, to compare corpora across runs and processes."""
    h = hashlib.sha256()
    for c in cases:
        labels = ",".join(sorted(c.expected))
        h.update(f"{c.id}\x00{c.text}\x00{labels}\x00{c.benign}\x00{c.kind}\x01".encode())
    return h.hexdigest()


def composition(cases: Sequence[Case]) -> tuple[Counter[str], Counter[str]]:
    """(cases per entry, cases per kind)."""
    per_entry: Counter[str] = Counter(e for c in cases for e in c.expected)
    per_kind: Counter[str] = Counter(c.kind for c in cases)
    return per_entry, per_kind


def _print_composition(cases: Sequence[Case], show: int) -> None:
    per_entry, per_kind = composition(cases)
    benign = sum(c.benign for c in cases)
    empty = sum(not c.expected for c in cases)
    print(f"{len(cases)} cases; benign {benign} ({empty} with nothing expected); fingerprint {fingerprint(cases)[:16]}")
    print("\ncases per entry:")
    for entry in ENTRY_TOPIC:
        print(f"  {entry:24} {per_entry[entry]:5}   ({ENTRY_TOPIC[entry]})")
    print("\ncases per kind:")
    for kind, n in sorted(per_kind.items()):
        print(f"  {kind:32} {n:5}")
        for c in [c for c in cases if c.kind == kind][:show]:
            print("      " + repr(c.text[:160]) + f"  -> {sorted(c.expected)}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--show", type=int, default=0, help="print this many sample cases per kind")
    args = parser.parse_args(argv)
    _print_composition(build_corpus(args.seed), args.show)


if __name__ == "__main__":
    main()
