"""ODK Central through `pyodk`: publish a village's field form, download its submissions.

The server, account and default project come from pyodk's own configuration file
(``~/.pyodk_config.toml`` or the file named by ``PYODK_CONFIG_FILE``, section ``[central]``:
``base_url``, ``username``, ``password``, ``default_project_id``); its session token is cached
where pyodk caches it (``PYODK_CACHE_FILE``). Without a configuration every step refuses with a
sentence saying where to write it.

Submissions come as Central's own export (``submissions.csv.zip``): the main table
``<form>.csv`` and the re-measurement repeat ``<form>-ukur.csv``, written as they are, so that
the officer imports exactly what Central holds (`sinergi.field.form` names the fields for that).
"""

from __future__ import annotations

import logging
import shutil
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from sinergi.field.form import REPEAT, FieldError, FormFiles
from sinergi.ingest.limits import DEFAULT_LIMITS

log = logging.getLogger(__name__)
# pyodk logs every refusal with its traceback (also a missing token cache, on each first login);
# without a handler Python would print them on the terminal. The refusals reach the user as
# one sentence (`FieldError`).
logging.getLogger("pyodk").addHandler(logging.NullHandler())


@dataclass(frozen=True)
class Pushed:
    form_id: str
    project: int
    created: bool  # False: a new version of a form the project already had
    version: str
    attachments: int


@dataclass(frozen=True)
class Pulled:
    main: Path
    repeat: Path
    submissions: int
    measurements: int


def config_path() -> Path:
    """Where pyodk reads its configuration (``PYODK_CONFIG_FILE``, else the home directory)."""
    from pyodk._utils.config import get_config_path

    return Path(get_config_path())


def configured() -> Path:
    """pyodk's configuration file; `FieldError` (where to write it) when there is none."""
    path = config_path()
    if not path.is_file():
        raise FieldError("lapangan_central_belum", path=path)
    return path


@contextmanager
def client(project: int | None = None) -> Iterator[tuple[Any, int]]:
    """A signed-in pyodk client and the project to work in; `FieldError` when Central is not
    configured, no project is known, or the server refuses or cannot be reached."""
    import requests
    from pyodk.client import Client
    from pyodk.errors import PyODKError

    path = configured()
    try:
        try:
            central = Client(config_path=path)
        except (PyODKError, KeyError, TypeError, ValueError) as exc:
            raise FieldError("lapangan_central_belum", path=path) from exc
        pid = project or central.project_id
        if pid is None:
            raise FieldError("lapangan_proyek_kosong", path=path)
        with central:
            yield central, int(pid)
    except (PyODKError, requests.RequestException) as exc:
        raise FieldError("lapangan_central_gagal", detail=_short(exc)) from exc


def _short(exc: Exception) -> str:
    """The first line of a pyodk or HTTP error, without the response body (which may be long)."""
    text = str(exc).split(" content: ")[0]
    return text.splitlines()[0] if text else type(exc).__name__


def push(files: FormFiles, project: int | None = None) -> Pushed:
    """Publish the form and its choice files: a new form, or a new version of the project's form
    of the same id (the version is in the definition, so devices fetch the update)."""
    with client(project) as (central, pid):
        existing = {form.xmlFormId for form in central.forms.list(project_id=pid)}
        attachments = [str(p) for p in files.attachments]
        created = files.form_id not in existing
        if created:
            central.forms.create(
                definition=str(files.form),
                attachments=attachments,
                form_id=files.form_id,
                project_id=pid,
            )
        else:
            central.forms.update(
                files.form_id,
                project_id=pid,
                definition=str(files.form),
                attachments=attachments,
            )
        version = central.forms.get(files.form_id, project_id=pid).version
    return Pushed(files.form_id, pid, created, version, len(attachments))


def pull(form_id: str, out: Path, project: int | None = None) -> Pulled:
    """Download the form's submissions as Central's CSV export and write its main table and the
    re-measurement repeat into ``out`` (``<form>.csv``, ``<form>-ukur.csv``)."""
    with client(project) as (central, pid):
        response = central.session.response_or_error(
            method="GET",
            url=central.session.urlformat(
                "projects/{pid}/forms/{fid}/submissions.csv.zip", pid=pid, fid=form_id
            ),
            logger=log,
            params={"attachments": "false"},
        )
        data = response.content
    names = (f"{form_id}.csv", f"{form_id}-{REPEAT}.csv")
    out.mkdir(parents=True, exist_ok=True)
    written = [_extract(data, name, out) for name in names]
    return Pulled(written[0], written[1], _rows(written[0]), _rows(written[1]))


def _extract(data: bytes, name: str, out: Path) -> Path:
    """One member of the export, copied with its size capped as the import reader caps files."""
    cap = DEFAULT_LIMITS.max_file_bytes
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            info = archive.getinfo(name)
            if info.file_size > cap:
                raise FieldError("lapangan_unduhan_salah", name=name, detail=info.file_size)
            target = out / name
            with archive.open(info) as src, target.open("wb") as dst:
                shutil.copyfileobj(src, dst)
    except (zipfile.BadZipFile, KeyError) as exc:
        raise FieldError("lapangan_unduhan_salah", name=name, detail=exc) from exc
    return target


def _rows(path: Path) -> int:
    """Data rows of a CSV Central wrote (one record a line; quoted line breaks counted once)."""
    import csv

    with path.open(encoding="utf-8-sig", newline="") as fh:
        return max(sum(1 for _ in csv.reader(fh)) - 1, 0)
