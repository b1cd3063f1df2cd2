"""Citations ready to paste, made from CITATION.cff alone (the one place they are written):
BibTeX and an author-date (APA-style) reference, for the package and for the source report.

Usage: figpack cite   (prints the README's citation section)
"""

from __future__ import annotations

from pathlib import Path

import yaml

from figpack.package import load_descriptor, report_facts

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def citation(root: Path) -> dict:
    """CITATION.cff, with the package's citation keys (datapackage.json report.citation) under 'keys'."""
    cff = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))
    cff["keys"] = report_facts(load_descriptor(root)).get("citation", {})
    return cff


def _person(author: dict, sep: str = ", ") -> str:
    return author.get("name") or f"{author['family-names']}{sep}{author['given-names']}"


def package_bibtex(cff: dict) -> str:
    year = str(cff["date-released"])[:4]
    return "\n".join(
        [
            f"@misc{{{cff['keys']['package_key']},",
            f"  author       = {{{{{cff['authors'][0]['name']}}}}},",
            f"  title        = {{{{{cff['title']}}}}},",
            f"  year         = {{{year}}},",
            f"  version      = {{{cff['version']}}},",
            f"  note         = {{Frictionless Data Package, version {cff['version']}, licence {cff['license']}}},",
            "}",
        ]
    )


def report_bibtex(ref: dict, keys: dict) -> str:
    authors = " and ".join(_person(a) for a in ref["authors"])
    return "\n".join(
        [
            f"@article{{{keys['report_key']},",
            f"  author       = {{{authors}}},",
            f"  title        = {{{ref['title']}}},",
            f"  journal      = {{{keys['report_journal']}}},",
            f"  year         = {{{ref['year']}}},",
            f"  month        = {MONTHS[ref['month'] - 1][:3].lower()},",
            "  language     = {Chinese},",
            f"  note         = {{{keys['report_note']}}},",
            "}",
        ]
    )


def package_author_date(cff: dict) -> str:
    year = str(cff["date-released"])[:4]
    return (
        f"{cff['authors'][0]['name']}. ({year}). *{cff['title']}* (Version {cff['version']}) "
        f"[Data set; Frictionless Data Package]. Licence {cff['license']}."
    )


def report_author_date(ref: dict, keys: dict) -> str:
    authors = ", & ".join(_person(a, "") for a in ref["authors"])
    return (
        f"{authors}. ({ref['year']}, {MONTHS[ref['month'] - 1]}). {ref['title']} "
        f"[Newspaper article, in Chinese; {keys['report_journal']}]."
    )


def section(root: Path) -> str:
    cff = citation(root)
    ref = cff["references"][0]
    return "\n".join(
        [
            f"Version **{cff['version']}**. Cite the package, and the report for the figures themselves.",
            "",
            "Author-date:",
            "",
            f"- {package_author_date(cff)}",
            f"- {report_author_date(ref, cff['keys'])}",
            "",
            "BibTeX:",
            "",
            "```bibtex",
            package_bibtex(cff),
            "",
            report_bibtex(ref, cff["keys"]),
            "```",
            "",
        ]
    )
