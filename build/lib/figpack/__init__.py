"""A generic engine for report data packages: it reads, validates, builds and renders any package
shaped like this one. Nothing here knows which report, area or year it serves: those facts are
read from the package (its descriptor's `report` property and its code-list resources)."""
