"""Build the datasheet page: one self-contained HTML file (no network, no CDN) from the package alone.

    python -m scripts.site [OUT_DIR]      (default: site/)

OUT_DIR/index.html holds the headline figures, a chart of every provincial rank (drawn here with
matplotlib, Chinese text turned into outlines so any viewer shows it), every figure by topic with
period, unit, status and evidence, the data dictionary, the validation rules and a citation box.
OUT_DIR/downloads/ holds the files the page links to: the CSVs, and the release zip, DuckDB
database and workbook when `make dist` and `make build` have made them.
"""
from __future__ import annotations

import csv
import html
import io
import json
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADLINE = ["gdp_level_rank", "gdp_growth_rank", "tertiary_va_growth_rank", "business_env_rank",
            "new_market_entities", "signed_projects_investment", "industrial_investment_growth", "school_places_added"]
TOPICS = {"economy": "经济总量", "innovation": "创新", "business_environment": "营商环境", "investment": "投资与项目",
          "education": "教育", "health": "卫生健康", "environment": "生态环境", "industry": "产业"}
PERIOD_STATUS_ZH = {"stated": "原文注明", "inferred": "推断", "year_only": "仅知年份", "unknown": "未说明"}
STATUS_ZH = {"reported": "原文数据", "inferred": "推断"}


