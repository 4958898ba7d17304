"""The link review page (/tautan) on SQLite and PostgreSQL: the waiting pairs side by side with
their agreement marks, the match weight and probability written the Indonesian way; accept and
reject with the session's CSRF token; a pair outside a Dinkes officer's area invisible and 404;
a role without the permission 403 and no menu entry; paginated, exported, every view audited."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from sinergi.core import display
from sinergi.security.users import create_user
from sinergi.store.tables import audit_log, link_pairs, person_links
from sinergi.web.deps import XLSX
from tests.review_data import (
    CHILD_A,
    KK_A,
    POSYANDU_A,
    POSYANDU_B,
    VILLAGE_A,
    Queue,
    eppgbm_id,
    queued,
    roster_id,
)
from tests.web.conftest import PASSWORD, login, running_app

ACCOUNTS = {
    "dppkb": ("dppkb", [], []),
    "dinkes": ("instansi", [VILLAGE_A], ["pmt-dinkes"]),
    "desa": ("desa", [VILLAGE_A], []),
    "analis": ("analis", [], []),
}


@pytest.fixture
def review(db_url: str, tmp_path: Path) -> Iterator[tuple[TestClient, Queue]]:
    """The web app over a database whose review queue holds the two pairs of `queued`."""
    for application in running_app(db_url):
        engine = application.state.engine
        q = queued(engine, tmp_path)
        for username, (role, wilayah, program) in ACCOUNTS.items():
            create_user(engine, username, role, wilayah, program, PASSWORD)
        with TestClient(application) as client:
            yield client, q


def _engine(client: TestClient):  # type: ignore[no-untyped-def]
    return client.app.state.engine  # type: ignore[attr-defined]


def _audited(client: TestClient, username: str) -> list[str]:
    a = audit_log.c
    with _engine(client).connect() as conn:
        rows = conn.execute(
            select(a.aksi).where(a.objek == "tautan", a.username == username).order_by(a.id)
        )
        return [r.aksi for r in rows]


def test_the_queue_side_by_side_in_indonesian(review) -> None:  # type: ignore[no-untyped-def]
    client, q = review
    login(client, "dppkb")
    page = client.get("/tautan")
    assert page.status_code == 200
    assert '<a href="/tautan">Tinjauan tautan</a>' in page.text
    assert f"Pasangan {q.pair_a}" in page.text and f"Pasangan {q.pair_b}" in page.text
    assert "Muhamad Rizki" in page.text and "Muhammad Rizky" in page.text
    assert "15/03/2024" in page.text  # birth dates the Indonesian way
    assert POSYANDU_A in page.text  # DPPKB may reveal NIKs
    with _engine(client).connect() as conn:
        weight, probability = conn.execute(
            select(link_pairs.c.match_weight, link_pairs.c.probability).where(
                link_pairs.c.id == q.pair_a
            )
        ).one()
    assert f"bobot kecocokan {display.dec(weight, 'id')}" in page.text
    assert f"peluang {display.pct(probability * 100, 'id')}" in page.text
    assert "agree-sama" in page.text and "agree-sebagian" in page.text
    assert "agree-kosong" in page.text and "≈" in page.text
    assert 'value="terima"' in page.text and 'value="tolak"' in page.text
    assert "data-print" in page.text and 'action="/tautan/ekspor"' in page.text
    assert _audited(client, "dppkb") == ["lihat"]
    client.cookies.set("lang", "en")
    english = client.get("/tautan")
    assert "Link review" in english.text and "Match weight".lower() in english.text.lower()


def test_accept_and_reject_with_csrf(review) -> None:  # type: ignore[no-untyped-def]
    client, q = review
    csrf = login(client, "dppkb")
    refused = client.post(f"/tautan/{q.pair_a}/keputusan", data={"keputusan": "terima"})
    assert refused.status_code == 403  # no CSRF token
    done = client.post(
        f"/tautan/{q.pair_a}/keputusan",
        data={"keputusan": "terima", "catatan": "anak yang sama", "csrf": csrf},
    )
    assert done.status_code == 200 and f"Pasangan {q.pair_a} diterima" in done.text
    engine = _engine(client)
    with engine.connect() as conn:
        joined = conn.execute(
            select(person_links).where(person_links.c.record == eppgbm_id(POSYANDU_A))
        ).one()
    assert (joined.cluster_id, joined.no_kk, joined.decided_by) == (
        roster_id(CHILD_A),
        KK_A,
        "petugas",
    )
    rejected = client.post(
        f"/tautan/{q.pair_b}/keputusan", data={"keputusan": "tolak", "csrf": csrf}
    )
    assert rejected.status_code == 200 and f"Pasangan {q.pair_b} ditolak" in rejected.text
    assert "Tidak ada pasangan yang menunggu" in rejected.text
    with engine.connect() as conn:
        apart = conn.execute(
            select(person_links).where(person_links.c.record == eppgbm_id(POSYANDU_B))
        ).one()
        statuses = dict(conn.execute(select(link_pairs.c.id, link_pairs.c.status)).all())
    assert apart.no_kk is None and statuses == {q.pair_a: "diterima", q.pair_b: "ditolak"}
    twice = client.post(f"/tautan/{q.pair_b}/keputusan", data={"keputusan": "terima", "csrf": csrf})
    assert twice.status_code == 409 and "sudah diputuskan" in twice.text
    assert _audited(client, "dppkb") == ["ubah", "lihat", "ubah", "lihat", "lihat"]


def test_a_pair_outside_the_officers_area_is_not_found(review) -> None:  # type: ignore[no-untyped-def]
    client, q = review
    csrf = login(client, "dinkes")
    page = client.get("/tautan")
    assert page.status_code == 200 and '<a href="/tautan">' in page.text
    assert f"Pasangan {q.pair_a}" in page.text and f"Pasangan {q.pair_b}" not in page.text
    assert "6408••••••••0008" in page.text and POSYANDU_A not in page.text  # masked
    outside = client.post(
        f"/tautan/{q.pair_b}/keputusan", data={"keputusan": "terima", "csrf": csrf}
    )
    unknown = client.post("/tautan/999999/keputusan", data={"keputusan": "terima", "csrf": csrf})
    assert outside.status_code == unknown.status_code == 404
    with _engine(client).connect() as conn:
        status = conn.execute(
            select(link_pairs.c.status).where(link_pairs.c.id == q.pair_b)
        ).scalar_one()
    assert status == "menunggu"
    mine = client.post(f"/tautan/{q.pair_a}/keputusan", data={"keputusan": "tolak", "csrf": csrf})
    assert mine.status_code == 200


@pytest.mark.parametrize("username", ["desa", "analis"])
def test_a_role_without_the_permission_gets_403(review, username: str) -> None:  # type: ignore[no-untyped-def]
    client, q = review
    csrf = login(client, username)
    assert '<a href="/tautan">' not in client.get("/").text
    assert client.get("/tautan").status_code == 403
    decided = client.post(
        f"/tautan/{q.pair_a}/keputusan", data={"keputusan": "terima", "csrf": csrf}
    )
    assert decided.status_code == 403
    assert client.post("/tautan/ekspor", data={"csrf": csrf}).status_code == 403
    assert _audited(client, username) == []


def test_paginated_and_exported(review, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import sinergi.link.review as queue_module

    client, q = review
    csrf = login(client, "dppkb")
    monkeypatch.setattr(queue_module, "PER_PAGE", 1)
    first, second = client.get("/tautan"), client.get("/tautan?halaman=2")
    assert "Halaman 1 dari 2" in first.text and 'href="/tautan?halaman=2"' in first.text
    assert "Halaman 2 dari 2" in second.text and 'href="/tautan?halaman=1"' in second.text
    shown = [f"Pasangan {i} ·" in p.text for p in (first, second) for i in (q.pair_a, q.pair_b)]
    assert shown.count(True) == 2
    assert client.get("/tautan?halaman=0").status_code == 404  # no such page
    exported = client.post("/tautan/ekspor", data={"csrf": csrf})
    assert exported.status_code == 200 and exported.headers["content-type"] == XLSX
    assert exported.content[:2] == b"PK"
    assert _audited(client, "dppkb") == ["lihat", "lihat", "ekspor"]
