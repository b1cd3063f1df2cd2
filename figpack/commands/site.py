"""Build the datasheet page: one self-contained HTML file (no network, no CDN) from the package alone.

    figpack site [--package DIR] [--out DIR] [--dist DIR]   (default out: site/)

Every text comes from the package (datapackage.json report.page, the code lists, the data) and
the templates in templates/ (HTML, CSS and JS in their own files). OUT/index.html holds the
headline figures, a chart of every rank, every figure by topic, the projects, the glossary, the
data dictionary, the validation rules and a citation box; OUT/downloads/ holds the files it links
to: the CSVs, and the release zip, DuckDB database, workbook and Stata files when they are in the
dist folder.
"""

from __future__ import annotations

import functools
import io
import shutil
import time
from pathlib import Path

from figpack.commands import chart, cite, dist
from figpack.package import (
    TEMPLATES,
    load_descriptor,
    read_bytes,
    report_facts,
    script_json,
    staged,
    web_url,
    write_atomic,
)
from figpack.sql import connect, ident, quote, text_rows
from figpack.validation import require_valid

PERIOD_STATUS_ZH = {"stated": "原文注明", "inferred": "推断", "year_only": "仅知年份", "unknown": "未说明"}
STATUS_ZH = {"reported": "原文数据", "inferred": "推断"}


def period_text(o: dict) -> tuple[str, str]:
    if o["period_start"]:
        start, end = o["period_start"], o["period_end"]
        span_en = start if start == end else f"{start} – {end}" if end else f"from {start}, no end stated"
        span_zh = start if start == end else f"{start} – {end}" if end else f"{start}起（未说明截止）"
        return (
            f"{span_en} ({o['period_printed']}, {o['period_status']})",
            f"{span_zh}（{o['period_printed']}，{PERIOD_STATUS_ZH.get(o['period_status'], o['period_status'])}）",
        )
    if o["reference_year"]:
        return f"{o['reference_year']} (span not stated)", f"{o['reference_year']}年（时段未说明）"
    return "not stated", "未说明"


def figure(o: dict, ind: dict) -> dict:
    bound = {"at_most": "≤ ", "at_least": "≥ "}.get(o["qualifier"], "")
    pe, pz = period_text(o)
    return dict(
        o,
        name_en=ind["name_en"],
        name_zh=ind["name_zh"],
        printed=f"{bound}{o['value_printed']}{o['unit_printed']}",
        base=f"{o['value_base']} {o['unit_base']}" if o["value_base"] else "—",
        period_en=pe,
        period_zh=pz,
        status_en=o["status"]
        + (f": {o['status_reason']}" if o["status_reason"] else "")
        + (f"; inference ({o['inference']}): {o['note']}" if o.get("inference") else ""),
        status_zh=STATUS_ZH.get(o["status"], o["status"])
        + (f"；另有推断（{o['inference']}），见备注" if o.get("inference") else ""),
    )


def corroborations(rows: list[dict], obs: list[dict], sources: list[dict]) -> dict:
    """What the page shows of corroborations.csv: the figures found elsewhere side by side, and the
    names of those for which nothing was found."""
    by_obs, by_source = {o["obs_id"]: o for o in obs}, {s["source_id"]: s for s in sources}
    found = [
        dict(
            c,
            figure=by_obs[c["obs_id"]],
            source=dict(by_source[c["source_id"]], url=web_url(by_source[c["source_id"]]["url"])),
            period_en=period_text(c)[0],
        )
        for c in rows
        if c["verdict"] != "nothing_found"
    ]
    missing = [by_obs[c["obs_id"]] for c in rows if c["verdict"] == "nothing_found"]
    return dict(found=found, nothing_found=missing)


def charts(ranks: list[dict], universe: dict) -> dict:
    if not ranks:
        return {}
    rows = sorted(ranks, key=lambda o: (float(o["value"]), o["obs_id"]))
    out = {}
    for lang in ("en", "zh"):
        data = [
            dict(
                rank=int(float(o["value"])),
                bounded=o["qualifier"] == "at_most",
                inferred=o["status"] != "reported",
                label=f"{o['name_' + lang]}  [{o['period_' + lang].split(' (')[0].split('（')[0]}]",
            )
            for o in rows
        ]
        desc = (
            "；".join(f"{o['name_zh']}第{int(float(o['value']))}位" for o in rows)
            if lang == "zh"
            else "; ".join(
                f"{o['name_en']}: {'at most ' if o['qualifier'] == 'at_most' else ''}{int(float(o['value']))}"
                for o in rows
            )
        )
        out[lang] = chart.rank_chart(
            data,
            dict(
                id="chart",
                lang=lang,
                desc=desc,
                size=int(universe["size"]),
                title=universe[f"chart_title_{lang}"],
                xlabel=universe[f"xlabel_{lang}"],
            ),
        )
    return out


