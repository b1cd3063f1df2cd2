"""The package opens right in the tools researchers use: frictionless's SQL route into SQLite,
Datasette (in-process, and in a real browser over `make serve`)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import csv
import json
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from figpack.commands import serve, sqlite
from figpack.package import load_descriptor
from tests.conftest import ROOT, built_once

DESCRIPTOR = load_descriptor(ROOT)
NAME = DESCRIPTOR["name"]


@pytest.fixture(scope="session")
def sqlite_db(tmp_path_factory):
    return built_once(tmp_path_factory, "sqlite", lambda out: sqlite.build(ROOT, out))


def csv_rows(path: str) -> int:
    with open(ROOT / path, encoding="utf-8", newline="") as f:
        return sum(1 for _ in csv.DictReader(f))


def test_every_resource_loads_with_all_its_rows_through_frictionless_sql(sqlite_db):
    counts = sqlite.count_rows(sqlite_db[0])
    assert counts == {r["name"]: csv_rows(r["path"]) for r in DESCRIPTOR["resources"]}


def test_the_sqlite_database_is_the_same_bytes_when_built_again_in_another_process(sqlite_db, tmp_path):
    code = f"from pathlib import Path; from figpack.commands import sqlite; sqlite.write_database(Path({str(ROOT)!r}), Path({str(tmp_path / 'again.db')!r}))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "again.db").read_bytes() == sqlite_db[0].read_bytes()


def test_a_columns_checks_are_put_in_one_order_and_kept_whole():
    one = "CREATE TABLE t (\n\ta INTEGER CHECK (a >= 1) CHECK (LENGTH(a) <= 4), \n\tb TEXT CHECK (b <= 2)\n)"
    other = "CREATE TABLE t (\n\ta INTEGER CHECK (LENGTH(a) <= 4) CHECK (a >= 1), \n\tb TEXT CHECK (b <= 2)\n)"
    assert sqlite.checks_in_order(one) == sqlite.checks_in_order(other) == other
    for made in (one, other):  # nothing lost or added
        assert sorted(sqlite.checks_in_order(made)) == sorted(made)


def datasette_get(sqlite_db, path):
    from datasette.app import Datasette

    db, meta = sqlite_db
    ds = Datasette([str(db)], immutables=[], metadata=json.loads(meta.read_text(encoding="utf-8")))
    # in a thread of its own: a browser test in the same worker may hold this thread's event loop
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, ds.client.get(path)).result()


def test_datasette_json_api_returns_exact_values_and_intact_chinese(sqlite_db):
    ids = "new-market-entities-2023,signed-projects-investment-2023m1m11"
    response = datasette_get(sqlite_db, f"/{NAME}/observations.json?_shape=objects&obs_id__in={ids}")
    assert response.status_code == 200
    rows = {r["obs_id"]: r for r in response.json()["rows"]}
    assert rows["new-market-entities-2023"]["value"] == 10.38
    assert rows["signed-projects-investment-2023m1m11"]["value_base"] == 232700000000
    assert rows["new-market-entities-2023"]["area_name"] == "驻马店市"


def test_datasette_table_page_explains_every_column_and_facets(sqlite_db):
    html = datasette_get(sqlite_db, f"/{NAME}/observations_labelled").text
    assert "value x 10^unit_multiplier" in html  # a column description, from the Table Schema
    facets = datasette_get(sqlite_db, f"/{NAME}/observations_labelled.json?_size=1").json()["facet_results"]
    assert list(facets.get("results", facets)) == ["indicator_id", "topic", "measure"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_make_serve_shows_column_descriptions_in_a_browser(browser, sqlite_db):
    port = free_port()
    process = subprocess.Popen(serve.command(*sqlite_db, port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        tab = browser.new_page()
        tab.goto(f"http://127.0.0.1:{port}/{NAME}/observations")
        text = tab.inner_text("body")
        assert "value x 10^unit_multiplier" in text and "驻马店市" in text
    finally:
        process.terminate()
        process.wait(timeout=10)
