"""Work on untrusted input in a worker process, bounded in wall time and memory.

An uploaded file is parsed out of the server's way: in a child Python process
(`python -m analysis.isolate`) with an address-space and CPU-time limit, watched by the caller,
which stops it when its time is up or when it is cancelled. The server's own interpreter never
runs the parse, so a hostile file cannot hold the interpreter lock that every other session
needs, and the memory a parse took is given back to the system when the worker ends.

A fresh interpreter, not multiprocessing: Streamlit runs each page as the `__main__` module, and
multiprocessing's forkserver and spawn start methods re-run `__main__` in the child (the app!),
while forking the threaded server itself is unsafe. The call and its outcome travel as pickles
over the child's standard input and output.
"""

from __future__ import annotations

import importlib
import pickle
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from analysis.findings import PlanImportError, import_error

T = TypeVar("T")

MB = 1024 * 1024
#: Wall time one parse may take (a plan of 100 000 tasks takes ~11 s on the benchmark machine).
PARSE_SECONDS = 90.0
#: Address space one parse may use (100 000 tasks peak at ~1.1 GB).
PARSE_MEMORY_BYTES = 4096 * MB
_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Limits:
    seconds: float = PARSE_SECONDS
    memory_bytes: int = PARSE_MEMORY_BYTES


def _qualified(fn: Callable[..., Any]) -> tuple[str, str]:
    return fn.__module__, fn.__qualname__


_spare: subprocess.Popen[bytes] | None = None
_spare_lock = threading.Lock()


def _start_worker() -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "analysis.isolate"], cwd=_ROOT,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )


def _take_worker() -> subprocess.Popen[bytes]:
    """A worker that has already imported the readers (started ahead for the next call), and
    another one started for the call after: a parse does not wait for Python and pandas to load."""
    global _spare
    with _spare_lock:
        worker = _spare if _spare is not None and _spare.poll() is None else _start_worker()
        _spare = _start_worker()
    return worker


class Job(Generic[T]):
    """One call of `fn(*args)` (a module-level function) in a worker process."""

    def __init__(self, fn: Callable[..., T], *args: Any, limits: Limits = Limits(), file: str = "") -> None:
        self.limits = limits
        self.file = file
        self.started = time.monotonic()
        self._outcome: tuple[str, Any] | None = None
        request = pickle.dumps((_qualified(fn), args, limits.memory_bytes, int(limits.seconds) + 1))
        self._process = _take_worker()
        self._answer: list[bytes] = []
        self._io = threading.Thread(target=self._talk, args=(request,), daemon=True)
        self._io.start()

    def _talk(self, request: bytes) -> None:
        stdin, stdout = self._process.stdin, self._process.stdout
        assert stdin is not None and stdout is not None
        try:
            stdin.write(request)
            stdin.close()
            self._answer.append(stdout.read())
        except (OSError, ValueError):  # the worker was stopped
            self._answer.append(b"")

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def wait(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds; True once the worker has answered or ended."""
        if self._outcome is not None:
            return True
        self._io.join(timeout)
        if not self._io.is_alive():
            self._process.wait()
            try:
                self._outcome = pickle.loads(self._answer[0])
            except Exception:  # noqa: BLE001 - no answer: killed by a limit, or crashed
                self._outcome = ("crashed", None)
            return True
        if self.elapsed > self.limits.seconds:
            self._outcome = ("time", None)
            self.cancel()
            return True
        return False

    def cancel(self) -> None:
        """Stop the worker (nothing happens when it has ended)."""
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()

    def result(self) -> T:
        """Wait for the outcome: the value, or the worker's exception raised here. A worker stopped
        for its time, its memory or a crash raises PlanImportError naming the limit."""
        while not self.wait(0.2):
            pass
        self.cancel()
        assert self._outcome is not None
        kind, value = self._outcome
        if kind == "ok":
            return value  # type: ignore[no-any-return]
        if kind == "error":
            raise value
        raise self._limit_error(kind)

    def _limit_error(self, kind: str) -> PlanImportError:
        seconds = f"{self.limits.seconds:g}"
        megabytes = self.limits.memory_bytes // MB
        if kind == "time":
            return import_error(
                "time_limit", f"读取时间超过 {seconds} 秒的上限，已停止：文件过大或结构异常",
                f"reading took longer than the {seconds} s limit and was stopped: the file is too large or malformed",
                file=self.file,
            )
        return import_error(
            "memory_limit", f"读取所需内存超过 {megabytes} MB 的上限（或读取进程意外终止），已停止",
            f"reading needed more than the {megabytes} MB memory limit (or the reading process ended unexpectedly) and was stopped",
            file=self.file,
        )


def run(fn: Callable[..., T], *args: Any, limits: Limits = Limits(), file: str = "") -> T:
    """`fn(*args)` in a worker process within `limits` (see Job.result)."""
    return Job(fn, *args, limits=limits, file=file).result()


def parse_plan(data: bytes, name: str, *, limits: Limits = Limits()) -> Any:
    """An uploaded file read into a Plan in a worker process (PlanImportError on failure)."""
    from analysis.model import plan_from_bytes

    return run(plan_from_bytes, data, name, limits=limits, file=name)


def _serve() -> None:
    """The worker: read one call from standard input, answer with its outcome on standard output."""
    import analysis.model  # noqa: F401 - loaded while the worker waits for its call

    (module, name), args, memory_bytes, cpu_seconds = pickle.load(sys.stdin.buffer)
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    try:
        fn: Any = importlib.import_module(module)
        for part in name.split("."):
            fn = getattr(fn, part)
        outcome: tuple[str, Any] = ("ok", fn(*args))
    except MemoryError:
        outcome = ("memory", None)
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which decides
        outcome = ("error", exc)
    try:
        data = pickle.dumps(outcome)
    except MemoryError:
        data = pickle.dumps(("memory", None))
    except Exception as exc:  # noqa: BLE001 - an exception that does not pickle
        data = pickle.dumps(("error", RuntimeError(repr(exc))))
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


__all__ = ["Job", "Limits", "PlanImportError", "parse_plan", "run"]

if __name__ == "__main__":
    _serve()
