"""`rmp import oasys` / `rmp export oasys`: case folders of fictional OASys documents, the
round trip over the examples and over generated plans, and the refusals.

A case folder under tests/cases/oasys/ holds the input documents and case.json:
`options` (option -> file; default --rosh-summary rosh-summary.json), `args`, `exit`,
`stderr` (substrings), `findings` (the sorted rule codes `rmp check` gives the draft: exactly
what the draft leaves open) and `fields` (dotted path -> the value the draft must hold).
Every input text holds SENTINEL, which no message may echo.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rmp.io.gate import gate_bytes
from rmp.io.load import MAX_BYTES
from rmp.model.vocabulary import LEVELS, PILLARS
from rmp.oasys.fields import NARRATIVES
from rmp.oasys.from_plan import rmp_texts, to_arns, to_ords
from rmp.oasys.json_input import BAD_CHAR
from tests.conftest import CASES, ROOT, TODAY, run_rmp

CASE_DIRS = sorted(p for p in (CASES / "oasys").iterdir() if p.is_dir())
EXAMPLES = sorted((ROOT / "examples").glob("*-*.yaml"))


def _at(data: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data


def _codes(plan: Path) -> list[str]:
    report = run_rmp(["check", str(plan), "--format", "json", "--no-policy", "--today", TODAY,
                      "--fail-on", "info"]).json()
    return sorted({f["code"] for f in report["files"][0]["findings"]})


def _import(case: Path, tmp_path: Path, spec: dict[str, Any]) -> tuple[Any, Path]:
    options = spec.get("options", {})
    options.setdefault("--rosh-summary", "rosh-summary.json")
    args = ["import", "oasys"]
    for option, name in options.items():
        args += [option, str(case / name)]
    target = tmp_path / "plan.yaml"
    result = run_rmp([*args, *spec.get("args", []), "--out", str(target), "--today", TODAY])
    return result, target


@pytest.mark.parametrize("case", CASE_DIRS, ids=[p.name for p in CASE_DIRS])
def test_import_case(case: Path, tmp_path: Path) -> None:
    spec = json.loads((case / "case.json").read_text(encoding="utf-8"))
    result, target = _import(case, tmp_path, spec)
    assert result.exit_code == spec["exit"], result.stderr
    for expected in spec.get("stderr", []):
        assert expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "SENTINEL" not in result.stderr
    assert "SENTINEL" not in result.stdout
    if spec["exit"] != 0:
        assert sorted(p.name for p in tmp_path.iterdir()) == [], "a partial file was left"
        return
    gated = gate_bytes(str(target), target.read_bytes())
    assert gated.passed, [f.code for f in gated.findings]
    assert gated.document is not None
    data = gated.document.data
    assert data["plan"]["status"] == "draft"
    for dotted, value in spec.get("fields", {}).items():
        assert _at(data, dotted) == value, dotted
    assert _codes(target) == spec["findings"]


def test_import_never_overwrites(tmp_path: Path) -> None:
    case = CASES / "oasys" / "ords-key-information-spelling"
    target = tmp_path / "plan.yaml"
    target.write_bytes(b"precious\n")
    result = run_rmp(["import", "oasys", "--rosh-summary", str(case / "rosh-summary.json"),
                      "--out", str(target), "--today", TODAY])
    assert result.exit_code == 2 and "already exists" in result.stderr
    assert target.read_bytes() == b"precious\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.yaml"]


def test_import_refuses_a_document_over_the_size_cap(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_text('{"crn": "X1", "assessments": [], "source": "' + "x" * MAX_BYTES + '"}')
    result = run_rmp(["import", "oasys", "--rosh-summary", str(big), "--out",
                      str(tmp_path / "plan.yaml")])
    assert result.exit_code == 1 and "KiB limit" in result.stderr
    assert not (tmp_path / "plan.yaml").exists()


def test_import_usage_errors_exit_2(tmp_path: Path) -> None:
    case = CASES / "oasys" / "ords-key-information-spelling"
    for extra in (["--assessment", "seven"], ["--plan-id", "no spaces"]):
        result = run_rmp(["import", "oasys", "--rosh-summary", str(case / "rosh-summary.json"),
                          "--out", str(tmp_path / "p.yaml"), *extra])
        assert result.exit_code == 2, result.stderr
    missing = run_rmp(["import", "oasys", "--rosh-summary", str(tmp_path / "none.json")])
    assert missing.exit_code == 2 and "cannot read" in missing.stderr


def _round_trip(plan: dict[str, Any], tmp_path: Path, shape: str) -> dict[str, Any]:
    """export -> import (through the CLI) -> the imported plan's data."""
    document = to_ords(plan) if shape == "ords" else to_arns(plan)
    exported = tmp_path / f"export-{shape}.json"
    exported.write_text(json.dumps(document), encoding="utf-8")
    target = tmp_path / f"imported-{shape}.yaml"
    args = ["import", "oasys", "--rosh-summary", str(exported), "--out", str(target),
            "--today", TODAY, "--allow-limited-access"]
    if shape == "ords":
        args += ["--assessment", "1"]
    result = run_rmp(args)
    assert result.exit_code == 0, result.stderr
    gated = gate_bytes(str(target), target.read_bytes())
    assert gated.passed and gated.document is not None
    imported: dict[str, Any] = gated.document.data
    return imported


