"""Shared fixtures: a scratch copy of the package that tests may break, and the source transcription."""

from __future__ import annotations

import contextlib
import csv
import fcntl
import io
import os
import pickle
import shutil
import subprocess
from pathlib import Path
from typing import Callable, TypeVar

import pytest

from figpack import validation
from figpack.commands import stamp

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "source" / "zhumadian-2023-economic-work-report.md"  # expected value: the real source
PACKAGE_PARTS = ("datapackage.json", "data", "schemas")
T = TypeVar("T")


def built_once(tmp_path_factory, name: str, make: Callable[[Path], T]) -> T:
    """make(folder) for a new temporary folder, once per test run: under pytest-xdist the first
    worker to ask makes it, holding a lock, and the others wait and reuse it (a session fixture is
    otherwise made once per worker). What make returns is kept beside the folder (pickled)."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return make(tmp_path_factory.mktemp(name))
    run = tmp_path_factory.getbasetemp().parent  # this run's folder, above each worker's own
    made = run / f"{name}.pickle"
    with open(run / f"{name}.lock", "wb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not made.exists():
            made.write_bytes(pickle.dumps(make(run / name)))
    return pickle.loads(made.read_bytes())


def _dist(out: Path) -> Path:
    from figpack.commands import build, dist

    build.build(ROOT, out)
    dist.dist(ROOT, out)
    return out


@pytest.fixture(scope="session")
def dist_dir(tmp_path_factory) -> Path:
    """The real package built once into a temporary folder (never into the repository)."""
    return built_once(tmp_path_factory, "dist", _dist)


def copy_package(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for part in PACKAGE_PARTS:
        src = ROOT / part
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, target / part)
    return target


class Scratch:
    """A copy of the package in a temporary folder, with helpers to break it on purpose."""

    def __init__(self, root: Path):
        self.root = root

    def rows(self, name: str) -> tuple[list[str], list[dict]]:
        with open(self.root / "data" / f"{name}.csv", encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            return list(reader.fieldnames), list(reader)

    def write(self, name: str, header: list[str], rows: list[dict], restamp: bool = True) -> None:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        (self.root / "data" / f"{name}.csv").write_text(buffer.getvalue(), encoding="utf-8")
        if restamp:
            stamp.stamp(self.root)

    def edit(self, name: str, key: str, **changes) -> int:
        """Change fields of the row whose first column is key; returns that row's CSV line."""
        header, rows = self.rows(name)
        for index, row in enumerate(rows):
            if row[header[0]] == key:
                row.update({k: str(v) for k, v in changes.items()})
                self.write(name, header, rows)
                return line_of(self.root / "data" / f"{name}.csv", index)
        raise KeyError(f"{name}: no row {key}")

    def validate(self, source: Path | None = SOURCE) -> dict:
        return validation.validate(self.root, str(source) if source and source.exists() else None)


def run_cli(*argv: str) -> subprocess.CompletedProcess:
    """The command's main() in this process, its output captured (no interpreter start per call).
    An exception it let through would fail the test; the installed command's own process is
    tested in tests/test_cli.py."""
    from figpack import cli

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(argv))
    return subprocess.CompletedProcess(list(argv), code, out.getvalue(), err.getvalue())


def line_of(path: Path, index: int) -> int:
    reader = csv.reader(io.StringIO(path.read_text(encoding="utf-8")))
    next(reader)
    previous = reader.line_num
    for i, _ in enumerate(reader):
        if i == index:
            return previous + 1
        previous = reader.line_num
    raise IndexError(index)


@pytest.fixture
def scratch(tmp_path) -> Scratch:
    # "shared" is not beside tmp_path, so the validator finds the source only when a test passes it
    return Scratch(copy_package(tmp_path / "package"))


@pytest.fixture(scope="session")
def source_text() -> str:
    if not SOURCE.exists():
        pytest.skip(
            f"source transcription not found at {SOURCE}: evidence offsets cannot be checked here "
            "(tests that read the source need ../shared/source/ beside the project)"
        )
    return SOURCE.read_text(encoding="utf-8")


# ---------------------------------------------------------------- a real browser (Debian's Chromium)

CHROMIUM = Path(__import__("os").environ.get("CHROMIUM", "/usr/bin/chromium"))


@pytest.fixture(scope="session")
def playwright():
    if not CHROMIUM.exists():
        if __import__("os").environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing (CI installs Debian's chromium in .ci/run)")
        pytest.skip(f"no Chromium at {CHROMIUM}: browser tests need Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser(playwright):
    b = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
    yield b
    b.close()


# Hypothesis: a few examples per property in `make test`, many in `make fuzz`; no example database
# is kept (nothing to commit, nothing to leak between runs).
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("default", max_examples=4, database=None)
_hypothesis_settings.register_profile("fuzz", max_examples=400, database=None)
_hypothesis_settings.load_profile(__import__("os").environ.get("HYPOTHESIS_PROFILE", "default"))


# Modules whose tests take seconds each (a browser, every export, the pandera reference) run first:
# the workers then end on short tests together, not one on a browser test while the other waits.
SLOW_FIRST = ("test_site.py", "test_clients.py", "test_hostile.py", "test_fixture.py", "test_exports.py")


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: item.path.name not in SLOW_FIRST)  # stable: the order within stays


def pytest_collection_finish(session):
    """What the test modules imported lives as long as the worker: collected once, then out of the
    cyclic collector's sight (gc.freeze), so its later collections walk only what the tests make.
    The tests make many small frames: the collector runs after 20,000 new objects, not 700
    (3.7 → 1.5 s of collection in a run of the suite)."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 10, 10)
