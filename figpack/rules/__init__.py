"""The rules that span fields, rows and tables, one module per kind of check. Importing this
package registers them all (figpack.registry.RULES)."""

from figpack.rules import agreement, bounds, corroboration, keys, official, periods, provenance, relations  # noqa: F401
