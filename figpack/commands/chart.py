"""The rank chart of the datasheet page: inline SVG drawn with matplotlib, Chinese text turned
into outlines (Noto Sans CJK from PyPI), so any viewer shows it without a font."""

from __future__ import annotations

import functools
import html
import io
import json
import textwrap
from pathlib import Path


def cjk_font_path() -> Path:
    import cvttf_NotoSansCJK_Regular as cjk_font  # Noto Sans CJK from PyPI: Chinese text at build time

    return next(Path(cjk_font.__file__).parent.glob("*.otf"))


def _setup():
    """matplotlib with the CJK font, text as outlines and reproducible SVG ids."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    font_path = cjk_font_path()
    font_manager.fontManager.addfont(str(font_path))
    plt.rcParams.update(
        {
            "font.family": font_manager.FontProperties(fname=str(font_path)).get_name(),
            "svg.fonttype": "path",
            "text.parse_math": False,  # a '$' in a label is text, not math
            "svg.hashsalt": "datasheet",
            "font.size": 9,
        }
    )
    return plt


def _svg(plt, fig, ax, text: dict) -> str:
    """The figure as inline SVG, titled and described for screen readers."""
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    svg = out.getvalue()
    svg, key, lang = svg[svg.index("<svg") :], text["id"], text["lang"]
    return svg.replace("<svg ", f'<svg role="img" aria-labelledby="{key}-title-{lang} {key}-desc-{lang}" ', 1).replace(
        ">",
        f'><title id="{key}-title-{lang}">{html.escape(text["title"])}</title>'
        f'<desc id="{key}-desc-{lang}">{html.escape(text["desc"])}</desc>',
        1,
    )


def remembered(draw):
    """draw(rows, text), drawn once in a process for the same rows and text (matplotlib takes about
    0.15 s a chart; a process that builds several pages draws the same charts again)."""

    @functools.lru_cache(maxsize=32)
    def by_input(given: str) -> str:
        return draw(*json.loads(given))

    @functools.wraps(draw)
    def drawn(rows: list[dict], text: dict) -> str:
        return by_input(json.dumps([rows, text], sort_keys=True))

    return drawn


@remembered
def rank_chart(rows: list[dict], text: dict) -> str:
    """rows: dicts with rank (int), bounded (bool), inferred (bool) and label; text: id, lang, title, desc, xlabel, size.
    Long labels wrap onto two lines, so the rank axis keeps room for every tick."""
    plt = _setup()
    fig, ax = plt.subplots(figsize=(9, 0.42 * len(rows) + 1.0))
    for y, r in enumerate(rows):
        if r["bounded"]:
            ax.plot([1, r["rank"]], [y, y], color="#2b6cb0", linewidth=5, solid_capstyle="round")
        ax.plot([r["rank"]], [y], "o", color="#dd6b20" if r["inferred"] else "#2b6cb0", markersize=7)
        ax.annotate(
            ("≤" if r["bounded"] else "") + str(r["rank"]), (r["rank"], y), xytext=(7, -3), textcoords="offset points"
        )
    ax.set_yticks(range(len(rows)), [textwrap.fill(r["label"], 34) for r in rows], fontsize=8)
    ax.set_ylim(len(rows) - 0.5, -0.5)  # best at the top
    size = text["size"]
    ax.set_xlim(0.5, size + 0.5)
    ax.set_xticks(range(1, size + 1))
    ax.set_xlabel(text["xlabel"])
    ax.grid(axis="x", color="#ddd")
    return _svg(plt, fig, ax, text)


@remembered
def bar_chart(rows: list[dict], text: dict) -> str:
    """rows: dicts with label, value (float) and highlight (bool), best first; text: id, lang, title, desc, xlabel."""
    plt = _setup()
    fig, ax = plt.subplots(figsize=(7.5, 0.3 * len(rows) + 1.0))
    colours = ["#dd6b20" if r["highlight"] else "#2b6cb0" for r in rows]
    ax.barh(range(len(rows)), [r["value"] for r in rows], color=colours)
    for y, r in enumerate(rows):
        ax.annotate(r["printed"], (r["value"], y), xytext=(4, -3), textcoords="offset points", fontsize=8)
    ax.set_yticks(range(len(rows)), [r["label"] for r in rows])
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlabel(text["xlabel"])
    ax.grid(axis="x", color="#eee")
    return _svg(plt, fig, ax, text)
