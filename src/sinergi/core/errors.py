"""Errors a user may be shown, whose sentence lives in the message catalogue."""

from __future__ import annotations

from sinergi.messages import Lang, t


class CodedError(Exception):
    """``code`` names the catalogue's sentence (a subclass may give a default ``code``) and
    ``params`` fill it: ``message(lang)`` is the sentence for a reader; ``str()`` the English
    one, for logs and for callers that match on text."""

    code = ""

    def __init__(self, code: str | None = None, /, **params: object) -> None:
        self.code = code or self.code
        self.params = params
        super().__init__(t(self.code, "en", **params))

    def message(self, lang: Lang = "id") -> str:
        """The sentence in ``lang``."""
        return t(self.code, lang, **self.params)


class CatalogueError(CodedError, ValueError):
    """A `CodedError` that is also a ValueError: a value the user gave is refused."""