def read_csv(root: Path, name: str) -> list[dict]:
    with open(root / "data" / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def e(text) -> str:
    return html.escape(str(text or ""))


def both(en: str, zh: str, tag: str = "span") -> str:
    """The same label in both languages; the page shows one of them."""
    return f'<{tag} lang="en">{e(en)}</{tag}><{tag} lang="zh">{e(zh)}</{tag}>'


def period_text(o: dict) -> tuple[str, str]:
    if o["period_start"]:
        span = o["period_start"] if o["period_start"] == o["period_end"] else f"{o['period_start']} – {o['period_end']}"
        return f"{span} ({o['period_printed']}, {o['period_status']})", f"{span}（{o['period_printed']}，{PERIOD_STATUS_ZH[o['period_status']]}）"
    if o["reference_year"]:
        return f"{o['reference_year']} (span not stated)", f"{o['reference_year']}年（时段未说明）"
    return "not stated", "未说明"


def printed(o: dict) -> str:
    bound = {"at_most": "≤ ", "at_least": "≥ "}.get(o["qualifier"], "")
    return f"{bound}{o['value_printed']}{o['unit_printed']}"


def _cjk_font_path() -> Path:
    import cvttf_NotoSansCJK_Regular as cjk_font  # Noto Sans CJK from PyPI: Chinese text at build time
    return next(Path(cjk_font.__file__).parent.glob("*.otf"))


def page_font(text: str) -> str:
    """An @font-face with the Chinese characters this page uses, cut from Noto Sans CJK and
    embedded, so the page shows its Chinese text on any machine, with no font download."""
    import base64
    from fontTools import subset

    chars = sorted({ch for ch in text if ord(ch) >= 0x2E80})
    options = subset.Options()
    options.flavor, options.desubroutinize, options.name_IDs = "woff", True, ["*"]
    font = subset.load_font(str(_cjk_font_path()), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(chars))
    subsetter.subset(font)
    out = io.BytesIO()
    subset.save_font(font, out, options)
    data = base64.b64encode(out.getvalue()).decode()
    return f"@font-face{{font-family:PageCJK;src:url(data:font/woff;base64,{data}) format('woff');}}"


def rank_chart(ranks: list[dict], indicators: dict, lang: str) -> str:
    """Inline SVG: one row per rank, best at the top, on the 1-18 scale of Henan's units."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager
    font_path = _cjk_font_path()
    font_manager.fontManager.addfont(str(font_path))
    plt.rcParams.update({"font.family": font_manager.FontProperties(fname=str(font_path)).get_name(),
                         "svg.fonttype": "path", "svg.hashsalt": "zhumadian", "font.size": 9})
    rows = sorted(ranks, key=lambda o: (float(o["value"]), o["obs_id"]))
    size = max(int(o["rank_universe_size"]) for o in rows)
    fig, ax = plt.subplots(figsize=(7.5, 0.32 * len(rows) + 0.9))
    for y, o in enumerate(rows):
        rank = float(o["value"])
        if o["qualifier"] == "at_most":
            ax.plot([1, rank], [y, y], color="#2b6cb0", linewidth=5, solid_capstyle="round")
        ax.plot([rank], [y], "o", color="#2b6cb0" if o["status"] == "reported" else "#dd6b20", markersize=7)
        note = ("≤" if o["qualifier"] == "at_most" else "") + f"{int(rank)}"
        ax.annotate(note, (rank, y), xytext=(7, -3), textcoords="offset points")
    ind = lambda o: indicators[o["indicator_id"]]
    labels = [(ind(o)["name_zh"] if lang == "zh" else ind(o)["name_en"].replace(": provincial rank", "").replace(": rank", ""))
              + f"  [{period_text(o)[1 if lang == 'zh' else 0].split(' (')[0].split('（')[0]}]" for o in rows]
    ax.set_yticks(range(len(rows)), labels)
    ax.set_ylim(len(rows) - 0.5, -0.5)  # best at the top
    ax.set_xlim(0.5, size + 0.5)
    ax.set_xticks(range(1, size + 1))
    ax.set_xlabel("全省位次（1 = 最好，共18个单位）" if lang == "zh" else "Rank in Henan (1 = best, of 18 units)")
    ax.grid(axis="x", color="#ddd")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    svg = out.getvalue()
    svg = svg[svg.index("<svg"):]
    title = "驻马店市各项全省位次" if lang == "zh" else "Zhumadian's provincial ranks"
    desc = "；".join(f"{ind(o)['name_zh']}第{int(float(o['value']))}位" for o in rows) if lang == "zh" else \
        "; ".join(f"{ind(o)['name_en']}: {'at most ' if o['qualifier'] == 'at_most' else ''}{int(float(o['value']))}" for o in rows)
    return svg.replace("<svg ", f'<svg role="img" aria-labelledby="chart-title-{lang} chart-desc-{lang}" ', 1).replace(
        ">", f'><title id="chart-title-{lang}">{e(title)}</title><desc id="chart-desc-{lang}">{e(desc)}</desc>', 1)


def figure_rows(obs: list[dict], indicators: dict) -> str:
    out = []
    for topic, zh in TOPICS.items():
        mine = [o for o in obs if indicators[o["indicator_id"]]["topic"] == topic]
        if not mine:
            continue
        name = topic.replace("_", " ")
        heading, caption = both(name.capitalize(), zh), both(f"Figures on {name}", zh + "相关数据")
        out.append(f'<h3>{heading}</h3><div class="scroll"><table class="figures">'
                   f'<caption>{caption}</caption><thead><tr>'
                   f'<th scope="col">{both("Figure", "指标")}</th><th scope="col">{both("As printed", "原文")}</th>'
                   f'<th scope="col">{both("Base value", "基本单位值")}</th><th scope="col">{both("Period", "时期")}</th>'
                   f'<th scope="col">{both("Status", "状态")}</th><th scope="col">{both("Evidence", "原文证据")}</th></tr></thead><tbody>')
        for o in mine:
            i = indicators[o["indicator_id"]]
            pe, pz = period_text(o)
            base = f"{o['value_base']} {o['unit_base']}" if o["value_base"] else "—"
            status_en = o["status"] + (f": {o['status_reason']}" if o["status_reason"] else "")
            out.append(f'<tr class="figure" data-obs-id="{e(o["obs_id"])}"><th scope="row">{both(i["name_en"], i["name_zh"])}</th>'
                       f'<td class="value">{e(printed(o))}</td><td>{e(base)}</td><td>{both(pe, pz)}</td>'
                       f'<td>{both(status_en, STATUS_ZH[o["status"]])}</td><td class="evidence">「{e(o["evidence"])}」</td></tr>')
        out.append("</tbody></table></div>")
    return "\n".join(out)


def headline(obs: list[dict], indicators: dict) -> str:
    cards = []
    for ind_id in HEADLINE:
        for o in [o for o in obs if o["indicator_id"] == ind_id and o["period_status"] != "unknown"][:1]:
            i = indicators[ind_id]
            value = f"第{o['value_printed']}位" if i["measure"] == "rank" else printed(o)
            cards.append(f'<div class="card" data-obs-id="{e(o["obs_id"])}"><div class="big">{e(value)}</div>'
                         f'<div>{both(i["name_en"], i["name_zh"])}</div><div class="muted">{both(*period_text(o))}</div></div>')
    return "\n".join(cards)


def dictionary(root: Path, descriptor: dict) -> str:
    out = []
    for r in descriptor["resources"]:
        schema = json.loads((root / r["schema"]).read_text(encoding="utf-8"))
        out.append(f'<details><summary><code>{e(r["path"])}</code> — {e(r["title"])}</summary><p>{e(r["description"])}</p>'
                   f'<div class="scroll"><table><caption>{e(r["name"])}</caption><thead><tr><th scope="col">field</th><th scope="col">type</th>'
                   f'<th scope="col">description</th></tr></thead><tbody>')
        out += [f'<tr><th scope="row"><code>{e(f["name"])}</code></th><td>{e(f["type"])}</td><td>{e(f["description"])}</td></tr>' for f in schema["fields"]]
        out.append("</tbody></table></div></details>")
    return "\n".join(out)


def rules_table() -> str:
    from schemas.rules import RULES
    rows = "".join(f'<tr><th scope="row"><code>{e(r.name)}</code></th><td>{e(r.kind)}</td><td>{e(r.explanation)}</td></tr>' for r in RULES)
    caption = both("Rules checked by make validate, besides each field's Table Schema", "make validate 检查的规则（另有各字段的表结构约束）")
    return (f'<div class="scroll"><table><caption>{caption}</caption>'
            f'<thead><tr><th scope="col">rule</th><th scope="col">kind</th><th scope="col">what it checks</th></tr></thead><tbody>{rows}</tbody></table></div>')


def downloads(root: Path, out: Path, descriptor: dict) -> str:
    target = out / "downloads"
    if target.exists():
        shutil.rmtree(target)
    (target / "data").mkdir(parents=True)
    links = []
    for r in descriptor["resources"]:
        shutil.copy2(root / r["path"], target / r["path"])
        links.append((f"downloads/{r['path']}", f"{r['path']} ({r['bytes']:,} bytes)", f"{r['path']}（{r['bytes']:,} 字节）"))
    extras = [(root / "dist" / f"{descriptor['name']}-{descriptor['version']}.zip", "release zip", "发布压缩包"),
              (root / "dist" / f"{descriptor['name']}.duckdb", "DuckDB database", "DuckDB 数据库"),
              (root / "dist" / f"{descriptor['name']}.xlsx", "Excel workbook", "Excel 工作簿")]
    for path, en, zh in extras:
        if path.exists():
            shutil.copy2(path, target / path.name)
            links.append((f"downloads/{path.name}", f"{en}: {path.name}", f"{zh}：{path.name}"))
    return "<ul>" + "".join(f'<li><a class="download" href="{e(href)}" download>{both(en, zh)}</a></li>' for href, en, zh in links) + "</ul>"


CSS = """
:root{font-family:system-ui,-apple-system,"Segoe UI",PageCJK,sans-serif;color:#1a202c;background:#fff}
body{margin:0 auto;max-width:72rem;padding:1rem;line-height:1.5}
html[data-lang=en] :not(html)[lang=zh],html[data-lang=zh] :not(html)[lang=en]{display:none}
header{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;justify-content:space-between}
h1{font-size:1.5rem;margin:.2rem 0} h2{border-bottom:2px solid #2b6cb0;padding-bottom:.2rem;margin-top:2rem}
button{font:inherit;padding:.35rem .8rem;border:1px solid #2b6cb0;background:#ebf4ff;border-radius:.3rem;cursor:pointer}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.6rem}
.card{border:1px solid #cbd5e0;border-radius:.4rem;padding:.6rem}.big{font-size:1.5rem;font-weight:700;color:#2b6cb0}
.muted{color:#4a5568;font-size:.85rem}.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.5rem 0}caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border:1px solid #e2e8f0;padding:.3rem .45rem;text-align:left;vertical-align:top}thead th{background:#f7fafc}
td.value{white-space:nowrap;font-weight:600}td.evidence{color:#2d3748}
figure{margin:0}figure svg{max-width:100%;height:auto}
pre{white-space:pre-wrap;background:#f7fafc;border:1px solid #e2e8f0;padding:.6rem;overflow-x:auto}
@media (max-width:40rem){body{padding:.5rem}h1{font-size:1.2rem}th,td{padding:.25rem}}
"""

SCRIPT = """
(function(){
  var root=document.documentElement, toggle=document.getElementById('lang-toggle');
  function set(lang){root.setAttribute('data-lang',lang);root.setAttribute('lang',lang==='zh'?'zh-Hans':'en');
    toggle.setAttribute('aria-pressed',lang==='zh'?'true':'false');try{localStorage.setItem('lang',lang)}catch(e){}}
  var saved=null;try{saved=localStorage.getItem('lang')}catch(e){}
  if(saved==='zh'||saved==='en'){set(saved)}
  toggle.addEventListener('click',function(){set(root.getAttribute('data-lang')==='zh'?'en':'zh')});
  document.getElementById('copy').addEventListener('click',function(){
    var text=document.getElementById('citation').textContent, status=document.getElementById('copy-status');
    function done(ok){status.textContent=ok?'✓':'';}
    if(navigator.clipboard&&window.isSecureContext){navigator.clipboard.writeText(text).then(function(){done(true)},function(){done(false)})}
    else{var r=document.createRange();r.selectNodeContents(document.getElementById('citation'));var s=window.getSelection();
      s.removeAllRanges();s.addRange(r);var ok=false;try{ok=document.execCommand('copy')}catch(e){}done(ok)}
  });
})();
"""


def build(root: Path = ROOT, out: Path | None = None) -> Path:
    out = out or root / "site"
    out.mkdir(parents=True, exist_ok=True)
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    obs, indicators = read_csv(root, "observations"), {i["indicator_id"]: i for i in read_csv(root, "indicators")}
    ranks = [o for o in obs if indicators[o["indicator_id"]]["measure"] == "rank"]
    from scripts import cite, dist
    citation = cite.section().split("BibTeX:")[0].split("Author-date:")[1].strip().replace("- ", "").replace("*", "")
    bibtex = cite.package_bibtex(cite.citation()) + "\n\n" + cite.report_bibtex(cite.citation()["references"][0])
    jsonld = json.dumps(dist.jsonld(descriptor, f"{descriptor['name']}-{descriptor['version']}.zip"), ensure_ascii=False).replace("</", "<\\/")
    page = f"""<!DOCTYPE html>
<html lang="en" data-lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(descriptor['title'])} — v{e(descriptor['version'])}</title>
<style>@@FONT@@{CSS}</style>
<script type="application/ld+json">{jsonld}</script>
</head>
<body>
<header>
<h1>{both(descriptor['title'], '驻马店市2023年经济工作报道：数据')}</h1>
<button id="lang-toggle" type="button" aria-pressed="false"><span lang="en">中文</span><span lang="zh">English</span></button>
</header>
<main>
<p>{both(f"Version {descriptor['version']}. {len(obs)} figures of a newspaper report on Zhumadian's 2023 economy (late December 2023), each with its period, unit, status and the few characters of the source that state it.",
          f"版本 {descriptor['version']}。一篇关于驻马店市2023年经济的报道（2023年12月下旬）中的{len(obs)}个数据，每个都注明时期、单位、状态及原文证据片段。")}</p>
<section aria-labelledby="h-headline"><h2 id="h-headline">{both('Headline figures', '主要数据')}</h2><div class="cards">{headline(obs, indicators)}</div></section>
<section aria-labelledby="h-ranks"><h2 id="h-ranks">{both('Where Zhumadian stands in Henan', '驻马店在全省的位次')}</h2>
<figure><div lang="en">{rank_chart(ranks, indicators, 'en')}</div><div lang="zh">{rank_chart(ranks, indicators, 'zh')}</div>
<figcaption>{both(f"{len(ranks)} provincial ranks among Henan's 18 units (17 cities and Jiyuan), best at the top; a bar marks a bound (top 2); orange marks an inferred rank.", f"{len(ranks)}项全省位次（全省18个单位：17个省辖市及济源示范区），最好的在上；横条表示区间（前2位）；橙色表示推断。")}</figcaption></figure>
</section>
<section aria-labelledby="h-figures"><h2 id="h-figures">{both('Every figure, by topic', '全部数据（按主题）')}</h2>{figure_rows(obs, indicators)}</section>
<section aria-labelledby="h-downloads"><h2 id="h-downloads">{both('Downloads', '下载')}</h2>{downloads(root, out, descriptor)}</section>
<section aria-labelledby="h-dictionary"><h2 id="h-dictionary">{both('Data dictionary', '数据字典')}</h2>{dictionary(root, descriptor)}</section>
<section aria-labelledby="h-rules"><h2 id="h-rules">{both('What validation enforces', '校验规则')}</h2>{rules_table()}</section>
<section aria-labelledby="h-cite"><h2 id="h-cite">{both('How to cite', '引用')}</h2>
<pre id="citation">{e(citation)}

{e(bibtex)}</pre>
<button id="copy" type="button">{both('Copy citation', '复制引用')}</button> <span id="copy-status" role="status"></span>
<p class="muted">{both('Data: CC-BY-4.0. Code: MIT. The source article stays with its publisher and is not redistributed.', '数据：CC-BY-4.0；代码：MIT。原文著作权归其出版者所有，本项目不转载原文。')}</p>
</section>
</main>
<script>{SCRIPT}</script>
</body>
</html>
"""
    page = page.replace("@@FONT@@", page_font(page), 1)
    tmp = out / f"index.html.{os.getpid()}.tmp"
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(out / "index.html")
    return out / "index.html"


def main(argv: list[str]) -> int:
    start = time.perf_counter()
    page = build(ROOT, Path(argv[0]) if argv else None)
    print(f"{page}: {page.stat().st_size:,} bytes, built in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
