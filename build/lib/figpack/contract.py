"""What the engine requires of a package beyond Data Package itself: the descriptor properties and
fields its rules, views and exports read, names safe for SQL and files, and no feature it does not
read (another encoding, format, dialect, ...). Each unmet requirement is a failure, never ignored."""

from __future__ import annotations

import re

from figpack.package import DESCRIPTOR, NAME, VERSION, VIEWS, report_facts, shown
from figpack.registry import Failure

DEFAULT_DIALECT = {
    "delimiter": ",",
    "quoteChar": '"',
    "doubleQuote": True,
    "header": True,
    "lineTerminator": "\n",
    "skipInitialSpace": False,
    "headerRow": 1,
    "commentChar": None,
}


def _fail(rule: str, message: str, field: str | None = None, value=None) -> Failure:
    return Failure(DESCRIPTOR, None, field, None if value is None else str(value), rule, message)


def view_names() -> list[str]:
    """The views of sql/views.sql: a table may not take their names."""
    return re.findall(r"CREATE OR REPLACE VIEW (\w+)", VIEWS.read_text(encoding="utf-8"))


def _is_text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _titled_list(value, keys: tuple[str, ...]) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, dict) and all(_is_text(v.get(k)) for k in keys) for v in value)
    )


def _created(value) -> bool:
    from datetime import datetime

    try:
        return (
            1980 <= datetime.fromisoformat(str(value).replace("Z", "+00:00")).year <= 2107
        )  # what a zip entry can date
    except ValueError:
        return False


# What the exports (release zip, JSON-LD, workbook, page, Datasette) read: a package they accept has it
PACKAGE_PROPERTIES = {
    "title": (_is_text, "a title"),
    "description": (_is_text, "a description"),
    "created": (_created, "an ISO 8601 date-time of creation, 1980 to 2107"),
    "keywords": (lambda v: isinstance(v, list) and all(isinstance(k, str) for k in v), "a list of keywords"),
    "licenses": (lambda v: _titled_list(v, ("name", "path")), "licences, each with a name and a path"),
    "contributors": (lambda v: _titled_list(v, ("title",)), "contributors, each with a title"),
    "sources": (lambda v: _titled_list(v, ("title",)), "sources, each with a title"),
}
RESOURCE_PROPERTIES = {
    "title": (_is_text, "a title"),
    "description": (_is_text, "a description"),
    "bytes": (lambda v: isinstance(v, int) and not isinstance(v, bool), "its size in bytes (make stamp)"),
    "hash": (
        lambda v: isinstance(v, str) and re.fullmatch(r"sha256:[0-9a-f]{64}", v) is not None,
        "sha256:<hex> (make stamp)",
    ),
}


# The fields that the rules, sql/views.sql and the exports (page, workbook, JSON-LD) read, by
# resource: the engine's model of a report package. A package without one is refused, so that
# no loader or export fails on a package the validator calls valid.
REQUIRED_FIELDS = {
    "observations": "obs_id indicator_id area_code area_name period_printed period_start period_end period_status "
    "reference_year value_printed unit_printed value unit_multiplier value_base unit_base qualifier rank_universe "
    "rank_universe_size rank_universe_source_id rank_universe_status rank_direction project_id status status_reason evidence "
    "evidence_start evidence_end inference note",
    "indicators": "indicator_id name_zh name_en measure unit unit_short rank_direction topic relation related_indicator_id "
    "item_min_base",
    "restatements": "obs_id evidence evidence_start evidence_end",
    "projects": "project_id name_zh name_en sector status_printed status evidence evidence_start evidence_end",
    "glossary": "term_zh term_en source_says definition definition_source_id evidence evidence_start evidence_end",
    "sources": "source_id kind title publisher url date_seen note sha256",
    "areas": "area_code name_zh name_en",
    "rank_universes": "universe_id size name_en name_zh source_id",
    "measures": "measure numeric whole_number minimum exclusive_minimum maximum unit_printed",
    "topics": "topic_id name_en name_zh",
    "period_words": "word start_day end_day",
    "corroborations": "corroboration_id obs_id source_id value_printed value period_start period_end period_status "
    "reference_year evidence verdict note",
    "word_readings": "kind word reading",
}


