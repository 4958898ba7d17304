"""Hostile files and a large valid roster through the real CLI, each import in its own child.

For every file of the hostile corpus (tests/hostile.py): the wall time and the child's own peak
memory of ``sinergi import`` (goal: under 10 s and 500 MB, answered with a sentence, no traceback).
Then a valid roster of 1,000,000 people (formats.md §1, 20 columns, seeded) imported into SQLite,
with this code and, in the same run, with the reader and validator of ``--old-ref`` (the commit
before the bounded readers) put in their place in the same CLI and store. The old reader is not run
on the hostile corpus: a far cell makes it allocate ~9 GB, on a machine shared with others.

Prints a table and writes ``benchmarks/results/hostile.json``.

    .venv/bin/python benchmarks/hostile_bench.py [--people 1000000] [--old-ref 1ca1569] [--no-old]
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "benchmarks" / "results" / "hostile.json"
DATA = ROOT / "benchmarks" / ".data"
SINERGI = Path(sys.executable).with_name("sinergi")
GOAL_SECONDS, GOAL_MIB = 10.0, 500.0


def measure(cmd: list[str], cwd: Path) -> dict:
    """Run one child: wall time, its own peak RSS, exit code, and whether its output holds a
    traceback or the 'unexpected error' sentence."""
    from tests.hostile import run_measured

    env = {**os.environ, "SINERGI_LOG": str(cwd / "error.log"), "COLUMNS": "200"}
    run = run_measured(cmd, cwd, env)
    return {
        "seconds": round(run.seconds, 2),
        "peak_mib": round(run.peak_mib, 1),
        "exit": run.exit,
        "traceback": "Traceback" in run.output or "kesalahan tak terduga" in run.output,
        "answer": run.output.strip().splitlines()[0] if run.output.strip() else "",
    }


def template_db(folder: Path) -> Path:
    from sinergi.store.db import ensure_schema

    path = folder / "template.db"
    ensure_schema(f"sqlite:///{path}").dispose()
    return path


def fresh_db(template: Path, folder: Path, name: str) -> str:
    path = folder / f"{name}.db"
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


def corpus_run(folder: Path, template: Path) -> dict[str, dict]:
    from tests.hostile import CORPUS, build_corpus

    files = build_corpus(folder / "corpus")
    results: dict[str, dict] = {}
    for name, case in CORPUS.items():
        work = folder / "runs" / name
        work.mkdir(parents=True, exist_ok=True)
        report = work / "laporan.csv"
        r = measure(
            [
                str(SINERGI),
                "import",
                case.kind,
                str(files[name]),
                "--db",
                fresh_db(template, work, "db"),
                "--report",
                str(report),
            ],
            work,
        )
        codes = []
        if report.exists():
            with report.open(encoding="utf-8-sig") as fh:
                codes = sorted({row["kode"] for row in csv.DictReader(fh)})
        expected = case.refusal or case.note
        r.update(
            file_bytes=files[name].stat().st_size,
            expected=case.refusal or "dibaca",
            codes=codes[:3],
            answered=(
                r["exit"] == (2 if case.refusal else 0)
                and not r["traceback"]
                and (expected is None or expected in codes)
            ),
        )
        r["within_goal"] = r["seconds"] < GOAL_SECONDS and r["peak_mib"] < GOAL_MIB
        results[name] = r
        print(
            f"{name:22s} {r['file_bytes']:>12,} B  {r['seconds']:6.2f} s  "
            f"{r['peak_mib']:7.1f} MiB  exit {r['exit']}  "
            f"{'ok' if r['answered'] else 'WRONG'}  {','.join(codes[:2]) or '-'}"
        )
    return results


def old_sources(ref: str, folder: Path) -> Path | None:
    """The reader and validator of ``ref``, written to ``folder``; None if git cannot show them."""
    for name in ("reader", "validate"):
        out = subprocess.run(
            ["git", "show", f"{ref}:src/sinergi/ingest/{name}.py"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if out.returncode != 0:
            print(f"old {name} {ref}: {out.stderr.strip()}")
            return None
        (folder / f"old_{name}.py").write_text(out.stdout)
    return folder


def load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def child_old(folder: Path, args: list[str]) -> None:
    """Runs inside the child: the CLI, with the old reader and validator behind the importer."""
    import sinergi.ingest.reader as new
    import sinergi.registry.importer as importer
    from sinergi import cli

    old_reader = load("sinergi_old_reader", folder / "old_reader.py")
    old_validate = load("sinergi_old_validate", folder / "old_validate.py")

    def read_table(path: Path, sheet: str | None = None, limits: object = None) -> new.RawTable:
        try:
            t = old_reader.read_table(path, sheet)
        except old_reader.ReadError as exc:
            raise new.ReadError(exc.code, **exc.params) from exc
        return new.RawTable(
            t.path, t.sheet, t.header, t.header_row, t.rows, t.row_numbers, t.sha256
        )

    importer.read_table = read_table  # type: ignore[assignment]
    importer.validate = old_validate.validate
    sys.argv = ["sinergi", *args]
    cli.main()


def roster_run(folder: Path, template: Path, people: int, old: Path | None) -> dict:
    from tests.hostile import roster_csv

    DATA.mkdir(parents=True, exist_ok=True)
    roster = DATA / f"roster-{people}.csv"
    if not roster.exists():
        print(f"roster → {roster}")
        roster_csv(roster, people)
    result: dict = {"people": people, "columns": 20, "file_bytes": roster.stat().st_size}
    contenders = {"new": [str(SINERGI)]}
    if old is not None:
        contenders["old"] = [sys.executable, __file__, "--child-old", str(old), "--"]
    for label, prefix in contenders.items():
        work = folder / f"roster-{label}"
        work.mkdir(parents=True, exist_ok=True)
        r = measure(
            [*prefix, "import", "keluarga", str(roster), "--db", fresh_db(template, work, "db")],
            work,
        )
        result[label] = r
        print(
            f"roster {label:4s} {people:,} rows  {r['seconds']:7.1f} s  {r['peak_mib']:7.0f} MiB"
            f"  exit {r['exit']}  {r['answer']}"
        )
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=1_000_000)
    ap.add_argument("--old-ref", default="1ca1569")
    ap.add_argument("--no-old", action="store_true")
    ap.add_argument("--child-old")
    args, rest = ap.parse_known_args()
    if args.child_old:
        child_old(Path(args.child_old), [a for a in rest if a != "--"])
        return

    with tempfile.TemporaryDirectory(dir=DATA if DATA.exists() else None) as tmp:
        folder = Path(tmp)
        template = template_db(folder)
        print(f"{'file':22s} {'size':>14s}  {'time':>8s}  {'peak':>11s}")
        corpus = corpus_run(folder, template)
        old = None if args.no_old else old_sources(args.old_ref, folder)
        roster = roster_run(folder, template, args.people, old)
    results = {
        "goal": {"seconds": GOAL_SECONDS, "peak_mib": GOAL_MIB},
        "corpus": corpus,
        "all_answered_within_goal": all(
            r["answered"] and r["within_goal"] for r in corpus.values()
        ),
        "roster_sqlite": roster,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
    }
    if "old" in roster:
        results["roster_sqlite"]["old_is"] = (
            f"the reader and validator of {args.old_ref}, in this CLI and store"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"→ {RESULTS}")


if __name__ == "__main__":
    main()
