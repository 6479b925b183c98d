"""A fresh database for one benchmark run: a SQLite file, or a PostgreSQL database dropped afterwards."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"


class Unavailable(Exception):
    """The database cannot be had here (a server down, psycopg missing); the run reports it and goes on."""


def is_postgres(url: str | None) -> bool:
    return bool(url) and url.split(":", 1)[0] in {"postgres", "postgresql", "pgsql"}


class throwaway_database:
    """`with throwaway_database("sqlite" | "postgresql", workdir, "as_of") as url:` a new, empty database.

    The PostgreSQL server is STET_BENCH_POSTGRES_URL (or DEFAULT_POSTGRES);
    with `prefer_database_url`, a PostgreSQL DATABASE_URL names it instead.
    """

    def __init__(self, kind: str, workdir: Path, label: str, *, prefer_database_url: bool = False):
        self.kind, self.workdir, self.label = kind, workdir, label
        self.prefer_database_url = prefer_database_url
        self.name = f"stet_bench_{label}_{os.getpid()}"

    def __enter__(self) -> str:
        if self.kind == "sqlite":
            path = self.workdir / f"{self.label}.sqlite3"
            path.unlink(missing_ok=True)
            return f"sqlite:///{path}"
        if self.kind != "postgresql":
            raise Unavailable(f"unknown database {self.kind!r}: choose sqlite or postgresql")
        given = os.environ.get("DATABASE_URL")
        if self.prefer_database_url and is_postgres(given):
            self.server = given
        else:
            self.server = os.environ.get("STET_BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
        try:
            with self._admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
                admin.execute(f'CREATE DATABASE "{self.name}"')
        except Exception as error:  # psycopg missing or the server down: report and go on
            raise Unavailable(f"PostgreSQL at {self.server} is not reachable ({error})") from None
        return self.server.rsplit("/", 1)[0] + f"/{self.name}"

    def __exit__(self, *exc) -> None:
        if self.kind == "postgresql":
            with self._admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def _admin(self):
        import dj_database_url
        import psycopg

        db = dj_database_url.parse(self.server)
        return psycopg.connect(
            host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"] or "postgres",
            password=db["PASSWORD"] or None, dbname="postgres", autocommit=True, connect_timeout=5,
        )
