"""The rules that span fields, rows and tables, one module per kind of check. Importing this
package registers them all (engine.registry.RULES)."""

from engine.rules import agreement, bounds, corroboration, keys, periods, provenance, relations  # noqa: F401
