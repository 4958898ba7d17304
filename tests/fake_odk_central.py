"""A fake ODK Central server on 127.0.0.1 for the field-form tests: no network, no mock of pyodk.

It answers the REST calls `pyodk` makes (``/v1/sessions``, ``/v1/users/current``, the project's
forms, drafts, draft attachments, publish, ``submissions.csv.zip``) with the JSON shapes recorded
from ODK Central's API documentation (`RECORDED`, filled with the request's values), and keeps
the little state a test needs to check what was sent: the forms with their versions, the
attachments uploaded to each draft, and every request.

Like Central it compiles an uploaded XLSForm (with pyxform, as Central's pyxform-http does), takes
the form id and version from it, refuses an attachment the form does not name, and refuses to
publish a new definition with an unchanged version. Its CSV export is built the way Central
builds it (`lib/data/briefcase.js`): the main table's header is the form's fields with group
paths joined by ``-`` and Central's columns around them; each repeat goes to
``<form>-<repeat>.csv`` whose header is the repeat's own fields, then ``PARENT_KEY``, ``KEY``.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import re
import secrets
import threading
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import openpyxl

# Response bodies as ODK Central's API documentation shows them (values replaced per request).
RECORDED: dict[str, Any] = {
    "session": {
        "createdAt": "2026-11-30T01:02:03.456Z",
        "expiresAt": "2026-12-01T01:02:03.456Z",
        "token": "",
    },
    "user": {
        "createdAt": "2026-01-01T00:00:00.000Z",
        "displayName": "Operator Lapangan",
        "email": "",
        "id": 7,
        "type": "user",
        "updatedAt": None,
        "deletedAt": None,
    },
    "form": {
        "projectId": 1,
        "xmlFormId": "",
        "name": None,
        "version": "",
        "enketoId": "xyz123abc",
        "enketoOnceId": None,
        "hash": "51a93eab3a1974dbffc4c7913fa5a16a",
        "keyId": None,
        "state": "open",
        "publishedAt": "2026-11-30T01:02:03.456Z",
        "createdAt": "2026-11-30T01:02:03.456Z",
        "updatedAt": None,
        "draftToken": None,
    },
    "success": {"success": True},
    "error_401": {
        "code": 401.2,
        "message": "Could not authenticate with the provided credentials.",
    },
    "error_404": {"code": 404.1, "message": "Could not find the resource you were looking for."},
    "error_409": {
        "code": 409.6,
        "message": "The version name of this Form conflicts with a past version of this Form "
        "or its draft.",
    },
    "error_unexpected_attachment": {
        "code": 404.1,
        "message": "Could not find the resource you were looking for.",
    },
}

# Central's own columns of the main table (around the form's fields).
CENTRAL_TAIL = (
    "KEY",
    "SubmitterID",
    "SubmitterName",
    "AttachmentsPresent",
    "AttachmentsExpected",
    "Status",
    "ReviewState",
    "DeviceID",
    "Edits",
    "FormVersion",
)


@dataclass
class FakeForm:
    xml_form_id: str
    version: str
    title: str
    xform: str
    attachments: dict[str, bytes] = field(default_factory=dict)
    published: bool = False
    draft: tuple[str, str, dict[str, str]] | None = None  # version, xform, expected files
    expected: set[str] = field(default_factory=set)
    versions: list[str] = field(default_factory=list)
    submissions: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Central:
    """The fake server's state; ``requests`` holds (method, path) of every call."""

    email: str
    password: str
    project_id: int = 1
    forms: dict[str, FakeForm] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _compile(xlsx: bytes) -> tuple[str, str, str, set[str]]:
    """The form id, version, XForm and the CSV files the form reads, as Central finds them."""
    from pyxform.xls2xform import convert

    xform = convert(xlsform=xlsx, validate=False, file_type=".xlsx").xform
    book = openpyxl.load_workbook(io.BytesIO(xlsx), read_only=True)
    rows = list(book["settings"].iter_rows(values_only=True))
    settings = dict(zip(rows[0], rows[1], strict=False))
    survey = list(book["survey"].iter_rows(values_only=True))
    type_col = survey[0].index("type")
    files = {
        str(row[type_col]).split()[1]
        for row in survey[1:]
        if row[type_col] and str(row[type_col]).startswith("select_one_from_file")
    }
    return str(settings["form_id"]), str(settings["version"]), xform, files


