"""How large a request the web app and the API take, in one place: the guard refuses a larger
body before reading it, and the routes read at most this much of an uploaded file. (The CLI
reads files from the server's disk, bounded by the reader's own limits, `ingest.limits`.)"""

from __future__ import annotations

from sinergi.ingest.limits import MIB

MAX_UPLOAD = 50 * MIB  # a source file (the import page and the import API)
MAX_EVIDENCE = 10 * MIB  # evidence sent with a status change (a photo, a signed list)
FORM_LIMIT = 1 * MIB  # every form that carries no file
