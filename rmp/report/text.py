"""The human report: findings grouped by file, one `path:line:col` line each (clickable in
editors and CI logs), with the HF36 criteria each finding serves, and a summary line.
Colour only when writing to a terminal; plan text never reaches it, and paths are added as
plain text so nothing in them is read as markup."""

from __future__ import annotations

import io

from rich.console import Console
from rich.text import Text

from rmp.findings import Severity
from rmp.report.base import Report

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def render(report: Report) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer, force_terminal=report.color, no_color=not report.color,
        color_system="standard" if report.color else None, soft_wrap=True, width=200,
        highlight=False,
    )
    for result in report.results:
        shown = [f for f in result.findings if report.show_waived or not f.waived]
        if not shown and not result.rules_skipped:
            continue
        console.print(Text(result.path, style="bold underline"))
        for finding in shown:
            line = Text("  ")
            line.append(f"{finding.path}:{finding.line}:{finding.column}", style="bold")
            line.append("  ")
            line.append(f"{finding.severity.value:<7}", style=_STYLE[finding.severity])
            line.append(f"  {finding.code}  ", style="bold")
            line.append(finding.message)
            if finding.criteria:
                line.append(f"  [HF36 {', '.join(finding.criteria)}]", style="dim")
            if finding.pointer:
                line.append(f"  {finding.pointer}", style="dim")
            if finding.waived:
                line.append("  (waived)", style="dim")
            console.print(line)
        if result.rules_skipped:
            console.print(Text(
                "  completeness rules were not run on this file: fix the schema errors first",
                style="dim",
            ))
        console.print()
    if report.statistics:
        for code, count in report.by_rule().items():
            console.print(Text(f"{count:>6}  {code}"))
        console.print()
    counts = report.counts()
    summary = Text(
        f"{_plural(len(report.results), 'file')} checked: "
        f"{_plural(counts['error'], 'error')}, {_plural(counts['warning'], 'warning')}, "
        f"{counts['info']} info"
    )
    if report.waived:
        hint = "" if report.show_waived else " (--show-waived lists them)"
        summary.append(f", {report.waived} waived{hint}")
    summary.append(f" in {report.elapsed:.2f} s")
    console.print(summary)
    return buffer.getvalue()
