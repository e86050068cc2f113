"""Modules shared between this process and a forked worker (`bothends.from_both_ends`): what the worker
wrote whole is taken, what it could not finish is left to this process, and its exit is not waited for."""
from __future__ import annotations

import multiprocessing
import os
import pickle
import time
from typing import IO

import pytest

import builder.bothends
from builder.bothends import from_both_ends

pytestmark = pytest.mark.skipif(not builder.bothends.can_fork(), reason="workers are forked processes")
MAIN_PID = os.getpid()  # this process: the one that shares the modules out


def _square_slowly_here(index: int) -> int:
    """This process's share: slow, so that the worker takes the back modules first."""
    if os.getpid() == MAIN_PID:
        time.sleep(0.05)
    return index * index


def _share(todo: list[int], work) -> tuple[dict[int, int], list[int]]:  # noqa: ANN001 - the work function
    """What a build does: each module in order, taking the worker's results when the two ends meet,
    and doing itself any module the worker did not hand over."""
    results: dict[int, int] = {}
    done_here: list[int] = []
    with from_both_ends(todo, 2, work) as reach:
        for index in todo:
            results.update(reach(index) or {})
            if index not in results:
                results[index] = work(index)
                done_here.append(index)
    return results, done_here


def test_the_two_ends_share_the_modules_and_every_module_is_done_once() -> None:
    results, done_here = _share(list(range(12)), _square_slowly_here)
    assert results == {i: i * i for i in range(12)}
    assert done_here and done_here == list(range(len(done_here))), "this process takes modules from the front"
    assert len(done_here) < 12, "the worker took some from the back"


def test_a_worker_stopped_while_writing_leaves_its_whole_results_and_the_rest_is_done_here(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker killed in the middle of writing a result: the results it wrote whole are taken, the
    half-written one and those it never reached are done by this process."""
    real_write = builder.bothends._write_record

    def dies_while_writing(out: IO[bytes], record: bytes) -> None:
        index, _ = pickle.loads(record)
        if index == 8:
            whole = builder.bothends._LENGTH.pack(len(record)) + record
            out.write(whole[:len(whole) // 2])
            out.flush()
            os._exit(1)
        real_write(out, record)

    monkeypatch.setattr(builder.bothends, "_write_record", dies_while_writing)
    results, done_here = _share(list(range(12)), _square_slowly_here)
    assert results == {i: i * i for i in range(12)}
    assert 8 in done_here, "the result cut short was done again here"
    assert 11 not in done_here and 9 not in done_here, "the worker's whole results were taken"


def test_the_results_are_taken_without_waiting_for_the_worker_to_end(monkeypatch: pytest.MonkeyPatch) -> None:
    """Once the worker says it is done, its results are read at once: a worker still busy ending (here, for
    a long while) does not hold this process up; it is reaped later."""
    real_work = builder.bothends._work_from_back

    def lingers(*args, **kwargs) -> None:  # noqa: ANN002, ANN003
        real_work(*args, **kwargs)
        time.sleep(30)

    monkeypatch.setattr(builder.bothends, "_work_from_back", lingers)
    todo = list(range(8))
    with from_both_ends(todo, 2, _square_slowly_here) as reach:
        taken: dict[int, int] = {}
        for index in todo:
            taken.update(reach(index) or {})
            if index not in taken:
                _square_slowly_here(index)
        lingering = [p for p in multiprocessing.active_children() if p.is_alive()]
        assert lingering, "the worker, still ending, was waited for"
    assert taken and all(taken[i] == i * i for i in taken)
    for process in lingering:  # the test's own worker: not left behind for 30 s
        process.terminate()
        process.join()
