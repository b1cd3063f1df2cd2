"""Citations ready to paste, made from CITATION.cff alone (the one place they are written):
BibTeX and an author-date (APA-style) reference, for the package and for the source report.

Usage: python -m scripts.cite   (prints the README's citation section)
"""
from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]


def citation() -> dict:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def _person(author: dict, sep: str = ", ") -> str:
    return author.get("name") or f"{author['family-names']}{sep}{author['given-names']}"


def package_bibtex(cff: dict) -> str:
    year = str(cff["date-released"])[:4]
    return "\n".join([
        "@misc{zhumadian2023figures,",
        f"  author       = {{{{{cff['authors'][0]['name']}}}}},",
        f"  title        = {{{{{cff['title']}}}}},",
        f"  year         = {{{year}}},",
        f"  version      = {{{cff['version']}}},",
        f"  note         = {{Frictionless Data Package, version {cff['version']}, licence {cff['license']}}},",
        "}"])


def report_bibtex(ref: dict) -> str:
    authors = " and ".join(_person(a) for a in ref["authors"])
    return "\n".join([
        "@article{hua2023zhumadian,",
        f"  author       = {{{authors}}},",
        f"  title        = {{{ref['title']}}},",
        "  journal      = {newspaper not named in the transcription (本报)},",
        f"  year         = {{{ref['year']}}},",
        f"  month        = {MONTHS[ref['month'] - 1][:3].lower()},",
        "  language     = {Chinese},",
        "  note         = {Report on the meeting of 2023-12-28; exact date and page not known},",
        "}"])


def package_author_date(cff: dict) -> str:
    year = str(cff["date-released"])[:4]
    return (f"{cff['authors'][0]['name']}. ({year}). *{cff['title']}* (Version {cff['version']}) "
            f"[Data set; Frictionless Data Package]. Licence {cff['license']}.")


def report_author_date(ref: dict) -> str:
    authors = ", & ".join(_person(a, "") for a in ref["authors"])
    return (f"{authors}. ({ref['year']}, {MONTHS[ref['month'] - 1]}). {ref['title']} "
            "[Newspaper article, in Chinese; the newspaper is not named in the transcription (本报)].")


def section() -> str:
    cff = citation()
    ref = cff["references"][0]
    return "\n".join([
        f"Version **{cff['version']}**. Cite the package, and the report for the figures themselves.", "",
        "Author-date:", "",
        f"- {package_author_date(cff)}", f"- {report_author_date(ref)}", "",
        "BibTeX:", "", "```bibtex", package_bibtex(cff), "", report_bibtex(ref), "```", ""])


if __name__ == "__main__":
    print(section())
