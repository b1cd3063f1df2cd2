"""Release files: a versioned, byte-for-byte reproducible zip of the package with a SHA256SUMS
inside, dist/SHA256SUMS for the zip, and dist/datapackage.jsonld (schema.org/Dataset).

    python -m scripts.dist

Reproducible: entries are sorted, their times fixed to the package's `created`, their
permissions fixed; nothing of the machine or the moment goes in.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import sys
import zipfile
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
TOP_FILES = ["datapackage.json", "README.md", "README.zh.md", "LICENSE", "LICENSE-DATA", "CITATION.cff", "CHANGELOG.md"]


def release_files() -> list[str]:
    files = TOP_FILES + [f"data/{p.name}" for p in (ROOT / "data").glob("*.csv")]
    files += [f"schemas/{p.name}" for p in (ROOT / "schemas").glob("*.schema.json")]
    return sorted(files)


def make_zip(descriptor: dict) -> bytes:
    stamp = datetime.fromisoformat(descriptor["created"].replace("Z", "+00:00")).timetuple()[:6]
    folder = f"{descriptor['name']}-{descriptor['version']}"
    contents = {name: (ROOT / name).read_bytes() for name in release_files()}
    contents["SHA256SUMS"] = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in contents.items()).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in sorted(contents):
            entry = zipfile.ZipInfo(f"{folder}/{name}", date_time=stamp)
            entry.compress_type, entry.external_attr, entry.create_system = zipfile.ZIP_DEFLATED, 0o644 << 16, 3
            archive.writestr(entry, contents[name])
    return out.getvalue()


def jsonld(descriptor: dict, zip_name: str) -> dict:
    """schema.org/Dataset, from datapackage.json; the context is inline, so no fetch is needed."""
    cff_version = descriptor["version"]
    return {
        "@context": {"@vocab": "https://schema.org/"},
        "@type": "Dataset",
        "name": descriptor["title"],
        "alternateName": descriptor["name"],
        "description": descriptor["description"],
        "version": cff_version,
        "dateCreated": descriptor["created"],
        "keywords": descriptor["keywords"],
        "inLanguage": ["en", "zh"],
        "license": [{"@type": "CreativeWork", "name": lic["name"], "url": lic["path"], "description": lic.get("title", "")}
                    for lic in descriptor["licenses"]],
        "creator": [{"@type": "Organization", "name": c["title"]} for c in descriptor["contributors"] if "creator" in c.get("roles", [])],
        "spatialCoverage": {"@type": "Place", "name": "驻马店市 Zhumadian, Henan, China", "identifier": "411700"},
        "temporalCoverage": "2023",
        "isBasedOn": [{"@type": "CreativeWork", "name": s["title"], **({"url": s["path"]} if "path" in s else {})} for s in descriptor["sources"]],
        "distribution": [{"@type": "DataDownload", "name": r["name"], "contentUrl": r["path"], "encodingFormat": r["mediatype"],
                          "contentSize": f"{r['bytes']} B", "sha256": r["hash"].split(":", 1)[1]} for r in descriptor["resources"]]
                        + [{"@type": "DataDownload", "name": "release zip", "contentUrl": zip_name, "encodingFormat": "application/zip"}],
    }


def write(path: Path, data: bytes) -> None:
    """Write under a temporary name, then move into place: a reader never sees half a file."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    DIST.mkdir(exist_ok=True)
    name = f"{descriptor['name']}-{descriptor['version']}.zip"
    data = make_zip(descriptor)
    write(DIST / name, data)
    write(DIST / "SHA256SUMS", f"{hashlib.sha256(data).hexdigest()}  {name}\n".encode())
    write(DIST / "datapackage.jsonld", (json.dumps(jsonld(descriptor, name), ensure_ascii=False, indent=2) + "\n").encode())
    print(f"dist/{name}  {len(data):,} bytes  sha256 {hashlib.sha256(data).hexdigest()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
