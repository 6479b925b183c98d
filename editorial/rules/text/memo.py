"""What the rules read from one sentence, kept for when they meet it again.

A check runs each rule on the proposal and again on its base, which share
almost all their sentences, and the editor's preview checks a draft again
and again; reading a sentence is pure, so its result can be reused. Every
cache is registered here so that it is bounded and can be emptied (the
accuracy benchmark times cold runs with `clear_caches`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

_CACHES: list = []


def memoized(maxsize: int = 8192) -> Callable:
    """functools.lru_cache, registered so that `clear_caches` reaches it."""

    def wrap(function: Callable) -> Callable:
        cached = functools.lru_cache(maxsize=maxsize)(function)
        _CACHES.append(cached)
        return cached

    return wrap


def clear_caches() -> None:
    for cached in _CACHES:
        cached.cache_clear()
