"""An agency allocates its programme's budget on the programme page: the budget written the
Indonesian way, the same plan and save as ``sinergi allocate``, the account of what was created,
kept and passed over; nothing doubled by a second click, nothing written by a mistyped budget, a
refused role or a missing CSRF token — SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
from sqlalchemy import delete, func, select, update

from sinergi.core.display import num, rp
from sinergi.core.rupiah import RupiahError, parse_rupiah
from sinergi.store.tables import audit_log, proposal_events, proposals
from tests.web.conftest import login

P = proposals.c


def _period_with_history(app) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """pmt-baznas 2026 as a period under way: of the seed's allocation one family delivered, one
    rejected, the rest withdrawn so that there is budget left. Returns (delivered, rejected)."""
    with app.state.engine.begin() as conn:
        kept = conn.execute(
            select(P.id, P.no_kk)
            .where(P.kode_program == "pmt-baznas", P.periode == "2026")
            .order_by(P.no_kk)
            .limit(2)
        ).all()
        ids = [r.id for r in kept]
        gone = select(P.id).where(P.kode_program == "pmt-baznas", P.id.not_in(ids))
        conn.execute(delete(proposal_events).where(proposal_events.c.proposal_id.in_(gone)))
        conn.execute(delete(proposals).where(P.kode_program == "pmt-baznas", P.id.not_in(ids)))
        conn.execute(update(proposals).where(P.id == ids[0]).values(status="tersalurkan"))
        conn.execute(update(proposals).where(P.id == ids[1]).values(status="ditolak"))
    return kept[0].no_kk, kept[1].no_kk


def _written(app) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    """Proposals, proposal events and audited allocations in the database (a page that lists
    beneficiaries also audits the view, which is no write)."""
    allocations = select(audit_log.c.id).where(audit_log.c.objek == "alokasi").subquery()
    with app.state.engine.connect() as conn:
        return tuple(  # type: ignore[return-value]
            conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in (proposals, proposal_events, allocations)
        )


def _row(html: str, label: str) -> tuple[str, str]:
    """The families and rupiah cells of the allocation account's row ``label``."""
    found = re.search(
        rf'<td>{re.escape(label)}</td><td class="num">([^<]*)</td><td class="num">([^<]*)</td>',
        html,
    )
    assert found, f"{label!r} not on the page"
    return found.group(1), found.group(2)


def _allocate(client: TestClient, csrf: str, budget: str, code: str = "pmt-baznas"):  # type: ignore[no-untyped-def]
    return client.post(f"/program/{code}/alokasi", data={"csrf": csrf, "anggaran": budget})


def test_agency_allocates_and_the_page_says_what_was_saved(client: TestClient, app) -> None:  # type: ignore[no-untyped-def]
    delivered, rejected = _period_with_history(app)
    csrf = login(client, "baznas")
    page = client.get("/program/pmt-baznas").text
    assert 'action="/program/pmt-baznas/alokasi"' in page and 'name="anggaran"' in page

    res = _allocate(client, csrf, "Rp 1,2 M")
    assert res.status_code == 200, res.text[:500]
    html = res.text
    with app.state.engine.connect() as conn:
        made = conn.execute(
            select(P.no_kk, P.biaya, P.status, P.updated_by).where(
                P.kode_program == "pmt-baznas", P.updated_by == "baznas"
            )
        ).all()
        events = conn.execute(
            select(func.count())
            .select_from(proposal_events)
            .where(proposal_events.c.oleh == "baznas", proposal_events.c.ke == "usulan")
        ).scalar_one()
        entry = conn.execute(
            select(audit_log).where(
                audit_log.c.objek == "alokasi", audit_log.c.kunci == "pmt-baznas"
            )
        ).one()
    assert made, "an allocation with budget left creates proposals"
    assert {r.status for r in made} == {"usulan"}
    assert events == len(made)
    assert {delivered, rejected}.isdisjoint({r.no_kk for r in made})  # never re-picked
    created_rp = sum(r.biaya for r in made)
    # Exactly what the database holds, written the Indonesian way.
    assert _row(html, "Usulan baru dari alokasi ini") == (num(len(made)), rp(created_rp))
    assert _row(html, "Anggaran seluruhnya") == ("", "Rp 1.200.000.000")
    assert _row(html, "Sudah berkomitmen sebelumnya (terverifikasi, disetujui, tersalurkan)") == (
        "1",
        rp(6_600_000),
    )
    assert _row(html, "Ditolak pada periode ini (tidak dipilih lagi)")[0] == "1"
    assert _row(html, "Sisa anggaran")[1] == rp(1_200_000_000 - 6_600_000 - created_rp)
    assert f"{num(len(made))} usulan baru disimpan (pmt-baznas, periode 2026)" in html
    assert "Memenuhi syarat, dilewati: sudah tersalurkan" in html
    assert entry.username == "baznas" and entry.aksi == "ubah"
    assert entry.rincian["usulan_baru"] == len(made)
    assert entry.rincian["usulan_baru_rp"] == created_rp

    # A second click: the open proposals are kept, nothing is created or doubled.
    before = _written(app)
    again = _allocate(client, csrf, "1.200.000.000")
    assert again.status_code == 200
    assert _row(again.text, "Usulan baru dari alokasi ini") == ("0", rp(0))
    assert _row(again.text, "Usulan terbuka yang dipertahankan") == (
        num(len(made)),
        rp(created_rp),
    )
    assert "0 usulan baru disimpan" in again.text
    after = _written(app)
    assert after[:2] == before[:2] and after[2] == before[2] + 1  # only the audit entry


