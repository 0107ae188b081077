"""How long the fuzzing properties run: a few seconds in CI, the same examples each time;
``YUEDU_FUZZ_SECONDS=600`` gives each property about that long, with new examples."""

from __future__ import annotations

import os
from datetime import timedelta

from hypothesis import HealthCheck, settings

FUZZ_SECONDS = float(os.environ.get("YUEDU_FUZZ_SECONDS", "0"))


def budget(default: int, *, per_second: float, deadline: float) -> settings:
    """``default`` examples in CI; about ``FUZZ_SECONDS`` worth when that is set."""
    examples = max(default, int(FUZZ_SECONDS * per_second))
    return settings(
        max_examples=examples,
        derandomize=not FUZZ_SECONDS,
        deadline=timedelta(seconds=deadline),
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.function_scoped_fixture,
        ],
        database=None,
    )
