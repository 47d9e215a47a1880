"""Hash-based pseudo-randomness: every value is a pure function of the seed and a key, never of call order.

Call order independence is what keeps the sample byte-identical when code paths change order, and lets DuckDB
compute the same kind of noise per row (see `sql_unit`) without sharing any generator state.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

# Namespace for every uuid5 the generator derives (run ids, reservation ids, subscription ids, meter ids).
SAMPLE_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://aoai-finops.dev/sample")
# Meter ids only: kept separate so meters.csv ids do not depend on anything but the meter name.
METER_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://aoai-finops.dev/sample/meters")


def _digest(seed: int, parts: Sequence[object]) -> bytes:
    key = "\x1f".join([str(seed), *(str(part) for part in parts)])
    return hashlib.blake2b(key.encode("utf-8"), digest_size=16).digest()


def unit(seed: int, *parts: object) -> float:
    """A float in [0, 1) determined by the seed and the key parts."""
    return int.from_bytes(_digest(seed, parts)[:8], "big") / 2**64


def integer(seed: int, low: int, high: int, *parts: object) -> int:
    """An integer in [low, high] determined by the seed and the key parts."""
    if high < low:
        raise ValueError(f"empty range [{low}, {high}]")
    return low + int.from_bytes(_digest(seed, parts)[:8], "big") % (high - low + 1)


def choice(seed: int, options: Sequence[T], *parts: object) -> T:
    return options[integer(seed, 0, len(options) - 1, *parts)]


def stable_uuid(seed: int, *parts: object) -> str:
    """A lower-case GUID, the same for the same seed and key (uuid5, so it looks like a real GUID)."""
    return str(uuid.uuid5(SAMPLE_NAMESPACE, "\x1f".join([str(seed), *(str(part) for part in parts)])))


def meter_id(meter_name: str) -> str:
    """The deterministic meter GUID written to meters.csv (depends on the name only, not on the seed)."""
    return str(uuid.uuid5(METER_NAMESPACE, meter_name))


def hex_token(seed: int, length: int, *parts: object) -> str:
    """Lower-case hex of the given length, for names Azure suffixes with random hex (disks, storage)."""
    return hashlib.blake2b("\x1f".join([str(seed), *map(str, parts)]).encode(), digest_size=32).hexdigest()[:length]
