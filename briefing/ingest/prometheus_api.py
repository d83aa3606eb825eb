"""Ingest stage: the live Prometheus-compatible HTTP API (Prometheus, Thanos, Mimir, VictoriaMetrics).

The scale path: the metrics store aggregates (`sum by (service) (increase(...[step]))`)
and briefing pulls only one point per service and step with `query_range`, so
its memory depends on services x steps, never on request volume. Prometheus
answers at most 11,000 points per series and query, so long ranges are fetched
in chunks. Connection errors and 5xx answers are retried with backoff; 4xx
answers end with Prometheus's own error text.
"""

from __future__ import annotations

import json
import logging
import os
import re
import socket
import ssl
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

import requests

from briefing.config import SourceEntry
from briefing.errors import BriefingError, Location
from briefing.ingest.context import Loaded, ReadContext
from briefing.ingest.prometheus import (
    DEFAULT_LABEL,
    Origin,
    Series,
    build_sli,
    expect_services,
    merge_series,
    parse_matrix,
    parse_step,
)
from briefing.ingest.prometheus_fast import decode_matrix

log = logging.getLogger(__name__)

MAX_POINTS_PER_QUERY = 10_000  # Prometheus refuses more than 11,000 points per series
DEFAULT_TIMEOUT_SECONDS = 30.0
DEFAULT_RETRIES = 3
BACKOFF_SECONDS = 0.5
PARALLEL_REQUESTS = 4  # range queries in flight at once
LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})
_RANGE = re.compile(r"\[(\d+[smhdwy])\]")


def read_prometheus_api(entry: SourceEntry, ctx: ReadContext) -> Loaded:
    """`{format: prometheus, url, good (or bad), total, step, label}`: fetch the period and the one before."""
    url = str(entry.options["url"]).rstrip("/")
    where = entry.location
    step = parse_step(entry.options.get("step", "1h"), where)
    label = str(entry.options.get("label") or DEFAULT_LABEL)
    client = _Client(entry, url)
    first = ctx.history_start or ctx.period.previous()
    start = (
        int(first.start_utc.timestamp()) + step
    )  # the first point covers the period's first step
    end = int(ctx.period.end_utc.timestamp())
    notes: list[str] = []
    queries = {
        name: str(entry.options[name])
        for name in ("good", "bad", "total")
        if entry.options.get(name)
    }
    if "total" not in queries or ("good" in queries) == ("bad" in queries):
        raise BriefingError(
            "a prometheus source needs total: and one of good: or bad: (PromQL expressions)",
            where=where,
        )
    fetched: dict[str, list[Series]] = {}
    for name, query in queries.items():
        ranges = sorted(set(_RANGE.findall(query)))
        if ranges and all(parse_step(r, where) != step for r in ranges):
            notes.append(
                f"the {name} query uses the range {', '.join(ranges)} but the step is {step}s: "
                "steps would overlap or leave gaps; make the range equal the step"
            )
    answers = _fetch_all(client, queries, _chunks(start, end, step), step, label)
    for name in queries:
        fetched[name] = merge_series(answers[name])
        log.info("Fetched %s: %d series", name, len(fetched[name]))
    all_series = [s for v in fetched.values() for s in v]
    if not all_series:
        raise BriefingError(
            f"the queries returned no series from {_period_text(first, ctx)}",
            where=Location(url),
            hint="check the metric names and labels, and that Prometheus keeps data that far back "
            "(try the query in its web UI over the same range)",
        )
    expect_services(all_series, entry, ctx, url, notes)
    origins = {name: Origin(name, "query", Location(url), query) for name, query in queries.items()}
    return build_sli(
        fetched,
        origins,
        step,
        entry,
        ctx,
        display=url,
        fmt="prometheus",
        notes=notes,
    )


