"""Write a generated organisation: a seeded workspace with many services, incidents and risks.

For trying the briefing at scale (bench/bench_scale.py) and for the tests of
groups and tiers. The data follows the usual shape of such exports: per-minute
SLI counts with a few outage bursts per service, incidents that mirror those
bursts plus many smaller ones, and a Google CRE risk register with 90% ranges.

With `groups`, services carry `group` (units "Unit A", "Unit B", ... round
robin) and `tier` (the first tenth tier 1, the last fifth tier 3, the rest 2).

Seeded and deterministic: the same arguments give byte-identical files, and
the first N services of a larger organisation equal those of a smaller one.

    python tools/make_organisation.py --services 50 --incidents 2000 --risks 100 \
        --groups 5 --out org50            # 2.16 million SLI rows
    python tools/make_organisation.py --services 200 --incidents 20000 --risks 500 \
        --groups 5 --out org200           # 8.64 million SLI rows
    briefing build --config org50/briefing.yaml
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np

START = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
SEVERITIES = np.array(["SEV1", "SEV2", "SEV3", "SEV4"])
SEV_P = np.array([0.05, 0.15, 0.35, 0.45])
SEV_TTD = np.array([4.0, 8.0, 15.0, 30.0])  # median minutes to detect, by severity
SEV_TTR = np.array([90.0, 60.0, 45.0, 30.0])  # median minutes to repair, by severity
SEV_IMPACT = [(5.0, 2.0), (3.0, 4.0), (1.5, 8.0), (1.0, 30.0)]  # beta(a, b) share of users
INCIDENT_TITLES = [
    "Elevated 5xx on {s}",
    "Latency regression after deploy of {s}",
    "{s} database connection pool exhausted",
    "Bad config push to {s}",
    "{s} dependency timeout",
    "Certificate expiry on {s}",
    "{s} capacity shortfall during peak",
    "Cache stampede in {s}",
    "Partial outage of {s} in one zone",
    "{s} queue backlog",
]
RISK_TITLES = [
    "Bad binary rollout of {s}",
    "Bad config push to {s}",
    "Zone failure affecting {s}",
    "Database failover fails for {s}",
    "Expired certificate on {s}",
    "Capacity exhaustion of {s} at peak",
    "Upstream dependency outage for {s}",
    "Data corruption in {s} storage",
    "DNS misconfiguration for {s}",
    "Quota exhausted for {s}",
]


@dataclass(frozen=True)
class Organisation:
    services: int = 50
    days: int = 30
    incidents: int = 2000
    risks: int = 100
    groups: int = 5
    seed: int = 20261001


def _iso(seconds: np.ndarray | int) -> np.ndarray:
    stamps = np.asarray(seconds, dtype="int64").astype("datetime64[s]")
    return np.char.add(np.datetime_as_string(stamps, unit="s"), "Z")


def _series(
    rng: np.random.Generator, minutes: int, minute_of_day: np.ndarray
) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int, float]]]:
    """One service: per-minute total and bad counts, and its outage bursts."""
    rate = float(np.exp(rng.uniform(np.log(20), np.log(2000))))
    phase = rng.uniform(0, 1)
    base_error = float(np.exp(rng.uniform(np.log(1e-4), np.log(1e-3))))
    diurnal = 1.0 + 0.3 * np.sin(2 * np.pi * (minute_of_day / 1440.0 - phase))
    total = rng.poisson(rate * diurnal)
    share = np.full(minutes, base_error)
    bursts = []
    for _ in range(int(rng.poisson(minutes / 1440.0 / 10.0)) + 1):
        length = int(np.clip(round(rng.lognormal(np.log(20), 0.8)), 3, 240))
        start = int(rng.integers(0, max(1, minutes - length)))
        fraction = float(rng.uniform(0.05, 0.8))
        share[start : start + length] = np.maximum(share[start : start + length], fraction)
        bursts.append((start, length, fraction))
    bad = rng.binomial(total, share)
    return total.astype(np.int64), bad.astype(np.int64), bursts


def write_sli(
    org: Organisation, t0: int, seeds: list[np.random.SeedSequence], path: Path
) -> list[tuple[str, int, int, float]]:
    minutes = org.days * 1440
    offsets = np.arange(minutes, dtype=np.int64)
    stamps = _iso(t0 + offsets * 60).tolist()
    minute_of_day = (offsets % 1440).astype(float)
    bursts: list[tuple[str, int, int, float]] = []
    with path.open("w", newline="") as out:
        out.write("timestamp,service,good,total\n")
        for index in range(org.services):
            service = f"svc-{index:03d}"
            total, bad, found = _series(np.random.default_rng(seeds[index]), minutes, minute_of_day)
            good = total - bad
            bursts += [(service, s, d, f) for s, d, f in found]
            out.write(
                "".join(
                    f"{t},{service},{g},{n}\n"
                    for t, g, n in zip(stamps, good.tolist(), total.tolist(), strict=True)
                )
            )
    return bursts


def write_incidents(
    org: Organisation,
    t0: int,
    rng: np.random.Generator,
    bursts: list[tuple[str, int, int, float]],
    path: Path,
) -> None:
    n = org.incidents
    # the first incidents mirror the SLI outage bursts, so both exports agree
    nb = min(n, len(bursts))
    order = rng.permutation(len(bursts))[:nb]
    b_svc = np.array([bursts[k][0] for k in order], dtype=object)
    b_start = np.array([t0 + bursts[k][1] * 60 for k in order], dtype=np.int64)
    b_dur = np.array([bursts[k][2] * 60 for k in order], dtype=np.int64)
    b_imp = np.array([bursts[k][3] for k in order])
    b_sev = np.where(b_imp > 0.5, 0, np.where(b_imp > 0.25, 1, 2))
    b_ttd = np.minimum(b_dur, (rng.lognormal(np.log(3), 0.5, nb) * 60).astype(np.int64))
    nr = n - nb
    r_svc = np.array([f"svc-{i:03d}" for i in rng.integers(0, org.services, nr)], dtype=object)
    r_start = t0 + rng.integers(0, org.days * 86400, nr) // 60 * 60
    r_sev = rng.choice(4, nr, p=SEV_P)
    r_ttd = (rng.lognormal(np.log(SEV_TTD[r_sev]), 0.7) * 60).astype(np.int64)
    r_ttr = (rng.lognormal(np.log(SEV_TTR[r_sev]), 0.9) * 60).astype(np.int64)
    r_imp = np.array([rng.beta(*SEV_IMPACT[s]) for s in r_sev]) if nr else np.zeros(0)
    service = np.concatenate([b_svc, r_svc])
    start = np.concatenate([b_start, r_start])
    severity = np.concatenate([b_sev, r_sev]).astype(int)
    detected = start + np.concatenate([b_ttd, r_ttd])
    resolved = np.concatenate([b_start + b_dur, r_start + r_ttd + np.maximum(r_ttr, 60)])
    resolved = np.maximum(resolved, detected + 60)
    impact = np.round(np.clip(np.concatenate([b_imp, r_imp]), 0.001, 1.0), 4)
    titles = rng.integers(0, len(INCIDENT_TITLES), n)
    o = np.lexsort((service.astype(str), start))
    s_start, s_det, s_res = _iso(start[o]), _iso(detected[o]), _iso(resolved[o])
    with path.open("w", newline="") as out:
        out.write("id,service,title,severity,started_at,detected_at,resolved_at,impact\n")
        for k, j in enumerate(o):
            title = INCIDENT_TITLES[titles[k]].format(s=service[j])
            out.write(
                f"INC-{k + 1:06d},{service[j]},{title},{SEVERITIES[severity[j]]},"
                f"{s_start[k]},{s_det[k]},{s_res[k]},{impact[j]}\n"
            )


def _ranges(
    rng: np.random.Generator,
    n: int,
    median: tuple[float, float],
    ratio: tuple[float, float],
    low_clip: float,
    high_clip: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Log-uniform median and width of a 90% range: low, point, high."""
    mid = np.exp(rng.uniform(np.log(median[0]), np.log(median[1]), n))
    width = np.exp(rng.uniform(np.log(ratio[0]), np.log(ratio[1]), n))
    low = np.clip(np.round(mid / np.sqrt(width), 1), low_clip, None)
    high = np.clip(np.round(mid * np.sqrt(width), 1), None, high_clip)
    high = np.maximum(high, low * 1.5)
    return low, np.round(np.sqrt(low * high), 1), high