def field_failures(name: str, schema: dict, where: str) -> list[Failure]:
    have = {f["name"] for f in schema["fields"]}
    return [
        Failure(
            where, None, field, None, "required_field", f"expected the field {field} in {name}: the engine reads it"
        )
        for field in REQUIRED_FIELDS.get(name, "").split()
        if field not in have
    ]


def property_failures(descriptor: dict) -> list[Failure]:
    """The properties the package's exports need, which Data Package leaves optional."""
    out = [
        _fail("package_property", f"expected {what} at {key}", key)
        for key, (ok, what) in PACKAGE_PROPERTIES.items()
        if not ok(descriptor.get(key))
    ]
    for i, r in enumerate(descriptor["resources"]):
        out += [
            _fail("package_property", f"expected {what} at resources[{i}].{key}", key)
            for key, (ok, what) in RESOURCE_PROPERTIES.items()
            if not ok(r.get(key))
        ]
    return out


def resource_failures(descriptor: dict) -> list[Failure]:
    """What this engine does not read: a failure each, never ignored."""
    out, seen = property_failures(descriptor), set()
    report = report_facts(descriptor)
    name, version = descriptor.get("name"), descriptor.get("version")
    if not isinstance(name, str) or not NAME.fullmatch(name):
        out.append(_fail("package_name", f"expected a package name matching {NAME.pattern}", "name", shown(name)))
    if not isinstance(version, str) or not VERSION.fullmatch(version):
        out.append(
            _fail("package_version", f"expected a version matching {VERSION.pattern}", "version", shown(version))
        )
    for i, r in enumerate(descriptor["resources"]):
        where = f"resources[{i}]"
        name = r.get("name")
        if not isinstance(name, str) or not NAME.fullmatch(name):
            out.append(
                _fail(
                    "resource_name", f"expected a resource name matching {NAME.pattern} at {where}", "name", shown(name)
                )
            )
        elif name in seen:
            out.append(_fail("resource_name", f"expected each resource name once: {name} is named twice", "name", name))
        elif name.startswith("sqlite_"):
            out.append(
                _fail("resource_name", "expected a name not starting with sqlite_ (SQLite reserves it)", "name", name)
            )
        elif name in view_names():
            out.append(
                _fail(
                    "resource_name",
                    f"expected a name other than the SQL views' ({', '.join(view_names())})",
                    "name",
                    name,
                )
            )
        else:
            seen.add(name)
        unsupported = {
            "path": not isinstance(r.get("path"), str) and "a single local path (no multipart list, no inline data)",
            "encoding": str(r.get("encoding", "utf-8")).lower() not in ("utf-8", "utf8") and "encoding utf-8",
            "format": str(r.get("format", "csv")).lower() != "csv" and "format csv",
            "mediatype": str(r.get("mediatype", "text/csv")).lower() != "text/csv" and "mediatype text/csv",
            "scheme": str(r.get("scheme", "file")).lower() != "file" and "scheme file",
            "compression": "compression" in r and "no compression",
            "dialect": _dialect_problem(r.get("dialect")),
            "data": "data" in r and "no inline data",
        }
        for key, wanted in unsupported.items():
            if wanted:
                out.append(
                    _fail(
                        "unsupported_feature",
                        f"expected {wanted} at {where}.{key}: this validator reads nothing else",
                        key,
                    )
                )
    required = report.get("required_resources", [])
    if not isinstance(required, list) or not required:
        out.append(
            _fail(
                "required_resources", "expected report.required_resources: the list of resources the package must have"
            )
        )
    else:
        out += [
            _fail("required_resources", f"expected the required resource {shown(n)}", "resources", n)
            for n in required
            if n not in seen
        ]
    return out


def _dialect_problem(dialect) -> str | bool:
    if dialect is None:
        return False
    if not isinstance(dialect, dict) or any(
        DEFAULT_DIALECT.get(k, object()) != v for k, v in dialect.items() if k != "$schema"
    ):
        return "the default CSV dialect (comma, double quote, header row)"
    return False
