"""Bounded load and page-weight measurement for the Sinergi web app (an already running server).

``users`` simulated users each loop over ``paths`` for ``seconds`` (keep-alive connections, no
think time), recording every request's latency and status; the report gives per path and overall
count, errors, p50/p95/p99/max latency and throughput. Page weight fetches each ``weight_paths``
page, every script, stylesheet, image and iframe it references, plus ``extra`` URLs the page
loads from script (such as the GeoJSON of the map), and sums their bytes.

    .venv/bin/python benchmarks/web_load.py --base-url http://127.0.0.1:8000 \\
        --users 50 --seconds 30 --paths /,/peta --header 'Cookie: session=...' \\
        --weight-path /peta --extra /api/geo/desa.geojson

Importable: ``run_load(...)`` and ``page_weight(...)`` return the same dicts the command writes
to ``--out`` (default benchmarks/results/web_load.json), so a script that starts the server can
drive them. Loopback servers only unless ``allow_remote``: this is a load generator.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import ipaddress
import json
import math
import platform
import random
import resource
import ssl
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

import httpx

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "web_load.json"
MAX_USERS = 1000
MAX_SECONDS = 600.0


@dataclass(frozen=True)
class Sample:
    path: str
    status: int  # 0 when the request failed without a response
    latency_s: float
    error: str | None


# --- load -----------------------------------------------------------------------------------------


def run_load(
    base_url: str,
    paths: Sequence[str],
    *,
    users: int = 50,
    seconds: float = 30.0,
    headers: Mapping[str, str] | None = None,
    timeout_s: float = 30.0,
    allow_remote: bool = False,
    think_s: tuple[float, float] | None = None,
) -> dict[str, Any]:
    """Run the load and return its statistics (see :func:`summarise`).

    ``think_s`` = (low, high): each user pauses a uniformly drawn time between its requests,
    as an officer reads a page before clicking on (seeded per user, so runs are comparable);
    None = no pause at all (a stress test: every user fires its next request at once)."""
    _check_target(base_url, allow_remote)
    if not paths:
        raise ValueError("no paths to request")
    if not 1 <= users <= MAX_USERS:
        raise ValueError(f"users must be 1..{MAX_USERS}")
    if not 0 < seconds <= MAX_SECONDS:
        raise ValueError(f"seconds must be in (0, {MAX_SECONDS:g}]")
    cpu_before = _cpu_seconds()
    samples, elapsed = asyncio.run(
        _load(base_url, list(paths), users, seconds, dict(headers or {}), timeout_s, think_s)
    )
    result = summarise(samples, elapsed)
    result["config"] = {
        "base_url": base_url,
        "paths": list(paths),
        "users": users,
        "seconds": seconds,
        "timeout_s": timeout_s,
        "think_s": list(think_s) if think_s else None,
    }
    # A saturated load generator measures itself, not the server: report its CPU use.
    result["client_cpu_s"] = round(_cpu_seconds() - cpu_before, 2)
    return result


async def _load(
    base_url: str,
    paths: list[str],
    users: int,
    seconds: float,
    headers: dict[str, str],
    timeout_s: float,
    think_s: tuple[float, float] | None = None,
) -> tuple[list[Sample], float]:
    samples: list[Sample] = []
    # One client (one keep-alive connection) per user, like separate browsers; a single shared
    # httpx pool serialises on its own lock and slows down as users are added. The clients
    # share one TLS context: building one per client costs ~20 ms of CPU each.
    tls = ssl.create_default_context()
    clients = [
        httpx.AsyncClient(
            base_url=base_url,
            headers=headers,
            limits=httpx.Limits(max_connections=1),
            timeout=timeout_s,
            verify=tls,
        )
        for _ in range(users)
    ]
    try:
        started = time.perf_counter()
        deadline = started + seconds
        await asyncio.gather(
            *(
                _user(client, paths, user, deadline, samples, think_s)
                for user, client in enumerate(clients)
            )
        )
        elapsed = time.perf_counter() - started
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))
    return samples, elapsed


async def _request(client: httpx.AsyncClient, path: str) -> httpx.Response:
    """GET ``path``; ``"POST /path?a=1&b=2"`` posts the query as a form (a search, whose terms
    never travel in a URL)."""
    if not path.startswith("POST "):
        return await client.get(path)
    target, _, query = path.removeprefix("POST ").partition("?")
    return await client.post(target, data=dict(parse_qsl(query)))


async def _user(
    client: httpx.AsyncClient,
    paths: list[str],
    user: int,
    deadline: float,
    out: list[Sample],
    think_s: tuple[float, float] | None = None,
) -> None:
    # Users start at different paths so that not all of them hit the same page at once.
    step = user % len(paths)
    rng = random.Random(user)
    if think_s:
        await asyncio.sleep(rng.uniform(0, think_s[1]))  # users do not all arrive at once
    while time.perf_counter() < deadline:
        path = paths[step % len(paths)]
        step += 1
        began = time.perf_counter()
        try:
            response = await _request(client, path)
            await response.aread()
            out.append(Sample(path, response.status_code, time.perf_counter() - began, None))
        except httpx.HTTPError as error:
            message = f"{type(error).__name__}: {error}"
            out.append(Sample(path, 0, time.perf_counter() - began, message))
        if think_s:
            await asyncio.sleep(rng.uniform(*think_s))


def summarise(samples: Sequence[Sample], elapsed_s: float) -> dict[str, Any]:
    """Overall and per-path statistics; an error is a failed request or a status >= 400."""
    by_path: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        by_path[sample.path].append(sample)
    return {
        "elapsed_s": round(elapsed_s, 3),
        "overall": _stats(samples, elapsed_s),
        "paths": {path: _stats(group, elapsed_s) for path, group in by_path.items()},
        "error_examples": sorted({s.error for s in samples if s.error})[:10],
    }


def _stats(samples: Sequence[Sample], elapsed_s: float) -> dict[str, Any]:
    latencies = sorted(s.latency_s * 1000 for s in samples)
    return {
        "count": len(samples),
        "errors": sum(1 for s in samples if s.status == 0 or s.status >= 400),
        "status": {str(k): v for k, v in sorted(Counter(s.status for s in samples).items())},
        "p50_ms": _percentile(latencies, 50),
        "p95_ms": _percentile(latencies, 95),
        "p99_ms": _percentile(latencies, 99),
        "max_ms": round(latencies[-1], 2) if latencies else None,
        "throughput_rps": round(len(samples) / elapsed_s, 1) if elapsed_s > 0 else None,
    }


def _percentile(ordered: Sequence[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default), on sorted data."""
    if not ordered:
        return None
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    value = ordered[low] + (ordered[high] - ordered[low]) * (position - low)
    return round(value, 2)