def write_risks(org: Organisation, rng: np.random.Generator, path: Path) -> dict[str, float]:
    """The register in the briefing's CSV columns; returns the cost per hour of each service."""
    n = org.risks
    services = [f"svc-{i:03d}" for i in rng.integers(0, org.services, n)]
    titles = rng.integers(0, len(RISK_TITLES), n)
    d_lo, d_pt, d_hi = _ranges(rng, n, (2, 120), (3, 20), 0.5, 2880)
    r_lo, r_pt, r_hi = _ranges(rng, n, (10, 480), (3, 30), 1, 10080)
    f_lo, f_pt, f_hi = _ranges(rng, n, (14, 730), (3, 30), 1, 3650)
    impact = np.round(np.clip(rng.beta(1.2, 4.0, n), 0.005, 1.0), 3)
    cost = np.round(np.exp(rng.uniform(np.log(1e3), np.log(2e5), n)), -1)
    price: dict[str, float] = {}
    with path.open("w", newline="") as out:
        out.write(
            "id,title,service,ettd_minutes,ettr_minutes,impact,ettf_days,"
            "ettd_lo,ettd_hi,ettr_lo,ettr_hi,ettf_lo,ettf_hi\n"
        )
        for i in range(n):
            price.setdefault(services[i], float(cost[i]))
            out.write(
                f"RISK-{i + 1:04d},{RISK_TITLES[titles[i]].format(s=services[i])},{services[i]},"
                f"{d_pt[i]},{r_pt[i]},{impact[i]},{f_pt[i]},"
                f"{d_lo[i]},{d_hi[i]},{r_lo[i]},{r_hi[i]},{f_lo[i]},{f_hi[i]}\n"
            )
    return price