def _fetch_all(
    client: _Client, queries: dict[str, str], chunks: list[tuple[int, int]], step: int, label: str
) -> dict[str, list[list[Series]]]:
    """Every query over every chunk, a few requests at a time (the server evaluates them in
    parallel), each answer parsed as it arrives; the series in chunk order per query."""
    where = Location(client.url)

    def fetch(name: str, a: int, b: int) -> list[Series]:
        content = client.query_range(name, queries[name], a, b, step, raw=True)
        fast = decode_matrix(content, label, where, name)
        if fast is not None:
            return fast
        return parse_matrix(client.decode(content), label, where, name)

    jobs = [(name, a, b) for name in queries for a, b in chunks]
    with ThreadPoolExecutor(max_workers=min(PARALLEL_REQUESTS, len(jobs))) as pool:
        futures = [pool.submit(fetch, *job) for job in jobs]
        try:
            results = [future.result() for future in futures]
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    answers: dict[str, list[list[Series]]] = {name: [] for name in queries}
    for (name, _, _), result in zip(jobs, results, strict=True):
        answers[name].append(result)
    return answers


def _period_text(first: Any, ctx: ReadContext) -> str:
    return f"{first.label} to {ctx.period.label}"


def _chunks(start: int, end: int, step: int) -> list[tuple[int, int]]:
    """[start, end] in pieces of at most MAX_POINTS_PER_QUERY points, aligned on the step."""
    pieces = []
    span = step * (MAX_POINTS_PER_QUERY - 1)
    a = start
    while a <= end:
        b = min(a + span, end)
        pieces.append((a, b))
        a = b + step
    return pieces


class _Client:
    """One source's HTTP settings: auth from the environment, TLS, timeouts, retries."""

    def __init__(self, entry: SourceEntry, url: str) -> None:
        self.url = url
        self.kind = "Prometheus"
        self.where = entry.location
        options = entry.options
        self.timeout = float(options.get("timeout_seconds") or DEFAULT_TIMEOUT_SECONDS)
        retries = options.get("retries")
        self.retries = DEFAULT_RETRIES if retries is None else max(0, int(retries))
        self.verify = bool(options.get("verify_tls", True))
        self.session = requests.Session()
        self.session.headers["Accept"] = "application/json"
        if urlsplit(url).hostname in LOOPBACK:
            # compressing on the same machine only costs both sides CPU
            self.session.headers["Accept-Encoding"] = "identity"
        token_env = options.get("bearer_token_env")
        if token_env:
            self.session.headers["Authorization"] = (
                f"Bearer {self._env(str(token_env), 'bearer_token_env')}"
            )
        user_env, password_env = options.get("username_env"), options.get("password_env")
        if user_env or password_env:
            if not (user_env and password_env):
                raise BriefingError(
                    "basic auth needs both username_env and password_env", where=self.where
                )
            self.session.auth = (
                self._env(str(user_env), "username_env"),
                self._env(str(password_env), "password_env"),
            )

    def _env(self, name: str, key: str) -> str:
        value = os.environ.get(name)
        if not value:
            raise BriefingError(
                f"environment variable {name} (named by {key}) is not set",
                where=self.where,
                hint=f"export {name}=... before running briefing; secrets never sit in briefing.yaml",
            )
        return value

    def decode(self, content: bytes) -> Any:
        try:
            return json.loads(content)
        except ValueError:
            raise BriefingError(
                f"{self.url}/api/v1/query_range did not answer JSON",
                where=self.where,
                hint="point url: at the Prometheus server itself (e.g. http://prometheus:9090)",
            ) from None

    def query_range(
        self, name: str, query: str, start: int, end: int, step: int, *, raw: bool = False
    ) -> Any:
        """The answer's JSON (or, `raw`, its bytes: the caller decodes them)."""
        params = {"query": query, "start": str(start), "end": str(end), "step": f"{step}s"}
        endpoint = f"{self.url}/api/v1/query_range"
        last_error = ""
        for attempt in range(self.retries + 1):
            if attempt:
                delay = BACKOFF_SECONDS * 2 ** (attempt - 1)
                log.warning("Retrying %s in %.1fs (%s)", endpoint, delay, last_error)
                time.sleep(delay)
            try:
                response = self.session.post(
                    endpoint, data=params, timeout=self.timeout, verify=self.verify
                )
            except requests.exceptions.SSLError as err:
                raise BriefingError(
                    f"{self.kind} at {self.url}: TLS verification failed: {_cause(err)}",
                    where=self.where,
                    hint="fix the server certificate, or (only for a trusted test server) set verify_tls: false",
                ) from None
            except (requests.ConnectionError, requests.Timeout) as err:
                last_error = self._unreachable(err)
                continue
            except requests.RequestException as err:
                raise BriefingError(
                    f"{self.kind} at {self.url}: the {name} query could not be sent: {_cause(err)}",
                    where=self.where,
                    hint="check url: and the credentials' environment variables",
                ) from None
            if response.status_code >= 500:
                last_error = (
                    f"{self.kind} at {self.url} answered HTTP {response.status_code}: "
                    f"{_error_text(response)}"
                )
                continue
            if response.status_code >= 400:
                raise self._client_error(name, query, response)
            if raw:
                return response.content
            try:
                return response.json()
            except ValueError:
                raise BriefingError(
                    f"{endpoint} did not answer JSON (HTTP {response.status_code})",
                    where=self.where,
                    hint="point url: at the Prometheus server itself (e.g. http://prometheus:9090)",
                ) from None
        raise BriefingError(
            f"{last_error} ({self.retries + 1} attempt(s), {name} query)",
            where=self.where,
            hint="check that the server is up and reachable from here, or raise timeout_seconds / retries",
        )

    def _unreachable(self, err: requests.RequestException) -> str:
        if isinstance(err, requests.Timeout) and not isinstance(
            err, requests.exceptions.ConnectTimeout
        ):
            return f"{self.kind} at {self.url} did not answer within {self.timeout:g} s"
        return f"{self.kind} at {self.url} is unreachable: {_cause(err)}"

    def _client_error(self, name: str, query: str, response: requests.Response) -> BriefingError:
        status = response.status_code
        text = _error_text(response)
        if status in (401, 403):
            return BriefingError(
                f"{self.kind} at {self.url} refused access (HTTP {status}): {text}",
                where=self.where,
                hint="set bearer_token_env, or username_env and password_env, to variables holding valid credentials",
            )
        if status == 404:
            return BriefingError(
                f"{self.kind} at {self.url}: /api/v1/query_range was not found (HTTP 404)",
                where=self.where,
                hint="url: is the server's base address (for Mimir or Thanos include its Prometheus API prefix)",
            )
        return BriefingError(
            f"Prometheus refused the {name} query (HTTP {status}): {text}\n  query: {query}",
            where=self.where,
            hint=f"fix the PromQL in sources.metrics {name}: (try it in the Prometheus web UI first)",
        )


