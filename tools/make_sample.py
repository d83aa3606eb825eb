"""Write the sample workspace shipped in `briefing/samples/`.

Northwind Outfitters, a fictional online retailer: five services, thirteen months
of SLI counts (hourly from October 2025 to July 2026, per minute from August to
October 2026), the incidents behind the bad requests, a risk register and the
controls that prevented events. The data is built so that the October 2026
briefing has something to say: online checkout exhausts its error budget, card
payments is at risk, product search has plenty to spare; and so that its trend
has a history: card payments ran out on Black Friday, customer sign-in in
January, online checkout already once in March.

The last three months are drawn exactly as before the hourly months were added
(their own random stream), so the October 2026 figures do not move.

Seeded and deterministic: running it twice writes byte-identical files (the
gzip header carries no name and no time).

    python tools/make_sample.py            # writes briefing/samples/
    python tools/make_sample.py --out DIR  # writes DIR/
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

log = logging.getLogger("make_sample")

SEED = 20261031
PAST_SEED = SEED + 1  # the hourly months draw from their own stream
TIMEZONE = "Europe/Amsterdam"
FIRST_HOUR = "2025-09-30T22:00:00Z"  # local midnight starting 1 October 2025 (summer time)
FIRST_MINUTE = "2026-08-01T00:00:00Z"
END_MINUTE = "2026-11-01T00:00:00Z"  # exclusive
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "briefing" / "samples"
# What `policy.impact_by_severity` assumes when an incident gives no impact.
IMPACT_BY_SEVERITY = {"SEV1": 1.0, "SEV2": 0.5, "SEV3": 0.2, "SEV4": 0.05}


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    objective: float
    cost_per_hour: int
    owner: str
    peak_per_minute: float  # requests per minute at the evening peak
    background_error_rate: float  # share of requests failing outside incidents


SERVICES = (
    Service("checkout", "Online checkout", 0.999, 42_000, "Head of Commerce Engineering", 900, 0.00015),
    Service("payments", "Card payments", 0.9995, 60_000, "Head of Payments", 700, 0.00008),
    Service("search", "Product search", 0.995, 8_000, "Head of Discovery", 3_000, 0.0004),
    Service("catalog", "Product pages", 0.999, 15_000, "Head of Catalogue Engineering", 2_400, 0.0002),
    Service("accounts", "Customer sign-in", 0.999, 12_000, "Head of Identity and Access", 650, 0.00015),
)  # fmt: skip

# Share of the evening peak, by local hour (Europe/Amsterdam): people shop in the
# evening, a little at lunch, hardly at night.
HOURLY_SHAPE = (
    0.34, 0.22, 0.15, 0.12, 0.11, 0.14, 0.24, 0.40, 0.55, 0.66, 0.74, 0.81,
    0.87, 0.85, 0.80, 0.78, 0.80, 0.85, 0.91, 0.97, 1.00, 0.94, 0.76, 0.53,
)  # fmt: skip
WEEKEND_FACTOR = 1.12

# id, service, title, severity, started_at, detected_at, resolved_at, impact
# (UTC; "" = not given). Titles are as people typed them, personal data included:
# the briefing must redact it.
PAST_INCIDENTS = (
    # October 2025 to July 2026 (hourly data): mostly quiet months, three that used it all
    ("INC-0951", "search", "Search suggestions slow after index rebuild", "SEV3",
     "2025-10-09T12:10Z", "2025-10-09T12:40Z", "2025-10-09T14:00Z", "0.08"),
    ("INC-0952", "catalog", "Product images slow to load", "SEV4",
     "2025-10-21T09:15Z", "2025-10-21T09:55Z", "2025-10-21T11:30Z", "0.02"),
    ("INC-0953", "checkout", "Basket page slow under heavy traffic", "SEV3",
     "2025-11-12T14:00Z", "2025-11-12T14:35Z", "2025-11-12T15:20Z", "0.05"),
    # Black Friday: card payments uses more than its whole allowance in 45 minutes
    ("INC-0954", "payments", "Payment provider outage on Black Friday", "SEV1",
     "2025-11-28T18:20Z", "2025-11-28T18:42Z", "2025-11-28T19:05Z", "0.30"),
    ("INC-0955", "search", "Search overloaded by Black Friday traffic", "SEV2",
     "2025-11-28T19:00Z", "2025-11-28T19:20Z", "2025-11-28T20:10Z", "0.15"),
    ("INC-0956", "accounts", "Sign-in codes by text message delayed", "SEV3",
     "2025-12-04T08:10Z", "2025-12-04T08:50Z", "2025-12-04T10:05Z", "0.06"),
    ("INC-0957", "search", "Search degraded during peak holiday shopping", "SEV2",
     "2025-12-15T12:00Z", "2025-12-15T12:45Z", "2025-12-15T16:00Z", "0.50"),
    ("INC-0958", "accounts", "Identity provider outage: customers could not sign in", "SEV1",
     "2026-01-13T07:40Z", "2026-01-13T08:02Z", "2026-01-13T08:35Z", "0.90"),
    ("INC-0959", "catalog", "Prices missing on some product pages", "SEV3",
     "2026-01-22T10:00Z", "2026-01-22T10:30Z", "2026-01-22T11:15Z", "0.05"),
    ("INC-0960", "checkout", "Address lookup failing in checkout", "SEV3",
     "2026-02-10T11:30Z", "2026-02-10T12:00Z", "2026-02-10T13:10Z", "0.06"),
    ("INC-0961", "search", "Search filters ignored after a release", "SEV4",
     "2026-02-19T15:00Z", "2026-02-19T15:50Z", "2026-02-19T17:30Z", "0.03"),
    ("INC-0962", "checkout", "Checkout errors after a faulty release", "SEV1",
     "2026-03-17T18:05Z", "2026-03-17T18:30Z", "2026-03-17T19:15Z", "0.40"),
    ("INC-0963", "payments", "Refunds delayed at the acquiring bank", "SEV4",
     "2026-03-24T09:00Z", "2026-03-24T10:10Z", "2026-03-24T12:00Z", "0.01"),
    ("INC-0964", "catalog", "Product pages slow after database upgrade", "SEV2",
     "2026-04-08T12:20Z", "2026-04-08T12:50Z", "2026-04-08T14:05Z", "0.10"),
    ("INC-0965", "accounts", "Password reset page erroring", "SEV3",
     "2026-04-27T16:00Z", "2026-04-27T16:35Z", "2026-04-27T17:10Z", "0.05"),
    ("INC-0966", "catalog", "Product pages down in some countries after a CDN change", "SEV2",
     "2026-05-12T09:40Z", "2026-05-12T10:10Z", "2026-05-12T11:25Z", "0.25"),
    ("INC-0967", "checkout", "Discount codes not applied", "SEV3",
     "2026-05-20T13:15Z", "2026-05-20T13:45Z", "2026-05-20T14:30Z", "0.05"),
    ("INC-0968", "payments", "Card payments slow at one acquirer", "SEV3",
     "2026-06-09T17:10Z", "2026-06-09T17:40Z", "2026-06-09T18:25Z", "0.05"),
    ("INC-0969", "search", "Search index lagging behind stock levels", "SEV4",
     "2026-06-23T08:00Z", "2026-06-23T09:10Z", "2026-06-23T11:00Z", "0.02"),
    ("INC-0970", "accounts", "Sign-in page slow after certificate rotation", "SEV3",
     "2026-07-07T06:30Z", "2026-07-07T07:05Z", "2026-07-07T07:50Z", "0.08"),
    ("INC-0971", "checkout", "Delivery dates wrong in checkout", "SEV4",
     "2026-07-21T12:00Z", "2026-07-21T12:40Z", "2026-07-21T13:30Z", "0.02"),
)  # fmt: skip

RECENT_INCIDENTS = (
    # August: an ordinary month, detection and repair at the old pace
    ("INC-1001", "checkout", "Basket totals wrong for multi-currency carts", "SEV3",
     "2026-08-04T13:10Z", "2026-08-04T13:42Z", "2026-08-04T15:05Z", "0.04"),
    ("INC-1002", "search", "Search results stale after index rebuild", "SEV3",
     "2026-08-07T09:20Z", "2026-08-07T10:05Z", "2026-08-07T12:25Z", "0.10"),
    ("INC-1003", "payments", "Card authorisations timing out at acquiring bank", "SEV2",
     "2026-08-12T18:05Z", "2026-08-12T18:27Z", "2026-08-12T19:02Z", "0.10"),
    ("INC-1004", "catalog", "Product images missing after CDN purge", "SEV2",
     "2026-08-15T10:30Z", "2026-08-15T11:02Z", "2026-08-15T12:10Z", "0.08"),
    ("INC-1005", "accounts", "Sign-in slow after session store upgrade", "SEV3",
     "2026-08-19T07:40Z", "2026-08-19T08:15Z", "2026-08-19T09:50Z", "0.05"),
    ("INC-1006", "checkout", "Delivery options not loading in checkout", "SEV2",
     "2026-08-22T17:15Z", "2026-08-22T17:43Z", "2026-08-22T18:40Z", "0.08"),
    ("INC-1007", "search", "Search unavailable during cluster resize", "SEV2",
     "2026-08-26T20:05Z", "2026-08-26T20:31Z", "2026-08-26T21:45Z", "0.35"),
    ("INC-1008", "catalog", "Prices shown without VAT for some products", "SEV4",
     "2026-08-29T06:20Z", "2026-08-29T07:05Z", "2026-08-29T09:10Z", "0.01"),
    # September: ordinary again; checkout stays well inside its budget
    ("INC-1009", "checkout", "Delivery slot picker failing for some postcodes", "SEV3",
     "2026-09-03T11:20Z", "2026-09-03T11:48Z", "2026-09-03T12:55Z", "0.08"),
    ("INC-1010", "payments", "Apple Pay authorisations declined", "SEV3",
     "2026-09-07T15:30Z", "2026-09-07T15:55Z", "2026-09-07T16:35Z", "0.06"),
    ("INC-1011", "search", "Search returning empty results for size filters", "SEV2",
     "2026-09-10T12:00Z", "2026-09-10T12:38Z", "2026-09-10T14:10Z", "0.30"),
    ("INC-1012", "accounts", "Sign-in outage after identity provider certificate expired", "SEV2",
     "2026-09-14T05:50Z", "2026-09-14T06:20Z", "2026-09-14T07:25Z", "0.15"),
    ("INC-1013", "catalog", "Product recommendations missing", "SEV4",
     "2026-09-18T09:00Z", "2026-09-18T09:50Z", "2026-09-18T12:00Z", "0.02"),
    ("INC-1014", "checkout", "Gift card balance check failing", "SEV4",
     "2026-09-22T19:10Z", "2026-09-22T19:45Z", "2026-09-22T20:50Z", "0.03"),
    ("INC-1015", "catalog", "Stock levels not updating on product pages", "SEV3",
     "2026-09-25T14:30Z", "2026-09-25T14:58Z", "2026-09-25T16:20Z", "0.06"),
    # Crosses the month's edge: 23:00 to 01:30 in Amsterdam (local midnight = 22:00Z)
    ("INC-1016", "catalog", "Product pages slow around midnight after cache warm-up failed", "SEV3",
     "2026-09-30T21:00Z", "2026-09-30T21:08Z", "2026-09-30T23:30Z", "0.08"),
    # October: faster detection and repair, but one bad configuration push
    ("INC-1017", "accounts", "Password reset emails delayed", "SEV4",
     "2026-10-03T07:15Z", "", "2026-10-03T08:05Z", "0.03"),
    ("INC-1018", "checkout", "Promo code service erroring; customer on +31 20 555 0134 could not order", "SEV2",
     "2026-10-06T11:40Z", "2026-10-06T11:47Z", "2026-10-06T12:25Z", "0.20"),
    ("INC-1019", "search", "Autocomplete suggestions slow", "SEV4",
     "2026-10-08T18:30Z", "2026-10-08T18:36Z", "2026-10-08T19:00Z", ""),
    # Two overlapping payments incidents: union 16:20-17:30, the higher impact wins
    ("INC-1020", "payments", "Payment provider outage: card authorisations failing", "SEV2",
     "2026-10-13T16:20Z", "2026-10-13T16:26Z", "2026-10-13T17:02Z", "0.18"),
    ("INC-1021", "payments", "3-D Secure challenges timing out for some banks", "SEV3",
     "2026-10-13T16:45Z", "2026-10-13T16:52Z", "2026-10-13T17:30Z", "0.08"),
    ("INC-1022", "checkout", "Checkout down after bad configuration push", "SEV1",
     "2026-10-15T09:05Z", "2026-10-15T09:11Z", "2026-10-15T10:29Z", "0.45"),
    ("INC-1023", "accounts", "Sign-in failures reported by jane.doe@northwind.example", "SEV3",
     "2026-10-20T08:30Z", "2026-10-20T08:38Z", "2026-10-20T09:10Z", "0.10"),
    ("INC-1024", "catalog", "Product pages showing stale prices after feed delay", "SEV3",
     "2026-10-23T13:10Z", "2026-10-23T13:16Z", "2026-10-23T13:30Z", ""),
    ("INC-1025", "search", "Search node 10.20.30.40 out of disk; index lagging", "SEV3",
     "2026-10-27T10:05Z", "2026-10-27T10:14Z", "2026-10-27T10:50Z", "0.05"),
)  # fmt: skip
INCIDENTS = PAST_INCIDENTS + RECENT_INCIDENTS

INCIDENT_COLUMNS = (
    "id", "service", "title", "severity", "started_at", "detected_at", "resolved_at", "impact",
    "risk",
)  # fmt: skip

# The registered risk an incident's review tied it to (the rest match none).
INCIDENT_RISKS = {
    "INC-0954": "R2", "INC-0958": "R8", "INC-0962": "R1", "INC-0966": "R7",
    "INC-1004": "R7", "INC-1012": "R3", "INC-1020": "R2", "INC-1022": "R1", "INC-1025": "R6",
}  # fmt: skip

# date, service, control, events, risk, probability ("" = unknown: claims nothing)
CONTROLS = (
    ("2026-09-09", "catalog", "Admission policy blocked a container image with a critical vulnerability", 2, "R5", "0.10"),
    ("2026-09-17", "checkout", "Automatic rollback of a failing canary release", 1, "R1", "0.50"),
    ("2026-09-24", "payments", "Chaos experiment found payment-provider failover gap; fixed", 1, "R2", "0.30"),
    ("2026-10-02", "catalog", "Admission policy blocked a container image with a critical vulnerability", 3, "R5", "0.10"),
    ("2026-10-05", "checkout", "Automatic rollback of a failing canary release", 1, "R1", "0.60"),
    ("2026-10-07", "payments", "Chaos experiment found retry storm towards the payment provider; fixed", 1, "R2", "0.25"),
    ("2026-10-09", "accounts", "Certificate expiry alert renewed a certificate 21 days early", 1, "R3", "0.90"),
    ("2026-10-12", "search", "Disk-usage forecast triggered a search node expansion", 1, "R6", "0.40"),
    ("2026-10-14", "checkout", "Configuration validation rejected a malformed feature flag file", 2, "R1", "0.50"),
    ("2026-10-16", "catalog", "Admission policy blocked a container image with a critical vulnerability", 4, "R5", "0.10"),
    ("2026-10-19", "checkout", "Chaos experiment found database failover stall; fixed", 1, "R4", "0.35"),
    ("2026-10-21", "catalog", "CDN configuration change caught in review by policy check", 1, "R7", ""),
    ("2026-10-26", "checkout", "Automatic rollback of a failing canary release", 1, "R1", "0.60"),
    ("2026-10-28", "accounts", "Identity provider failover drill succeeded", 1, "R8", ""),
    ("2026-10-30", "catalog", "Admission policy blocked a container image with a critical vulnerability", 1, "R5", "0.10"),
)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder to write")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    write_sample(args.out)


def write_sample(out: Path) -> None:
    """Write every file of the sample workspace into `out`."""
    (out / "exports").mkdir(parents=True, exist_ok=True)
    past = make_hourly_sli(np.random.default_rng(PAST_SEED))
    sli = pd.concat([past, make_sli(np.random.default_rng(SEED))], ignore_index=True)
    body = sli.to_csv(index=False, lineterminator="\n").encode("ascii")
    (out / "exports" / "sli.csv.gz").write_bytes(gzip.compress(body, compresslevel=9, mtime=0))
    incidents = tuple(
        (*row[:4], *map(_iso, row[4:7]), row[7], INCIDENT_RISKS.get(row[0], ""))
        for row in INCIDENTS
    )
    (out / "exports" / "incidents.csv").write_text(_csv(INCIDENT_COLUMNS, incidents), "utf-8")
    controls_header = ("date", "service", "control", "events", "risk", "probability")
    (out / "exports" / "controls.csv").write_text(_csv(controls_header, CONTROLS), "utf-8")
    (out / "risks.yaml").write_text(RISKS_YAML, "utf-8")
    (out / "briefing.yaml").write_text(briefing_yaml(), "utf-8")
    (out / "README.md").write_text(README, "utf-8")
    (out / "commentary").mkdir(exist_ok=True)
    (out / "commentary" / "2026-10.md").write_text(COMMENTARY, "utf-8")
    log.info("wrote %s (%d SLI rows)", out, len(sli))
    for month in pd.period_range("2025-10", "2026-10", freq="M"):
        log.info("%s: %s", month, _budget_summary(sli, str(month)))


def make_sli(rng: np.random.Generator) -> pd.DataFrame:
    """Per-minute good/total for every service, incidents included."""
    minutes = pd.date_range(FIRST_MINUTE, END_MINUTE, freq="min", inclusive="left")
    local = minutes.tz_convert(TIMEZONE)
    hour = local.hour.to_numpy() + local.minute.to_numpy() / 60.0
    shape = np.interp(hour, np.arange(25), (*HOURLY_SHAPE, HOURLY_SHAPE[0]))
    shape = shape * np.where(local.day_of_week.to_numpy() >= 5, WEEKEND_FACTOR, 1.0)
    day = (minutes - minutes[0]).days.to_numpy()
    stamps = minutes.strftime("%Y-%m-%dT%H:%M:%SZ").to_numpy()
    columns: dict[str, list[np.ndarray]] = {"timestamp": [], "service": [], "good": [], "total": []}
    for service in SERVICES:
        daily = rng.lognormal(0.0, 0.05, size=day.max() + 1)[day]  # busier and quieter days
        total = rng.poisson(service.peak_per_minute * shape * daily)
        bad = rng.binomial(total, service.background_error_rate)
        impact = _incident_impact(service.id, minutes)
        hit = impact > 0
        bad[hit] += rng.binomial(total[hit] - bad[hit], impact[hit])
        columns["timestamp"].append(stamps)
        columns["service"].append(np.full(len(minutes), service.id, dtype=object))
        columns["good"].append(total - bad)
        columns["total"].append(total)
    frame = pd.DataFrame({k: np.concatenate(v) for k, v in columns.items()})
    order = np.arange(len(minutes) * len(SERVICES)).reshape(len(SERVICES), -1).T.ravel()
    return frame.iloc[order].reset_index(drop=True)  # by minute, then service


def make_hourly_sli(rng: np.random.Generator) -> pd.DataFrame:
    """Hourly good/total from FIRST_HOUR to FIRST_MINUTE, incidents included (a past month
    needs no finer buckets: its allowance is a sum over the month)."""
    hours = pd.date_range(FIRST_HOUR, FIRST_MINUTE, freq="h", inclusive="left")
    local = hours.tz_convert(TIMEZONE)
    middle = local.hour.to_numpy() + 0.5
    shape = np.interp(middle, np.arange(25), (*HOURLY_SHAPE, HOURLY_SHAPE[0]))
    shape = shape * np.where(local.day_of_week.to_numpy() >= 5, WEEKEND_FACTOR, 1.0)
    day = (hours - hours[0]).days.to_numpy()
    stamps = hours.strftime("%Y-%m-%dT%H:%M:%SZ").to_numpy()
    columns: dict[str, list[np.ndarray]] = {"timestamp": [], "service": [], "good": [], "total": []}
    for service in SERVICES:
        daily = rng.lognormal(0.0, 0.05, size=day.max() + 1)[day]
        total = rng.poisson(service.peak_per_minute * 60 * shape * daily)
        bad = rng.binomial(total, service.background_error_rate)
        impact = _hourly_impact(service.id, hours)
        hit = impact > 0
        bad[hit] += rng.binomial(total[hit] - bad[hit], impact[hit])
        columns["timestamp"].append(stamps)
        columns["service"].append(np.full(len(hours), service.id, dtype=object))
        columns["good"].append(total - bad)
        columns["total"].append(total)
    frame = pd.DataFrame({k: np.concatenate(v) for k, v in columns.items()})
    order = np.arange(len(hours) * len(SERVICES)).reshape(len(SERVICES), -1).T.ravel()
    return frame.iloc[order].reset_index(drop=True)  # by hour, then service


def _hourly_impact(service_id: str, hours: pd.DatetimeIndex) -> np.ndarray:
    """Share of an hour's requests failing: each incident's impact times the part of the
    hour it covers (past incidents of one service never overlap)."""
    impact = np.zeros(len(hours))
    for _id, service, _title, severity, started, _detected, resolved, value in PAST_INCIDENTS:
        if service != service_id:
            continue
        share = float(value) if value else IMPACT_BY_SEVERITY[severity]
        start, end = pd.Timestamp(started), pd.Timestamp(resolved)
        overlap = (
            np.minimum(hours + pd.Timedelta(hours=1), end) - np.maximum(hours, start)
        ) / pd.Timedelta(hours=1)
        covered = np.clip(np.asarray(overlap, dtype=float), 0.0, 1.0)
        impact = np.maximum(impact, covered * share)
    return impact


def _incident_impact(service_id: str, minutes: pd.DatetimeIndex) -> np.ndarray:
    """Share of requests failing in each minute: the highest impact of the open incidents."""
    impact = np.zeros(len(minutes))
    for _id, service, _title, severity, started, _detected, resolved, value in RECENT_INCIDENTS:
        if service != service_id:
            continue
        share = float(value) if value else IMPACT_BY_SEVERITY[severity]
        inside = (minutes >= pd.Timestamp(started)) & (minutes < pd.Timestamp(resolved))
        impact[inside] = np.maximum(impact[inside], share)
    return impact


def _budget_summary(sli: pd.DataFrame, month: str) -> str:
    """budget_consumed per service in a local calendar month (for tuning by eye)."""
    start = pd.Timestamp(f"{month}-01", tz=TIMEZONE)
    end = start + pd.offsets.MonthBegin(1)
    stamps = pd.to_datetime(sli["timestamp"])
    month_rows = sli[(stamps >= start) & (stamps < end)]
    parts = []
    for service in SERVICES:
        rows = month_rows[month_rows["service"] == service.id]
        bad = (rows["total"] - rows["good"]).sum()
        consumed = bad / ((1 - service.objective) * rows["total"].sum())
        parts.append(f"{service.id} {consumed:.3f}")
    return ", ".join(parts)


def _iso(text: str) -> str:
    """`2026-10-15T09:05Z` -> `2026-10-15T09:05:00Z`; empty stays empty."""
    return pd.Timestamp(text).strftime("%Y-%m-%dT%H:%M:%SZ") if text else ""


def _csv(header: tuple[str, ...], rows: tuple[tuple[object, ...], ...]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def briefing_yaml() -> str:
    services = "\n".join(
        f"  - id: {s.id}\n"
        f"    name: {s.name}\n"
        f"    objective: {s.objective}\n"
        f"    cost_of_downtime_per_hour: {s.cost_per_hour}\n"
        f"    owner: {s.owner}"
        for s in SERVICES
    )
    return BRIEFING_YAML.replace("{services}", services)


BRIEFING_YAML = """\
# briefing.yaml: the workspace of the monthly risk briefing.
#
# This is the sample that `briefing build` uses when no briefing.yaml is found.
# Copy this folder (or run `briefing init`) and replace the values with yours.
# Paths are relative to this file.