# --- page weight ----------------------------------------------------------------------------------


class _References(HTMLParser):
    """URLs a browser loads with the page: scripts, stylesheets, icons, images, frames, media."""

    LINK_RELS = frozenset({"stylesheet", "icon", "preload", "modulepreload", "manifest"})
    SRC_TAGS = frozenset({"script", "img", "iframe", "source", "audio", "video", "embed", "input"})

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link":
            rels = set((values.get("rel") or "").lower().split())
            if rels & self.LINK_RELS and values.get("href"):
                self.urls.append(values["href"] or "")
        elif tag in self.SRC_TAGS and values.get("src"):
            self.urls.append(values["src"] or "")
        elif tag == "object" and values.get("data"):
            self.urls.append(values["data"] or "")


def page_weight(
    base_url: str,
    paths: Sequence[str],
    *,
    extra: Sequence[str] = (),
    headers: Mapping[str, str] | None = None,
    allow_remote: bool = False,
) -> dict[str, Any]:
    """Bytes of each page with its referenced files, and of the ``extra`` URLs.

    ``bytes`` is the decoded size, ``wire_bytes`` what went over the network (smaller when the
    server compresses). A first visit with an empty cache loads all of it. References to other
    hosts are listed under ``external`` and not fetched: the app must not have any.
    """
    _check_target(base_url, allow_remote)
    origin = urlsplit(base_url).netloc
    with httpx.Client(base_url=base_url, headers=dict(headers or {}), timeout=30) as client:
        pages = {}
        for path in paths:
            response = client.get(path)
            parser = _References()
            parser.feed(response.text)
            urls = list(dict.fromkeys(urljoin(str(response.url), u) for u in parser.urls))
            local = [u for u in urls if urlsplit(u).netloc == origin]
            resources = [_resource(response)] + [_resource(client.get(u)) for u in local]
            pages[path] = _weight(resources) | {
                "external": [u for u in urls if urlsplit(u).netloc != origin]
            }
        extras = _weight([_resource(client.get(u)) for u in extra])
    for result in pages.values():
        result["bytes_with_extra"] = result["bytes"] + extras["bytes"]
        result["wire_bytes_with_extra"] = result["wire_bytes"] + extras["wire_bytes"]
    return {"pages": pages, "extra": extras}


