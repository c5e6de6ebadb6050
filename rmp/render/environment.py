"""The Jinja environments that turn the document model into Markdown or HTML.

- HTML: `autoescape=True`, checked when the environment is built (and probed with a value that
  must come out escaped); templates keep plan data out of URLs, `<script>` and `<style>`.
- Markdown has no escaping of its own, so a `finalize` hook passes every `{{ }}` value through
  `rmp.output.markdown.escape` (the one Markdown escaper): punctuation that could start markup
  is backslash-escaped and whitespace, newlines included, collapses to single spaces. Template
  text and macro output, already safe, pass as `MdSafe`.
- `StrictUndefined` everywhere: a typo in a template stops the run (exit 2), never prints "".
- A policy's `templates` folder holds user templates; then every template of the run executes
  in an `ImmutableSandboxedEnvironment`, with the same escaping.

jinja2 is imported inside the functions: `rmp check` never pays for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from rmp.errors import ConfigError, RmpError
from rmp.output.markdown import escape
from rmp.policy.model import Policy

if TYPE_CHECKING:
    from jinja2 import Environment


class PackFormat(str, Enum):
    """`--format` choices of `rmp render`."""

    MD = "md"
    HTML = "html"

    @property
    def suffix(self) -> str:
        return f".{self.value}"


TEMPLATE_NAMES = {PackFormat.MD: "pack.md.j2", PackFormat.HTML: "pack.html.j2"}


class MdSafe(str):
    """Markdown text that is already safe: template text, macro output, escaped values.

    Any operation on it (`+`, `.upper()`, slicing) gives a plain `str`, which is escaped
    again on output: the mark is lost, never gained."""

    __slots__ = ()


def _md_finalize(value: Any) -> Any:
    return value if isinstance(value, MdSafe) else MdSafe(escape(value))


def _md_piece(piece: Any) -> str:
    tag = piece.tag
    if tag in ("text", "code"):
        text = piece.text
        lead = " " if text[:1] == " " else ""
        trail = " " if text[-1:] == " " and text.strip() else ""
        return lead + str(_md_finalize(text)) + trail
    if tag in ("strong", "level"):
        return f"**{_md_finalize(piece.text)}**"
    if tag == "muted":
        return "" if piece.blank else str(_md_finalize(piece.text))
    if tag == "flag":
        if piece.kind in ("overdue", "rag-red"):
            return (" " if piece.own_line else "") + f"**{_md_finalize(piece.text)}**"
        if piece.kind == "due":
            return f"({_md_finalize(piece.text)})"
        return str(_md_finalize(piece.text))
    if tag == "break":
        return "; "
    if tag == "link":
        return md_inline(piece.content)
    if tag == "items":
        return "; ".join(md_inline(item) for item in piece.items)
    if tag == "record":
        return "; ".join(f"{_md_finalize(name)}: {md_inline(value)}" for name, value in piece.fields)
    return ""


def md_inline(content: Iterable[Any]) -> MdSafe:
    """A run of the document model's inline pieces as Markdown: the Markdown renderer's one
    hot path, in Python (a Jinja macro per piece made a 200-plan pack miss its 3 s target).
    Notes follow what they are about, in brackets; a run of notes alone lists them."""
    parts: list[str] = []
    notes = []
    main = False
    for piece in content:
        if piece.tag == "note":
            notes.append(piece)
        elif piece.tag == "text" and piece.text[:1] != " " and piece.text[-1:] != " ":
            main = True
            parts.append(_md_finalize(piece.text))
        else:
            main = True
            parts.append(_md_piece(piece))
    for index, note in enumerate(notes):
        if index:
            parts.append("; ")
        elif main:
            parts.append(" (")
        parts.append(md_inline(note.content))
        if index == len(notes) - 1 and main:
            parts.append(")")
    return MdSafe("".join(parts))


def _html_piece(piece: Any) -> str:
    tag = piece.tag
    if tag == "text":
        return html_escape(piece.text)
    if tag == "strong":
        return f"<strong>{html_escape(piece.text)}</strong>"
    if tag == "muted":
        return f'<span class="muted">{html_escape(piece.text)}</span>'
    if tag == "code":
        return f'<span class="{html_escape(piece.kind)}">{html_escape(piece.text)}</span>'
    if tag == "level":
        return (f'<span class="level level-{html_escape(piece.level)}">'
                f"{html_escape(piece.text)}</span>")
    if tag == "flag":
        return (("<br>" if piece.own_line else "")
                + f'<span class="{html_escape(piece.kind)}">{html_escape(piece.text)}</span>')
    if tag == "break":
        return "<br>"
    if tag == "note":
        return f'<span class="note">{html_inline(piece.content)}</span>'
    if tag == "link":
        return f'<a href="#{html_escape(piece.target)}">{html_inline(piece.content)}</a>'
    if tag == "items":
        if piece.compact and len(piece.items) == 1:
            return str(html_inline(piece.items[0]))
        return "<ul>" + "".join(f"<li>{html_inline(item)}</li>" for item in piece.items) \
            + "</ul>"
    if tag == "record":
        return '<table class="facts"><tbody>' + "".join(
            f'<tr><th scope="row">{html_escape(name)}</th><td>{html_inline(value)}</td></tr>'
            for name, value in piece.fields) + "</tbody></table>"
    return ""


def html_escape(value: Any) -> str:
    """A value as HTML text, escaped as the autoescaping environment escapes `{{ value }}`
    (markupsafe's table: & < > " ', the quotes as &#34; and &#39;; an object that is already
    HTML as its HTML)."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return (str(value).replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
            .replace("'", "&#39;").replace('"', "&#34;"))