def test_english_page_writes_the_account_in_english(client: TestClient, app) -> None:  # type: ignore[no-untyped-def]
    _period_with_history(app)
    csrf = login(client, "baznas")
    client.cookies.set("lang", "en")
    res = _allocate(client, csrf, "1.2e9")
    assert res.status_code == 200
    assert _row(res.text, "Whole budget") == ("", "Rp 1,200,000,000")
    assert "new proposals saved (pmt-baznas, period 2026)" in res.text


@pytest.mark.parametrize("budget", ["banyak", "Rp 1,2 X", "-5", "1.500 juta", "99e99"])
def test_a_mistyped_budget_writes_nothing_and_says_why(
    client: TestClient, app, budget: str
) -> None:  # type: ignore[no-untyped-def]
    _period_with_history(app)
    csrf = login(client, "baznas")
    with pytest.raises(RupiahError) as refused:
        parse_rupiah(budget)
    before = _written(app)
    res = _allocate(client, csrf, budget)
    assert res.status_code == 422
    assert str(escape(refused.value.message("id"))) in res.text  # the parser's own sentence
    assert f'value="{escape(budget)}"' in res.text  # the form keeps what the officer typed
    assert _written(app) == before


@pytest.mark.parametrize(
    ("user", "code"),
    [
        ("baznas", "pmt-dinkes"),  # Dinkes's programme
        ("baznas", "kb-tpk"),  # DPPKB's programme
        ("desa", "pmt-baznas"),
        ("desa", "blt-dd"),  # even the village's own programme is verified, not allocated
        ("analis", "pmt-baznas"),
        ("auditor", "pmt-baznas"),
    ],
)
def test_only_the_owning_agency_dppkb_and_admin_allocate(
    client: TestClient, app, user: str, code: str
) -> None:  # type: ignore[no-untyped-def]
    csrf = login(client, user)
    assert 'name="anggaran"' not in client.get(f"/program/{code}").text
    before = _written(app)
    assert _allocate(client, csrf, "Rp 1,2 M", code).status_code == 403
    assert _written(app) == before


def test_dppkb_allocates_any_family_programme_not_a_village_one(client: TestClient, app) -> None:  # type: ignore[no-untyped-def]
    csrf = login(client, "dppkb")
    assert 'name="anggaran"' in client.get("/program/kb-tpk").text
    assert 'name="anggaran"' not in client.get("/program/air-bersih").text
    res = _allocate(client, csrf, "Rp 50 juta", "kb-tpk")
    assert res.status_code == 200
    with app.state.engine.connect() as conn:
        made = conn.execute(
            select(func.count(), func.coalesce(func.sum(P.biaya), 0)).where(
                P.kode_program == "kb-tpk", P.updated_by == "dppkb"
            )
        ).one()
    assert made[0] > 0 and made[1] <= 50_000_000
    assert _row(res.text, "Usulan baru dari alokasi ini") == (num(made[0]), rp(made[1]))
    before = _written(app)
    assert _allocate(client, csrf, "Rp 15 M", "air-bersih").status_code == 404
    assert _written(app) == before


def test_allocation_without_csrf_is_refused(client: TestClient, app) -> None:  # type: ignore[no-untyped-def]
    _period_with_history(app)
    login(client, "baznas")
    before = _written(app)
    res = client.post("/program/pmt-baznas/alokasi", data={"anggaran": "Rp 1,2 M"})
    assert res.status_code == 403
    wrong = client.post(
        "/program/pmt-baznas/alokasi", data={"anggaran": "Rp 1,2 M", "csrf": "bukan-token"}
    )
    assert wrong.status_code == 403
    assert _written(app) == before
