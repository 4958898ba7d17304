"""The kecamatan scope on every page: an account limited to one kecamatan (``sinergi user add …
--wilayah 64.08.xx``) walks every GET route of the app — pages and API, path parameters filled
with a value inside and one outside its kecamatan — plus the search and the list exports, and
no village code or name, kecamatan name or No KK of another kecamatan may appear; objects of
another kecamatan are not found."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import openpyxl
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select

from sinergi.security.access import FamilyIds
from sinergi.store.tables import families
from sinergi.targeting.programmes import load_catalogue
from sinergi.wilayah import get_wilayah
from tests.web.conftest import PASSWORD, SECRET, Facts, bearer, login

IDS = FamilyIds(SECRET)
PROGRAMMES = sorted(load_catalogue())
KK = re.compile(r"(?<!\d)\d{16}(?!\d)")
VILLAGE_CODE = re.compile(r"64\.08\.\d\d\.\d{4}")
# Pages that name no place and hold no family (static texts, redirects).
SKIP = {"/masuk", "/bahasa/{lang}", "/laporan/{kind}"}  # reports: walked apart, every kind
# The one list of places outside the area a page may offer: where a family moved to (a village
# verification's "pindah" answer may name any village of the regency). Places, not people.
MOVE_TARGETS = re.compile(r'<select name="desa_baru">.*?</select>', re.S)


def _routes(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, APIRoute]]:
    """Every route of the app, into included routers (FastAPI includes them lazily)."""
    for r in routes:
        inner = getattr(r, "original_router", None)
        if inner is not None:
            yield from _routes(inner.routes, prefix + r.include_context.prefix)
        elif isinstance(r, APIRoute):
            yield prefix + r.path, r


class Scope:
    """What is inside and outside the kecamatan of the test village, from the seeded data."""

    def __init__(self, engine: Any, facts: Facts) -> None:
        w = get_wilayah()
        self.kec = facts.village[:8]
        villages = w.villages(self.kec[:5])
        inside = [v for v in villages if v.kode.startswith(self.kec)]
        outside = [v for v in villages if not v.kode.startswith(self.kec)]
        self.codes_out = {v.kode for v in outside}
        names_in = {v.nama.casefold() for v in inside} | {w.name(self.kec).casefold()}
        kec_out = {w.name(v.kode[:8]) for v in outside}
        # A name of another kecamatan that is also (part of) a name inside proves nothing.
        self.names_out = {
            n
            for n in {v.nama for v in outside} | kec_out
            if not any(n.casefold() in m for m in names_in | {"kutai timur"})
        }
        with engine.connect() as conn:
            rows = conn.execute(select(families.c.no_kk, families.c.kode_desa)).all()
        self.kk_out = {kk for kk, desa in rows if not desa.startswith(self.kec)}
        self.kk_in = sorted(kk for kk, desa in rows if desa.startswith(self.kec))
        self.family_out = sorted(self.kk_out)[0]
        self.village_in = facts.village
        self.village_out = sorted(self.codes_out)[0]

    def leaks(self, text: str) -> list[str]:
        found = [c for c in set(VILLAGE_CODE.findall(text)) if c in self.codes_out]
        found += [k for k in set(KK.findall(text)) if k in self.kk_out]
        found += [
            n for n in self.names_out if re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text)
        ]
        return sorted(found)


def _fill(path: str, scope: Scope, inside: bool, programme: str) -> str:
    values = {
        "kode_desa": scope.village_in if inside else scope.village_out,
        "fid": IDS.encode(scope.kk_in[0] if inside else scope.family_out),
        "no_kk": scope.kk_in[0] if inside else scope.family_out,
        "code": programme,
        "kode": programme,
        "batch_id": "1",
        "run_id": "1",
        "evidence_id": "1",
        "lang": "id",
    }
    names = re.findall(r"{(\w+)}", path)
    unknown = [n for n in names if n not in values]
    assert not unknown, f"{path}: no value for {unknown}: add it to the walk"
    return re.sub(r"{(\w+)}", lambda m: values[m.group(1)], path)


def _text(res: Any) -> str:
    """A response's text; a workbook's cells joined."""
    if res.headers.get("content-type", "").startswith("application/vnd.openxml"):
        book = openpyxl.load_workbook(io.BytesIO(res.content), read_only=True)
        return "\n".join(
            str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row
        )
    return MOVE_TARGETS.sub("", res.text)


def test_a_kecamatan_user_sees_only_its_kecamatan_on_every_route(
    client: TestClient, app: Any, facts: Facts
) -> None:
    from sinergi.security.users import create_user

    scope = Scope(app.state.engine, facts)
    assert scope.names_out and scope.kk_out and scope.kk_in  # the test can fail
    create_user(app.state.engine, "dppkb.kec", "dppkb", [scope.kec], [], PASSWORD)
    csrf = login(client, "dppkb.kec")
    api = bearer(client, "dppkb.kec")
    walked, refused, leaks = [], {}, {}
    for path, route in _routes(app.routes):
        if "GET" not in route.methods or path in SKIP:
            continue
        cases = [(i, p) for i in (True, False) for p in PROGRAMMES]
        for inside, programme in cases:
            url = _fill(path, scope, inside, programme)
            if url in walked:
                continue
            walked.append(url)
            headers = api if url.startswith("/api/") else None
            for query in ("per=200&per_halaman=200", "level=desa&per_halaman=200"):
                res = client.get(f"{url}?{query}", headers=headers)
                if res.status_code >= 500:
                    leaks[url] = [f"status {res.status_code}"]
                found = scope.leaks(_text(res)) if res.status_code == 200 else []
                if found:
                    leaks[url] = found[:5]
                place = any(p in path for p in ("{kode_desa}", "{fid}", "{no_kk}"))
                if not inside and place and res.status_code == 200:
                    refused[url] = res.status_code
    # The search, and the exports of the lists, hold the same scope.
    posts = [
        ("/keluarga/cari", {"q": "a", "per": "200"}),
        ("/keluarga/ekspor", {"q": "a"}),
        ("/terlewat/ekspor", {"daftar": "keluarga"}),
        ("/terlewat/ekspor", {"daftar": "anak"}),
        ("/anak-tanpa-kk/ekspor", {}),
        (f"/desa/{scope.village_in}/ekspor", {}),
    ]
    for url, form in posts:
        res = client.post(url, data={"csrf": csrf, **form})
        assert res.status_code == 200, (url, res.status_code)
        found = scope.leaks(_text(res))
        if found:
            leaks[f"POST {url} {form}"] = found[:5]
    # Every report kind, for an area inside and one outside the kecamatan.
    from sinergi.reports.kinds import KINDS, ONE_VILLAGE

    for kind in sorted(KINDS):
        for inside in (True, False):
            village = scope.village_in if inside else scope.village_out
            area = (
                {"desa": village}
                if kind in ONE_VILLAGE or kind == "kasus"
                else {"kecamatan": village[:8]}
            )
            url = f"/laporan/{kind}?" + urlencode({"format": "xlsx", **area})
            res = client.get(url)
            if not inside:
                assert res.status_code in (403, 404), (url, res.status_code)
                continue
            assert res.status_code == 200, (url, res.status_code, res.text[:300])
            found = scope.leaks(_text(res))
            if found:
                leaks[url] = found[:5]
        # The regency's aggregate reports, asked without an area, hold the kecamatan's scope.
        if kind not in ONE_VILLAGE and kind != "kasus":
            res = client.get(f"/laporan/{kind}?format=xlsx")
            assert res.status_code == 200, (kind, res.status_code)
            found = scope.leaks(_text(res))
            if found:
                leaks[f"/laporan/{kind}"] = found[:5]
    assert "/" in walked and "/api/v1/families" in walked and "/anak-tanpa-kk" in walked
    assert leaks == {}, leaks
    # Objects of another kecamatan are not found (their existence is not revealed either).
    assert refused == {}, refused
    assert client.get(f"/desa/{scope.village_out}").status_code == 404
    assert client.get(f"/keluarga/{IDS.encode(scope.family_out)}").status_code == 404
    assert client.get(f"/api/v1/families/{scope.family_out}", headers=api).status_code == 404
    assert client.get(f"/api/v1/villages/{scope.village_out}", headers=api).status_code == 404
    out = client.post(f"/desa/{scope.village_out}/ekspor", data={"csrf": csrf})
    assert out.status_code in (403, 404)


def test_a_kecamatan_dashboard_counts_its_kecamatan(
    client: TestClient, app: Any, facts: Facts
) -> None:
    from sqlalchemy import func

    from sinergi.security.users import create_user
    from sinergi.store.tables import assessment_families, assessment_runs

    kec = facts.village[:8]
    create_user(app.state.engine, "analis.kec", "analis", [kec], [], PASSWORD)
    a = assessment_families.c
    with app.state.engine.connect() as conn:
        run = conn.execute(select(func.max(assessment_runs.c.id))).scalar_one()
        krs_kec = conn.execute(
            select(func.count()).where(
                a.run_id == run, a.krs.is_(True), a.kode_desa.like(kec + "%")
            )
        ).scalar_one()
        krs_all = conn.execute(
            select(func.count()).where(a.run_id == run, a.krs.is_(True))
        ).scalar_one()
    assert 0 < krs_kec < krs_all
    login(client, "analis.kec")
    html = client.get("/").text
    shown = re.search(r'data-key="krs">([^<]+)<', html).group(1)
    assert int(shown.replace(".", "")) == krs_kec
    assert get_wilayah().name(kec) in html
    assert 'data-key="perbandingan_resmi"' not in html  # regency figures are not its own
    geo = client.get("/peta/desa.geojson").json()
    assert geo["features"] and all(f["properties"]["kode"].startswith(kec) for f in geo["features"])
    shown_map = client.get("/peta/data.json").json()["desa"]
    assert shown_map and all(v["kode_desa"].startswith(kec) for v in shown_map)
