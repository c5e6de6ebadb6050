"""The caseload as text (a rich table), JSON (the shared envelope), CSV or Markdown."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict
from datetime import date

from rmp.output import markdown
from rmp.output.envelope import dumps
from rmp.output.names import printable
from rmp.status.view import AgencyRow, Row

COLUMNS = ("case_ref", "plan_id", "status", "overall_rosh", "evidence_rosh", "mappa_level",
           "next_review",
           "review", "overdue_actions", "errors", "warnings", "path")
AGENCY_COLUMNS = ("agency", "overdue", "due_soon", "overdue_actions", "due_soon_actions")
FORMATS = ("text", "json", "csv", "md")


def _cells(row: Row) -> list[str]:
    return [
        row.case_ref or "-", row.plan_id or "-", row.status, row.overall_rosh or "-",
        row.evidence_rosh or "-", str(row.mappa_level) if row.mappa_level else "-", row.next_review or "-",
        row.review_text if row.readable else "-", str(row.overdue_actions), str(row.errors),
        str(row.warnings), printable(row.path),
    ]


def _csv_cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula (a path or ID starting `=`, `+`, `-`,
    `@`, tab or carriage return gets a leading apostrophe; a lone `-` is the empty mark)."""
    risky = value[:1] in ("=", "+", "-", "@", "\t", "\r") and value != "-"
    return "'" + value if risky else value


def _table(header: tuple[str, ...], cells: list[list[str]], fmt: str, color: bool,
           caption: str) -> str:
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([_csv_cell(c) for c in row] for row in cells)
        return buffer.getvalue()
    if fmt == "md":
        return markdown.table(header, cells)
    return _rich_table([h.replace("_", " ") for h in header], cells, color, caption)


def render_rows(rows: list[Row], fmt: str, today: date, color: bool = False) -> str:
    """One row per plan."""
    if fmt == "json":
        return dumps("status", {
            "today": today.isoformat(),
            "plans": [{**{k: v for k, v in asdict(r).items() if k != "agencies"},
                       "review": r.review_text if r.readable else None} for r in rows],
        })
    return _table(COLUMNS, [_cells(r) for r in rows], fmt, color,
                  f"{len(rows)} plan(s); today {today.isoformat()}")


def render_agencies(rows: list[AgencyRow], fmt: str, today: date, color: bool = False) -> str:
    """Overdue and due-soon actions per owning agency."""
    if fmt == "json":
        return dumps("status-by-agency", {"today": today.isoformat(),
                                          "agencies": [asdict(r) for r in rows]})
    cells = [[r.agency, str(len(r.overdue)), str(len(r.due_soon)), " ".join(r.overdue),
              " ".join(r.due_soon)] for r in rows]
    return _table(AGENCY_COLUMNS, cells, fmt, color,
                  f"{len(rows)} agencies; today {today.isoformat()}")


def _rich_table(header: list[str], cells: list[list[str]], color: bool, caption: str) -> str:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(*header, caption=caption, highlight=False)
    for row in cells:
        table.add_row(*(Text(cell) for cell in row))  # Text: nothing is read as markup
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=220,
                      color_system="standard" if color else None)
    console.print(table)
    return buffer.getvalue()
