"""The datasheet page: built from the package alone, self-contained, and checked in a real
browser (headless Chromium from Debian's packages, driven by Playwright)."""

from __future__ import annotations

import csv
import os
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from figpack.commands import site
from tests.conftest import ARGS, CHROMIUM, ROOT, Scratch, built_once, copy_package

N_OBS = sum(1 for _ in csv.DictReader(open(ROOT / "data" / "observations.csv", encoding="utf-8")))


@pytest.fixture(scope="session")
def page(tmp_path_factory, dist_dir) -> Path:
    return built_once(tmp_path_factory, "site", lambda out: site.build(ROOT, out, dist_dir))


def test_page_is_self_contained(page):
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"<(script|img|link|iframe)[^>]+(src|href)=\"https?:", text)
    assert "<script src" not in text and "@import" not in text and "url(http" not in text


def test_page_shows_every_figure_and_rank(page):
    text = page.read_text(encoding="utf-8")
    assert len(re.findall(r'<tr class="figure"', text)) == N_OBS
    assert text.count('aria-labelledby="chart-title-') == 2 and '<title id="chart-title-en">' in text


def test_page_sets_the_city_beside_the_official_figures(page):
    """Both official indicators that rank a measure of the report: a chart in each language and the
    same figures as a table (Zhumadian highlighted, its place given), and a row for every rank check."""
    text = page.read_text(encoding="utf-8")
    for indicator in ("gdp", "gdp_growth"):
        assert (
            f'<title id="official-{indicator}-title-en">' in text
            and f'<title id="official-{indicator}-title-zh">' in text
        )
    assert text.count('<table class="official-figures">') == 2 and text.count('<tr class="highlight">') == 2
    assert re.search(
        r'<tr class="highlight"><th scope="row">.*?Zhumadian.*?</th><td class="value">3097</td><td>8</td>', text
    )
    assert re.search(
        r'<tr class="highlight"><th scope="row">.*?Zhumadian.*?</th><td class="value">4.50</td><td>5</td>', text
    )
    assert text.count('<tr class="rank-check">') == 17 and "other_period" in text


def test_every_download_link_names_a_file(page):
    hrefs = re.findall(r'<a class="download" href="([^"]+)"', page.read_text(encoding="utf-8"))
    assert {f"downloads/data/{p.name}" for p in (ROOT / "data").glob("*.csv")} <= set(hrefs)
    assert any(h.endswith(".zip") for h in hrefs) and any(h.endswith(".duckdb") for h in hrefs)
    for href in hrefs:
        assert (page.parent / href).is_file(), href


def test_tables_have_captions_and_header_scopes(page):
    text = page.read_text(encoding="utf-8")
    assert text.count("<table") == text.count("<caption>") > 0
    assert 'scope="col"' in text and 'scope="row"' in text


def test_page_is_built_from_the_data(tmp_path):
    scratch = Scratch(copy_package(tmp_path / "package"))
    for extra in ("CITATION.cff",):
        shutil.copy2(ROOT / extra, scratch.root / extra)
    span = "新设经营主体10.41万户"  # the evidence changes with the value, or the gate refuses the package
    scratch.edit(
        "observations",
        "new-market-entities-2023",
        value="10.41",
        value_printed="10.41",
        value_base=104100,
        evidence=span,
    )
    scratch.edit("restatements", "new-market-entities-2023", evidence=span)
    text = site.build(scratch.root, tmp_path / "site", tmp_path / "dist").read_text(encoding="utf-8")
    assert '<td class="value">10.41万户</td>' in text and '<td class="value">10.38万户</td>' not in text
    assert '<div class="big">10.41万户</div>' in text  # the headline card too


# ---------------------------------------------------------------- in a real browser


def open_page(browser, page, width=1200):
    tab = browser.new_page(viewport={"width": width, "height": 900})
    errors = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("requestfailed", lambda r: errors.append(f"request failed: {r.url}"))
    tab.goto(page.as_uri())
    tab.wait_for_load_state("load")
    return tab, errors


def test_browser_finds_no_errors_and_every_figure(browser, page):
    tab, errors = open_page(browser, page)
    assert tab.locator("tr.figure").count() == N_OBS
    assert tab.locator(".card").count() >= 6
    assert errors == []


def test_browser_download_links_reach_files(browser, page):
    tab, _ = open_page(browser, page)
    urls = tab.eval_on_selector_all("a.download", "links => links.map(a => a.href)")
    assert len(urls) >= 8
    for url in urls:
        assert Path(unquote(urlparse(url).path)).is_file(), url


