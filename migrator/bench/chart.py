"""The ratios as an SVG bar chart (written by hand, no plotting library): per metric, the published claim
(where there is one) and the measured ratio on a log scale, with the goal marked. Larger is better for Go."""

from __future__ import annotations

import math
from html import escape

from .summary import CLAIM_TEXT, GOALS, RATIO_TEXT

W, LEFT, RIGHT, ROW, TOP = 760, 200, 40, 58, 46
TICKS = (0.5, 1, 2, 5, 10, 20, 50, 100, 200)


def svg(result: dict) -> str:
    ratios, claims = result["ratios"], result["claims"]
    finite = [v for v in [*ratios.values(), *claims.values(), *GOALS.values()] if v and math.isfinite(v) and v > 0]
    lo, hi = min(0.5, min(finite)), max(10.0, max(finite) * 1.3)
    ticks = [t for t in TICKS if lo <= t <= hi]
    span = math.log(hi) - math.log(lo)

    def x(v: float) -> float:
        return LEFT + (math.log(max(v, lo)) - math.log(lo)) / span * (W - LEFT - RIGHT)

    h = TOP + ROW * len(ratios) + 50
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{h}" viewBox="0 0 {W} {h}" '
           'font-family="sans-serif" font-size="12">',
           f'<rect width="{W}" height="{h}" fill="white"/>',
           f'<text x="{LEFT}" y="20" font-size="14" font-weight="bold">Go relative to Django (log scale; '
           'larger is better for Go)</text>']
    for t in ticks:
        out.append(f'<line x1="{x(t):.1f}" y1="{TOP - 8}" x2="{x(t):.1f}" y2="{h - 40}" stroke="#ddd"/>')
        out.append(f'<text x="{x(t):.1f}" y="{h - 26}" text-anchor="middle" fill="#555">{t:g}x</text>')
    out.append(f'<line x1="{x(1):.1f}" y1="{TOP - 8}" x2="{x(1):.1f}" y2="{h - 40}" stroke="#888"/>')
    for i, (key, value) in enumerate(ratios.items()):
        y = TOP + i * ROW
        out.append(f'<text x="{LEFT - 8}" y="{y + 22}" text-anchor="end">{escape(RATIO_TEXT[key])}</text>')
        claim = claims.get(key)
        if claim:
            out.append(f'<rect x="{x(lo):.1f}" y="{y}" width="{x(claim) - x(lo):.1f}" height="16" fill="#bbb"/>')
            out.append(f'<text x="{x(claim) + 4:.1f}" y="{y + 12}" fill="#555">published: {claim:g}x '
                       f'({escape(CLAIM_TEXT[key])})</text>')
        yb = y + (18 if claim else 9)
        ok = math.isfinite(value) and value >= GOALS[key]
        if math.isfinite(value) and value > 0:
            out.append(f'<rect x="{x(lo):.1f}" y="{yb}" width="{x(value) - x(lo):.1f}" height="16" '
                       f'fill="{"#2a7" if ok else "#d73"}"/>')
            out.append(f'<text x="{x(value) + 4:.1f}" y="{yb + 12}" font-weight="bold">measured: {value:g}x</text>')
        g = x(GOALS[key])
        out.append(f'<line x1="{g:.1f}" y1="{y - 3}" x2="{g:.1f}" y2="{y + 37}" stroke="#000" stroke-dasharray="4,3"/>')
        out.append(f'<text x="{g:.1f}" y="{y - 5}" text-anchor="middle" font-size="10">goal {GOALS[key]:g}x</text>')
    out.append(f'<text x="{LEFT}" y="{h - 8}" fill="#555" font-size="11">grey: published claim; green: goal met; '
               'red: goal missed; dashed: goal</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
