"""A process-wide cache of computed objects, shared by every session of one app server.

``@shared(max_entries=…, ttl=…)`` caches a function's results by its arguments, as
``st.cache_resource`` does (arguments whose names begin with ``_`` are not part of the key; the
object returned is the one stored, shared between sessions and so read-only), but keys by the
arguments' own ``hash`` and ``==``. Streamlit's cache hashes every argument with its own hasher on
every call, 0.2–0.6 ms a call; a page rerun makes 20–50 such calls, about a fifth of a warm rerun's
CPU on one server under load (benchmarks/RESULTS.md, issue 19). Arguments must be hashable values
(strings, numbers, dates, tuples, frozen dataclasses): a call with an unhashable one is computed
and not cached, never keyed by something that could collide.

Entries are dropped oldest-used first beyond ``max_entries`` and after ``ttl``. Concurrent calls
with the same key compute once: the others wait for that result (a rerun of every session after a
write would otherwise build the same figure once per session). An exception is not cached.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_MISSING = object()


class SharedCache:
    """One function's entries: an LRU of at most ``max_entries`` (None: no bound), each kept ``ttl``."""

    def __init__(self, name: str, max_entries: int | None = None, ttl: dt.timedelta | None = None) -> None:
        self.name = name
        self.max_entries = max_entries
        self.ttl = None if ttl is None else ttl.total_seconds()
        self._entries: OrderedDict[Hashable, tuple[float | None, object]] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[Hashable, threading.Lock] = {}
        self.hits = self.misses = self.unhashable = 0

    def _get(self, key: Hashable, now: float) -> object:
        """The entry (under the lock), or _MISSING."""
        found = self._entries.get(key)
        if found is None:
            return _MISSING
        expires, value = found
        if expires is not None and expires <= now:
            del self._entries[key]
            return _MISSING
        self._entries.move_to_end(key)
        return value

    def get_or_build(self, key: Hashable, build: Callable[[], R]) -> R:
        with self._lock:
            value = self._get(key, time.monotonic())
            if value is not _MISSING:
                self.hits += 1
                return value  # type: ignore[return-value]
            gate = self._building.setdefault(key, threading.Lock())
        with gate:  # one build per key at a time; whoever waited finds the entry made meanwhile
            with self._lock:
                value = self._get(key, time.monotonic())
                if value is not _MISSING:
                    self.hits += 1
                    return value  # type: ignore[return-value]
                self.misses += 1
            try:
                built = build()
                with self._lock:
                    expires = None if self.ttl is None else time.monotonic() + self.ttl
                    self._entries[key] = (expires, built)
                    self._entries.move_to_end(key)
                    while self.max_entries is not None and len(self._entries) > self.max_entries:
                        self._entries.popitem(last=False)
            finally:
                with self._lock:
                    if self._building.get(key) is gate:
                        del self._building[key]
        return built

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


_CACHES: list[SharedCache] = []


def shared(*, max_entries: int | None = None, ttl: dt.timedelta | None = None
           ) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Cache the decorated function's results for the whole process (see the module's docstring)."""

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        signature = inspect.signature(function)
        names = list(signature.parameters)
        keyed = [not name.startswith("_") for name in names]
        cache = SharedCache(f"{function.__module__}.{function.__qualname__}", max_entries, ttl)
        _CACHES.append(cache)

        @functools.wraps(function)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            if kwargs:  # rare: bind to positions so that f(a, b=1) and f(a, 1) share an entry
                bound = signature.bind(*args, **kwargs)
                bound.apply_defaults()
                values: tuple[Any, ...] = tuple(bound.arguments[name] for name in names)
            else:
                values = args
                if len(values) < len(names):
                    bound = signature.bind(*args)
                    bound.apply_defaults()
                    values = tuple(bound.arguments[name] for name in names)
            key = tuple(v for v, k in zip(values, keyed, strict=False) if k)
            try:
                hash(key)
            except TypeError:
                cache.unhashable += 1
                return function(*args, **kwargs)  # not cached, never keyed by something that could collide
            return cache.get_or_build(key, lambda: function(*args, **kwargs))

        wrapper.cache = cache  # type: ignore[attr-defined]
        return wrapper

    return decorate


def clear_all() -> None:
    """Empty every shared cache (a benchmark's cold run; tests)."""
    for cache in _CACHES:
        cache.clear()