organization: Northwind Outfitters
currency: EUR                    # ISO 4217; amounts are formatted for `locale`
locale: en_GB
timezone: Europe/Amsterdam       # months start at local midnight; the data is in UTC
period: 2026-10                  # the month to report; `--period YYYY-MM` overrides it

# What customers use, in business words. `objective` is the share of requests
# that must succeed, as a fraction or as text like "99.9%" (0.999 leaves 0.1%
# of the month's requests as its error budget);
# `cost_of_downtime_per_hour` is what a full hour of outage costs the business;
# `owner` is who decides when the budget runs out.
services:
{services}

sources:
  # Per-minute counts of good and total requests: timestamp,service,good,total
  # Which source (docs/sources.md has each one's options):
  #   a file of a few million rows (CSV, CSV.gz, Parquet)   {path: exports/sli.parquet}
  #   Parquet/CSV folders, hive-partitioned, much larger    {format: duckdb, path: "exports/sli/**/*.parquet"}
  #   a table in PostgreSQL or a warehouse                  {format: sql, url: postgresql://user@host/db,
  #                                                          password_env: DB_PASSWORD, query: "SELECT ..."}
  #   a Prometheus, Thanos, Mimir or VictoriaMetrics store  {format: prometheus, url: ..., good: ..., total: ...}
  metrics:
    - {path: exports/sli.csv.gz}
  # Incidents: id,service,title,severity,started_at,detected_at,resolved_at,impact,risk
  # (impact = share of requests failing, 0..1; empty = the severity's default;
  # risk = the id of the registered risk it matches, if any);
  # also PagerDuty, Opsgenie, incident.io and Jira exports, format: duckdb or format: sql
  incidents:
    - {path: exports/incidents.csv, format: csv}
  # What could go wrong next year, and how badly (Google CRE risk analysis)
  risks:
    - {path: risks.yaml}
  # Events prevented by controls: date,service,control,events,risk,probability
  controls:
    - {path: exports/controls.csv}

