"""A pack is made, tidied and written as a stream (issue 10: memory stays flat as packs grow),
and says byte for byte what the whole-document rendering said: plans built when the template
reaches them, the whitespace tidied block by block, the file written or compared piece by
piece. The plans rendered are the very ones the gate passed. All plans are fictional.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from rmp.check.pipeline import discover
from rmp.errors import RefusedError
from rmp.io.fileio import same_content, write_output_stream
from rmp.policy.load import PolicyResolver
from rmp.render import assemble, stream
from rmp.render.environment import TEMPLATE_NAMES, environment
from rmp.render.pack import (
    PackFormat,
    PlanSource,
    RenderRequest,
    build,
    load_plans,
    recorded_generation_time_in,
    render,
    render_chunks,
)
from tests.conftest import ROOT, TODAY, run_rmp

EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*.yaml") if p.name != "rmp.yaml")
POLICY = ROOT / "examples" / "rmp.yaml"


def _sources(paths: list[Path]) -> list[PlanSource]:
    resolver = PolicyResolver(POLICY, check_settings=lambda document, shown: [])
    sources, refused = load_plans(discover(list(paths)), resolver, date.fromisoformat(TODAY))
    assert not refused
    return sources


def _request(audience: str, fmt: PackFormat) -> RenderRequest:
    return RenderRequest(audience, fmt, date.fromisoformat(TODAY),
                         datetime(2026, 11, 27, 9, tzinfo=UTC), meeting="MAPPA meeting")


def _whole(sources: list[PlanSource], request: RenderRequest) -> str:
    """The reference: every plan built first, the template rendered to one string, then tidied
    as a whole (as rmp rendered packs before they streamed)."""
    document = build(sources, request)
    template = environment(request.fmt).get_template(TEMPLATE_NAMES[request.fmt])
    text = template.render(pack=document, plans=tuple(document.plans))
    return stream.tidy_text(str(text), request.fmt is PackFormat.MD)


@pytest.mark.parametrize("fmt", list(PackFormat))
@pytest.mark.parametrize("audience", ["individual", "agencies", "panel", "safeguarding-partner"])
def test_a_streamed_pack_is_byte_identical_to_the_whole_rendering(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, audience: str, fmt: PackFormat
) -> None:
    plans = EXAMPLES[:1] if audience == "individual" else [*EXAMPLES, *(
        tmp_path / f"copy-{p.name}" for p in EXAMPLES[:2])]
    for copy in plans[len(EXAMPLES):]:
        copy.write_bytes(EXAMPLES[plans.index(copy) - len(EXAMPLES)].read_bytes())
    sources = _sources(plans)
    request = _request(audience, fmt)
    reference = _whole(sources, request)
    # tiny blocks and a kept-plan limit below the pack's size: every plan after the second is
    # built twice, and the tidy meets every kind of boundary
    monkeypatch.setattr(assemble, "KEEP_BUILT", 2)
    monkeypatch.setattr(stream, "BLOCK", 97)
    pieces = list(render_chunks(sources, request))
    assert len(pieces) > 10
    assert "".join(pieces) == reference
    assert render(sources, request) == reference  # and again: deterministic
    assert len(build(sources, request).plans) == len(plans)


def test_the_tidy_by_blocks_equals_the_tidy_of_the_whole() -> None:
    atoms = ["\n", "\n", "\n", " ", "\t", "- **", "- *", "x", "-", "\r", "é"]
    pick = random.Random(10)
    for _ in range(4000):
        text = "".join(pick.choice(atoms) for _ in range(pick.randint(0, 40)))
        markdown = pick.random() < 0.5
        cuts = sorted(pick.randint(0, len(text)) for _ in range(pick.randint(0, 6)))
        pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
        got = "".join(stream.tidy(pieces, markdown, block=pick.randint(1, 12)))
        assert got == stream.tidy_text(text, markdown), (text, pieces, markdown)


def test_a_plan_changed_after_the_gate_is_rendered_as_it_was_gated(tmp_path: Path) -> None:
    """No time-of-check to time-of-use gap: the pack is made from the bytes that passed the
    gate, kept packed, never from the file read again."""
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(EXAMPLES[1].read_bytes())  # the domestic abuse example
    request = _request("panel", PackFormat.MD)
    before = render(_sources([plan]), request)
    sources = _sources([plan])
    original = plan.read_text(encoding="utf-8")
    plan.write_text(original.replace("format: rmp/1", "format: rmp/1\nnot_a_field: x", 1)
                    .replace("Exampleton", "Changedtown"), encoding="utf-8")
    assert render(sources, request) == before
    assert "Exampleton" in before and "Changedtown" not in before
    plan.unlink()
    assert render(sources, request) == before


def test_a_large_pack_keeps_the_plans_packed_not_parsed() -> None:
    source = _sources(EXAMPLES[:1])[0]
    assert isinstance(source.content, bytes)
    assert source.data == source.data and source.data is not source.data


# -- writing and comparing a stream --------------------------------------------------------------

def test_a_failure_while_streaming_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "pack.md"
    target.write_text("the committed pack\n", encoding="utf-8")

    def pieces() -> Iterator[str]:
        yield "half of a new pack\n" * 1000
        raise RefusedError("a template failed")

    with pytest.raises(RefusedError, match="a template failed"):
        write_output_stream(target, pieces())
    assert target.read_text(encoding="utf-8") == "the committed pack\n"
    assert [p.name for p in tmp_path.iterdir()] == ["pack.md"]


def test_a_refused_target_is_refused_before_anything_is_rendered(tmp_path: Path) -> None:
    asked = []

    def pieces() -> Iterator[str]:
        asked.append(1)
        yield "x"

    plan = tmp_path / "plan.yaml"
    plan.write_text("plan\n", encoding="utf-8")
    for target, inputs in ((plan, []), (tmp_path / "pack.md", [tmp_path / "pack.md"])):
        with pytest.raises(RefusedError):
            write_output_stream(target, pieces(), inputs)
    assert asked == []
    assert plan.read_text(encoding="utf-8") == "plan\n"


def test_same_content_compares_piece_by_piece(tmp_path: Path) -> None:
    target = tmp_path / "pack.md"
    target.write_bytes("a\nb é\r\nc\n".encode())
    assert same_content(target, ["a\nb", " é\nc", "\n"]) is True  # line endings read as \n
    assert same_content(target, ["a\nb é\nc\n", "d"]) is False  # longer
    assert same_content(target, ["a\nb é\n"]) is False  # shorter
    assert same_content(target, ["a\nX é\nc\n"]) is False
    assert same_content(tmp_path / "missing.md", iter(["x"])) is None

    def failing() -> Iterator[str]:
        yield "Z"
        raise RefusedError("a template failed")

    with pytest.raises(RefusedError):  # a difference does not hide a later error
        same_content(target, failing())


def test_the_recorded_generation_time_is_found_across_a_block_boundary(tmp_path: Path) -> None:
    pack = tmp_path / "pack.md"
    record = "- **Generated (UTC):** `2026-11-27T09:00:00Z`\n"
    pack.write_text("x" * ((1 << 20) - 10) + record, encoding="utf-8")
    assert recorded_generation_time_in(pack) == datetime(2026, 11, 27, 9, tzinfo=UTC)
    pack.write_text("nothing recorded\n", encoding="utf-8")
    assert recorded_generation_time_in(pack) is None


def test_check_compares_a_pack_of_several_plans(tmp_path: Path) -> None:
    out = tmp_path / "pack.md"
    args = ["render", *map(str, EXAMPLES), "--audience", "panel", "--out", str(out),
            "--today", TODAY, "--policy", str(POLICY), "--generated", "2026-11-27T09:00:00Z"]
    assert run_rmp(args).exit_code == 0
    assert run_rmp([*args[:-2], "--check"]).exit_code == 0  # the time recorded in the file
    out.write_text(out.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    result = run_rmp([*args, "--check"])
    assert result.exit_code == 1 and "differs" in result.stderr


def test_the_render_job_collects_less_often_and_restores_the_collector() -> None:
    import gc

    from rmp.app.render import fewer_collections

    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold() == (50_000, *before[1:])
    assert gc.get_threshold() == before
