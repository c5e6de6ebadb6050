"""The views of `rmp diff` and `rmp log`: text (rich), Markdown and JSON. Each renderer takes
a result and returns a string; renderers are chosen by name from `DIFF_RENDERERS` and
`LOG_RENDERERS`.

Unlike `rmp check`, they show field values (old -> new): their reader is the plan's author
looking at their own repository. `values=False` leaves every value out. JSON goes through the
shared envelope (`kind` "diff" or "log"); Markdown values through the shared escaper.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date
from typing import Any

from rmp.diff.phrasing import Described, described, entry_summary, show
from rmp.diff.records import Change, ChangeKind, PlanDiff, PlanLog
from rmp.model.vocabulary import KIND_BY_NAME
from rmp.output.envelope import dumps
from rmp.output.markdown import escape

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """Text from git (subjects, names) shown without terminal control characters."""
    return _CONTROL.sub("\ufffd", text)


_SHORT = 60


def _value_lines(line: Described) -> tuple[str | None, list[str]]:
    """Inline `old -> new` when short, else one line per line of text, signed - and +."""
    shown = [show(v) for v in line.shown]
    multiline = any(isinstance(v, str) and "\n" in v.strip() for v in line.shown)
    if not multiline and all(len(s) <= _SHORT for s in shown):
        return " -> ".join(shown), []
    signs = ("-", "+") if len(line.shown) == 2 else (line.marker if line.marker in "+-" else " ",)
    lines: list[str] = []
    for sign, value in zip(signs, line.shown, strict=True):
        if isinstance(value, str):
            lines.extend(f"{sign} {text}" for text in value.rstrip("\n").split("\n"))
        else:
            lines.append(f"{sign} {show(value)}")
    return None, lines


_STYLE = {"+": "green", "-": "red", "~": "yellow", "!": "bold magenta", " ": ""}


def _console(buffer: io.StringIO, color: bool) -> Any:
    from rich.console import Console

    return Console(file=buffer, force_terminal=color, no_color=not color,
                   color_system="standard" if color else None, soft_wrap=True, width=200,
                   highlight=False)


def render_text(result: PlanDiff, values: bool = True, color: bool = False,
                today: date | None = None) -> str:
    """The terminal view: one line per change, values inline or on lines of their own."""
    from rich.text import Text

    buffer = io.StringIO()
    console = _console(buffer, color)
    title = Text(clean(result.plan), style="bold underline")
    if result.plan_id:
        title.append(f"  {clean(result.plan_id)}")
    console.print(title)
    console.print(Text(f"  from  {clean(result.before.describe())}"))
    console.print(Text(f"  to    {clean(result.after.describe())}"))
    for problem in result.problems:
        console.print(Text(f"  cannot read {clean(problem.version)}: {problem.describe()}",
                           style="bold red"))
    console.print()
    for change in result.changes:
        line_of = described(change, values)
        text = Text("  ")
        text.append(line_of.marker, style=_STYLE[line_of.marker])
        text.append(f" {clean(line_of.subject)}")
        extra: list[str] = []
        if line_of.shown:
            inline, extra = _value_lines(line_of)
            if inline is not None:
                text.append(": ")
                text.append(clean(inline), style="bold")
        console.print(text)
        for value_line in extra:
            console.print(Text(f"      {clean(value_line)}", style=_STYLE[value_line[0]]))
    if result.problems:
        console.print(Text("changes unknown: a version could not be read", style="bold red"))
    else:
        count = len(result.changes)
        console.print(Text("no changes" if not count else
                           f"{count} change{'' if count == 1 else 's'}"))
    return str(buffer.getvalue())


def _md_heading(change: Change) -> str:
    if change.kind in (ChangeKind.ROSH_UP, ChangeKind.ROSH_DOWN, ChangeKind.OVERALL_ROSH,
                       ChangeKind.MAPPA_LEVEL):
        return "Risk of serious harm and MAPPA"
    if change.kind is ChangeKind.REVIEW_MOVED:
        return "Review"
    kind = KIND_BY_NAME.get(change.item_kind) if change.item_kind is not None else None
    if kind is not None:
        return str(kind.section[-1]).replace("_", " ").capitalize()
    top = (change.field or "").split(".")[0]
    return top.replace("_", " ").capitalize() or "Plan"


def render_md(result: PlanDiff, values: bool = True, color: bool = False,
              today: date | None = None) -> str:
    """A draft "Changes since last meeting" section, every value Markdown-escaped."""
    out = ["## Changes since last meeting", ""]
    subject = escape(result.plan) + (f" ({escape(result.plan_id)})" if result.plan_id else "")
    caution = " Check and edit it before sharing" + (": it shows field values._" if values
                                                     else "._")
    newer = result.after.describe()
    newer = f"the {newer}" if newer.startswith("working tree") else newer
    out.append(f"_Draft written by rmp diff for {subject}: compares "
               f"{escape(result.before.describe())} with {escape(newer)}.{caution}")
    out.append("")
    if result.problems:
        for problem in result.problems:
            out.append(f"- **Not compared:** {escape(problem.version)} cannot be read "
                       f"({escape(problem.describe())})")
        out.append("")
        return "\n".join(out)
    if not result.changes:
        out += ["No changes.", ""]
        return "\n".join(out)
    sections: dict[str, list[str]] = {}
    for change in result.changes:
        line_of = described(change, values)
        line = f"- {escape(line_of.subject)}"
        if line_of.shown:
            line += ": " + " → ".join(escape(show(v)) for v in line_of.shown)
        sections.setdefault(_md_heading(change), []).append(line)
    order = ["Risk of serious harm and MAPPA", "Review"]
    for heading in [*[h for h in order if h in sections],
                    *[h for h in sections if h not in order]]:
        out += [f"### {heading}", "", *sections[heading], ""]
    return "\n".join(out)


def render_json(result: PlanDiff, values: bool = True, color: bool = False,
                today: date | None = None) -> str:
    return dumps("diff", {
        "plan": result.plan,
        "plan_id": result.plan_id,
        "today": judged.isoformat() if (judged := result.today or today) else None,
        "values": values,
        "from": result.before.as_dict(),
        "to": result.after.as_dict(),
        "complete": result.complete,
        "changed": bool(result.changes),
        "changes": [c.as_dict(values) for c in result.changes],
        "problems": [p.as_dict() for p in result.problems],
    })


DIFF_RENDERERS: dict[str, Callable[[PlanDiff, bool, bool, date | None], str]] = {
    "text": render_text, "md": render_md, "json": render_json,
}


def render_log_text(log: PlanLog, values: bool = True, color: bool = False) -> str:
    from rich.text import Text

    buffer = io.StringIO()
    console = _console(buffer, color)
    for entry in log.entries:
        head = Text()
        head.append(entry.date[:10], style="bold")
        head.append("  ")
        head.append(entry.commit[:10], style="yellow")
        head.append(f"  {clean(entry.author)}  ")
        head.append(clean(entry.subject), style="bold")
        console.print(head)
        console.print(Text(f"    {clean(entry_summary(entry, values))}"))
    if not log.entries:
        console.print(Text("no committed versions in this range"))
    return str(buffer.getvalue())


def render_log_json(log: PlanLog, values: bool = True, color: bool = False) -> str:
    return dumps("log", {
        "plan": log.plan,
        "values": values,
        "complete": log.complete,
        "entries": [{
            "commit": e.commit, "date": e.date, "author": e.author, "subject": e.subject,
            "status": e.status, "path": e.path, "old_path": e.old_path,
            "compared_with": e.base,
            "summary": entry_summary(e, values),
            "changes": [c.as_dict(values) for c in e.changes],
            "problems": [p.as_dict() for p in e.problems],
        } for e in log.entries],
    })


LOG_RENDERERS: dict[str, Callable[[PlanLog, bool, bool], str]] = {
    "text": render_log_text, "json": render_log_json,
}