def tier_of(index: int, count: int) -> int:
    """The first tenth of the services tier 1, the last fifth tier 3, the rest tier 2."""
    if index < max(1, count // 10):
        return 1
    return 3 if index >= count - count // 5 else 2


def group_of(index: int, groups: int) -> str:
    return f"Unit {chr(65 + index % groups)}"


def write_config(org: Organisation, price: dict[str, float], path: Path) -> None:
    lines = [
        "organization: Benchmark Corp",
        "currency: EUR",
        "locale: en_GB",
        "timezone: UTC",
        "period: 2026-10",
        "services:",
    ]
    for index in range(org.services):
        service = f"svc-{index:03d}"
        lines += [
            f"  - id: {service}",
            f"    name: Service {index:03d}",
            "    objective: 0.999",
            f"    cost_of_downtime_per_hour: {price.get(service, 60000):.0f}",
            "    owner: Head of Engineering",
        ]
        if org.groups:
            lines += [
                f"    group: {group_of(index, org.groups)}",
                f"    tier: {tier_of(index, org.services)}",
            ]
    lines += [
        "sources:",
        "  metrics: [{path: data/sli.csv}]",
        "  incidents: [{path: data/incidents.csv}]",
        "  risks: [{path: data/risks.csv}]",
    ]
    path.write_text("\n".join(lines) + "\n")


def make_organisation(org: Organisation, out: Path) -> Path:
    """Write `out/briefing.yaml` and `out/data/`; returns the config's path."""
    data = out / "data"
    data.mkdir(parents=True, exist_ok=True)
    t0 = int(START.timestamp())
    children = np.random.SeedSequence(org.seed).spawn(org.services + 2)
    bursts = write_sli(org, t0, children[: org.services], data / "sli.csv")
    write_incidents(
        org, t0, np.random.default_rng(children[org.services]), bursts, data / "incidents.csv"
    )
    price = write_risks(org, np.random.default_rng(children[org.services + 1]), data / "risks.csv")
    config = out / "briefing.yaml"
    write_config(org, price, config)
    return config


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--services", type=int, default=50)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--incidents", type=int, default=2000)
    parser.add_argument("--risks", type=int, default=100)
    parser.add_argument("--groups", type=int, default=5, help="business units (0: none)")
    parser.add_argument("--seed", type=int, default=20261001)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    org = Organisation(args.services, args.days, args.incidents, args.risks, args.groups, args.seed)
    print(make_organisation(org, args.out))  # noqa: T201 - a command-line tool's result


if __name__ == "__main__":
    main()
