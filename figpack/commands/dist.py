"""Release files: a versioned, byte-for-byte reproducible zip of the package with a SHA256SUMS
inside, SHA256SUMS for the zip, and datapackage.jsonld (schema.org/Dataset), in the output folder.

    figpack dist [--package DIR] [--out DIR]

Reproducible: entries are sorted, their times fixed to the package's `created`, their permissions
fixed; nothing of the machine or the moment goes in.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

from figpack.commands.build import created_of
from figpack.package import (
    deterministic_zip,
    load_descriptor,
    read_bytes,
    report_facts,
    staged,
    write_atomic,
)
from figpack.validation import require_valid

DOCS = [
    "README.md",
    "README.zh.md",
    "LICENSE",
    "LICENSE-DATA",
    "CITATION.cff",
    "CHANGELOG.md",
    "csv-metadata.json",
    ".zenodo.json",
    "docs/data-dictionary.md",
    "docs/rules.md",
    "docs/cli.md",
    "docs/maintainers.md",
]


def release_files(root: Path, descriptor: dict) -> list[str]:
    """The descriptor, every resource's data and schema, and the docs that are present."""
    files = {"datapackage.json"} | {d for d in DOCS if (root / d).is_file()}
    for r in descriptor["resources"]:
        files |= {r["path"]} | ({r["schema"]} if isinstance(r.get("schema"), str) else set())
    return sorted(files)


def make_zip(root: Path, descriptor: dict) -> bytes:
    folder = f"{descriptor['name']}-{descriptor['version']}"
    contents = {name: read_bytes(root, name) for name in release_files(root, descriptor)}
    contents |= downloads(root, descriptor)
    contents["SHA256SUMS"] = "".join(
        f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(contents.items())
    ).encode()
    return deterministic_zip(
        {f"{folder}/{name}": data for name, data in contents.items()}, created_of(descriptor).timetuple()[:6]
    )


def downloads(root: Path, descriptor: dict) -> dict[str, bytes]:
    """The spreadsheet and Stata files, made from the package (the same bytes `make build` writes)."""
    from figpack.commands.stata import all_dta
    from figpack.commands.workbook import workbook_bytes
    from figpack.sql import connect

    created, con = created_of(descriptor), connect(root)
    out = {f"{descriptor['name']}.xlsx": workbook_bytes(root, created, con)}
    return out | {f"stata/{name}": data for name, data in all_dta(root, created, con).items()}


def _area(root: Path, descriptor: dict) -> dict:
    report = report_facts(descriptor)
    path = next((r["path"] for r in descriptor["resources"] if r["name"] == "areas"), None)
    rows = list(csv.DictReader(io.StringIO(read_bytes(root, path).decode("utf-8")))) if path else []
    area = next((a for a in rows if a["area_code"] == report.get("area_code")), None)
    return (
        {"@type": "Place", "name": f"{area['name_zh']} {area['name_en']}", "identifier": area["area_code"]}
        if area
        else {}
    )


def jsonld(root: Path, descriptor: dict, zip_name: str) -> dict:
    """schema.org/Dataset, from datapackage.json; the context is inline, so no fetch is needed."""
    return {
        "@context": {"@vocab": "https://schema.org/"},
        "@type": "Dataset",
        "name": descriptor["title"],
        "alternateName": descriptor["name"],
        "description": descriptor["description"],
        "version": descriptor["version"],
        "dateCreated": descriptor["created"],
        "keywords": descriptor["keywords"],
        "inLanguage": ["en", "zh"],
        "license": [
            {"@type": "CreativeWork", "name": lic["name"], "url": lic["path"], "description": lic.get("title", "")}
            for lic in descriptor["licenses"]
        ],
        "creator": [
            {"@type": "Organization", "name": c["title"]}
            for c in descriptor["contributors"]
            if "creator" in c.get("roles", [])
        ],
        "spatialCoverage": _area(root, descriptor),
        "temporalCoverage": str(report_facts(descriptor).get("year", "")),
        "isBasedOn": [
            {"@type": "CreativeWork", "name": s["title"], **({"url": s["path"]} if "path" in s else {})}
            for s in descriptor["sources"]
        ],
        "distribution": [
            {
                "@type": "DataDownload",
                "name": r["name"],
                "contentUrl": r["path"],
                "encodingFormat": r["mediatype"],
                "contentSize": f"{r['bytes']} B",
                "sha256": r["hash"].split(":", 1)[1],
            }
            for r in descriptor["resources"]
        ]
        + [
            {
                "@type": "DataDownload",
                "name": "release zip",
                "contentUrl": zip_name,
                "encodingFormat": "application/zip",
            }
        ],
    }


def dist(root: Path, out: Path) -> Path:
    """Validate, then write the release zip, SHA256SUMS and JSON-LD (Refused, nothing written, if not valid)."""
    require_valid(root)
    descriptor = load_descriptor(root)
    name = f"{descriptor['name']}-{descriptor['version']}.zip"
    data = make_zip(root, descriptor)
    with staged(out) as scratch:
        write_atomic(scratch / name, data)
        write_atomic(scratch / "SHA256SUMS", f"{hashlib.sha256(data).hexdigest()}  {name}\n")
        document = json.dumps(jsonld(root, descriptor, name), ensure_ascii=False, indent=2) + "\n"
        write_atomic(scratch / "datapackage.jsonld", document)
    return out / name


HELP = "Validate, then write the release zip, its SHA256SUMS and the schema.org JSON-LD"
SHARED = ("package", "out")


def arguments(parser) -> None:
    pass


def run(args) -> int:
    path = dist(args.package, args.out)
    data = path.read_bytes()
    print(f"{path}  {len(data):,} bytes  sha256 {hashlib.sha256(data).hexdigest()}")
    return 0
