"""The human report: findings grouped by file, one `path:line:col` line each (clickable in
editors and CI logs), with the HF36 criteria each finding serves, and a summary line.

Plain text unless colour is on (rich is imported only then). Plan text never reaches the
report; control and bidirectional characters in a file name are shown as `?`, so a name
cannot move the cursor or recolour the terminal, and nothing in a path is read as markup."""

from __future__ import annotations

from rmp.findings import Severity
from rmp.output.names import printable
from rmp.report.base import Report

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}

Segment = tuple[str, str]
"""A run of text and its rich style ("" for none)."""




def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _lines(report: Report) -> list[list[Segment]]:
    lines: list[list[Segment]] = []
    for result in report.results:
        shown = [f for f in result.findings if report.show_waived or not f.waived]
        if not shown and not result.rules_skipped:
            continue
        lines.append([(printable(result.path), "bold underline")])
        for finding in shown:
            line: list[Segment] = [
                ("  ", ""),
                (f"{printable(finding.path)}:{finding.line}:{finding.column}", "bold"),
                ("  ", ""),
                (f"{finding.severity.value:<7}", _STYLE[finding.severity]),
                (f"  {finding.code}  ", "bold"),
                (finding.message, ""),
            ]
            if finding.criteria:
                line.append((f"  [HF36 {', '.join(finding.criteria)}]", "dim"))
            if finding.pointer:
                line.append((f"  {finding.pointer}", "dim"))
            if finding.waived:
                line.append(("  (waived)", "dim"))
            lines.append(line)
        if result.rules_skipped:
            lines.append([("  completeness rules were not run on this file: fix the schema "
                           "errors first", "dim")])
        lines.append([])
    if report.statistics:
        lines += [[(f"{count:>6}  {code}", "")] for code, count in report.by_rule().items()]
        lines.append([])
    counts = report.counts()
    summary = (f"{_plural(len(report.results), 'file')} checked: "
               f"{_plural(counts['error'], 'error')}, "
               f"{_plural(counts['warning'], 'warning')}, {counts['info']} info")
    if report.waived:
        hint = "" if report.show_waived else " (--show-waived lists them)"
        summary += f", {report.waived} waived{hint}"
    lines.append([(summary + f" in {report.elapsed:.2f} s", "")])
    return lines


def render(report: Report) -> str:
    lines = _lines(report)
    if not report.color:
        return "".join("".join(text for text, _ in line) + "\n" for line in lines)
    import io

    from rich.console import Console
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, color_system="standard",
                      soft_wrap=True, width=200, highlight=False)
    for line in lines:
        text = Text()
        for part, style in line:
            text.append(part, style=style or None)
        console.print(text)
    return buffer.getvalue()