def _leaves(node: ET.Element, prefix: tuple[str, ...], repeats: set[str]) -> list[str]:
    """The header names under ``node`` (groups joined by '-'; repeats left to their own file)."""
    names: list[str] = []
    seen: set[str] = set()
    for child in node:
        tag = child.tag.split("}")[-1]
        if tag in seen:
            continue
        seen.add(tag)
        if tag in repeats:
            continue
        if len(child):
            names += _leaves(child, (*prefix, tag), repeats)
        else:
            names.append("-".join((*prefix, tag)))
    return names


def _structure(xform: str) -> tuple[list[str], dict[str, list[str]]]:
    """The main table's form columns and each repeat's columns, from the XForm's instance."""
    root = ET.fromstring(xform)
    ns = {"x": "http://www.w3.org/2002/xforms", "jr": "http://openrosa.org/javarosa"}
    data = root.find(".//x:model/x:instance/*", ns)
    assert data is not None
    template = "{http://openrosa.org/javarosa}template"
    repeats = {c.tag.split("}")[-1]: c for c in data if template in c.attrib}
    main = _leaves(data, (), set(repeats))
    return main, {name: _leaves(node, (), set()) for name, node in repeats.items()}


def export_zip(form: FakeForm) -> bytes:
    """Central's ``submissions.csv.zip`` for the form's submissions."""
    main_fields, repeats = _structure(form.xform)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        main = io.StringIO()
        w = csv.writer(main)
        w.writerow(["SubmissionDate", *main_fields, *CENTRAL_TAIL])
        repeat_rows: dict[str, list[list[str]]] = {name: [] for name in repeats}
        for i, sub in enumerate(form.submissions, start=1):
            key = f"uuid:{i:08d}-0000-4000-8000-000000000000"
            values = {**sub, "meta-instanceID": key}
            w.writerow(
                [
                    "2026-11-30T02:00:00.000Z",
                    *[values.get(name, "") for name in main_fields],
                    key,
                    "7",
                    "Operator Lapangan",
                    "0",
                    "0",
                    "",
                    "",
                    "collect:abc",
                    "0",
                    form.version,
                ]
            )
            for name, columns in repeats.items():
                for n, item in enumerate(sub.get(name, []), start=1):
                    repeat_rows[name].append(
                        [*[item.get(c, "") for c in columns], key, f"{key}/{name}[{n}]"]
                    )
        archive.writestr(f"{form.xml_form_id}.csv", main.getvalue())
        for name, columns in repeats.items():
            text = io.StringIO()
            rw = csv.writer(text)
            rw.writerow([*columns, "PARENT_KEY", "KEY"])
            rw.writerows(repeat_rows[name])
            archive.writestr(f"{form.xml_form_id}-{name}.csv", text.getvalue())
    return out.getvalue()


