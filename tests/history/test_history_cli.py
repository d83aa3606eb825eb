"""`briefing history ...` and `briefing decision record` on the command line: wiring, exit
codes, the one-line errors, and a backfill that reads each source once."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.history.migrations import SCHEMA_VERSION
from tests.history.history_support import make_workspace


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return make_workspace(tmp_path / "ws")


def test_backfill_records_every_month_and_list_show_forget_read_them(workspace: Path) -> None:
    config = str(workspace)
    code, out, err = run(
        "history", "backfill", "--config", config, "--from", "2026-01", "--to", "2026-04"
    )
    assert code == 0, err
    assert [line.split()[:2] for line in out.splitlines()[:4]] == [
        [f"2026-0{m}", "recorded"] for m in range(1, 5)
    ]
    assert "4 of 4 periods recorded" in out
    code, out, _ = run("history", "list", "--config", config)
    assert code == 0
    rows = [line.split()[0] for line in out.splitlines()[1:]]
    assert rows == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert "backfill" in out
    code, out, _ = run("history", "show", "2026-02", "--config", config)
    assert code == 0
    # shop used 2 / 10 = 20% in February; api none of its allowance
    shop = next(line for line in out.splitlines() if line.startswith("shop "))
    assert "20%" in shop.split()
    assert "Outcome: not recorded" in out
    code, out, _ = run("history", "forget", "2026-02", "--config", config)
    assert (code, out.strip().startswith("forgot 2026-02")) == (0, True)
    code, out, _ = run("history", "list", "--config", config)
    assert [line.split()[0] for line in out.splitlines()[1:]] == ["2026-01", "2026-03", "2026-04"]
    code, _, err = run("history", "show", "2026-02", "--config", config)
    assert code == 1
    assert "period 2026-02 is not in the history store" in err


def test_list_prints_the_organisation_figure_when_several_services_spent_their_allowance(
    workspace: Path,
) -> None:
    """April with the partner interface failing 1 in 500 too: both services used 200% of their
    allowance, so the headline is their total cost: shop 20/1,000 x 720 h x 60 = 864 min x
    EUR 100 = EUR 86,400; api 1/500 x 43,200 min = 86.4 min x EUR 50 = EUR 4,320; EUR 90,720."""
    sli = pd.read_csv(workspace.parent / "sli.csv")
    april_api = sli["timestamp"].str.startswith("2026-04") & (sli["service"] == "api")
    sli.loc[april_api, "good"] = 499
    sli.to_csv(workspace.parent / "sli.csv", index=False)
    code, _, err = run(
        "history", "backfill", "--config", str(workspace), "--from", "2026-03", "--to", "2026-04"
    )
    assert code == 0, err
    code, out, _ = run("history", "list", "--config", str(workspace))
    assert code == 0
    rows = {line.split()[0]: line for line in out.splitlines()[1:]}
    assert "api: 200% of allowance used" in rows["2026-03"]  # one service: its own figure
    assert "€90,720 cost over allowance" in rows["2026-04"]
    assert "None" not in out


def test_backfill_skips_a_month_the_exports_only_partly_hold(tmp_path: Path) -> None:
    config = make_workspace(tmp_path, first="2026-01-15T00:00:00Z")
    code, out, err = run(
        "history", "backfill", "--config", str(config), "--from", "2026-01", "--to", "2026-02"
    )
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("2026-01  skipped")
    assert "less than 95%" in lines[0]
    assert lines[1].startswith("2026-02  recorded")


AUDIT = """
import sys
from pathlib import Path
from click.testing import CliRunner
from briefing.cli import cli

config, first, last, watched = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
opened = {name: 0 for name in watched}

def hook(event, args):
    if event == "open" and isinstance(args[0], str):
        for name in watched:
            if args[0].endswith(name):
                opened[name] += 1

def bytes_read():
    # every read of the process, pyarrow's included (it opens files below Python)
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])