policy:
  at_risk_below: 0.25              # less than 25% of a budget left: "at risk"
  risk_threshold: 0.25             # a risk using over 25% of a year's budget needs action
  # Faster response is valued against each service's own typical times to notice and
  # fix over the six months before the month. To set them instead:
  # baseline: {ttd_minutes: 30, ttr_minutes: 90}, or by_severity: {SEV1: {...}, ...},
  # or from_incidents: {start: 2026-01-01, end: 2026-07-01} (medians of that window).
  error_budget_action: "Pause new feature releases for {service}"
  freeze_scope: "new features; fixes and changes that reduce risk continue"
  cost_of_freeze_per_day: 2500     # what a day without new features costs (agreed with Finance)
  postmortem_share: 0.20           # an incident using more of a budget needs a postmortem
  min_coverage: 0.95               # a service measured for less of the month has partial figures
  # How the pages name severities (the codes stay in the JSON and the technical appendix).
  severity_words: {SEV1: critical, SEV2: major, SEV3: moderate, SEV4: minor}

# Every build records its figures in a history store, for the trend on page 1
# and last month's decision: history.sqlite beside this file unless set here.
# history: {path: history.sqlite}
# The author's note for a month is commentary/<month>.md (Markdown) beside this file.

delivery:
  # The sample mails to a local test server (e.g. `python -m aiosmtpd -n -l 127.0.0.1:8025`).
  # For a real server: host, port 587, security: starttls, username, and
  # password_env: the NAME of the environment variable holding the password.
  email:
    host: 127.0.0.1
    port: 8025
    security: none                 # only allowed to a loopback address
    from: risk@northwind.example
    to: [board@northwind.example]
    subject: "{ask} ({period})"     # also {organization}, {headline}, {figure}, {decision}
  # 08:00 Amsterdam time on the 2nd of each month, for the month before
  schedule: {cron: "0 8 2 * *", timezone: Europe/Amsterdam}
