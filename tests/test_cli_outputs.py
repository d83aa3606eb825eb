"""Where briefing writes: --out, --format, init and glossary lookup end in one message, never a
traceback; files are written whole and never through a planted link."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.atomic import write_atomic
from briefing.cli import cli
from briefing.config import packaged_sample_config
from briefing.errors import BriefingError

SAMPLE = packaged_sample_config().parent


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    target = tmp_path / "ws"
    shutil.copytree(SAMPLE, target)
    return target


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def build_json(workspace: Path, out: Path | str) -> tuple[int, str, str]:
    config = str(workspace / "briefing.yaml")
    return run("build", "--config", config, "--format", "json", "--out", str(out))


# --------------------------------------------------------------------------- atomic writes


def test_a_link_planted_at_the_target_is_replaced_not_followed(
    workspace: Path, tmp_path: Path
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious, do not overwrite")
    out = tmp_path / "shared-out"
    out.mkdir()
    os.symlink(victim, out / "briefing-2026-10.json")
    os.symlink(victim, out / "briefing-2026-10.json.tmp")  # the old temporary name
    code, _, stderr = build_json(workspace, out)
    assert code == 0, stderr
    assert victim.read_text() == "precious, do not overwrite"
    written = out / "briefing-2026-10.json"
    assert not written.is_symlink()
    assert written.read_text(encoding="utf-8").startswith("{")
    # nothing left behind but the planted link of the old name
    assert sorted(p.name for p in out.iterdir()) == [
        "briefing-2026-10.json",
        "briefing-2026-10.json.tmp",
    ]


def test_write_atomic_uses_a_fresh_unpredictable_temporary_name(tmp_path: Path) -> None:
    seen: list[str] = []
    real_replace = os.replace

    def spy(source: str, target: str) -> None:
        seen.append(os.path.basename(source))
        real_replace(source, target)

    os.replace = spy  # type: ignore[assignment]
    try:
        write_atomic(tmp_path / "a.json", b"1")
        write_atomic(tmp_path / "a.json", b"2")
    finally:
        os.replace = real_replace
    assert (tmp_path / "a.json").read_bytes() == b"2"
    assert len(set(seen)) == 2
    assert all(name.startswith(".a.json.") and name.endswith(".tmp") for name in seen)
    assert oct((tmp_path / "a.json").stat().st_mode & 0o777) == oct(0o644)


# --------------------------------------------------------------------------- --out


@pytest.mark.parametrize(
    ("out", "expected"),
    [
        ("afile/sub", "cannot create the output folder: a file is in the way on its path"),
        ("/proc/briefing-out", "cannot create the output folder: no such file or directory"),
        ("o5", "cannot write the file: a folder of that name is in the way"),
    ],
)
def test_an_out_that_cannot_be_written_is_one_message(
    workspace: Path, tmp_path: Path, out: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_text("x")
    (tmp_path / "o5" / "briefing-2026-10.json").mkdir(parents=True)
    code, _, stderr = build_json(workspace, out)
    assert code == 1
    assert expected in stderr
    assert stderr.startswith("error: ")
    assert "Traceback" not in stderr


def test_out_is_a_read_only_place(workspace: Path) -> None:
    code, _, stderr = build_json(workspace, "/proc/self")
    assert code == 1
    assert "cannot write in this folder" in stderr
    assert "Traceback" not in stderr


# --------------------------------------------------------------------------- --format


@pytest.mark.parametrize(
    ("value", "expected"), [(",", "no format named"), ("json,docx", "unknown format 'docx'")]
)
def test_format_naming_nothing_or_an_unknown_output_is_a_usage_error(
    workspace: Path, tmp_path: Path, value: str, expected: str
) -> None:
    out = tmp_path / "nothing"
    config = str(workspace / "briefing.yaml")
    code, stdout, stderr = run("build", "--config", config, "--format", value, "--out", str(out))
    assert code == 2
    assert expected in stderr
    assert "pdf, html, json" in stderr
    assert stdout == ""
    assert not out.exists()


# --------------------------------------------------------------------------- init


def test_init_never_overwrites_and_names_what_is_there(tmp_path: Path) -> None:
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "incidents.csv").write_text("MY OWN INCIDENT EXPORT\n")
    (tmp_path / "risks.yaml").write_text("# my real register\n")
    (tmp_path / "README.md").write_text("my notes\n")
    code, stdout, stderr = run("init", str(tmp_path))
    assert code == 1
    assert "README.md, exports/incidents.csv, risks.yaml" in stderr
    assert "nothing was written" in stderr
    assert stdout == ""
    assert (tmp_path / "exports" / "incidents.csv").read_text() == "MY OWN INCIDENT EXPORT\n"
    assert (tmp_path / "risks.yaml").read_text() == "# my real register\n"
    assert (tmp_path / "README.md").read_text() == "my notes\n"
    assert not (tmp_path / "briefing.yaml").exists()


def test_init_into_an_empty_folder_then_again_refuses(tmp_path: Path) -> None:
    code, stdout, _ = run("init", str(tmp_path / "ws"))
    assert code == 0
    copied = sorted(
        p.relative_to(tmp_path / "ws").as_posix()
        for p in (tmp_path / "ws").rglob("*")
        if p.is_file()
    )
    expected = sorted(
        p.relative_to(SAMPLE).as_posix()
        for p in SAMPLE.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )
    assert copied == expected
    assert stdout.count("wrote ") == len(expected)
    code, _, stderr = run("init", str(tmp_path / "ws"))
    assert code == 1
    assert "briefing.yaml" in stderr


@pytest.mark.parametrize("where", ["/proc/briefing-ws", "afile/ws"])
def test_init_into_an_impossible_folder_is_one_message(
    tmp_path: Path, where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_text("x")
    code, _, stderr = run("init", where)
    assert code == 1
    assert stderr.startswith(f"error: {where}: cannot create the workspace folder")
    assert "Traceback" not in stderr


# --------------------------------------------------------------------------- glossary lookup


def test_a_megabyte_of_lookup_text_is_refused_without_echoing_it() -> None:
    word = "a" * 100_000
    code, _, stderr = run("glossary", "lookup", *([word] * 10))
    assert code == 1
    # ten words of 100,000 characters and nine spaces between them
    assert "1,000,009 characters" in stderr
    assert len(stderr) < 400


def test_a_long_miss_still_gets_suggestions() -> None:
    code, _, stderr = run("glossary", "lookup", "error budgets and more words around it")
    assert code == 1
    assert "no glossary entry for 'error budgets and more words around it'" in stderr


def test_write_atomic_names_the_path_it_cannot_write(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    with pytest.raises(BriefingError) as caught:
        write_atomic(tmp_path / "f" / "g.json", b"{}")
    assert caught.value.where is not None
    assert caught.value.where.path == tmp_path / "f"