def test_browser_toggles_language(browser, page):
    tab, errors = open_page(browser, page)
    assert tab.locator("h1 [lang=en]").is_visible() and not tab.locator("h1 [lang=zh]").is_visible()
    tab.click("#lang-toggle")
    assert tab.evaluate("document.documentElement.dataset.lang") == "zh"
    assert tab.locator("h1 [lang=zh]").is_visible() and not tab.locator("h1 [lang=en]").is_visible()
    assert tab.locator("#h-figures [lang=zh]").inner_text() == "全部数据（按主题）"
    tab.click("#lang-toggle")
    assert tab.evaluate("document.documentElement.dataset.lang") == "en" and errors == []


def test_browser_screenshot_is_not_blank(browser, page, tmp_path):
    from PIL import Image

    tab, _ = open_page(browser, page)
    shot = tmp_path / "page.png"
    tab.screenshot(path=str(shot), full_page=False)
    image = Image.open(shot).convert("L")
    histogram = image.histogram()
    ink = sum(histogram[:200]) / (image.width * image.height)
    assert len([h for h in histogram if h]) > 50 and ink > 0.02, ink


def test_browser_chinese_text_uses_the_embedded_font(browser, page):
    tab, _ = open_page(browser, page)
    tab.click("#lang-toggle")
    assert tab.evaluate("document.fonts.check('16px PageCJK', '驻马店')")
    loaded = tab.evaluate(
        "Promise.all([...document.fonts].map(f => f.load())).then(fs => fs.map(f => f.family + ':' + f.status))"
    )
    assert any(s.startswith("PageCJK:loaded") for s in loaded), loaded


def test_browser_page_fits_a_narrow_screen(browser, page):
    tab, errors = open_page(browser, page, width=360)
    assert tab.evaluate("document.documentElement.scrollWidth") <= 360
    assert errors == []


NO_CJK_FONTCONFIG = """<?xml version="1.0"?>
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <selectfont><rejectfont>
    <pattern><patelt name="lang"><string>zh-cn</string></patelt></pattern>
    <pattern><patelt name="lang"><string>zh-tw</string></patelt></pattern>
    <pattern><patelt name="lang"><string>ja</string></patelt></pattern>
  </rejectfont></selectfont>
</fontconfig>
"""


def test_every_cjk_character_is_in_the_embedded_font_and_drawn_without_system_fonts(playwright, page, tmp_path):
    """Chromium whose font configuration rejects every system font for Chinese or Japanese still
    draws every CJK character of the page: each is in the embedded subset, and none renders as the
    missing glyph."""
    import base64
    import io

    from fontTools.ttLib import TTFont

    text = page.read_text(encoding="utf-8")
    font = TTFont(io.BytesIO(base64.b64decode(re.search(r"font/woff;base64,([A-Za-z0-9+/=]+)", text).group(1))))
    body = re.sub(r"<style>.*?</style>|<script.*?</script>|<svg.*?</svg>", "", text, flags=re.S)
    chars = sorted({ch for ch in body if ord(ch) >= 0x2E80})
    assert chars and not [ch for ch in chars if ord(ch) not in font.getBestCmap()]
    (tmp_path / "fonts.conf").write_text(NO_CJK_FONTCONFIG, encoding="utf-8")
    env = dict(os.environ, FONTCONFIG_FILE=str(tmp_path / "fonts.conf"))
    b = playwright.chromium.launch(executable_path=str(CHROMIUM), env=env, args=ARGS)
    try:
        tab = b.new_page()
        tab.goto(page.as_uri())
        missing = tab.evaluate(
            """async (chars) => { await document.fonts.load('32px PageCJK', chars.join('')); await document.fonts.ready;
            const c = document.createElement('canvas'); c.width = c.height = 40; const x = c.getContext('2d');
            const img = ch => { x.clearRect(0, 0, 40, 40); x.font = '32px PageCJK'; x.fillText(ch, 2, 34);
                                return x.getImageData(0, 0, 40, 40).data.join(','); };
            const tofu = img(String.fromCodePoint(0x10FFFD)), blank = img(' ');
            return chars.filter(ch => img(ch) === tofu || img(ch) === blank); }""",
            chars,
        )
    finally:
        b.close()
    assert missing == []


def test_page_shows_the_projects_and_the_glossary(page):
    text = page.read_text(encoding="utf-8")
    assert text.count('<tr class="project">') == 8 and text.count('<tr class="term">') == 17


def test_browser_copy_button_copies_the_citation(browser, page):
    tab, errors = open_page(browser, page)
    tab.click("#copy")
    assert "滑清泉" in tab.locator("#citation").inner_text() and errors == []


def test_page_sets_corroborations_beside_the_report(page):
    text = page.read_text(encoding="utf-8")
    with open(ROOT / "data" / "corroborations.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    found = [r for r in rows if r["verdict"] != "nothing_found"]
    assert len(re.findall(r'<tr class="corroboration"', text)) == len(found) > 0
    assert f"Nothing found for {len(rows) - len(found)} figures" in text
    assert "not independent statistics" in text
