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


class StampError(Exception):
    """The descriptor or a file it names cannot be read: nothing was written."""


def stamp(descriptor_path: Path) -> list[str]:
    try:
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
        facts = [file_facts(descriptor_path.parent / r["path"]) for r in descriptor["resources"]]
    except (OSError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise StampError(f"{descriptor_path}: cannot stamp ({exc}); nothing was written") from None
    changed = []
    for resource, (size, digest) in zip(descriptor["resources"], facts):
        if (resource.get("bytes"), resource.get("hash")) != (size, digest):
            resource["bytes"], resource["hash"] = size, digest
            changed.append(resource["path"])
    if changed:
        text = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
        descriptor_path.write_text(text, encoding="utf-8")
    return changed


def main(argv: list[str]) -> int:
    path = Path(argv[0] if argv else "datapackage.json")
    try:
        changed = stamp(path)
    except StampError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"{path}: re-stamped {', '.join(changed)}" if changed else f"{path}: bytes and hashes already current")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
