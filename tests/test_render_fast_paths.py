"""The Python fast paths of the two renderers (`html_inline`, `html_table`, `md_inline`,
`md_table` in rmp/render/environment.py) give byte for byte what the template macros they
replace give, for every kind of inline piece and hostile text. The macros stay in
`_blocks.*.j2` for user templates; if either side changes alone, this fails."""

from __future__ import annotations

from typing import Any

import pytest

from rmp.render.document import (
    Break,
    Cell,
    Code,
    Flag,
    Items,
    Level,
    Link,
    Muted,
    Note,
    Record,
    Strong,
    Table,
    Text,
)
from rmp.render.environment import (
    PackFormat,
    environment,
    html_inline,
    html_table,
    md_inline,
    md_table,
)

HOSTILE = "<script>x</script> & \"q\" 'a' | *b* _c_ [l](javascript:y) `t` # h \\ ~"

PIECES: list[Any] = [
    Text(HOSTILE), Text(" lead"), Text("trail "), Strong(HOSTILE), Muted(HOSTILE),
    Muted("", blank=True), Code("RF1"), Code("abc123", "sha"), Level(HOSTILE, "high"),
    Flag("status", HOSTILE), Flag("overdue", HOSTILE, own_line=True), Flag("due", "Due"),
    Break(), Note((Text(HOSTILE),)), Link("plan-1", (Text(HOSTILE),)),
    Items(((Text("one"),),)), Items(((Text("one"),), (Text(HOSTILE),))),
    Items(((Text("only"),),), compact=False),
    Record((("Name", (Text(HOSTILE),)), ("Other", (Strong("x"),)))),
]
CONTENTS: list[tuple[Any, ...]] = [
    (piece,) for piece in PIECES] + [
    tuple(PIECES), (Text("a"), Note((Text("n1"),)), Note((Text("n2"),))),
    (Note((Text("alone"),)),), ()]


def _macros(fmt: PackFormat) -> Any:
    return environment(fmt).get_template(f"_blocks.{fmt.value}.j2").module


@pytest.mark.parametrize("content", CONTENTS, ids=range(len(CONTENTS)))
def test_inline_matches_the_macro(content: tuple[Any, ...]) -> None:
    html = _macros(PackFormat.HTML)
    macro = "".join(str(html.piece(x)) if x.tag != "text" else str(html_inline((x,)))
                    for x in content)
    assert str(html_inline(content)) == macro
    assert str(html.inline(content)) == str(html_inline(content))
    assert str(_macros(PackFormat.MD).inline(content)) == str(md_inline(content))


TABLES = [
    Table(("A", HOSTILE), ((Cell((Text(HOSTILE),)), Cell((Strong("s"),), "num")),
                           (Cell(()), Cell((Level("High", "high"),), "nowrap")))),
    Table(("ID", "Action", "Owner", "Start", "Due", "Measure", "Status"),
          ((*(Cell((Text(str(i)),)) for i in range(7)),),), caption=HOSTILE,
          row_headers=True, style="actions"),
    Table((HOSTILE,), (), caption="Caption", style="rosh"),
]


@pytest.mark.parametrize("table", TABLES, ids=range(len(TABLES)))
@pytest.mark.parametrize("level", [1, 2, 3, 4, 5, 6])
def test_tables_match_the_macro(table: Table, level: int) -> None:
    assert str(html_table(table)) == str(_macros(PackFormat.HTML).table(table))
    assert str(md_table(table, level)) == str(_macros(PackFormat.MD).table(table, level))


def test_the_fast_paths_escape_plan_text() -> None:
    html = str(html_table(TABLES[0]))
    assert "<script>" not in html and "&lt;script&gt;" in html
    md = str(md_table(TABLES[0], 3))
    assert "[l](javascript" not in md and "\\|" in md


def test_html_escape_matches_markupsafe() -> None:
    from markupsafe import Markup, escape

    from rmp.render.environment import html_escape

    samples = ["".join(chr(c) for c in range(32, 127)), HOSTILE, "", "é ü — “q” ‘a’", "&amp;",
               "\u2028\x85"]
    for sample in samples:
        assert html_escape(sample) == str(escape(sample))
    assert html_escape(Markup("<b>x</b>")) == "<b>x</b>"
    assert html_escape(12) == "12"
