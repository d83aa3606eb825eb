"""A JSON-only build from a live Prometheus loads neither matplotlib nor WeasyPrint.

They are the heaviest imports briefing has; charts and PDF are drawn only for
the outputs that need them. Nor the pure-Python schema validator: a valid document is
confirmed by the compiled one, and only an invalid one is walked again for messages. Checked in a fresh interpreter's `sys.modules`.
"""

from __future__ import annotations

import json
import subprocess
import sys

from ingest_support import PrometheusServer, write_config

CHECK = """
import json, sys
from briefing.cli import cli
try:
    cli(["build", "--config", sys.argv[1], "--format", "json", "--out", sys.argv[2]])
except SystemExit as done:
    code = done.code
print(json.dumps({"code": code, **{m: m in sys.modules for m in ("matplotlib", "weasyprint", "jsonschema")}}))
"""


def test_a_json_build_from_prometheus_imports_no_chart_or_pdf_library(
    prometheus_server: PrometheusServer, tmp_path
) -> None:
    config = write_config(
        tmp_path,
        f"  metrics:\n    - format: prometheus\n      url: {prometheus_server.url}\n"
        "      good: 'sum by (service) (increase(http_requests_total{code!~\"5..\"}[1h]))'\n"
        "      total: 'sum by (service) (increase(http_requests_total[1h]))'\n"
        "      step: 1h\n      services: [checkout-api, search]\n",
    )
    result = subprocess.run(
        [sys.executable, "-c", CHECK, str(config.path), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=True,
    )
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen == {"code": 0, "matplotlib": False, "weasyprint": False, "jsonschema": False}, (
        result.stderr[-2000:]
    )
    assert (tmp_path / "out" / "briefing-2026-10.json").is_file()