def _error_text(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:300] or response.reason
    if isinstance(body, dict) and body.get("error"):
        return f"{body.get('errorType', 'error')}: {body['error']}"
    return str(body)[:300]


def _cause(err: BaseException) -> str:
    """The root of a requests/urllib3 error in plain words, without their connection-pool text."""
    seen: set[int] = set()
    pending: list[BaseException] = [err]
    found: list[BaseException] = []
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        found.append(current)
        links = [current.__cause__, current.__context__, getattr(current, "reason", None)]
        links += [a for a in current.args if isinstance(a, BaseException)]
        pending.extend(e for e in links if isinstance(e, BaseException))
    for candidate in found:
        if isinstance(candidate, ConnectionRefusedError):
            return "connection refused"
        if isinstance(candidate, socket.gaierror):
            return "the host name cannot be resolved"
        if isinstance(candidate, ConnectionResetError):
            return "the connection was reset"
        if isinstance(candidate, TimeoutError | socket.timeout):
            return "no answer to the connection"
        if isinstance(candidate, ssl.SSLError):
            return candidate.reason or "TLS handshake failed"
        if isinstance(candidate, OSError) and candidate.strerror:
            return candidate.strerror[0].lower() + candidate.strerror[1:]
    for candidate in found:
        if type(candidate).__name__ == "RemoteDisconnected":
            return "the server closed the connection without answering"
    text = str(found[-1]) or type(found[-1]).__name__
    return text if len(text) < 200 else text[:200] + "..."