def html_inline(content: Iterable[Any]) -> Any:
    """A run of the document model's inline pieces as HTML: the HTML renderer's hot path, in
    Python, giving byte for byte what the `piece` macro of `_blocks.html.j2` gives. Every
    value is escaped here; the result is marked safe so the template does not escape it
    twice."""
    return Markup("".join(_html_piece(piece) for piece in content))


def html_table(block: Any) -> Any:
    """A table block as HTML, byte for byte what the `table` macro of `_blocks.html.j2` gave
    (kept there for user templates), in Python: tables are most of a pack."""
    out = ["<table", f' class="{html_escape(block.style)}"' if block.style else "", ">\n"]
    if block.caption:
        out.append(f"<caption>{html_escape(block.caption)}</caption>\n")
    if block.style == "actions":
        out.append('<colgroup><col class="w-id"><col class="w-action"><col class="w-owner">'
                   '<col class="w-date"><col class="w-due"><col class="w-measure">'
                   '<col class="w-status"></colgroup>\n')
    out.append("<thead><tr>")
    out.extend(f'<th scope="col">{html_escape(name)}</th>' for name in block.header)
    out.append("</tr></thead>\n<tbody>\n")
    for row in block.rows:
        out.append("<tr>")
        for index, cell in enumerate(row):
            if block.row_headers and index == 0:
                out.append(f'<th scope="row">{html_inline(cell.content)}</th>')
            else:
                kind = f' class="{html_escape(cell.kind)}"' if cell.kind else ""
                out.append(f"<td{kind}>{html_inline(cell.content)}</td>")
        out.append("</tr>\n")
    out.append("</tbody>\n</table>")
    return Markup("".join(out))


def md_table(block: Any, level: int) -> MdSafe:
    """A table block as Markdown, byte for byte what the `table` macro of `_blocks.md.j2`
    gave (kept there for user templates), in Python: tables are most of a pack."""
    out: list[str] = []
    if block.caption:
        hashes = level if level in (1, 2, 3, 4) else 5  # as the `h` macro
        out.append("#" * hashes + f" {_md_finalize(block.caption)}\n\n")
    out.append("|" + "".join(f" {_md_finalize(name)} |" for name in block.header) + "\n")
    out.append("|" + "---|" * len(block.header) + "\n")
    for row in block.rows:
        out.append("|" + "".join(f" {md_inline(cell.content)} |" for cell in row) + "\n")
    return MdSafe("".join(out))


def _md_concat(parts: Iterable[str]) -> MdSafe:
    # Jinja joins template text and finalized `{{ }}` output with `environment.concat`: the
    # result of a whole template, a macro or a `{% set %}` block holds nothing unescaped.
    return MdSafe("".join(parts))


def _probe(environment: Environment, fmt: PackFormat) -> None:
    """Refuse to render with an environment that would not escape plan text."""
    from jinja2 import StrictUndefined, UndefinedError

    probe = environment.from_string("{{ value }}").render(value="<a href='javascript:x'>|\n")
    expected = ("&lt;a href=&#39;javascript:x&#39;&gt;|" if fmt is PackFormat.HTML
                else "\\<a href='javascript:x'\\>\\|")
    if probe.strip() != expected:
        raise RuntimeError(f"the {fmt.value} template environment does not escape plan text")
    if environment.undefined is not StrictUndefined:
        raise RuntimeError("template environments must use StrictUndefined")
    try:
        environment.from_string("{{ missing }}").render()
    except UndefinedError:
        return
    raise RuntimeError("an undefined template variable did not stop rendering")


