"""Work that a hostile file can cause, as plain functions a worker process can run in tests."""

from __future__ import annotations

import re


def backtrack(length: int) -> bool:
    """A catastrophically backtracking match: runs for a very long time inside the regex engine,
    which never releases the interpreter lock (what a hostile task line did to the reader)."""
    return re.match(r"^(a+)+$", "a" * length + "!") is not None


def allocate(megabytes: int) -> int:
    """Hold `megabytes` of memory."""
    block = bytearray(megabytes * 1024 * 1024)
    return len(block)


def fail() -> None:
    raise ValueError("a reader's own error")
