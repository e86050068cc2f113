"""Modules shared out between this process, taking them from the front, and forked workers, from the back."""
from __future__ import annotations

import gc
import os
import pickle
import struct
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any, TypeVar

Result = TypeVar("Result")
PARALLEL_MIN_LESSONS = 50  # below this, starting workers costs more than it saves (measured: 40 lessons break even)


def worker_count(lessons: int) -> int:
    """How many processes a build of this size gains from: one where processes cannot be forked."""
    return min(available_cores(), 8) if lessons >= PARALLEL_MIN_LESSONS and can_fork() else 1


def available_cores() -> int:
    """The cores this process may run on (fewer than the machine's in a container limited to some)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def can_fork() -> bool:
    """Whether this system starts a process as a copy of this one (not on Windows): workers are forked,
    to share the course already in memory, or there are none."""
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


class Claims:
    """Which modules are taken: this process takes them from the front, workers from the back.

    Shared memory and a lock, made before the workers fork; when the two ends meet, every module has
    one process, and no process waits for another longer than one module takes.
    """

    def __init__(self, context: Any, todo: list[int]) -> None:
        self.lock = context.Lock()
        self.todo = todo  # the modules to share out, by index
        self.ends = context.RawArray("i", [0, len(todo)])  # next from the front, one past the last from the back

    def front(self) -> bool:
        with self.lock:
            if self.ends[0] < self.ends[1]:
                self.ends[0] += 1
                return True
            return False

    def back(self) -> int | None:
        with self.lock:
            if self.ends[0] < self.ends[1]:
                self.ends[1] -= 1
                return self.todo[self.ends[1]]
            return None


def _work_from_back(claims: Claims, work: Callable[[int], Any], out: IO[bytes], done: Any) -> None:
    """In a worker: do the modules taken from the back, writing each one's result to `out` as it is done
    (its length, then its pickle), then say it is `done`.

    A file, not a pipe: a pipe would hold the worker up until this process, busy with its own share,
    found a moment to read it. Written whole, a result at a time: this process reads those written
    while the worker does its last module (`_Results`).
    """
    while (index := claims.back()) is not None:
        _write_record(out, pickle.dumps((index, work(index)), pickle.HIGHEST_PROTOCOL))
    done.set()


_LENGTH = struct.Struct("<Q")  # a result's length before it


def _write_record(out: IO[bytes], record: bytes) -> None:
    out.write(_LENGTH.pack(len(record)) + record)
    out.flush()


class _Results:
    """The results a worker has written whole so far, read without moving the file offset it writes at."""

    def __init__(self, fd: int) -> None:
        self.fd, self.at = fd, 0

    def whole(self) -> Iterator[tuple[int, Any]]:
        while len(head := os.pread(self.fd, _LENGTH.size, self.at)) == _LENGTH.size:
            (length,) = _LENGTH.unpack(head)
            record = os.pread(self.fd, length, self.at + _LENGTH.size)
            if len(record) < length:  # still being written
                return
            self.at += _LENGTH.size + length
            yield pickle.loads(record)


@contextmanager
def from_both_ends(todo: list[int], workers: int,
                   work: Callable[[int], Result]) -> Iterator[Callable[[int], dict[int, Result] | None]]:
    """Share the modules `todo` (indexes, in order) with `workers - 1` forked processes doing `work`.

    Yields `reach(index)`, to call before this process does each module in order: None while the
    module is this process's (or not shared); for the first module a worker took, once the workers
    are done, their results by module index (none for a module one could not finish), then None
    again. Workers whose work was not needed are ended on the way out.
    """
    import multiprocessing
    import tempfile

    shared = set(todo)
    context = multiprocessing.get_context("fork")
    claims = Claims(context, todo)
    outputs = [tempfile.TemporaryFile() for _ in range(workers - 1)]
    dones = [context.Event() for _ in outputs]
    processes = []
    collected = False

    def reach(index: int) -> dict[int, Result] | None:
        nonlocal collected
        if collected or index not in shared or claims.front():
            return None
        results: dict[int, Result] = {}
        for process, out, done in zip(processes, outputs, dones):
            # The results written so far are read while the worker does its last module; a worker that
            # stopped early (killed) wrote fewer, whole or not: the whole ones count. Its exit is not waited for.
            reader = _Results(out.fileno())
            while True:
                over = done.is_set() or not process.is_alive()
                results.update(reader.whole())
                if over:
                    break
                done.wait(0.05)
        collected = True
        return results

    gc.freeze()  # the collector kept from touching (and so copying) the heap the processes share
    try:
        for out, done in zip(outputs, dones):
            process = context.Process(target=_work_from_back, args=(claims, work, out, done), daemon=True)
            process.start()
            processes.append(process)
        yield reach
    finally:
        for process in processes:
            if not collected:  # this process stopped early, or needed none of their work
                process.terminate()
                process.join()
            # else it is ending on its own: reaped once it has (`multiprocessing.active_children`, at exit)
        for out in outputs:
            out.close()
        gc.unfreeze()