"""

RISKS_YAML = """\
# Risk register of Northwind Outfitters (Google CRE risk analysis).
#
# For each risk: how long until we notice (ettd_minutes) and repair it
# (ettr_minutes), the share of requests failing meanwhile (impact, 0..1), and
# how often it happens (ettf_days: days between occurrences).
# The briefing works out the bad minutes a year each risk costs and compares
# them with the service's yearly error budget: over 25% needs action.
# Optional: 90% intervals (`*_90: [low, high]`) for the Monte Carlo, and
# `before:` with the values before a mitigation, to value the risk reduction.

risks:
  - id: R1
    title: Bad config push takes checkout down
    service: checkout
    ettd_minutes: 10
    ettr_minutes: 40
    impact: 0.6
    ettf_days: 60
    ettd_minutes_90: [5, 20]
    ettr_minutes_90: [20, 80]
    ettf_days_90: [30, 120]
    owner: Head of Commerce Engineering
    before: {ettr_minutes: 90}       # before automatic rollback

  - id: R2
    title: Payment provider outage
    service: payments
    ettd_minutes: 5
    ettr_minutes: 45
    impact: 0.5
    ettf_days: 120
    ettd_minutes_90: [2, 12]
    ettr_minutes_90: [20, 100]
    ettf_days_90: [60, 240]
    owner: Head of Payments

  - id: R3
    title: Expired TLS certificate
    service: accounts
    ettd_minutes: 15
    ettr_minutes: 30
    impact: 1.0
    ettf_days: 365
    ettf_days_90: [180, 730]
    owner: Head of Identity and Access
    before: {ettf_days: 180}         # before expiry alerts and automatic renewal

  - id: R4
    title: Database failover stalls
    service: checkout
    ettd_minutes: 5
    ettr_minutes: 25
    impact: 1.0
    ettf_days: 365
    ettr_minutes_90: [10, 60]
    owner: Head of Commerce Engineering

  - id: R5
    title: Vulnerable container image reaches production
    service: catalog
    ettd_minutes: 240
    ettr_minutes: 120
    impact: 0.3
    ettf_days: 730
    ettd_minutes_90: [60, 960]
    ettf_days_90: [365, 1460]
    owner: Chief Information Security Officer
    before: {ettf_days: 180}         # before the image admission policy

  - id: R6
    title: Search cluster runs out of disk
    service: search
    ettd_minutes: 20
    ettr_minutes: 60
    impact: 0.5
    ettf_days: 90
    owner: Head of Discovery

  - id: R7
    title: CDN misconfiguration hides product images
    service: catalog
    ettd_minutes: 15
    ettr_minutes: 30
    impact: 0.4
    ettf_days: 120
    ettf_days_90: [60, 240]
    owner: Head of Catalogue Engineering

  - id: R8
    title: Identity provider outage
    service: accounts
    ettd_minutes: 5
    ettr_minutes: 85
    impact: 0.8
    ettf_days: 240
    ettr_minutes_90: [30, 180]
    ettf_days_90: [120, 480]
    owner: Head of Identity and Access
