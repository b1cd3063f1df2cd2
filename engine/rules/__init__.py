"""The rules that span fields, rows and tables, one module per kind of check. Importing this
package registers them all (engine.registry.RULES)."""

from engine.rules import agreement, bounds, keys, periods, provenance, relations  # noqa: F401
