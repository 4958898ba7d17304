"""One settings object for the whole product, read from SINERGI_* environment variables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, TypeVar, cast

from pydantic_settings import BaseSettings, SettingsConfigDict

T = TypeVar("T")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SINERGI_", extra="ignore")

    database_url: str = "sqlite:///sinergi.db"
    data_dir: Path = Path(".")
    lang: Literal["id", "en"] = "id"
    region: str = "64.08"
    ruleset: str = "krs-2024"
    rules_path: Path | None = None
    # Addresses (or networks) of reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are
    # believed, comma-separated, e.g. "127.0.0.1" behind a local nginx. Empty: none, so a client
    # cannot choose the address the login throttle and the audit log see.
    trusted_proxies: str = ""
    # Village verifications (`sinergi.registry.verify`): a correction or move recorded by a
    # village operator waits for DPPKB's approval before it changes anything.
    verifikasi_perlu_persetujuan: bool = False

    def trusted_proxy_list(self) -> list[str]:
        return [p.strip() for p in self.trusted_proxies.split(",") if p.strip()]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def package_data(*parts: str) -> Path:
    """Path of a file bundled in the package (src/sinergi/data/...)."""
    return Path(__file__).parent.joinpath("data", *parts)


@dataclass(frozen=True)
class TomlShelf:
    """Files named by their id (``<id>.toml``): rule sets, programmes. A folder the administrator
    names (``override()``, read at each call) comes before the packaged one.

    What a file parses to is kept (`read`) until the file changes: rule sets and programmes are
    asked for on every access check, coverage read and workflow step, and parsing them through
    Pydantic each time cost more than the work they were asked for."""

    packaged: Path
    override: Callable[[], str | Path | None]
    _parsed: dict[Path, tuple[tuple[Path, int, int], Any]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def folders(self) -> list[Path]:
        override = self.override()
        return ([Path(override)] if override else []) + [self.packaged]

    def ids(self) -> list[str]:
        """Every id on the shelf, sorted, each once."""
        return sorted({p.stem for folder in self.folders() for p in folder.glob("*.toml")})

    def find(self, id_or_path: str | Path) -> Path | None:
        """An existing ``.toml`` path as given, else the id's file from the first folder that
        has it; None when none has."""
        path = Path(id_or_path)
        if path.suffix == ".toml" and path.exists():
            return path
        for folder in self.folders():
            if (folder / f"{id_or_path}.toml").exists():
                return folder / f"{id_or_path}.toml"
        return None

    @staticmethod
    def stamp(path: Path) -> tuple[Path, int, int]:
        """What tells an edited file from the one read before: its absolute path, modification
        time and size."""
        stat = path.stat()
        return path.resolve(), stat.st_mtime_ns, stat.st_size

    def read(self, path: Path, parse: Callable[[Path], T]) -> T:
        """``parse(path)``, computed again only when the file's `stamp` changed since the last
        call (an error is not kept: the next call tries again)."""
        stamp = self.stamp(path)
        kept = self._parsed.get(stamp[0])
        if kept is not None and kept[0] == stamp:
            return cast(T, kept[1])
        value = parse(path)
        self._parsed[stamp[0]] = (stamp, value)
        return value
