"""UI fixtures: the journeys run on the packs of a first start (cold cache) and of every later one (warm)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ui import helpers


@pytest.fixture(params=["cold", "warm"])
def startup_cache(request: pytest.FixtureRequest) -> Iterator[str]:
    """make_app's packs come from a start-up with an empty pack cache, then from one with a full cache."""
    saved = helpers.DEFAULT_CACHE
    helpers.DEFAULT_CACHE = request.param
    try:
        yield request.param
    finally:
        helpers.DEFAULT_CACHE = saved