@lru_cache(maxsize=8)
def environment(fmt: PackFormat, user_folder: str | None = None) -> Environment:
    """The one Jinja environment per format (and user template folder): templates compile once
    per run. User templates run sandboxed, in front of the built-in ones (a folder may override
    a single partial)."""
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from rmp.io.resources import data_dir

    builtin = FileSystemLoader(str(data_dir("templates")))
    loader: Any = builtin if user_folder is None else ChoiceLoader(
        [_no_links_loader(user_folder), builtin])
    base: type[Environment] = Environment if user_folder is None \
        else ImmutableSandboxedEnvironment
    options: dict[str, Any] = dict(
        loader=loader, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True, auto_reload=False, cache_size=-1,
    )
    if fmt is PackFormat.HTML:
        env = base(autoescape=True, **options)
        if env.autoescape is not True:  # checked explicitly: `assert` vanishes under -O
            raise RuntimeError("the HTML template environment must autoescape")
        env.globals["html_inline"] = html_inline
        env.globals["html_table"] = html_table
    else:
        markdown = type("MarkdownEnvironment", (base,), {"concat": staticmethod(_md_concat)})
        env = markdown(autoescape=False, finalize=_md_finalize, **options)
        env.globals["md_inline"] = md_inline
        env.globals["md_table"] = md_table
    _probe(env, fmt)
    return env


def _no_links_loader(folder: str) -> Any:
    """A loader of the user's templates that refuses any template reached through a symbolic
    link (an `{% include "x.j2" %}` with `x.j2 -> /etc/passwd` would print that file)."""
    import os
    import stat

    from jinja2 import FileSystemLoader

    class NoLinksLoader(FileSystemLoader):
        def get_source(self, environment: Any, template: str) -> Any:
            where = folder
            for part in template.replace("\\", "/").split("/"):
                if part in ("", "."):
                    continue
                where = os.path.join(where, part)
                try:
                    linked = stat.S_ISLNK(os.lstat(where).st_mode)
                except OSError:
                    break  # absent: the loader says "not found" (and falls back)
                if linked:
                    raise ConfigError(f"template {template} is reached through a symbolic link "
                                      "in the policy's `templates` folder: refused; nothing "
                                      "was written")
            return super().get_source(environment, template)

    return NoLinksLoader(folder, followlinks=False)


def user_template_folder(policy: Policy) -> str | None:
    """The policy's `templates` folder, resolved against the policy file, if it names one.
    It must be a relative path below the policy file's folder (no absolute path, no `..`)."""
    folder = policy.get("templates")
    if not folder:
        return None
    written = Path(str(folder))
    if written.is_absolute() or ".." in written.parts or "\\" in str(folder):
        raise ConfigError(f"{policy.path}: `templates` must be a folder relative to the policy "
                          "file, below its folder (no absolute path, no `..`)")
    if policy.path is None:
        raise ConfigError("the policy names a `templates` folder but has no file to be "
                          "relative to")
    resolved = (Path(policy.path).parent / str(folder)).resolve()
    if not resolved.is_dir():
        raise ConfigError(f"{policy.path}: `templates` names a folder that does not exist")
    return str(resolved)


def template_error(exc: BaseException) -> RmpError:
    """A template failure as an error naming the template and line, never a value."""
    import traceback

    where = "a template"
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".j2"):
            where = f"{Path(frame.filename).name}:{frame.lineno}"
            break
    lineno = getattr(exc, "lineno", None)
    name = getattr(exc, "name", None) or getattr(exc, "filename", None)
    if where == "a template" and lineno and name:
        where = f"{Path(str(name)).name}:{lineno}"
    kinds = {
        "UndefinedError": "uses an undefined variable or attribute (a typo?)",
        "TemplateSyntaxError": "has a syntax error",
        "SecurityError": "tried something the sandbox forbids",
        "OverflowError": "asked for a range larger than the sandbox allows",
        "TemplateNotFound": "includes a template that does not exist",
    }
    reason = kinds.get(type(exc).__name__, f"failed ({type(exc).__name__})")
    return RmpError(f"template {where} {reason}; nothing was written", code="template")
