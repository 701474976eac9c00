"""dashboard.shared_cache: the app's process-wide cache (keys, eviction, expiry, one build per key)."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest

from dashboard import shared_cache
from dashboard.shared_cache import shared


def counted():
    calls: list[tuple[object, ...]] = []

    @shared(max_entries=3)
    def f(a, b=1, _ignored=None):
        calls.append((a, b))
        return [a, b]  # a new object per build: the test can tell a cached one by identity

    return f, calls


def test_the_same_arguments_give_the_very_object_built_once():
    f, calls = counted()
    first = f("x", 2, _ignored=object())
    assert f("x", 2, _ignored="anything") is first  # arguments named _… are not part of the key
    assert f("x", b=2) is first and f(a="x", b=2) is first  # positions, keywords and defaults alike
    assert f("x") is f("x", 1) and f("x") is not first
    assert calls == [("x", 2), ("x", 1)]


def test_the_least_recently_used_entry_goes_beyond_max_entries():
    f, calls = counted()
    for a in ("a", "b", "c"):
        f(a)
    f("a")  # used again: "b" is now the oldest
    f("d")
    assert len(f.cache) == 3
    f("a"), f("c"), f("d")
    assert [c[0] for c in calls] == ["a", "b", "c", "d"]  # still cached
    f("b")
    assert [c[0] for c in calls] == ["a", "b", "c", "d", "b"]  # dropped, built again


def test_an_entry_expires_after_its_ttl(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(shared_cache.time, "monotonic", lambda: now[0])
    built: list[int] = []

    @shared(ttl=dt.timedelta(seconds=60))
    def g(a):
        built.append(a)
        return a

    g(1), g(1)
    now[0] += 59
    g(1)
    assert built == [1]
    now[0] += 2
    g(1)
    assert built == [1, 1]


def test_concurrent_calls_with_one_key_build_once():
    built: list[str] = []
    gate = threading.Barrier(8)

    @shared()
    def slow(a):
        built.append(a)
        time.sleep(0.2)
        return object()

    results: list[object] = []

    def call():
        gate.wait()
        results.append(slow("k"))

    threads = [threading.Thread(target=call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert built == ["k"]
    assert len(results) == 8 and all(r is results[0] for r in results)


def test_an_exception_is_not_cached():
    tries: list[int] = []

    @shared()
    def flaky(a):
        tries.append(a)
        if len(tries) == 1:
            raise RuntimeError("first time")
        return a

    with pytest.raises(RuntimeError):
        flaky(1)
    assert flaky(1) == 1 and flaky(1) == 1
    assert tries == [1, 1]


def test_unhashable_arguments_are_computed_and_never_cached():
    built: list[object] = []

    @shared()
    def h(a):
        built.append(a)
        return len(a)

    assert h([1, 2]) == 2 and h([1, 2]) == 2 and h([1, 2, 3]) == 3
    assert len(built) == 3 and h.cache.unhashable == 3 and len(h.cache) == 0


def test_clear_all_empties_every_cache():
    f, calls = counted()
    f("x")
    shared_cache.clear_all()
    f("x")
    assert calls == [("x", 1), ("x", 1)]