class _Handler(BaseHTTPRequestHandler):
    central: Central

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return

    # -- plumbing --------------------------------------------------------------------------

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, body: Any, content_type: str = "application/json") -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _recorded(self, recorded: str, **values: Any) -> dict[str, Any]:
        body = copy.deepcopy(RECORDED[recorded])
        body.update(values)
        return body

    def _form_json(self, form: FakeForm) -> dict[str, Any]:
        return self._recorded(
            "form",
            projectId=self.central.project_id,
            xmlFormId=form.xml_form_id,
            name=form.title,
            version=form.version,
        )

    def _authorised(self) -> bool:
        auth = self.headers.get("Authorization", "")
        return auth.startswith("Bearer ") and auth[7:] in self.central.tokens

    def _handle(self, method: str) -> None:
        parts = urlsplit(self.path)
        path, query = unquote(parts.path), parse_qs(parts.query)
        body = self._body()
        c = self.central
        with c.lock:
            c.requests.append((method, path))
            if method == "POST" and path == "/v1/sessions":
                given = json.loads(body or b"{}")
                if (given.get("email"), given.get("password")) != (c.email, c.password):
                    return self._send(401, RECORDED["error_401"])
                token = secrets.token_urlsafe(24)
                c.tokens.add(token)
                return self._send(200, self._recorded("session", token=token))
            if not self._authorised():
                return self._send(401, RECORDED["error_401"])
            if method == "GET" and path == "/v1/users/current":
                return self._send(200, self._recorded("user", email=c.email))
            m = re.fullmatch(rf"/v1/projects/{c.project_id}/forms(?:/([^/]+?))?(/.*)?", path)
            if m is None:
                return self._send(404, RECORDED["error_404"])
            fid, rest = m.group(1), m.group(2) or ""
            return self._forms(method, fid, rest, query, body)

    def _forms(
        self, method: str, fid: str | None, rest: str, query: dict[str, list[str]], body: bytes
    ) -> None:
        c = self.central
        if fid is None:
            if method == "GET":
                return self._send(200, [self._form_json(f) for f in c.forms.values()])
            if method == "POST":
                xml_id, version, xform, files = _compile(body)
                form = FakeForm(xml_id, version, xml_id, xform, expected=files)
                form.draft = (version, xform, {})
                c.forms[xml_id] = form
                if query.get("publish") == ["true"]:
                    self._publish(form, None)
                return self._send(200, self._form_json(form))
            return self._send(404, RECORDED["error_404"])
        if fid.endswith(".xml") and method == "GET" and fid[:-4] in c.forms:
            return self._send(200, c.forms[fid[:-4]].xform.encode(), "application/xml")
        form = c.forms.get(fid)
        if form is None:
            return self._send(404, RECORDED["error_404"])
        if method == "GET" and rest == "":
            return self._send(200, self._form_json(form))
        if method == "POST" and rest == "/draft":
            if body:
                _, version, xform, files = _compile(body)
                form.expected = files
            else:
                version, xform = form.version, form.xform
            form.draft = (version, xform, dict(form.attachments))
            return self._send(200, RECORDED["success"])
        m = re.fullmatch(r"/draft/attachments/(.+)", rest)
        if method == "POST" and m:
            if form.draft is None or m.group(1) not in form.expected:
                return self._send(404, RECORDED["error_unexpected_attachment"])
            form.draft[2][m.group(1)] = body
            return self._send(200, RECORDED["success"])
        if method == "POST" and rest == "/draft/publish":
            if form.draft is None:
                return self._send(404, RECORDED["error_404"])
            version = query.get("version", [None])[0]
            if (version or form.draft[0]) in form.versions:
                return self._send(409, RECORDED["error_409"])
            self._publish(form, version)
            return self._send(200, RECORDED["success"])
        if method == "GET" and rest == "/submissions.csv.zip":
            return self._send(200, export_zip(form), "application/zip")
        return self._send(404, RECORDED["error_404"])

    def _publish(self, form: FakeForm, version: str | None) -> None:
        assert form.draft is not None
        draft_version, xform, files = form.draft
        form.version = version or draft_version
        form.xform, form.attachments = xform, files
        form.versions.append(form.version)
        form.published, form.draft = True, None

    def do_GET(self) -> None:  # noqa: N802
        self._handle("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._handle("POST")


class FakeCentral:
    """``with FakeCentral(email, password) as central:`` serves on ``central.url`` until the
    block ends; ``central.state`` is the server's `Central`."""

    def __init__(self, email: str, password: str) -> None:
        self.state = Central(email, password)
        handler = type("Handler", (_Handler,), {"central": self.state})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> FakeCentral:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