"""

README = """\
# Sample workspace: Northwind Outfitters

`briefing build` uses this folder when there is no `briefing.yaml` in the
current directory, so a fresh install writes a real briefing. Everything here
is invented, and generated by `tools/make_sample.py` (seeded: the same files
every time). Copy the folder to start your own workspace.

## The company

Northwind Outfitters is a fictional online retailer of outdoor clothing,
based in Amsterdam (amounts in EUR, dates in Europe/Amsterdam time). Five
services matter to its customers:

| id | business name | objective | cost of an hour down | owner |
| --- | --- | --- | --- | --- |
| checkout | Online checkout | 99.9% | EUR 42,000 | Head of Commerce Engineering |
| payments | Card payments | 99.95% | EUR 60,000 | Head of Payments |
| search | Product search | 99.5% | EUR 8,000 | Head of Discovery |
| catalog | Product pages | 99.9% | EUR 15,000 | Head of Catalogue Engineering |
| accounts | Customer sign-in | 99.9% | EUR 12,000 | Head of Identity and Access |

## The files

- `briefing.yaml`: the workspace (services, sources, policy, delivery), commented.
- `exports/sli.csv.gz`: good and total requests per service, UTC: per hour
  from 1 October 2025 to 31 July 2026 (Amsterdam time), per minute from
  1 August to 31 October 2026. Traffic follows the day (quiet at night, busy
  in the evening, busier at weekends); a small share of requests always fails,
  and more fail exactly during the incidents.
