"""The programme catalogue in the database: a mirror of the programme files.

The files stay the source of truth (versioned with the code, overridable per regency); the
``programmes`` table lets every agency, the web app and SQL users see the same catalogue, with
the sha256 of the file each definition came from as its version. `sync_catalogue` runs before
every targeting command, so the table never lags behind the files it explains.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Engine, delete, insert, select, update

from sinergi.store.frames import read_frame
from sinergi.store.tables import programmes
from sinergi.targeting.programmes import load_catalogue, programme_path


def sync_catalogue(engine: Engine) -> dict[str, str]:
    """Upsert every programme file into ``programmes``; returns code → 'baru'|'berubah'|'sama'.

    A programme whose file disappeared is removed from the table (its proposals keep its code).
    """
    catalogue = load_catalogue()
    now = datetime.now(UTC)
    outcome: dict[str, str] = {}
    with engine.begin() as conn:
        stored = dict(conn.execute(select(programmes.c.kode, programmes.c.versi)).all())
        for code, prog in sorted(catalogue.items()):
            path = programme_path(code)
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            row = {
                "versi": digest,
                "instansi": prog.agency,
                "nama": prog.name,
                "jenis_intervensi": prog.intervention,
                "satuan": prog.unit,
                "kebutuhan": prog.need,
                "biaya_satuan": prog.unit_cost_rp,
                "anggaran": prog.budget_rp,
                "periode": prog.period,
                "definisi": prog.model_dump(mode="json"),
                "sumber": str(path),
                "diperbarui": now,
            }
            if code not in stored:
                conn.execute(insert(programmes).values(kode=code, **row))
                outcome[code] = "baru"
            elif stored[code] != digest:
                conn.execute(update(programmes).where(programmes.c.kode == code).values(**row))
                outcome[code] = "berubah"
            else:
                outcome[code] = "sama"
        gone = sorted(set(stored) - set(catalogue))
        if gone:
            conn.execute(delete(programmes).where(programmes.c.kode.in_(gone)))
    return outcome


def catalogue_frame(engine: Engine) -> pd.DataFrame:
    c = programmes.c
    with engine.connect() as conn:
        return read_frame(
            conn,
            select(
                c.kode,
                c.instansi,
                c.nama,
                c.satuan,
                c.kebutuhan,
                c.biaya_satuan,
                c.anggaran,
                c.periode,
                c.versi,
            ).order_by(c.kode),
        )
