"""The rank chart of the datasheet page: inline SVG drawn with matplotlib, Chinese text turned
into outlines (Noto Sans CJK from PyPI), so any viewer shows it without a font."""

from __future__ import annotations

import html
import io
from pathlib import Path


def cjk_font_path() -> Path:
    import cvttf_NotoSansCJK_Regular as cjk_font  # Noto Sans CJK from PyPI: Chinese text at build time

    return next(Path(cjk_font.__file__).parent.glob("*.otf"))


def rank_chart(rows: list[dict], text: dict) -> str:
    """rows: dicts with rank (int), bounded (bool), inferred (bool) and label; text: title, desc, xlabel, lang."""
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
    fig, ax = plt.subplots(figsize=(7.5, 0.32 * len(rows) + 0.9))
    for y, r in enumerate(rows):
        if r["bounded"]:
            ax.plot([1, r["rank"]], [y, y], color="#2b6cb0", linewidth=5, solid_capstyle="round")
        ax.plot([r["rank"]], [y], "o", color="#dd6b20" if r["inferred"] else "#2b6cb0", markersize=7)
        ax.annotate(
            ("≤" if r["bounded"] else "") + str(r["rank"]), (r["rank"], y), xytext=(7, -3), textcoords="offset points"
        )
    ax.set_yticks(range(len(rows)), [r["label"] for r in rows])
    ax.set_ylim(len(rows) - 0.5, -0.5)  # best at the top
    size = text["size"]
    ax.set_xlim(0.5, size + 0.5)
    ax.set_xticks(range(1, size + 1))
    ax.set_xlabel(text["xlabel"])
    ax.grid(axis="x", color="#ddd")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    svg = out.getvalue()
    svg, lang = svg[svg.index("<svg") :], text["lang"]
    return svg.replace("<svg ", f'<svg role="img" aria-labelledby="chart-title-{lang} chart-desc-{lang}" ', 1).replace(
        ">",
        f'><title id="chart-title-{lang}">{html.escape(text["title"])}</title>'
        f'<desc id="chart-desc-{lang}">{html.escape(text["desc"])}</desc>',
        1,
    )
