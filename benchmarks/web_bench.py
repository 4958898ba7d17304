"""Web app under load: the full synthetic Kutai Timur regency (≈125,000 families) in SQLite,
served by uvicorn (2 workers) on loopback, 50 concurrent logged-in users looping for 30 s over
the main pages and API calls, in two scenarios:

- ``office``: each user reads a page 1–3 s (uniform, seeded) before the next click — 50 officers
  working at once, the load the goal is stated for;
- ``stress``: no pause at all, every user fires its next request the moment the last one
  answers (≈ 50 requests always in flight): the saturation point of the two cores, which the
  load generator shares with the server.

Reports p95 latency per path (goal < 200 ms) and the map page's weight with its scripts, styles,
boundaries and figures (goal < 1.5 MB). Writes benchmarks/results/web.json.

The database is a copy, cached under /tmp, of the regency the other benchmarks build
(benchmarks/.data/coverage.db with its delivery records, else kutim.db); without either it is
built here from `sinergi synth` (scale 1.0) and assessed.

    .venv/bin/python benchmarks/web_bench.py [--users 50] [--seconds 30] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from urllib.parse import parse_qsl

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from web_load import page_weight, run_load  # noqa: E402

DATA = ROOT / "benchmarks" / ".data"
CACHE = Path("/tmp/sinergi-web-bench")
DB = CACHE / "web.db"
RESULTS = ROOT / "benchmarks" / "results" / "web.json"
SECRET = "web-bench-secret-not-for-production"
PASSWORD = "bench-password-123"
THINK_S = (1.0, 3.0)
REF = date(2026, 8, 31)
P95_GOAL_MS = 200
WEIGHT_GOAL = 1.5e6


def prepare() -> dict[str, str]:
    """The cached database with an assessment, pmt-baznas proposals and a dppkb account; returns
    the records the paths address."""
    from sqlalchemy import func, select

    from sinergi.store.db import ensure_schema
    from sinergi.store.tables import assessment_runs, proposals, users

    CACHE.mkdir(parents=True, exist_ok=True)
    if not DB.exists():
        source = next((p for p in (DATA / "coverage.db", DATA / "kutim.db") if p.exists()), None)
        if source is not None:
            shutil.copyfile(source, DB)
    engine = ensure_schema(f"sqlite:///{DB}")
    with engine.connect() as conn:
        accounts = conn.execute(select(func.count()).select_from(users)).scalar_one()
        runs = conn.execute(select(func.count()).select_from(assessment_runs)).scalar_one()
    if not source_loaded(engine):
        _build(engine)
    if runs == 0:
        from sinergi.assess.run import assess
        from sinergi.rules import load_ruleset

        assess(engine, load_ruleset("krs-2024"), REF)
    with engine.connect() as conn:
        baznas = conn.execute(
            select(func.count())
            .select_from(proposals)
            .where(proposals.c.kode_program == "pmt-baznas")
        ).scalar_one()
    if not baznas:
        from sinergi.assess.run import latest_run_id
        from sinergi.targeting.families import family_plan, save_proposals
        from sinergi.targeting.programmes import load_programme

        run_id = latest_run_id(engine)
        prog = load_programme("pmt-baznas")
        save_proposals(engine, prog, run_id, family_plan(engine, run_id, prog))
    if not accounts:
        from sinergi.security.users import create_user

        create_user(engine, "dppkb", "dppkb", [], [], PASSWORD)
    from sinergi.store.tables import families

    with engine.connect() as conn:
        village, no_kk = conn.execute(
            select(proposals.c.kode_desa, proposals.c.no_kk)
            .where(proposals.c.kode_program == "pmt-baznas")
            .order_by(proposals.c.kode_desa, proposals.c.no_kk)
            .limit(1)
        ).one()
        head = conn.execute(
            select(families.c.nama_kepala).where(families.c.no_kk == no_kk)
        ).scalar_one()
    engine.dispose()
    # A search an officer would type: the head's first name (many families share it).
    return {"village": village, "no_kk": no_kk, "name": str(head).split()[0]}


def source_loaded(engine) -> bool:  # type: ignore[no-untyped-def]
    from sqlalchemy import func, select

    from sinergi.store.tables import families

    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(families)).scalar_one() > 0


def _build(engine) -> None:  # type: ignore[no-untyped-def]
    from sinergi.registry.importer import import_file
    from sinergi.synth import generate, source_files

    data = CACHE / "kutim"
    if not (data / "truth" / "summary.json").exists():
        generate(data, seed=1, scale=1.0, ref_date=REF)
    for kind, path in source_files(data):
        import_file(engine, kind, path)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int) -> subprocess.Popen:
    env = os.environ | {"SINERGI_DATABASE_URL": f"sqlite:///{DB}", "SINERGI_SECRET_KEY": SECRET}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "sinergi.web.app:app_from_env",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/masuk", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.terminate()
    raise SystemExit("server did not start")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()

    t0 = time.perf_counter()
    rec = prepare()
    print(f"database ready: {DB} ({time.perf_counter() - t0:.0f} s)")
    from sinergi.security.access import FamilyIds

    fid = FamilyIds(SECRET.encode()).encode(rec["no_kk"])
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(port, args.workers)
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            form = re.search(r'name="csrf" value="([^"]+)"', client.get("/masuk").text)
            assert form, "login form without its CSRF field"
            res = client.post(
                "/masuk", data={"username": "dppkb", "password": PASSWORD, "csrf": form.group(1)}
            )
            cookie = client.cookies.get("sinergi_sesi")
            assert res.status_code in (200, 303) and cookie, res.text[:300]
            meta = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/dasbor").text)
            assert meta, "page without the session's CSRF token"
            csrf = meta.group(1)
            token = client.post(
                "/api/v1/auth/token", data={"username": "dppkb", "password": PASSWORD}
            ).json()
        headers = {
            "Cookie": f"sinergi_sesi={cookie}",
            "Authorization": f"Bearer {token['access_token']}",
        }
        pages = [
            "/",
            "/peta",
            "/peta/data.json",
            f"/desa/{rec['village']}",
            "/program",
            "/program/air-bersih",
            f"/keluarga/{fid}",
            # The lists of issue 14: paged server-side, sorted, filtered by village name.
            "/terlewat",
            "/terlewat?halaman=20&urut=-nama",
            "/program/pmt-baznas?halaman=3",
            f"/desa/{rec['village']}/verifikasi?daftar=semua",
            "/anak-tanpa-kk",
            f"POST /keluarga/cari?q={rec['name']}&csrf={csrf}",
        ]
        api = [
            f"/api/v1/families/{rec['no_kk']}",
            "/api/v1/coverage?level=kecamatan",
            "/api/v1/programmes/pmt-baznas/beneficiaries",
            f"/api/v1/villages/{rec['village']}",
            "/api/v1/assessment/runs",
        ]
        paths = pages + api
        # Warm every worker's caches (aggregates per run, plans): the steady state officers see.
        # A new connection per request lets the kernel hand requests to every worker.
        for _ in range(4 * args.workers):
            for p in paths:
                with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
                    target, _, query = p.removeprefix("POST ").partition("?")
                    got = (
                        client.post(target, data=dict(parse_qsl(query)))
                        if p.startswith("POST ")
                        else client.get(p)
                    )
                    assert got.status_code == 200, p
        # One officer alone first: the latency of each page without queueing behind others.
        alone = run_load(base, paths, users=1, seconds=10, headers=headers)
        load = run_load(
            base, paths, users=args.users, seconds=args.seconds, headers=headers, think_s=THINK_S
        )
        stress = run_load(base, paths, users=args.users, seconds=args.seconds, headers=headers)
        weight = page_weight(
            base,
            ["/peta"],
            extra=["/peta/desa.geojson", "/peta/data.json"],
            headers={"Cookie": headers["Cookie"]},
        )
    finally:
        server.terminate()
        server.wait(timeout=30)

    def label(path: str) -> str:
        return (
            path.replace(fid, "{id}")
            .replace(rec["no_kk"], "{no_kk}")
            .replace(f"&csrf={csrf}", "")
            .replace(f"q={rec['name']}", "q={nama}")
        )

    keys = ("count", "errors", "p50_ms", "p95_ms", "p99_ms")
    per_path = {label(p): {k: s[k] for k in keys} for p, s in load["paths"].items()}
    single = {label(p): {k: s[k] for k in keys} for p, s in alone["paths"].items()}
    flat_out = {label(p): {k: s[k] for k in keys} for p, s in stress["paths"].items()}
    map_bytes = weight["pages"]["/peta"]["bytes_with_extra"]
    out = {
        "what": f"{args.users} concurrent logged-in users, {args.seconds:g} s, each pausing "
        f"{THINK_S[0]:g}-{THINK_S[1]:g} s between requests (office); uvicorn on loopback, "
        "full synthetic regency in SQLite",
        "think_s": list(THINK_S),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "users": args.users,
        "seconds": args.seconds,
        "workers": args.workers,
        "overall": load["overall"],
        "paths": per_path,
        "single_user": {"overall": alone["overall"], "paths": single},
        "stress_no_pause": {
            "overall": stress["overall"],
            "paths": flat_out,
            "client_cpu_s": stress.get("client_cpu_s"),
        },
        "client_cpu_s": load.get("client_cpu_s"),
        "p95_goal_ms": P95_GOAL_MS,
        "paths_over_goal": sorted(p for p, s in per_path.items() if s["p95_ms"] > P95_GOAL_MS),
        "map_page_bytes": map_bytes,
        "map_page_goal_bytes": WEIGHT_GOAL,
        "map_page_weight": weight,
        "error_examples": load["error_examples"],
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(out, indent=2, default=str))
    print(
        f"{'path':50s} {'n':>6s} {'err':>4s} {'p50':>8s} {'p95':>8s}  {'alone p95':>9s}"
        f"  {'stress p95':>10s}"
    )
    for p, s in per_path.items():
        print(
            f"{p:50s} {s['count']:6d} {s['errors']:4d} {s['p50_ms']:8.1f} {s['p95_ms']:8.1f}"
            f"  {single.get(p, {}).get('p95_ms') or 0:9.1f}"
            f"  {flat_out.get(p, {}).get('p95_ms') or 0:10.1f}"
        )
    for name, run in (("office (pause 1-3 s)", load), ("stress (no pause)", stress)):
        o = run["overall"]
        print(
            f"{name}: {o['count']} requests, {o['errors']} errors, p50 {o['p50_ms']} ms, "
            f"p95 {o['p95_ms']} ms, {o['throughput_rps']} req/s"
        )
    print(f"map page weight: {map_bytes / 1e6:.2f} MB (goal < {WEIGHT_GOAL / 1e6} MB)")
    print(f"written {RESULTS}")


if __name__ == "__main__":
    main()
