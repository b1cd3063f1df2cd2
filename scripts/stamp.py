"""Re-stamp each resource's `bytes` and `hash` in datapackage.json after a data file was edited.

Only these two properties are rewritten; the rest of the descriptor is kept as it is.
Usage: python -m scripts.stamp [datapackage.json]
"""
import hashlib
import json
import sys
from pathlib import Path


def file_facts(path: Path) -> tuple[int, str]:
    data = path.read_bytes()
    return len(data), "sha256:" + hashlib.sha256(data).hexdigest()


def stamp(descriptor_path: Path) -> list[str]:
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    changed = []
    for resource in descriptor["resources"]:
        size, digest = file_facts(descriptor_path.parent / resource["path"])
        if (resource.get("bytes"), resource.get("hash")) != (size, digest):
            resource["bytes"], resource["hash"] = size, digest
            changed.append(resource["path"])
    if changed:
        text = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
        descriptor_path.write_text(text, encoding="utf-8")
    return changed


def main(argv: list[str]) -> int:
    path = Path(argv[0] if argv else "datapackage.json")
    changed = stamp(path)
    print(f"{path}: re-stamped {', '.join(changed)}" if changed else f"{path}: bytes and hashes already current")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
