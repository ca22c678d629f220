"""Charts drawn on the server as SVG, readable without JavaScript (and by screen
readers: each bar has a title, the chart a text alternative beside it).

Takes rows of {label, value}; gives an SVG string (`bar_chart`), safe to embed: every
text is escaped.
"""

from __future__ import annotations

from html import escape


def bar_chart(rows: list[dict], label: str, value: str, title: str, width: int = 720,
              height: int = 180) -> str:  # fmt: skip
    n = max(1, len(rows))
    top = max([r[value] for r in rows] or [0]) or 1
    bar = width / n
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height + 20}" '
             f'role="img" aria-label="{escape(title)}" class="chart">',
             f"<title>{escape(title)}</title>"]  # fmt: skip
    for i, r in enumerate(rows):
        h = round(height * r[value] / top, 1)
        x = round(i * bar, 1)
        parts.append(
            f'<rect x="{x}" y="{height - h}" width="{max(1.0, round(bar * 0.8, 1))}" '
            f'height="{h}" class="bar"><title>{escape(str(r[label]))}: {r[value]}</title></rect>'
        )
    if rows:
        parts.append(
            f'<text x="0" y="{height + 16}" class="axis">{escape(str(rows[0][label]))}</text>'
        )
        parts.append(f'<text x="{width}" y="{height + 16}" text-anchor="end" class="axis">'
                     f"{escape(str(rows[-1][label]))}</text>")  # fmt: skip
    parts.append(f'<text x="0" y="12" class="axis">max {top}</text></svg>')
    return "".join(parts)