sys.addaudithook(hook)
runner = CliRunner()
warm = runner.invoke(cli, ["history", "list", "--config", config])  # imports out of the count
before = bytes_read()
result = runner.invoke(cli, ["history", "backfill", "--config", config, "--from", first, "--to", last])
after = bytes_read()
assert result.exit_code == 0, result.output
print(" ".join(f"{name}={opened[name]}" for name in watched), f"bytes={after - before}")
"""


def reads(config: Path, first: str, last: str) -> dict[str, int]:
    """How often a backfill opens each input file from Python (the audit hook), and how many
    bytes the whole process reads meanwhile."""
    done = subprocess.run(
        [sys.executable, "-c", AUDIT, str(config), first, last, "/incidents.csv", "/briefing.yaml"],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent.parent,
    )
    return {k: int(v) for k, v in (pair.split("=") for pair in done.stdout.split())}


def test_backfill_reads_each_source_once_whatever_the_number_of_months(tmp_path: Path) -> None:
    # per-minute buckets: 2 services x 172,800 minutes, some 12 MB, so that reading the
    # metrics once more would stand far above everything else the process reads
    one_ws = make_workspace(tmp_path / "one", freq="min")
    four_ws = make_workspace(tmp_path / "four", freq="min")
    size = (tmp_path / "one" / "sli.csv").stat().st_size
    assert size > 10_000_000
    one = reads(one_ws, "2026-01", "2026-01")
    four = reads(four_ws, "2026-01", "2026-04")
    # Python-level opens: once to read, once for the input hash (taken once for the range)
    assert one["/incidents.csv"] == four["/incidents.csv"] == 2
    assert one["/briefing.yaml"] == four["/briefing.yaml"]
    # the metrics (read by pyarrow, below Python): the file read and hashed, about 2 x its
    # size, for one month as for four; a read per month would add 3 x size
    assert 2 * size <= one["bytes"] < 2.5 * size
    assert abs(four["bytes"] - one["bytes"]) < size / 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--from", "2020-01", "--to", "2020-03"), "no complete period in 2020-01 to 2020-03"),
        (("--from", "2026-04", "--to", "2026-01"), "--from 2026-04 comes after --to 2026-01"),
        (("--from", "2026-01", "--to", "2026-Q2"), "is a month but --to 2026-Q2 is a quarter"),
        (("--from", "2026-13", "--to", "2026-14"), "there is no month 13"),
        (("--from", "last month", "--to", "2026-02"), "is not a month (2026-10)"),
    ],
)
def test_bad_backfill_ranges_are_one_clear_error(
    workspace: Path, args: tuple[str, ...], message: str
) -> None:
    code, out, err = run("history", "backfill", "--config", str(workspace), *args)
    assert code == 1
    assert message in err
    assert "Traceback" not in err + out


def test_a_decision_for_a_period_never_built_is_refused(workspace: Path) -> None:
    config = str(workspace)
    code, _, err = run("decision", "record", "2026-02", "--config", config, "--outcome", "done")
    assert code == 1
    assert "period 2026-02 was never built" in err
    assert not (workspace.parent / "history.sqlite").exists()  # nothing created
    run("history", "backfill", "--config", config, "--from", "2026-01", "--to", "2026-01")
    code, _, err = run("decision", "record", "2026-02", "--config", config, "--outcome", "done")
    assert code == 1
    assert "period 2026-02 was never built" in err
    code, _, err = run("decision", "record", "2026-01", "--config", config, "--outcome", "maybe")
    assert code == 2  # a usage error: click lists the outcomes
    assert "accepted" in err
    code, out, _ = run(
        "decision",
        "record",
        "2026-01",
        "--config",
        config,
        "--outcome",
        "deferred",
        "--by",
        "  Jo  Park ",
    )
    assert code == 0
    code, out, _ = run("history", "show", "2026-01", "--config", config)
    assert "Outcome: deferred by Jo Park" in out


def test_every_subcommand_takes_config_and_has_an_example() -> None:
    for group, names in (
        ("history", ("backfill", "list", "show", "forget")),
        ("decision", ("record",)),
    ):
        for name in names:
            code, out, _ = run(group, name, "--help")
            assert code == 0
            assert "--config" in out
            assert f"briefing {group} {name}" in out


def newer_store(path: Path) -> None:
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    raw.execute("CREATE TABLE periods (label TEXT)")
    raw.commit()
    raw.close()


@pytest.mark.parametrize("kind", ["damaged", "newer"])
def test_build_refuses_a_bad_history_file_and_leaves_it_be(workspace: Path, kind: str) -> None:
    store = workspace.parent / "history.sqlite"
    if kind == "damaged":
        store.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 40)
    else:
        newer_store(store)
    before = store.read_bytes()
    done = subprocess.run(
        [sys.executable, "-m", "briefing", "build", "--config", str(workspace)]
        + ["--period", "2026-04", "--format", "json", "--out", str(workspace.parent / "out")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert lines[0].startswith(f"error: {store}: the history store")
    assert "Traceback" not in done.stderr
    assert store.read_bytes() == before
    assert not (workspace.parent / "out").exists()  # stopped before writing anything
    for command in (("history", "list"), ("decision", "record", "2026-04", "--outcome", "done")):
        code, _, err = run(*command, "--config", str(workspace))
        assert code == 1
        assert err.startswith(f"error: {store}: the history store")
    assert store.read_bytes() == before


def test_the_authors_note_is_linted_like_page_one(workspace: Path) -> None:
    folder = workspace.parent / "commentary"
    folder.mkdir()
    (folder / "2026-04.md").write_text(
        "A calm month.\n\nOur SLO held, thanks to the team.\n", encoding="utf-8"
    )
    args = ["build", "--config", str(workspace), "--period", "2026-04", "--format", "json"]
    out = workspace.parent / "out"
    code, _, err = run(*args, "--out", str(out), "--strict")
    assert code == 1
    # line 3, column 5: "Our SLO held"
    assert f"error: {folder / '2026-04.md'}:3:5: the author's note prints jargon 'SLO'" in err
    assert not out.exists()
    code, _, err = run(*args, "--out", str(out))
    assert code == 0
    assert "warning: commentary/2026-04.md:3:5: the author's note prints jargon 'SLO' bare" in err
    data = (out / "briefing-2026-04.json").read_text(encoding="utf-8")
    assert "Our SLO held" in data
