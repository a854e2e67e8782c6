"""Seeded random streams and small vectorised helpers shared by the export builders."""

import numpy as np

SECONDS_PER_DAY = 86_400
SECONDS_PER_HOUR = 3_600


def stream(seed: int, name: str, chunk: int = 0) -> np.random.Generator:
    """An independent, reproducible generator per (seed, export, chunk).

    Each export draws from its own stream so that changing how one export is generated does not shift
    the random numbers of every other export.
    """
    name_key = int.from_bytes(name.encode(), "little") % (2**63)
    return np.random.default_rng([seed, name_key, chunk])


def weighted_choice(rng: np.random.Generator, weights, size: int) -> np.ndarray:
    """Indices drawn with probability proportional to ``weights``."""
    probabilities = np.asarray(weights, dtype=float)
    return rng.choice(len(probabilities), size=size, p=probabilities / probabilities.sum())


def sigmoid(values: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-values))


def format_timestamps(seconds: np.ndarray, pattern: str) -> list[str | None]:
    """Format epoch seconds of Japan wall-clock time; negative values (not happened) become empty."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = pa.array(np.asarray(seconds, dtype="int64"), type=pa.int64())
    mask = pc.less(values, 0)
    timestamps = pc.cast(values, pa.timestamp("s"))
    formatted = pc.strftime(timestamps, format=pattern)
    return pc.if_else(mask, pa.scalar(None, pa.string()), formatted).to_pylist()


def to_business_time(seconds: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Move times outside weekday office hours (9:00-19:00) to the next weekday morning.

    Sales reps answer during office hours; this is what makes a Friday-evening handoff wait until
    Monday in the sample data.
    """
    days = seconds // SECONDS_PER_DAY
    hour = (seconds % SECONDS_PER_DAY) / SECONDS_PER_HOUR
    weekday = (days + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    after_hours = hour >= 19
    next_day = days + after_hours.astype(int)
    next_weekday = (next_day + 3) % 7
    next_day = next_day + np.where(next_weekday == 5, 2, np.where(next_weekday == 6, 1, 0))
    morning = (
        next_day * SECONDS_PER_DAY
        + 9 * SECONDS_PER_HOUR
        + rng.integers(0, 2 * SECONDS_PER_HOUR, seconds.size)
    )
    inside = (hour >= 9) & (hour < 19) & (weekday < 5)
    return np.where(inside, seconds, morning)
