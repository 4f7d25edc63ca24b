"""The OpenAI generation options, written under each provider's own names.

Every provider takes some of the same knobs (output length, sampling, stop sequences,
choice count, seed), each under its own name and nesting. Which it takes, and what it
calls them, is data: a `GenerationKeys` table per provider. `write_generation_options`
reads only the options a table names, so an option a provider drops is never checked
either, and writes them in the table's order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gateway.translate.fields import opt_int, opt_number
from gateway.translate.openai_request import read_choice_count, read_max_tokens, read_stop


@dataclass(frozen=True, slots=True)
class GenerationKeys:
    """A provider's name for each OpenAI generation option; None drops the option."""

    sampling: Mapping[str, str]  # OpenAI sampling key -> provider key, in the provider's order
    max_tokens: str | None = None
    stop: str | None = None
    choice_count: str | None = None  # providers without one reject `n` other than 1 themselves
    seed: str | None = None


def write_generation_options(body: dict[str, Any], target: dict[str, Any], keys: GenerationKeys) -> None:
    """Copy the options `keys` names from the OpenAI `body` into `target`; unset ones stay out.

    A key already in `target` (a provider's default) keeps its place and takes the value.
    """
    if keys.max_tokens is not None:
        max_tokens = read_max_tokens(body)
        if max_tokens is not None:
            target[keys.max_tokens] = max_tokens
    for source, name in keys.sampling.items():
        value = opt_number(body, source, source)
        if value is not None:
            target[name] = value
    if keys.stop is not None:
        stop = read_stop(body)
        if stop:
            target[keys.stop] = stop
    if keys.choice_count is not None and body.get("n") is not None:
        target[keys.choice_count] = read_choice_count(body)
    if keys.seed is not None:
        seed = opt_int(body, "seed", "seed")
        if seed is not None:
            target[keys.seed] = seed
