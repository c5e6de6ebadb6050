"""The document model of a pack: what a reader sees, before it is Markdown or HTML.

`rmp.render.build` makes one `Document` from the audience projections; the Markdown and the
HTML templates are two renderers walking this same structure, so both formats always say the
same thing. Every string here is either plan data the audience may see or a word from
`rmp.render.labels`; renderers escape all of it for their format and add only markup.

    Document -> PlanDoc -> Section -> blocks (Facts, Table, Paragraph, Narrative, Bullets,
    Subsection) -> content: a tuple of inline pieces (Text, Strong, Level, Flag, Note...).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal, TypeAlias

# -- inline pieces -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """Plain text."""

    tag: ClassVar[str] = "text"

    text: str


@dataclass(frozen=True)
class Strong:
    """Text that must stand out (a label inside a sentence, the marking)."""

    tag: ClassVar[str] = "strong"

    text: str


@dataclass(frozen=True)
class Muted:
    """Secondary text (a version number); `blank` marks an empty cell of a grid."""

    tag: ClassVar[str] = "muted"

    text: str
    blank: bool = False


@dataclass(frozen=True)
class Code:
    """An identifier (`id`: RF1) or a machine value (`sha`: a commit, a timestamp)."""

    tag: ClassVar[str] = "code"

    text: str
    kind: Literal["id", "sha"] = "id"


@dataclass(frozen=True)
class Level:
    """A RoSH or likelihood level in words; `level` picks a fixed style, never plan text."""

    tag: ClassVar[str] = "level"

    text: str
    level: str


@dataclass(frozen=True)
class Flag:
    """A status word: `status` (an item's status), `overdue` or `due`; or an action's progress
    colour `rag-red` (overdue), `rag-amber` (due soon), `rag-green` (on track), `rag-grey`
    (done), always with its words. `own_line`: shown below what precedes it where the format
    allows."""

    tag: ClassVar[str] = "flag"

    kind: Literal["status", "overdue", "due", "rag-red", "rag-amber", "rag-green", "rag-grey"]
    text: str
    own_line: bool = False


@dataclass(frozen=True)
class Break:
    """Between two values of one cell (a due date and a frequency)."""

    tag: ClassVar[str] = "break"


@dataclass(frozen=True)
class Note:
    """A detail about the value it follows (a role after a name, an end date)."""

    tag: ClassVar[str] = "note"

    content: Content


@dataclass(frozen=True)
class Link:
    """A link inside the document; `target` is built from plan numbers, never from data."""

    tag: ClassVar[str] = "link"

    target: str
    content: Content


@dataclass(frozen=True)
class Items:
    """Several short values (triggers, warning signs). `compact`: a single value is shown
    as it is rather than as a one-item list."""

    tag: ClassVar[str] = "items"

    items: tuple[Content, ...]
    compact: bool = True


@dataclass(frozen=True)
class Record:
    """Named values of a field no builder knows by name (shown generically)."""

    tag: ClassVar[str] = "record"

    fields: tuple[tuple[str, Content], ...]


Inline: TypeAlias = "Text | Strong | Muted | Code | Level | Flag | Break | Note | Link | Items | Record"
Content: TypeAlias = "tuple[Inline, ...]"

# -- blocks --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    label: str
    content: Content


@dataclass(frozen=True)
class Facts:
    """Label: value pairs, for the fields present."""

    tag: ClassVar[str] = "facts"

    facts: tuple[Fact, ...]


@dataclass(frozen=True)
class Cell:
    content: Content
    kind: Literal["", "id", "num", "nowrap"] = ""
    """What the cell holds, for its style: an identifier, a number, a date."""


@dataclass(frozen=True)
class Table:

    tag: ClassVar[str] = "table"
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    caption: str | None = None
    row_headers: bool = False
    """The first cell of each row names the row."""
    style: Literal["", "rosh", "actions", "tracker"] = ""
    """`tracker`: a meeting's action table (owner, due, progress, change since last meeting)."""


@dataclass(frozen=True)
class Paragraph:

    tag: ClassVar[str] = "paragraph"
    content: Content
    kind: Literal["", "withheld", "partly-withheld", "none", "muted-none", "small"] = ""


@dataclass(frozen=True)
class Narrative:
    """Free text, paragraph by paragraph."""

    tag: ClassVar[str] = "narrative"

    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Bullets:

    tag: ClassVar[str] = "bullets"
    items: tuple[Content, ...]


@dataclass(frozen=True)
class Subsection:

    tag: ClassVar[str] = "subsection"
    title: str
    blocks: tuple[Block, ...]
    anchor: str | None = None


@dataclass(frozen=True)
class Figure:
    """A picture drawn by rmp (`rmp.render.svg`): inline SVG built only from numbers, dates,
    IDs and fixed words, never from free text of a plan, with its text alternative. HTML
    shows the picture (it prints in black and white) and the alternative; Markdown shows the
    alternative only."""

    tag: ClassVar[str] = "figure"
    caption: str
    svg: str
    """Complete `<svg>` markup as a `markupsafe.Markup` made by `rmp.render.svg`, which
    escapes every attribute and text node; a plain `str` here is escaped like any value."""
    alt: tuple[Content, ...]
    """The same information in words, one line each."""


@dataclass(frozen=True)
class Box:
    """Lines that must not be missed (the check's findings for a plan, a notice that a plan
    is not MAPPA-managed): a bordered box in HTML, a blockquote in Markdown."""

    tag: ClassVar[str] = "box"
    lines: tuple[Content, ...]
    kind: Literal["findings", "notice"] = "findings"


Block: TypeAlias = "Facts | Table | Paragraph | Narrative | Bullets | Subsection | Figure | Box"

# -- plans and the document ----------------------------------------------------------------------

SectionState = Literal["shown", "partial", "withheld"]


@dataclass(frozen=True)
class Section:
    """One section of a plan. A withheld section keeps its title and shows only the marker;
    a partial one opens with `partly_withheld`."""

    key: str
    """`overview`...`waivers` (see values.SECTION_ORDER), `changes` or `other`; in a
    professional audience's meeting order also `rosh`, `mappa`, `details`, `findings` and
    `administration` (see meeting.MEETING_ORDER)."""
    title: str
    anchor: str
    state: SectionState
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class PlanDoc:
    number: int
    anchor: str
    name: str
    """`Case ref X001001`, or `Plan 2` when the case ref is withheld."""
    plan_id: str | None
    kicker: str
    position: str | None
    """`2 of 3` in a meeting pack."""
    subtitle: tuple[Content, ...]
    prepared: tuple[Content, ...]
    """For a single-plan document: for whom, status as at, the meeting."""
    key_facts: tuple[Fact, ...]
    intro: tuple[Content, ...]
    """The plain-language introduction addressed to the person."""
    sections: tuple[Section, ...]
    timeline: Figure | None = None
    """The plan's history drawn from git (RoSH by group, reviews, level changes)."""
    notices: tuple[Box, ...] = ()
    """Shown under the key facts: e.g. a plan in a MAPPA meeting's pack that is not managed
    at MAPPA level 2 or 3."""


@dataclass(frozen=True)
class ContentsEntry:
    anchor: str
    name: str
    plan_id: str | None = None


@dataclass(frozen=True)
class AudienceInfo:
    name: str
    title: str
    plain_language: bool


@dataclass(frozen=True)
class Document:
    """A whole document: one plan, or a meeting pack of several."""

    is_pack: bool
    title: str
    audience: AudienceInfo
    marking: str
    classification: str
    generated: str
    tool: str
    labels: dict[str, str]
    """Words of the page furniture (Contents, Key facts...) for this audience."""
    handling: tuple[Content, ...]
    cover: tuple[Fact, ...]
    contents: tuple[ContentsEntry, ...]
    summary: Table | None
    summary_note: Content
    plans: Sequence[PlanDoc]
    """In document order; in a pack, each plan is built when a renderer reaches it."""
    record: tuple[Fact, ...]
    versions: Table
    strip: Figure | None = None
    """In a pack of several plans: plans by RoSH and overdue actions by agency."""
    attendance: tuple[Block, ...] = ()
    """Who attends the meeting and who sent apologies (`--attendees`), or for one plan the
    agencies at its latest review; empty when neither is known."""
