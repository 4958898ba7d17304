"""One command in its own child process, measured on its own: exit code, output, wall time and
peak memory. Used by the benchmarks, and by tests that run the real CLI as an officer would (the
tests check the answer; only the benchmarks judge the time and memory).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

SINERGI = Path(sys.executable).with_name("sinergi")
TIME = Path("/usr/bin/time")


@dataclass(frozen=True)
class Run:
    exit: int
    output: str  # stdout and stderr together
    seconds: float
    peak_mib: float


def run_measured(cmd: list[str], cwd: Path, env: dict[str, str]) -> Run:
    """Run ``cmd`` and measure its own peak RSS.

    Linux carries the parent's peak RSS into a forked child's ``ru_maxrss`` (across exec), so a
    child of a large process (pytest, a benchmark) would be charged for its parent. GNU time is
    small: the command it starts is measured on its own. Without it, wait4's figure (an
    overestimate) is used."""
    cwd = cwd.resolve()  # GNU time's output file is named relative to the child's folder
    out_path, stat_path = cwd / "output.txt", cwd / "time.txt"
    full = [str(TIME), "-q", "-f", "%M", "-o", str(stat_path), *cmd] if TIME.exists() else cmd
    with out_path.open("wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(full, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    peak_kib = usage.ru_maxrss
    if TIME.exists():
        peak_kib = int(stat_path.read_text().split()[-1])
    return Run(
        os.waitstatus_to_exitcode(status),
        out_path.read_text(errors="replace"),
        seconds,
        peak_kib / 1024,
    )


def import_in_child(
    kind: str,
    path: Path,
    db_url: str,
    cwd: Path,
    report: Path | None = None,
    command: Sequence[str] = (str(SINERGI),),
) -> Run:
    """``sinergi import KIND PATH --db URL [--report REPORT]`` in its own process, as an officer
    runs it; unexpected errors are logged in ``cwd/error.log``. ``command`` is what stands for
    ``sinergi`` (a benchmark puts another reader behind the same CLI this way)."""
    cmd = [*command, "import", kind, str(path), "--db", db_url]
    if report is not None:
        cmd += ["--report", str(report)]
    env = {**os.environ, "SINERGI_LOG": str(cwd / "error.log"), "COLUMNS": "200"}
    return run_measured(cmd, cwd, env)