- `exports/incidents.csv`: 46 incidents from October 2025 to October 2026,
  10 of them touching October 2026.
- `commentary/2026-10.md`: the author's note printed under October's headline.
- `risks.yaml`: eight risks with their detection, repair and failure
  intervals, some with 90% ranges and values before a mitigation.
- `exports/controls.csv`: events that controls prevented (blocked vulnerable
  images, automatic rollbacks, chaos experiments whose findings were fixed).

## What October 2026 shows

- **Online checkout exhausted its error budget.** On 15 October a bad
  configuration push made almost half of all checkout attempts fail for
  84 minutes (INC-1022, SEV1), after a smaller promo-code failure on
  6 October (INC-1018). Checkout used about one and a half times its monthly
  budget; in September it used less than half. The error-budget policy pauses
  new feature releases for checkout until its last 31 days are back within the
  allowance (15 November at its typical pace); the cause matches the registered
  risk R1, so funding that fix is the alternative page 1 offers.
- **Card payments is at risk**: a payment provider outage on 13 October
  (INC-1020) and an overlapping 3-D Secure problem (INC-1021) left it with
  less than a quarter of its budget.
- **Product search** used about a tenth of its budget: room to release faster.
- Product pages and customer sign-in stayed healthy.
- Detection and repair were much faster than in August and September
  (median 7 minutes to notice and 36 to repair, against 32 and 74), which
  shows as loss avoided by faster response, each service against its own
  typical times of the months before.