def _resource(response: httpx.Response) -> dict[str, Any]:
    return {
        "url": str(response.url),
        "status": response.status_code,
        "type": response.headers.get("content-type", "").split(";")[0],
        "bytes": len(response.content),
        "wire_bytes": response.num_bytes_downloaded,
    }


def _weight(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "bytes": sum(r["bytes"] for r in resources),
        "wire_bytes": sum(r["wire_bytes"] for r in resources),
        "errors": [r["url"] for r in resources if r["status"] >= 400],
        "resources": resources,
    }


# --- command line ---------------------------------------------------------------------------------


def _check_target(base_url: str, allow_remote: bool) -> None:
    host = urlsplit(base_url).hostname or ""
    if allow_remote or host == "localhost":
        return
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ValueError(f"{base_url}: not a loopback address (pass allow_remote to insist)")


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _headers(pairs: Iterable[str], token: str | None) -> dict[str, str]:
    headers = {}
    for pair in pairs:
        name, separator, value = pair.partition(":")
        if not separator or not name.strip():
            raise SystemExit(f"--header {pair!r}: expected 'Name: value'")
        headers[name.strip()] = value.strip()
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return headers


def _print_load(result: dict[str, Any]) -> None:
    columns = ("count", "errors", "p50_ms", "p95_ms", "p99_ms", "max_ms", "throughput_rps")
    print(f"{'path':<32}" + "".join(f"{c:>15}" for c in columns))
    rows = [*sorted(result["paths"].items()), ("(overall)", result["overall"])]
    for path, stats in rows:
        print(f"{path:<32}" + "".join(f"{_show(stats[c]):>15}" for c in columns))
    print(f"elapsed {result['elapsed_s']} s, client CPU {result['client_cpu_s']} s")
    for example in result["error_examples"]:
        print(f"  error: {example}")


def _print_weight(result: dict[str, Any]) -> None:
    for path, page in result["pages"].items():
        print(
            f"page weight {path}: {page['bytes'] / 1024:.1f} KiB decoded, "
            f"{page['wire_bytes'] / 1024:.1f} KiB on the wire, {len(page['resources'])} files; "
            f"with extra: {page['bytes_with_extra'] / 1024:.1f} KiB"
        )
        for problem in page["external"] + page["errors"]:
            print(f"  problem: {problem}")
    if result["extra"]["resources"]:
        print(f"extra URLs: {result['extra']['bytes'] / 1024:.1f} KiB decoded")


def _show(value: Any) -> str:
    return "-" if value is None else str(value)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--paths", default="", help="comma-separated paths to load-test")
    parser.add_argument("--header", action="append", default=[], help="'Name: value', repeatable")
    parser.add_argument("--token", help="bearer token (Authorization header)")
    parser.add_argument("--weight-path", action="append", default=[], help="page to weigh")
    parser.add_argument("--extra", action="append", default=[], help="URL the page fetches")
    parser.add_argument("--timeout", type=float, default=30.0, help="per request, seconds")
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        metavar=("LOW", "HIGH"),
        help="pause between a user's requests, seconds (uniform)",
    )
    parser.add_argument("--allow-remote", action="store_true", help="target a non-loopback host")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)

    headers = _headers(args.header, args.token)
    paths = [p.strip() for p in args.paths.split(",") if p.strip()]
    if not paths and not args.weight_path:
        parser.error("nothing to do: give --paths and/or --weight-path")
    report: dict[str, Any] = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
        "machine": platform.platform(),
    }
    if args.weight_path:
        report["page_weight"] = page_weight(
            args.base_url,
            args.weight_path,
            extra=args.extra,
            headers=headers,
            allow_remote=args.allow_remote,
        )
        _print_weight(report["page_weight"])
    if paths:
        report["load"] = run_load(
            args.base_url,
            paths,
            users=args.users,
            seconds=args.seconds,
            headers=headers,
            timeout_s=args.timeout,
            allow_remote=args.allow_remote,
            think_s=tuple(args.think) if args.think else None,
        )
        _print_load(report["load"])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written {args.out}")
    failed = report.get("load", {}).get("overall", {}).get("errors", 0)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