def _grid(plan: dict[str, Any]) -> dict[str, Any]:
    rosh = plan.get("assessment", {}).get("rosh", {})
    return {g: {s: v for s, v in r.items() if not s.startswith("x-")}
            for g, r in rosh.items() if not g.startswith("x-") and r}


def _assert_round_trip(plan: dict[str, Any], imported: dict[str, Any]) -> None:
    assert _grid(imported) == {g: r for g, r in _grid(plan).items() if r}
    for key in NARRATIVES:
        written = plan.get("assessment", {}).get(key)
        expected = written if isinstance(written, str) and written.strip() else None
        assert imported["assessment"].get(key) == expected, key
    before, after = rmp_texts(plan), rmp_texts(imported)
    for pillar in PILLARS:
        assert after[pillar] == before[pillar], pillar
        titles = [a["title"] for a in imported.get("actions", []) if a["pillar"] == pillar]
        assert titles == ([before[pillar]] if before[pillar] else [])
    assert after["contingency"] == before["contingency"]


def _extension_texts(node: Any, inside: bool = False) -> list[str]:
    """Every text held under an `x-` key."""
    if isinstance(node, dict):
        return [t for k, v in node.items()
                for t in _extension_texts(v, inside or str(k).startswith("x-"))]
    if isinstance(node, list):
        return [t for v in node for t in _extension_texts(v, inside)]
    return [node] if inside and isinstance(node, str) and len(node) > 3 else []


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_examples_export_and_round_trip(example: Path, tmp_path: Path) -> None:
    gated = gate_bytes(str(example), example.read_bytes())
    assert gated.document is not None
    plan = gated.document.data
    for shape in ("ords", "arns"):
        result = run_rmp(["export", "oasys", str(example), "--shape", shape])
        assert result.exit_code == 0, result.stderr
        assert result.json() == json.loads(json.dumps(to_ords(plan) if shape == "ords"
                                                      else to_arns(plan)))
        assert '"x-' not in result.stdout
        for secret in _extension_texts(plan):
            assert secret not in result.stdout
        _assert_round_trip(plan, _round_trip(plan, tmp_path, shape))
    text = run_rmp(["export", "oasys", str(example), "--format", "text"])
    assert text.exit_code == 0 and "R10.5 What factors" in text.stdout
    assert "Victim safety planning" in text.stdout


def test_export_refuses_a_plan_with_schema_errors(tmp_path: Path) -> None:
    plan = tmp_path / "bad.yaml"
    plan.write_text("format: rmp/1\nplan: {id: P1, status: nonsense}\nindividual: {ref: X1}\n")
    result = run_rmp(["export", "oasys", str(plan)])
    assert result.exit_code == 1 and "RMP101" in result.stderr and result.stdout == ""


def test_export_out_is_written_and_never_onto_a_plan(tmp_path: Path) -> None:
    example = EXAMPLES[0]
    out = tmp_path / "export.json"
    assert run_rmp(["export", "oasys", str(example), "--out", str(out)]).exit_code == 0
    json.loads(out.read_text(encoding="utf-8"))
    refused = run_rmp(["export", "oasys", str(example), "--out", str(tmp_path / "x.yaml")])
    assert refused.exit_code == 2


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Cf", "Co")),
                max_size=40).filter(lambda t: not BAD_CHAR.search(t)) | st.sampled_from(
                    ["", " ", "Line one\nline two\n", "a  \n b"])
_LEVEL = st.sampled_from(LEVELS)


@st.composite
def plans(draw: st.DrawFn) -> dict[str, Any]:
    """Schema-valid plans with a generated RoSH grid, R10 narratives and pillar actions."""
    rosh: dict[str, Any] = {}
    for group in ("children", "public", "known_adult", "staff"):
        settings_ = draw(st.dictionaries(st.sampled_from(["community", "custody"]), _LEVEL))
        if settings_:
            rosh[group] = settings_
    if draw(st.booleans()):
        rosh["prisoners"] = {"custody": draw(_LEVEL)}
    assessment: dict[str, Any] = {"rosh": rosh}
    for key in NARRATIVES:
        if draw(st.booleans()):
            assessment[key] = draw(_TEXT)
    actions = [{"id": f"A{n}", "pillar": draw(st.sampled_from(PILLARS)),
                "title": draw(_TEXT.filter(lambda t: t.strip() != ""))}
               for n in range(1, draw(st.integers(0, 4)) + 1)]
    return {"format": "rmp/1", "plan": {"id": "P-1", "status": "draft"},
            "individual": {"ref": "X1"}, "assessment": assessment, "actions": actions}


@settings(max_examples=20)
@given(plan=plans(), shape=st.sampled_from(["ords", "arns"]))
def test_generated_plans_round_trip(plan: dict[str, Any], shape: str,
                                    tmp_path_factory: pytest.TempPathFactory) -> None:
    tmp_path = tmp_path_factory.mktemp("trip")
    raw = json.dumps(plan, ensure_ascii=False).encode("utf-8")
    assert gate_bytes("generated.yaml", raw).passed
    _assert_round_trip(plan, _round_trip(plan, tmp_path, shape))