def official(con, report: dict) -> dict:
    """What the page shows of the official statistics: for each official indicator that ranks the
    same measure as a rank of the report, every area's figure best first (the report's area
    highlighted) as a chart and a table, and every rank check (the rank_checked view)."""
    import pandas as pd  # imported when a page is built, not for --help

    from figpack.rules.official import recompute

    checks = text_rows(con, "SELECT * FROM rank_checked ORDER BY verdict = 'cannot_recompute', obs_id")
    if not checks:
        return {}
    indicators = text_rows(
        con, "SELECT * FROM official_indicators WHERE report_indicator_id IS NOT NULL ORDER BY indicator_id"
    )
    charts = []
    for ind in indicators:
        order = "DESC" if ind["higher_ranks_first"] == "true" else "ASC"
        figures = text_rows(
            con,
            "SELECT f.area_code, f.value_printed, f.value, a.name_en, a.name_zh, f.period_start, f.period_end "
            f"FROM official_figures f JOIN areas a USING (area_code) WHERE f.indicator_id = {quote(ind['indicator_id'])} "
            f"ORDER BY f.value {order}, f.area_code",
        )
        if not figures:
            continue
        table = pd.DataFrame(figures)  # each place as the rank-check rule computes it (figpack.rules.official)
        rows: list[dict] = [
            dict(
                f,
                rank=(recompute(table, f["area_code"], order == "DESC") or (0, 0, ""))[1],  # every area is in table
                highlight=f["area_code"] == report.get("area_code"),
            )
            for f in figures
        ]
        claim = next((c for c in checks if c["official_indicator_id"] == ind["indicator_id"]), None)
        entry: dict = dict(indicator=ind, rows=rows, claim=claim)
        for lang in ("en", "zh"):
            name = ind[f"name_{lang}"]
            desc = ("；" if lang == "zh" else "; ").join(
                f"{r['name_' + lang]} {r['value_printed']}{ind['unit']}" for r in rows
            )
            entry[lang] = chart.bar_chart(
                [
                    dict(
                        label=r[f"name_{lang}"],
                        value=float(r["value"]),
                        printed=r["value_printed"],
                        highlight=r["highlight"],
                    )
                    for r in rows
                ],
                dict(
                    id=f"official-{ind['indicator_id']}",
                    lang=lang,
                    title=name,
                    desc=desc,
                    xlabel=f"{name} ({ind['unit']})",
                ),
            )
        charts.append(entry)
    return dict(charts=charts, checks=checks)


def page_font(text: str) -> str:
    """An @font-face with the CJK characters this page uses, cut from Noto Sans CJK and embedded,
    so the page shows its Chinese text on any machine, with no font download."""
    return _font_face("".join(sorted({ch for ch in text if ord(ch) >= 0x2E80})))


