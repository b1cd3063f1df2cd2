"""The shape of a Table Schema: what makes it unreadable (exit 2, one line naming the file and
the place inside it), and which valid features this engine does not check (failures, never
silently passed).

A field's `x-pattern` is checked like `constraints.pattern` on every value that is present. Nullable
fields keep their pattern there because frictionless's SQL writer turns `constraints.pattern` into a
REGEXP check that fails on empty cells and drops the whole table (`frictionless index`)."""

from __future__ import annotations

import json

from figpack.package import FIELD_NAME, PackageUnreadable
from figpack.registry import Failure

TABLE_SCHEMA_TYPES = {
    "string",
    "number",
    "integer",
    "boolean",
    "object",
    "array",
    "list",
    "date",
    "time",
    "datetime",
    "year",
    "yearmonth",
    "duration",
    "geopoint",
    "geojson",
    "any",
}
CONSTRAINTS = {
    "required",
    "unique",
    "pattern",
    "enum",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "jsonSchema",
}
SUPPORTED_CONSTRAINTS = {"required", "unique", "pattern", "enum", "minLength", "maxLength", "minimum", "maximum"}
CHECKED_TYPES = ("string", "number", "integer", "date", "boolean")


def _where(path: str, i: int, key: str) -> str:
    return f"{path}: fields[{i}].{key}"


def check_shape(schema, path: str) -> list[str]:
    """Problems that make a Table Schema unreadable (raised as PackageUnreadable by the caller)."""
    if not isinstance(schema, dict):
        return [f"{path}: not a JSON object"]
    fields = schema.get("fields")
    if not isinstance(fields, list) or not fields:
        return [f"{path}: fields: not a non-empty list"]
    names = []
    for i, field in enumerate(fields):
        if not isinstance(field, dict):
            return [f"{path}: fields[{i}]: not a JSON object"]
        name, kind = field.get("name"), field.get("type", "string")
        if not isinstance(name, str) or not FIELD_NAME.fullmatch(name):
            return [
                f"{_where(path, i, 'name')}: {json.dumps(name, ensure_ascii=False)} is not a field name this validator reads "
                f"({FIELD_NAME.pattern})"
            ]
        if not isinstance(kind, str) or kind not in TABLE_SCHEMA_TYPES:
            return [f"{_where(path, i, 'type')}: {json.dumps(kind, ensure_ascii=False)} is not a Table Schema type"]
        if "x-pattern" in field and (kind != "string" or _constraint_problem("pattern", field["x-pattern"], kind)):
            return [f"{_where(path, i, 'x-pattern')}: not a regular expression on a string field"]
        constraints = field.get("constraints", {})
        if not isinstance(constraints, dict):
            return [f"{_where(path, i, 'constraints')}: not a JSON object"]
        for key, value in constraints.items():
            problem = _constraint_problem(key, value, kind)
            if problem:
                return [f"{_where(path, i, 'constraints.' + key)}: {problem}"]
        names.append(name)
    if len({n.lower() for n in names}) != len(names):  # SQL folds case: Value and value would collide
        return [f"{path}: fields: two fields have the same name (case aside)"]
    for key in _key_fields(schema.get("primaryKey", []), path, "primaryKey"):
        if key not in names:
            return [f"{path}: primaryKey: {json.dumps(key, ensure_ascii=False)} is not a field"]
    unique_keys = schema.get("uniqueKeys", [])
    if not isinstance(unique_keys, list):
        return [f"{path}: uniqueKeys: not a list"]
    for i, unique_key in enumerate(unique_keys):
        fields = _key_fields(unique_key, path, f"uniqueKeys[{i}]")
        if not fields or any(f not in names for f in fields):
            return [f"{path}: uniqueKeys[{i}]: names a field the schema does not have"]
    fks = schema.get("foreignKeys", [])
    if not isinstance(fks, list):
        return [f"{path}: foreignKeys: not a list"]
    for i, fk in enumerate(fks):
        ref = fk.get("reference") if isinstance(fk, dict) else None
        if not isinstance(ref, dict):
            return [f"{path}: foreignKeys[{i}]: no reference object"]
        mine = _key_fields(fk.get("fields"), path, f"foreignKeys[{i}].fields")
        theirs = _key_fields(ref.get("fields"), path, f"foreignKeys[{i}].reference.fields")
        if not mine or len(mine) != len(theirs) or not isinstance(ref.get("resource", ""), str):
            return [f"{path}: foreignKeys[{i}]: fields and reference fields must be lists of equal length"]
        if any(f not in names for f in mine):
            return [f"{path}: foreignKeys[{i}].fields: names a field the schema does not have"]
    return []


def _key_fields(value, path: str, where: str) -> list[str]:
    value = [value] if isinstance(value, str) else value
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PackageUnreadable(f"{path}: {where}: not a field name or list of field names")
    return value


def _constraint_problem(key: str, value, kind: str) -> str | None:
    if key not in CONSTRAINTS:
        return "is not a Table Schema constraint"
    if key in ("required", "unique") and not isinstance(value, bool):
        return "not true or false"
    if key in ("minLength", "maxLength") and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        return "not a whole number of 0 or more"
    applies = {
        "minimum": ("integer", "number"),
        "maximum": ("integer", "number"),
        "minLength": ("string",),
        "maxLength": ("string",),
        "pattern": ("string",),
    }
    if kind not in applies.get(key, (kind,)):
        return f"does not apply to a {kind} field here (only to {' or '.join(applies[key])})"
    if key in ("minimum", "maximum") and (isinstance(value, bool) or not isinstance(value, (int, float))):
        return f"{json.dumps(value, ensure_ascii=False)} is not a {kind} bound"
    if key == "enum" and not isinstance(value, list):
        return "not a list"
    if key == "pattern":
        if not isinstance(value, str):
            return "not a string"
        from figpack import patterns  # pandas and pyarrow: imported when a schema has a pattern

        why = patterns.problem(value)
        if why:
            return f"not a regular expression RE2 can match in linear time ({why})"
    return None


def unsupported(schema: dict, path: str) -> list[Failure]:
    """Valid Table Schema features this engine does not check: failures, never silently passed."""
    out = []
    for i, field in enumerate(schema["fields"]):
        kind = field.get("type", "string")
        if kind not in CHECKED_TYPES:
            out.append(
                Failure(
                    path,
                    None,
                    field["name"],
                    kind,
                    "unsupported_feature",
                    f"expected a field type this validator checks ({', '.join(CHECKED_TYPES)}): fields[{i}].type is {kind}",
                )
            )
        extra = set(field.get("constraints", {})) - SUPPORTED_CONSTRAINTS
        extra |= {
            k
            for k in ("format", "missingValues", "decimalChar", "groupChar", "bareNumber")
            if k in field
            and field[k] not in ("default", [""], ".", True)
            and (kind, k, field[k]) != ("string", "format", "uri")
        }
        if kind == "boolean" and not (
            set(field.get("trueValues", ["true"])) <= {"true"} and set(field.get("falseValues", ["false"])) <= {"false"}
        ):
            extra.add("trueValues/falseValues other than true/false")
        for key in sorted(extra):
            out.append(
                Failure(
                    path,
                    None,
                    field["name"],
                    None,
                    "unsupported_feature",
                    f"expected no {key} on fields[{i}]: this validator does not check it",
                )
            )
    if schema.get("missingValues", [""]) != [""]:
        out.append(
            Failure(
                path,
                None,
                None,
                None,
                "unsupported_feature",
                'expected missingValues [""] (an empty cell is the only missing value)',
            )
        )
    return out
