"""Issue 11 item 10: one file never aborts a whole run. A folder of 1,000 plans (copies of the
examples, all fictional) holds one of each poison the outside review found; every other plan is
still checked and reported, each poisoned file is a finding for that file, and the run exits 1
in the normal time. The gate's `read_file` is also tested on its own."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from rmp.io import gate
from rmp.io.load import MAX_BYTES
from tests.conftest import ROOT, TODAY, run_rmp

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
PLANS = [p for p in EXAMPLES if p.name != "rmp.yaml"]
PLAN_TEXT = PLANS[0].read_text(encoding="utf-8")


def _poison(folder: Path) -> dict[str, str]:
    """Write one file of each poison; returns file name -> the code it must be reported as."""
    (folder / "huge-number.yaml").write_text(PLAN_TEXT + "x-poison: " + "7" * 5000 + "\n",
                                             encoding="utf-8")
    (folder / "zero.yaml").symlink_to("/dev/zero")
    os.mkfifo(folder / "fifo.yaml")
    (folder / "big.yaml").write_bytes(PLAN_TEXT.encode() + b"# " + b"x" * (2 * MAX_BYTES) + b"\n")
    (folder / "nul.yaml").write_bytes(PLAN_TEXT.encode().replace(b"format:", b"\x00format:", 1))
    (folder / "latin1.yaml").write_bytes(PLAN_TEXT.encode() + b"x-note: caf\xe9\n")
    (folder / "deep-flow.yaml").write_text("format: rmp/1\nx-deep: " + "[" * 5000 + "]" * 5000
                                           + "\n", encoding="utf-8")
    (folder / "deep-block.yaml").write_text(
        "format: rmp/1\n" + "".join(" " * i + f"k{i}:\n" for i in range(500)),
        encoding="utf-8")
    return {"huge-number.yaml": "RMP004", "zero.yaml": "RMP001", "fifo.yaml": "RMP001",
            "big.yaml": "RMP001", "nul.yaml": "RMP001", "latin1.yaml": "RMP001",
            "deep-flow.yaml": "RMP004", "deep-block.yaml": "RMP004"}


def test_a_poisoned_folder_is_checked_file_by_file(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    poisons = _poison(folder)
    sources = [p.read_bytes() for p in PLANS]
    for index in range(1000 - len(poisons)):
        (folder / f"plan-{index:04d}.yaml").write_bytes(sources[index % len(sources)])
    started = time.perf_counter()
    result = run_rmp(["check", str(folder), "--format", "json", "--today", TODAY,
                      "--no-policy"])
    elapsed = time.perf_counter() - started
    assert result.exit_code == 1, result.stderr
    files = {Path(f["path"]).name: f for f in result.json()["files"]}
    assert len(files) == 1000
    for name, code in poisons.items():
        codes = [f["code"] for f in files[name]["findings"]]
        assert codes == [code], (name, codes)
    clean = [f for name, f in files.items() if name not in poisons]
    assert len(clean) == 1000 - len(poisons)
    assert all(f["kind"] == "plan" and not f["findings"] for f in clean)
    assert elapsed < 60, elapsed  # about 3 s on a quiet machine; a hang would never finish


def test_the_gate_reads_at_most_the_cap_and_one_byte(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"x" * (3 * MAX_BYTES))
    asked: list[int] = []
    real_read = os.read

    def counting_read(descriptor: int, size: int) -> bytes:
        asked.append(size)
        return real_read(descriptor, size)

    monkeypatch.setattr(os, "read", counting_read)
    raw = gate.read_file(big)
    assert isinstance(raw, bytes) and len(raw) == MAX_BYTES + 1
    assert sum(asked) <= MAX_BYTES + 1


@pytest.mark.parametrize("kind", ["dev-zero", "fifo", "folder", "missing", "dangling"])
def test_the_gate_reads_only_regular_files(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "x.yaml"
    if kind == "dev-zero":
        target.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(target)  # no writer: a blocking open would wait for ever
    elif kind == "folder":
        target.mkdir()
    elif kind == "dangling":
        target.symlink_to(tmp_path / "nowhere")
    raw = gate.read_file(target)
    assert isinstance(raw, str)
    gated = gate.read_plan(target)
    assert [f.code for f in gated.findings] == ["RMP001"]
    assert "cannot read the file" in gated.findings[0].message
