"""UUIDv7 record ids."""

from __future__ import annotations

import uuid

from gateway.logs.ids import uuid7, uuid7_floor


def test_version_and_variant() -> None:
    value = uuid.UUID(uuid7())
    assert value.version == 7
    assert value.variant == uuid.RFC_4122


def test_ids_sort_by_millisecond() -> None:
    ids = [uuid7(now_ms=ms) for ms in (1_700_000_000_000, 1_700_000_000_001, 1_800_000_000_000)]
    assert ids == sorted(ids)


def test_the_timestamp_is_the_leading_48_bits() -> None:
    assert uuid.UUID(uuid7(now_ms=0x0123_4567_89AB)).hex.startswith("0123456789ab")


def test_floor_is_below_every_id_of_its_millisecond_and_above_the_previous() -> None:
    ms = 1_750_000_000_000
    floor = uuid7_floor(ms)
    assert all(floor <= uuid7(now_ms=ms) for _ in range(100))
    assert all(uuid7(now_ms=ms - 1) < floor for _ in range(100))


def test_ids_are_unique() -> None:
    assert len({uuid7() for _ in range(10_000)}) == 10_000
