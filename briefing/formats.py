"""Every source format, declared once: its kind, reader, options and input files.

Config validation (which keys an entry may carry, how each value is checked,
which name files), ingest (which reader to call) and the input hash (which
files to fingerprint) all read these declarations, so the documentation, the
validator and the readers cannot disagree. A new format is one `SourceFormat`
in `FORMATS` plus its reader; the reader is named as "module:function" and
imported only when a source of that format is read.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("slos", "metrics", "incidents", "risks", "controls")

# How config checks an option's value (see `briefing.config.sections`):
#   file              a path to an existing file, relative to briefing.yaml, inside its folder
#                     unless `allow_outside_paths: true`; an input of the build (hashed)
#   text              a short text                  query  a non-empty text (PromQL, SQL)
#   url               an http:// or https:// address
#   env               the NAME of an environment variable (never the secret itself)
#   mapping           a mapping of texts (their name: ours)
#   names             a list of texts
#   timezone          an IANA time zone            timestamp_format  strptime directives
#   bool              true or false                seconds  a number of seconds, 0 < s <= 3600
#   count             a whole number 0..20
#   files             a file, a glob or a folder of Parquet or CSV files (a dataset: hashed by
#                     name, size and modification time, not read whole)
#   database          an SQLAlchemy URL without a password (it comes from password_env)
CHECKS = frozenset(
    {
        "file",
        "files",
        "database",
        "text",
        "query",
        "url",
        "env",
        "mapping",
        "names",
        "timezone",
        "timestamp_format",
        "bool",
        "seconds",
        "count",
    }
)


@dataclass(frozen=True, slots=True)
class Option:
    """One key a source entry may carry besides `format:`."""

    name: str
    check: str
    required: bool = False

    def __post_init__(self) -> None:
        if self.check not in CHECKS:
            raise ValueError(f"option {self.name}: unknown check {self.check!r}")


@dataclass(frozen=True, slots=True)
class SourceFormat:
    """A format of one kind of source: how to read it and what its entry may say."""

    kind: str
    name: str
    reader: str  # "package.module:function", called as reader(entry, ctx) -> Loaded
    options: tuple[Option, ...]
    extensions: tuple[str, ...] = ()  # taken as this format when `format:` is left out
    one_of: tuple[str, ...] = ()  # exactly one of these options is required

    def option(self, name: str) -> Option | None:
        for option in self.options:
            if option.name == name:
                return option
        return None

    @property
    def files(self) -> tuple[str, ...]:
        """The options that name input files (hashed with the build's inputs)."""
        return tuple(option.name for option in self.options if option.check == "file")

    @property
    def datasets(self) -> tuple[str, ...]:
        """The options that name a dataset: files by a glob or a folder."""
        return tuple(option.name for option in self.options if option.check == "files")

    @property
    def option_names(self) -> tuple[str, ...]:
        return tuple(option.name for option in self.options)


# The fields a source's `mapping:` may name (ours: theirs), by kind; the readers'
# canonical columns are these.
MAPPED_FIELDS: dict[str, tuple[str, ...]] = {
    "incidents": (
        "id",
        "service",
        "title",
        "severity",
        "started_at",
        "detected_at",
        "resolved_at",
        "impact",
        "risk",  # optional: the registered risk the incident matches
    ),
    "controls": ("date", "service", "control", "events", "risk", "probability"),
}

PATH = Option("path", "file", required=True)
TIMEZONE = Option("timezone", "timezone")
MAPPING = Option("mapping", "mapping")
# every incident reader ends in the same row checks, which read these; `mapping` names
# columns (CSV) or dotted paths into each item (JSON exports), e.g. {risk: custom.risk}
_INCIDENT_OPTIONS = (
    PATH,
    TIMEZONE,
    MAPPING,
    Option("timestamp_format", "timestamp_format"),
    Option("severity_map", "mapping"),
    Option("services", "mapping"),
)
_PROMETHEUS_SERIES = (
    Option("label", "text"),
    Option("step", "text"),
    Option("services", "names"),
)

# an engine runs the query: DuckDB over files, or a database through SQLAlchemy
DATASET = Option("path", "files", required=True)
_DATABASE = (
    Option("url", "database", required=True),
    Option("query", "query", required=True),
    Option("username_env", "env"),
    Option("password_env", "env"),
    Option("connect_timeout_seconds", "seconds"),
    Option("timeout_seconds", "seconds"),
    Option("retries", "count"),
    TIMEZONE,
)
_DATASET_INCIDENTS = (DATASET, *_INCIDENT_OPTIONS[1:])
_DATABASE_INCIDENTS = (*_DATABASE, Option("severity_map", "mapping"), Option("services", "mapping"))

FORMATS: tuple[SourceFormat, ...] = (
    SourceFormat(
        "slos", "openslo", "briefing.ingest.openslo:read_openslo", (PATH,), (".yaml", ".yml")
    ),
    SourceFormat(
        "metrics",
        "csv",
        "briefing.ingest.metrics_csv:read_metrics_csv",
        (PATH, TIMEZONE),
        (".csv", ".csv.gz"),
    ),
    SourceFormat(
        "metrics",
        "parquet",
        "briefing.ingest.parquet:read_metrics_parquet",
        (PATH, TIMEZONE),
        (".parquet",),
    ),
    SourceFormat(
        "metrics",
        "prometheus-json",
        "briefing.ingest.prometheus:read_prometheus_json",
        (
            Option("good", "file"),
            Option("bad", "file"),
            Option("total", "file", required=True),
            *_PROMETHEUS_SERIES,
        ),
        one_of=("good", "bad"),
    ),
    SourceFormat(
        "metrics",
        "prometheus",
        "briefing.ingest.prometheus:read_prometheus_api",
        (
            Option("url", "url", required=True),
            Option("good", "query"),
            Option("bad", "query"),
            Option("total", "query", required=True),
            *_PROMETHEUS_SERIES,
            Option("bearer_token_env", "env"),
            Option("username_env", "env"),
            Option("password_env", "env"),
            Option("verify_tls", "bool"),
            Option("timeout_seconds", "seconds"),
            Option("retries", "count"),
        ),
        one_of=("good", "bad"),
    ),
    SourceFormat(
        "metrics",
        "duckdb",
        "briefing.ingest.duckdb_files:read_metrics_duckdb",
        (DATASET, TIMEZONE, Option("services", "names")),
    ),
    SourceFormat(
        "metrics",
        "sql",
        "briefing.ingest.sql:read_metrics_sql",
        (*_DATABASE, Option("services", "names")),
    ),
    SourceFormat(
        "incidents",
        "csv",
        "briefing.ingest.generic:read_incidents_csv",
        _INCIDENT_OPTIONS,
        (".csv", ".csv.gz"),
    ),
    SourceFormat(
        "incidents",
        "json",
        "briefing.ingest.generic:read_incidents_json",
        _INCIDENT_OPTIONS,
        (".json",),
    ),
    SourceFormat(
        "incidents", "pagerduty", "briefing.ingest.pagerduty:read_pagerduty", _INCIDENT_OPTIONS
    ),
    SourceFormat(
        "incidents", "opsgenie", "briefing.ingest.opsgenie:read_opsgenie", _INCIDENT_OPTIONS
    ),
    SourceFormat(
        "incidents", "incidentio", "briefing.ingest.incidentio:read_incidentio", _INCIDENT_OPTIONS
    ),
    SourceFormat("incidents", "jira", "briefing.ingest.jira:read_jira", _INCIDENT_OPTIONS),
    SourceFormat(
        "incidents",
        "duckdb",
        "briefing.ingest.duckdb_incidents:read_incidents_duckdb",
        _DATASET_INCIDENTS,
    ),
    SourceFormat("incidents", "sql", "briefing.ingest.sql:read_incidents_sql", _DATABASE_INCIDENTS),
    SourceFormat("risks", "yaml", "briefing.ingest.risks:read_risks", (PATH,), (".yaml", ".yml")),
    SourceFormat("risks", "csv", "briefing.ingest.risks:read_risks", (PATH,), (".csv", ".csv.gz")),
    SourceFormat(
        "controls",
        "csv",
        "briefing.ingest.controls:read_controls",
        (PATH, TIMEZONE, MAPPING),
        (".csv", ".csv.gz"),
    ),
)


def formats_of(kind: str) -> tuple[SourceFormat, ...]:
    return tuple(f for f in FORMATS if f.kind == kind)


def find_format(kind: str, name: str) -> SourceFormat | None:
    for source_format in FORMATS:
        if source_format.kind == kind and source_format.name == name:
            return source_format
    return None


def format_from_extension(kind: str, path: str | None) -> str | None:
    """The format a file's name implies for this kind of source, if one does."""
    if not path:
        return None
    name = path.lower()
    for source_format in formats_of(kind):
        if source_format.extensions and name.endswith(source_format.extensions):
            return source_format.name
    return None
