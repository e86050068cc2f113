"""Timing a command in a fresh process, with the peak memory of it and every process it starts."""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

SAMPLE_SECONDS = 0.05


@dataclass
class Run:
    """One measured run: wall-clock seconds, peak memory of all its processes, how it ended."""

    seconds: float
    peak_mb: float
    ok: bool
    output: str = ""
    cpu: float = 0.0


@dataclass
class Series:
    """The runs of one row; medians for the table."""

    runs: list[Run] = field(default_factory=list)
    note: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.runs) and all(r.ok for r in self.runs)

    @property
    def seconds(self) -> float | None:
        return statistics.median(r.seconds for r in self.runs) if self.ok else None

    @property
    def cpu(self) -> float | None:
        return statistics.median(r.cpu for r in self.runs) if self.ok else None

    @property
    def peak_mb(self) -> float | None:
        return max(r.peak_mb for r in self.runs) if self.ok else None

    @property
    def failure(self) -> str:
        bad = next((r for r in self.runs if not r.ok), None)
        return bad.output if bad else self.note


def _children() -> dict[int, list[int]]:
    """Every process's children, from /proc (Linux)."""
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _pss_kb(pid: int) -> int:
    """Proportional set size: pages shared between forked processes are counted once in the sum."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree_kb(root: int) -> int:
    tree = _children()
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += _pss_kb(pid)
        todo.extend(tree.get(pid, ()))
    return total


def run(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run `cmd` to completion; peak memory is the larger of the sampled sum over the process tree
    and the largest single process's own peak (wait4's ru_maxrss), so neither short peaks nor
    worker processes are missed."""
    sampling = Path("/proc/self/smaps_rollup").exists()
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        peak_kb = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(SAMPLE_SECONDS):
                peak_kb[0] = max(peak_kb[0], _tree_kb(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        if sampling:
            sampler.start()
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        done.set()
        if sampling:
            sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    maxrss_kb = usage.ru_maxrss if sys.platform != "darwin" else usage.ru_maxrss // 1024
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, max(peak_kb[0], maxrss_kb) / 1024, proc.returncode == 0, text, cpu)


def tail(text: str, lines: int = 3) -> str:
    """The last lines of a failed command's output, for the table's notes."""
    kept = [line for line in text.strip().splitlines() if line.strip()]
    return " / ".join(kept[-lines:])
