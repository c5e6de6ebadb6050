"""Inline SVG pictures for packs, drawn from numbers, dates, IDs and fixed words only.

Pure: no plan is read here; callers pass levels as ranks, dates, and labels taken from
`rmp.render.labels` or IDs. Every attribute value and text node is escaped
(`markupsafe.escape`), numbers are written with fixed precision, and the result is one
`markupsafe.Markup` string, the only kind of markup templates receive. The pictures carry
`role="img"` and a `<title>`, have a fixed size and viewBox, hold no script, no link and no
reference to anything outside themselves, and print in black and white: series differ by line
style and marker shape and are labelled directly, bars are shades of grey with their counts
written beside them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

WIDTH = 640
_LEFT, _RIGHT = 78, 520
"""The time axis runs from x=_LEFT to x=_RIGHT; group labels stand to its right."""
_TOP, _ROW = 18, 30
"""RoSH level rows, highest at the top, _ROW apart."""
_FONT = 'font-family="sans-serif" font-size="11"'
_DASHES = ("", "7 3", "2 2", "9 3 2 3", "1 4")
_SHADES = ("#000000", "#555555", "#aaaaaa", "#ffffff", "#ffffff")
"""Bar fills from the highest level down: black to white (each bar is outlined)."""


@dataclass(frozen=True)
class Series:
    """One line of the timeline: a label and its value (a rank 1..levels, or None) from
    each date on."""

    label: str
    steps: tuple[tuple[date, int | None], ...]


@dataclass(frozen=True)
class Mark:
    """A dated event under the time axis (a review); `shape` is `up`, `down` or `dot`."""

    day: date
    shape: str


def _n(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _attrs(**values: object) -> str:
    return "".join(f' {name.rstrip("_").replace("_", "-")}="{escape(str(v))}"'
                   for name, v in values.items() if v is not None and v != "")


def _text(x: float, y: float, words: str, anchor: str = "start", **more: object) -> str:
    return (f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}"{_attrs(**more)}>'
            f"{escape(words)}</text>")


def _marker(shape: int, x: float, y: float) -> str:
    """A marker shape by series number: circle, square, triangle, diamond, cross."""
    kind = shape % 5
    if kind == 0:
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3.5" fill="#fff" stroke="#000"/>'
    if kind == 1:
        return (f'<rect x="{_n(x - 3.5)}" y="{_n(y - 3.5)}" width="7" height="7" fill="#000"/>')
    if kind == 2:
        return (f'<path d="M{_n(x)} {_n(y - 4.5)}L{_n(x + 4)} {_n(y + 3)}L{_n(x - 4)} '
                f'{_n(y + 3)}Z" fill="#fff" stroke="#000"/>')
    if kind == 3:
        return (f'<path d="M{_n(x)} {_n(y - 4.5)}L{_n(x + 4.5)} {_n(y)}L{_n(x)} {_n(y + 4.5)}'
                f'L{_n(x - 4.5)} {_n(y)}Z" fill="#000"/>')
    return (f'<path d="M{_n(x - 3.5)} {_n(y - 3.5)}L{_n(x + 3.5)} {_n(y + 3.5)}M{_n(x + 3.5)} '
            f'{_n(y - 3.5)}L{_n(x - 3.5)} {_n(y + 3.5)}" stroke="#000" stroke-width="1.6"/>')


def _open(height: int, title: str) -> list[str]:
    return [f'<svg width="{WIDTH}" height="{height}" '
            f'viewBox="0 0 {WIDTH} {height}" role="img" {_FONT}>',
            f"<title>{escape(title)}</title>"]


def _month_ticks(start: date, end: date) -> list[date]:
    """Up to six first-of-month dates between start and end, evenly spread."""
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        first = date(year, month, 1)
        if start <= first <= end:
            months.append(first)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    step = max(1, -(-len(months) // 6))
    return months[::step]


def timeline(title: str, start: date, end: date, levels: Sequence[str],
             series: Sequence[Series], mappa: Sequence[tuple[date, str]], mappa_label: str,
             marks: Sequence[Mark], marks_label: str, months: Sequence[str]) -> Markup:
    """The timeline of one plan: a step line per RoSH group over `levels` (lowest first),
    a band of MAPPA levels (text per period), and markers for reviews, from `start` to
    `end`. `months` names the twelve months for the axis."""
    span = max((end - start).days, 1)

    def x_of(day: date) -> float:
        return _LEFT + (_RIGHT - _LEFT) * min(max((day - start).days, 0), span) / span

    rows = len(levels)
    bottom = _TOP + _ROW * (rows - 1) if rows else 0

    def y_of(rank: int, index: int) -> float:
        return bottom - _ROW * (rank - 1) + (index - (len(series) - 1) / 2) * 3

    y = bottom + 16 if rows else 8
    mappa_y = y + 10 if mappa else y
    marks_y = (mappa_y + 30 if mappa else y + 10) if marks else mappa_y
    axis_y = max(marks_y, mappa_y) + 22
    height = axis_y + 16
    out = _open(height, title)
    for number, name in enumerate(levels, 1):
        row = bottom - _ROW * (number - 1)
        out.append(f'<line x1="{_LEFT}" y1="{_n(row)}" x2="{_RIGHT}" y2="{_n(row)}" '
                   'stroke="#bbb" stroke-dasharray="1 3"/>')
        out.append(_text(_LEFT - 6, row + 4, name, "end"))
    labels: list[tuple[float, int, str]] = []
    for index, line in enumerate(series):
        path: list[str] = []
        markers: list[str] = []
        previous: int | None = None
        last_y: float | None = None
        for at, (day, rank) in enumerate(line.steps):
            x = x_of(day)
            if rank is None:
                previous, last_y = None, None
                continue
            ry = y_of(rank, index)
            if last_y is None:
                path.append(f"M{_n(x)} {_n(ry)}")
            elif ry != last_y:
                path.append(f"H{_n(x)}V{_n(ry)}")
            if rank != previous or at == 0:
                markers.append(_marker(index, x, ry))
            previous, last_y = rank, ry
            nxt = line.steps[at + 1][0] if at + 1 < len(line.steps) else end
            path.append(f"H{_n(x_of(nxt))}")
        if path:
            dash = _DASHES[index % len(_DASHES)]
            out.append(f'<path d="{"".join(path)}" fill="none" stroke="#000" '
                       f'stroke-width="1.8"{_attrs(stroke_dasharray=dash)}/>')
            out.extend(markers)
            if last_y is not None:
                labels.append((last_y, index, line.label))
    placed = -100.0
    for label_y, index, words in sorted(labels):
        at_y = max(label_y, placed + 12)
        placed = at_y
        out.append(_marker(index, _RIGHT + 12, at_y))
        out.append(_text(_RIGHT + 20, at_y + 4, words))
    if mappa:
        out.append(_text(_LEFT - 6, mappa_y + 13, mappa_label, "end"))
        for at, (day, words) in enumerate(mappa):
            x0 = x_of(day)
            x1 = x_of(mappa[at + 1][0]) if at + 1 < len(mappa) else _RIGHT
            if not words:  # not MAPPA-managed then
                continue
            out.append(f'<rect x="{_n(x0)}" y="{_n(mappa_y)}" width="{_n(max(x1 - x0, 1))}" '
                       'height="18" fill="#fff" stroke="#000"/>')
            if x1 - x0 >= 7 * len(words):
                out.append(_text((x0 + x1) / 2, mappa_y + 13, words, "middle"))
    if marks:
        out.append(_text(_LEFT - 6, marks_y + 4, marks_label, "end"))
        for mark in marks:
            x = x_of(mark.day)
            out.append(f'<line x1="{_n(x)}" y1="{_TOP - 6}" x2="{_n(x)}" y2="{_n(marks_y)}" '
                       'stroke="#888" stroke-dasharray="3 3"/>')
            if mark.shape in ("up", "down"):
                tip, base = (marks_y - 6, marks_y + 5) if mark.shape == "up" \
                    else (marks_y + 6, marks_y - 5)
                out.append(f'<path d="M{_n(x)} {_n(tip)}L{_n(x + 5)} {_n(base)}L{_n(x - 5)} '
                           f'{_n(base)}Z" fill="#000"/>')
            else:
                out.append(f'<circle cx="{_n(x)}" cy="{_n(marks_y)}" r="4" fill="#000"/>')
    out.append(f'<line x1="{_LEFT}" y1="{_n(axis_y - 10)}" x2="{_RIGHT}" y2="{_n(axis_y - 10)}" '
               'stroke="#000"/>')
    for tick in _month_ticks(start, end):
        x = x_of(tick)
        out.append(f'<line x1="{_n(x)}" y1="{_n(axis_y - 13)}" x2="{_n(x)}" '
                   f'y2="{_n(axis_y - 7)}" stroke="#000"/>')
        out.append(_text(x, axis_y + 4, f"{months[tick.month - 1]} {tick.year}", "middle"))
    out.append("</svg>")
    return Markup("".join(out))


def bars(title: str, charts: Sequence[tuple[str, Sequence[tuple[str, int, int]]]]) -> Markup:
    """Up to two horizontal bar charts side by side. Each chart: a heading and rows of (label,
    count, shade index into the grey scale; 0 darkest). Counts are written beside each bar."""
    rows = max((len(r) for _, r in charts), default=0)
    height = 28 + 18 * max(rows, 1) + 6
    out = _open(height, title)
    width = WIDTH // 2
    for number, (heading, chart_rows) in enumerate(charts):
        left = number * width
        out.append(_text(left + 4, 13, heading, **{"font_weight": "bold"}))
        biggest = max((count for _, count, _ in chart_rows), default=0) or 1
        label_width = 110
        room = width - label_width - 40
        for index, (words, count, shade) in enumerate(chart_rows):
            y = 26 + 18 * index
            out.append(_text(left + label_width - 6, y + 11, words, "end"))
            size = room * count / biggest
            fill = _SHADES[min(max(shade, 0), len(_SHADES) - 1)]
            out.append(f'<rect x="{left + label_width}" y="{y + 2}" width="{_n(max(size, 0.5))}" '
                       f'height="12" fill="{fill}" stroke="#000"/>')
            out.append(_text(left + label_width + size + 4, y + 12, str(count)))
    out.append("</svg>")
    return Markup("".join(out))
