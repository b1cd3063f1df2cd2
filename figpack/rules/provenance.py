"""Provenance: each value is what the source prints, where it prints it, read by the package's own
word lists (word_readings.csv); an inference says why; an outside definition names its source."""

from __future__ import annotations

import re

import pandas as pd

from figpack.frames import ARABIC, blank, dec, each, first_positions, rows, rows_at, token
from figpack.registry import rule

SPANS = ("observations", "restatements", "projects", "glossary")


@rule(
    "observations",
    ("observations", "word_readings"),
    "The value is the printed number itself, no more precise (10.38, not 10.380); a Chinese numeral or rank word is read by "
    "word_readings.csv, and an inferred rank word (最少) only with status inferred.",
)
def value_as_printed(ctx):
    plain = {**ctx.readings("numeral"), **ctx.readings("rank_word")}
    inferred = ctx.readings("inferred_rank_word")

    def check(vp, v, st):
        if blank(vp) or blank(v):
            return
        if ARABIC.fullmatch(vp):
            expected = vp
        elif vp in plain:
            expected = plain[vp]
        elif vp in inferred:
            expected = inferred[vp]
            if st != "inferred":
                yield "status", st, f"inferred: '{vp}' gives the value {expected} only by inference"
        else:
            yield "value_printed", vp, "digits, or a word of word_readings.csv, for a numeric value"
            return
        if v != expected:
            yield "value", v, f"{expected}, the value printed as '{vp}'"

    yield from each(ctx.tables["observations"], ["value_printed", "value", "status"], check)


def _spans_contain_value(spans: pd.DataFrame):
    def check(vp, ev):
        if not blank(vp) and not blank(ev) and not token(vp).search(re.sub(r"\s+", "", ev)):
            yield "evidence", ev, f"a span that prints the value '{vp}'"

    yield from each(spans, ["value_printed", "evidence"], check)


@rule(
    "observations",
    ("observations",),
    "The evidence span contains the value as printed (a number not inside a longer number).",
)
def evidence_contains_value(ctx):
    yield from _spans_contain_value(ctx.tables["observations"])


@rule(
    "restatements",
    ("observations", "restatements"),
    "Where the source states a figure again, that place prints the same value.",
)
def restatement_agrees(ctx):
    spans, obs = ctx.tables["restatements"], ctx.tables["observations"]
    at = first_positions(*ctx.codes(("restatements", "obs_id"), ("observations", "obs_id")))
    printed = rows_at(obs[["value_printed"]], at, spans.index)
    yield from _spans_contain_value(spans.assign(value_printed=printed["value_printed"]))


def _each_span(ctx, check):
    for name in SPANS:
        for row, *failure in each(ctx.tables[name], ["evidence", "evidence_start", "evidence_end"], check):
            yield name, row, *failure


@rule("*", SPANS, "evidence_end - evidence_start is the length of the evidence span.")
def evidence_offsets_consistent(ctx):
    def check(ev, s, e):
        start, end = dec(s), dec(e)
        if not blank(ev) and start is not None and end is not None and end - start != len(ev):
            yield "evidence_end", e, f"{start + len(ev)} (evidence_start + {len(ev)} characters)"

    yield from _each_span(ctx, check)


@rule(
    "*",
    SPANS,
    "When the source transcription is at hand, each evidence span stands in it at its offsets "
    "(the report says when it was not at hand and this rule could not run).",
)
def evidence_in_source(ctx):
    if ctx.source_text is None:
        return

    def check(ev, s, e):
        start, end = dec(s), dec(e)
        if not blank(ev) and start is not None and end is not None:
            found = ctx.source_text[int(start) : int(end)]
            if found != ev:
                yield "evidence", ev, f"the text at {start}-{end} of the source, which is '{found}'"

    yield from _each_span(ctx, check)


@rule(
    "observations",
    ("observations",),
    "An inferred value gives its reason and a reported one has none; a row that reads more into the source "
    "(inference) says why in its note.",
)
def reason_for_inference(ctx):
    obs = ctx.tables["observations"]
    for i in rows(obs, obs["inference"].notna() & obs["note"].isna()).index:
        yield i, "note", None, "the reason for the inference named in inference"
    for i in rows(obs, (obs["status"] == "inferred") & obs["status_reason"].isna()).index:
        yield i, "status_reason", None, "the reason for the inference"
    bad = rows(obs, (obs["status"] == "reported") & obs["status_reason"].notna())
    for i, v in zip(bad.index, bad["status_reason"]):
        yield i, "status_reason", v, "empty, or status inferred"


@rule(
    "projects",
    ("projects", "word_readings"),
    "A project's status stands in its evidence and its code follows the printed word's reading (word_readings.csv "
    "project_status); a word that may mean finished or not (建设) allows not_stated; no known word gives not_stated.",
)
def project_status_as_printed(ctx):
    words = ctx.readings("project_status")
    pj = ctx.tables["projects"]
    for i, printed, code, ev in zip(pj.index, pj["status_printed"], pj["status"], pj["evidence"]):
        if blank(printed) or blank(ev):
            continue
        if printed not in re.sub(r"\s+", "", ev):
            yield i, "evidence", ev, f"a span that prints the status '{printed}'"
        want = next((c for w, c in words.items() if printed.endswith(w)), "not_stated")
        if code != want and not (want == "under_construction" and code == "not_stated"):
            yield i, "status", code, f"{want}, from the printed status '{printed}'"


@rule(
    "glossary",
    ("glossary",),
    "A glossary definition from outside the source names its source; a term without one says 'not defined in the source'.",
)
def outside_definition_cited(ctx):
    gl = ctx.tables["glossary"]
    for i, definition, source in zip(gl.index, gl["definition"], gl["definition_source_id"]):
        undefined = definition == "not defined in the source"
        if not undefined and blank(source):
            yield i, "definition_source_id", None, "the source of this outside definition"
        if undefined and not blank(source):
            yield i, "definition_source_id", source, "empty: the term has no outside definition"


@rule("glossary", ("glossary",), "A glossary term stands in its evidence span.")
def term_in_evidence(ctx):
    gl = ctx.tables["glossary"]
    for i, term, ev in zip(gl.index, gl["term_zh"], gl["evidence"]):
        if not blank(term) and not blank(ev) and term not in ev:
            yield i, "evidence", ev, f"a span that prints the term '{term}'"