@functools.lru_cache(maxsize=8)  # cut once in a process for the same characters (about 0.5 s)
def _font_face(chars: str) -> str:
    import base64

    from fontTools import subset

    options = subset.Options()
    options.flavor, options.desubroutinize, options.name_IDs = "woff", True, ["*"]
    font = subset.load_font(str(chart.cjk_font_path()), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    out = io.BytesIO()
    subset.save_font(font, out, options)
    data = base64.b64encode(out.getvalue()).decode()
    return (
        f"@font-face{{font-family:PageCJK;src:url(data:font/woff;base64,{data}) format('woff');font-weight:100 900;}}"
    )


def downloads(root: Path, out: Path, descriptor: dict, dist_dir: Path) -> list[dict]:
    target = out / "downloads"
    links = []
    for r in descriptor["resources"]:
        write_atomic(target / r["path"], read_bytes(root, r["path"]))
        links.append(
            dict(
                href=f"downloads/{r['path']}",
                en=f"{r['path']} ({r['bytes']:,} bytes)",
                zh=f"{r['path']}（{r['bytes']:,} 字节）",
            )
        )
    extras = [
        (f"{descriptor['name']}-{descriptor['version']}.zip", "release zip", "发布压缩包"),
        (f"{descriptor['name']}.duckdb", "DuckDB database", "DuckDB 数据库"),
        (f"{descriptor['name']}.xlsx", "Excel workbook", "Excel 工作簿"),
    ]
    extras += [(f"stata/{p.name}", "Stata file", "Stata 文件") for p in sorted((dist_dir / "stata").glob("*.dta"))]
    extras += [("stata/names.csv", "Stata variable names of every field", "各字段的 Stata 变量名")]
    for name, en, zh in extras:
        if (dist_dir / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(dist_dir / name, target / name)
            links.append(dict(href=f"downloads/{name}", en=f"{en}: {name}", zh=f"{zh}：{name}"))
    return links


def context(root: Path, out: Path, dist_dir: Path) -> dict:
    import figpack.rules  # noqa: F401  (registers the rules)
    from figpack.registry import RULES
    from figpack.validation import load_schema

    d = load_descriptor(root)
    report = report_facts(d)
    con = connect(root)  # the package loaded once; the page reads its tables and views
    table = lambda name: text_rows(con, f"SELECT * FROM {ident(name)}")  # noqa: E731
    indicators = {i["indicator_id"]: i for i in table("indicators")}
    obs = [figure(o, indicators[o["indicator_id"]]) for o in table("observations")]
    rank_ids = {r["obs_id"] for r in text_rows(con, "SELECT obs_id FROM ranks")}  # what a rank is: the view says
    ranks = [o for o in obs if o["obs_id"] in rank_ids]
    universes = {u["universe_id"]: u for u in table("rank_universes")}
    universe = dict(universes[ranks[0]["rank_universe"]]) if ranks else {}
    page = report.get("page", {})
    if universe:
        universe.update(
            chart_title_en=page.get("chart_title_en", ""),
            chart_title_zh=page.get("chart_title_zh", ""),
            xlabel_en=f"Rank (1 = best) among {universe['size']} units",
            xlabel_zh=f"位次（1 = 最好，共{universe['size']}个单位）",
        )
    headline = []
    for ind_id in report.get("headline_indicators", []):
        o = next((o for o in obs if o["indicator_id"] == ind_id and o["period_status"] != "unknown"), None)
        if o:
            value = f"第{o['value_printed']}位" if o["obs_id"] in rank_ids else o["printed"]
            headline.append(dict(o, value=value))
    topics = [
        dict(t, rows=[o for o in obs if indicators[o["indicator_id"]]["topic"] == t["topic_id"]])
        for t in table("topics")
    ]
    cff = cite.citation(root)
    author_date = [
        cite.package_author_date(cff).replace("*", ""),
        cite.report_author_date(cff["references"][0], cff["keys"]),
    ]
    licences = "; ".join(f"{lic['name']}: {lic.get('title', '')}" for lic in d["licenses"])
    return dict(
        d=d,
        page=page,
        obs=obs,
        ranks=ranks,
        universe=universe,
        headline=headline,
        charts=charts(ranks, universe),
        topics=[t for t in topics if t["rows"]],
        projects=table("projects"),
        glossary=table("glossary"),
        corroborations=corroborations(table("corroborations"), obs, table("sources")),
        official=official(con, report),
        downloads=downloads(root, out, d, dist_dir),
        rules=RULES,
        dictionary=[dict(r, fields=load_schema(root, r)[0]["fields"]) for r in d["resources"]],
        citation="\n".join(author_date),
        bibtex=cite.package_bibtex(cff) + "\n\n" + cite.report_bibtex(cff["references"][0], cff["keys"]),
        jsonld=script_json(dist.jsonld(root, d, f"{d['name']}-{d['version']}.zip")),
        licence_en=f"Licences: {licences}. The source article stays with its publisher and is not redistributed.",
        licence_zh=f"许可：{licences}。原文著作权归其出版者所有，本项目不转载原文。",
        css=(TEMPLATES / "page.css").read_text(encoding="utf-8"),
        js=(TEMPLATES / "page.js").read_text(encoding="utf-8"),
    )


def build(root: Path, out: Path, dist_dir: Path) -> Path:
    """Validate, then write the page and its downloads (Refused, nothing written, if not valid)."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    require_valid(root)
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["j2", "html"]))
    with staged(out) as scratch:
        values = context(root, scratch, dist_dir)
        page = env.get_template("page.html.j2").render(font_face="@@FONT@@", **values)
        write_atomic(scratch / "index.html", page.replace("@@FONT@@", page_font(page), 1))
        shutil.rmtree(out / "downloads", ignore_errors=True)  # the new downloads replace the old ones whole
    return out / "index.html"


HELP = "Validate, then build the datasheet page: OUT/index.html (self-contained) and OUT/downloads/"
SHARED = ("package", "out")
OUT = "site"


def arguments(parser) -> None:
    parser.add_argument("--dist", type=Path, default=Path("dist"), help="where build and dist wrote (default: dist/)")


def run(args) -> int:
    start = time.perf_counter()
    page = build(args.package, args.out, args.dist)
    print(f"{page}: {page.stat().st_size:,} bytes, built in {time.perf_counter() - start:.1f} s")
    return 0
