"""A small workspace whose monthly figures can be worked out by hand.

Hourly buckets, UTC, 1 January to 1 May 2026 (Jan 744 h, Feb 672 h, Mar 744 h, Apr 720 h).
- shop: objective 0.99, 1,000 requests an hour, `SHOP_BAD[month]` of them failing
  every hour: allowance used = bad / (0.01 x 1,000) = bad / 10 each hour, hence each
  month (Jan 0.1, Feb 0.2, Mar 0.0, Apr 2.0).
- api: objective 0.999, 500 requests an hour, `API_BAD[month]` failing every hour:
  allowance used = bad / (0.001 x 500) = 2 x bad (Jan 0, Feb 0, Mar 2.0, Apr 0).
Costs: shop EUR 6,000 an hour (100 a minute), api EUR 3,000 (50 a minute).
Incidents: two for shop in January, one for api in March, one for shop in April.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

SHOP_BAD = {1: 1, 2: 2, 3: 0, 4: 20}
API_BAD = {1: 0, 2: 0, 3: 1, 4: 0}
FIRST, END = "2026-01-01T00:00:00Z", "2026-05-01T00:00:00Z"

CONFIG = """\
organization: Test Shop
currency: EUR
locale: en_GB
timezone: UTC
services:
  - {id: shop, name: Web shop, objective: 0.99, cost_of_downtime_per_hour: 6000, owner: Head of Shop}
  - {id: api, name: Partner interface, objective: 0.999, cost_of_downtime_per_hour: 3000, owner: Head of Partners}
sources:
  metrics: [{path: sli.csv}]
  incidents: [{path: incidents.csv, format: csv}]
"""

INCIDENTS = """\
id,service,title,severity,started_at,detected_at,resolved_at,impact
I-1,shop,Basket slow,SEV3,2026-01-10T10:00:00Z,2026-01-10T10:10:00Z,2026-01-10T11:00:00Z,0.001
I-2,shop,Search slow,SEV4,2026-01-20T10:00:00Z,2026-01-20T10:10:00Z,2026-01-20T10:30:00Z,0.001
I-3,api,Partner calls failing,SEV2,2026-03-05T10:00:00Z,2026-03-05T10:10:00Z,2026-03-05T11:00:00Z,0.002
I-4,shop,Checkout errors,SEV1,2026-04-05T10:00:00Z,2026-04-05T10:10:00Z,2026-04-05T11:00:00Z,0.02
"""


def sli_rows(first: str = FIRST, end: str = END, *, freq: str = "h") -> pd.DataFrame:
    """The buckets; with `freq="min"` per minute, the same counts in every minute (so the
    same shares: a bucket's size does not change what a month used)."""
    hours = pd.date_range(first, end, freq=freq, inclusive="left")
    frames = []
    for service, total, bad in (("shop", 1000, SHOP_BAD), ("api", 500, API_BAD)):
        failing = [bad[stamp.month] for stamp in hours]
        frames.append(
            pd.DataFrame(
                {
                    "timestamp": hours.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "service": service,
                    "good": [total - f for f in failing],
                    "total": total,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def make_workspace(folder: Path, *, first: str = FIRST, end: str = END, freq: str = "h") -> Path:
    """Write the workspace; returns its briefing.yaml."""
    folder.mkdir(parents=True, exist_ok=True)
    sli_rows(first, end, freq=freq).to_csv(folder / "sli.csv", index=False)
    (folder / "incidents.csv").write_text(INCIDENTS, encoding="utf-8")
    config = folder / "briefing.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    return config