- Three of October's ten incidents name a registered risk (`risk` column);
  the other seven match none, and the briefing says so.
- Two risks need action, each using more than a quarter of a year's budget:
  bad configuration pushes on checkout (R1) and a payment provider outage (R2).

## The year before

The first `briefing build` already shows a trend: page 1 charts checkout's
allowance used over the last twelve months, and the body has a grid of every
service by month. Three months used a whole allowance: card payments on Black
Friday (November 2025, INC-0954), customer sign-in in January 2026 (an
identity provider outage, INC-0958) and online checkout in March 2026 (a
faulty release, INC-0962); product pages came close in May 2026 (INC-0966).
Each build records its figures in `history.sqlite` (beside `briefing.yaml`;
the current folder when the bundled sample is used without a copy), so later
briefings keep their trend when old exports are dropped.

Things the data exercises on purpose: an incident that starts on 30 September
at 23:00 Amsterdam time and ends after midnight (INC-1016, partly in October);
two overlapping payments incidents; an incident with no detection time
(INC-1017); two incidents with no impact given (INC-1019, INC-1024: the
severity's default applies); titles with an email address, a phone number and
an IP address, which the briefing redacts; two control rows with an unknown
probability (they claim nothing).
"""

COMMENTARY = """\
October's overrun is one bad settings change on the 15th, undone within the hour;
checks that stop such changes before they reach customers start in November. Card
payments came close to its limit after the provider's outage on the 13th: we have asked
the provider for its fix and a date.
"""


if __name__ == "__main__":
    main()
