"""The one command: every verb a subcommand; --help writes nothing; every publishing verb refuses an
invalid package and writes nothing; an unexpected error is one line (a traceback only with --debug)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from figpack import cli
from tests.conftest import ROOT, run_cli

PUBLISHING = {  # verb: extra arguments; each writes into --out or into the package folder
    "build": [],
    "dist": [],
    "site": [],
    "sqlite": [],
    "csvw": [],
    "sql-schema": [],
}


def tree(folder: Path) -> dict[str, str]:
    """Every file below folder with its SHA-256: what a verb wrote or changed shows as a difference."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()
    }


def call(*argv: str) -> tuple[int, str]:
    done = run_cli(*argv)
    return done.returncode, done.stdout + done.stderr


@pytest.mark.parametrize("verb", sorted(PUBLISHING))
def test_a_publishing_verb_refuses_an_invalid_package_and_writes_nothing(scratch, tmp_path, verb):
    scratch.edit("observations", "schools-built-2023", value="inf")  # corrupted, then re-stamped
    (scratch.root / "sql").mkdir()
    before = tree(scratch.root)
    out = tmp_path / "out"
    extra = ["--out", str(out)] if verb in ("build", "dist", "site", "sqlite") else []
    code, text = call(verb, "--package", str(scratch.root), *extra, *PUBLISHING[verb])
    assert code == 1 and "type_number" in text and "nothing was written" in text, text
    assert not out.exists() and tree(scratch.root) == before


def test_serve_refuses_an_invalid_package_before_starting_anything(scratch, tmp_path):
    scratch.edit("observations", "schools-built-2023", value="inf")
    code, text = call("serve", "--package", str(scratch.root), "--out", str(tmp_path / "out"))
    assert code == 1 and "INVALID" in text and not (tmp_path / "out").exists()


@pytest.mark.parametrize("verb", cli.VERBS)
def test_help_of_every_verb_writes_nothing(tmp_path, monkeypatch, verb):
    before = tree(ROOT / "data") | tree(ROOT / "schemas")
    monkeypatch.chdir(tmp_path)
    done = run_cli(verb, "--help")
    assert done.returncode == 0 and "usage: figpack " + verb in done.stdout
    assert list(tmp_path.iterdir()) == [] and tree(ROOT / "data") | tree(ROOT / "schemas") == before


def test_the_help_of_every_verb_imports_neither_pandas_nor_pyarrow(tmp_path):
    """Verbs import what their work needs when it runs: asking for help is instant. In a fresh
    process, so every verb's module is imported here first: its import writes nothing either."""
    code = (
        "import contextlib, io, sys; from figpack import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    codes = {cli.main([verb, '--help']) for verb in cli.VERBS}\n"
        "print(codes, sorted({'pandas', 'pyarrow', 'duckdb'} & set(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.strip() == "{0} []", done.stdout + done.stderr
    assert list(tmp_path.iterdir()) == []


def test_docs_help_leaves_the_readme_alone():
    before = (ROOT / "README.md").read_bytes(), (ROOT / "README.md").stat().st_mtime_ns
    assert call("docs", "--help")[0] == 0
    assert ((ROOT / "README.md").read_bytes(), (ROOT / "README.md").stat().st_mtime_ns) == before


def test_validate_works_on_a_package_from_another_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    done = run_cli("validate", str(ROOT))
    assert done.returncode == 0 and done.stdout.startswith("VALID"), done.stdout + done.stderr


def test_the_installed_command_writes_its_whole_report_and_exits_with_its_code(scratch):
    """The command leaves without the interpreter's teardown (cli.entry): what it printed is all
    written first, and its exit code is the verb's."""
    scratch.edit("observations", "schools-built-2023", value="inf")
    command = Path(sys.executable).with_name("figpack")
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # as a pipe is written to
    done = subprocess.run(
        [str(command), "validate", str(scratch.root), "--format", "json"], capture_output=True, env=buffered
    )
    report = json.loads(done.stdout)
    assert done.returncode == 1 and not report["valid"] and report["errors"], done.stderr
    piped = subprocess.run(
        f"'{command}' validate '{scratch.root}' | head -c 1", shell=True, capture_output=True, env=buffered
    )
    assert piped.stdout == b"I" and piped.stderr == b""


def test_an_unexpected_error_is_one_line_and_debug_shows_the_traceback(monkeypatch):
    from figpack.commands import validate

    def broken(args):
        raise RuntimeError("a bug, not the package's fault")

    monkeypatch.setattr(validate, "run", broken)
    code, text = call("validate", str(ROOT))
    assert code == 2 and len(text.strip().splitlines()) == 1 and "RuntimeError" in text and "--debug" in text
    with pytest.raises(RuntimeError):
        call("validate", str(ROOT), "--debug")


def test_a_usage_error_exits_2_and_an_unknown_verb_lists_the_verbs():
    assert call("validate", "--no-such-option")[0] == 2
    code, text = call("no-such-verb")
    assert code == 2 and "validate" in text


def test_make_does_not_run_a_shell_command_inside_sql(tmp_path):
    marker = tmp_path / "ran"
    done = subprocess.run(
        ["make", "-s", "query", f"SQL=SELECT '$(shell touch {marker})' AS x", "FORMAT=csv"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0 and not marker.exists(), done.stderr
    assert done.stdout.splitlines()[-1] == f"$(shell touch {marker})"


def test_the_highest_read_limit_reads_a_small_file_with_line_breaks_in_values(scratch):
    """The limit bounds what is read; it is never what is asked for (a file is read as long as it is)."""
    scratch.edit("observations", "new-market-entities-2023", note="two lines:\nthe second")
    # first: a file read before is not read again in this process
    highest = run_cli("validate", str(scratch.root), "--format", "json", "--max-file-mib", str(2**20))
    default = run_cli("validate", str(scratch.root), "--format", "json")
    assert highest.returncode == default.returncode != 2, highest.stdout + highest.stderr


def test_a_file_past_the_read_limit_fails_until_the_limit_is_raised(tmp_path):
    from scripts.bench import make_package

    package = make_package(tmp_path / "package", 6_000)  # observations.csv is about 2 MiB
    assert (package / "data" / "observations.csv").stat().st_size > 2**20
    refused = run_cli("validate", str(package), "--max-file-mib", "1")
    assert refused.returncode == 1
    assert "data/observations.csv" in refused.stdout and "raise it with --max-file-mib" in refused.stdout
    assert run_cli("validate", str(package), "--max-file-mib", "8").returncode == 0
