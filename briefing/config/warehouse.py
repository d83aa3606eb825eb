"""Config stage: the sources that ask an engine (`format: duckdb`, `format: sql`).

`duckdb` takes `path:` as a file, a glob (`exports/sli/**/*.parquet`) or a
folder of (hive-partitioned) Parquet or CSV files; `match_files` lists what it
names, for the config check and for the reader. `sql` takes `url:` as an
SQLAlchemy URL without a password (the password comes from `password_env`);
`sql_url` parses it and maps a plain `postgresql://` to the driver briefing
installs (psycopg 3).
"""

from __future__ import annotations

import glob
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

    from briefing.config.fields import FieldChecker

PARQUET_SUFFIXES = (".parquet", ".parq", ".pq")
CSV_SUFFIXES = (".csv", ".csv.gz")
_GLOB_CHARS = frozenset("*?[")
# SQLAlchemy's default driver for these is psycopg2; briefing installs psycopg 3
DRIVER_OF_DIALECT = {"postgresql": "postgresql+psycopg", "postgres": "postgresql+psycopg"}


def file_kind(path: Path) -> str | None:
    """`parquet` or `csv` by the file's name, else None."""
    name = path.name.lower()
    if name.endswith(PARQUET_SUFFIXES):
        return "parquet"
    if name.endswith(CSV_SUFFIXES):
        return "csv"
    return None


def match_files(pattern: Path) -> list[Path]:
    """The files `path:` names, sorted: the file itself, a glob's matches, or a folder's data files.

    In a folder, files whose name starts with `.` or `_` (`_SUCCESS`, `_metadata`,
    `.crc`) are left out, as Spark and Hive readers do.
    """
    text = str(pattern)
    if _GLOB_CHARS & set(text):
        return sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())
    if pattern.is_file():
        return [pattern]
    if pattern.is_dir():
        return sorted(
            p
            for p in pattern.rglob("*")
            if p.is_file()
            and file_kind(p) is not None
            and not any(part.startswith((".", "_")) for part in p.relative_to(pattern).parts)
        )
    return []


def check_duckdb_path(checker: FieldChecker, value: Any, keypath: str) -> Path | None:
    """`path:` of a duckdb source: it must name Parquet or CSV files, not both."""
    text = checker.string(value, keypath, required=True)
    if not text:
        return None
    pattern = Path(text)
    if not pattern.is_absolute():
        pattern = checker.path.parent / pattern
    files = match_files(pattern)
    if not files:
        checker.problem(keypath, f"no file matches {text!r} (a file, a glob or a folder)")
        return None
    kinds = {file_kind(f) for f in files}
    if None in kinds:
        odd = next(f for f in files if file_kind(f) is None)
        checker.problem(
            keypath, f"{odd.name!r} is neither Parquet (.parquet) nor CSV (.csv, .csv.gz)"
        )
        return None
    if len(kinds) > 1:
        checker.problem(keypath, f"{text!r} matches both Parquet and CSV files; name one kind")
        return None
    return pattern


def sql_url(text: str) -> URL:
    """Parse an SQLAlchemy URL; `postgresql://` (no driver) uses psycopg 3.

    Raises `sqlalchemy.exc.ArgumentError` for text that is not a URL.
    """
    from sqlalchemy.engine import make_url

    url = make_url(text)
    driver = DRIVER_OF_DIALECT.get(url.drivername)
    return url.set(drivername=driver) if driver else url


def check_database_url(checker: FieldChecker, value: Any, keypath: str) -> str | None:
    """`url:` of a sql source; never echoes a URL that might hold a password."""
    text = checker.string(value, keypath, required=True)
    if not text:
        return None
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = sql_url(text)
    except ArgumentError:
        checker.problem(
            keypath, "not an SQLAlchemy URL (e.g. postgresql://briefing@db.example.com:5432/slis)"
        )
        return None
    if url.password is not None:
        shown = make_url(text).render_as_string(hide_password=True)
        checker.problem(
            keypath,
            f"the URL {shown} holds a password: remove it and "
            "name the environment variable that holds it in password_env",
        )
        return None
    return text  # a dialect not installed is named when the source is read
