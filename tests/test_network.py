"""`rmp check` opens no network connection: schemas are bundled and `$ref`s are never fetched.
Every way a socket could reach out is replaced by a tripwire, in this process and in the
worker processes it forks, and a run over many plans (with workers) must not touch one."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, TODAY, run_rmp


class Tripwire(Exception):
    pass


def test_check_opens_no_network_connection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[str] = []
    marker = tmp_path / "network-attempts"

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(repr(args[:2]))
        with marker.open("a", encoding="utf-8") as handle:  # visible across forked workers
            handle.write(repr(args[:2]) + "\n")
        raise Tripwire("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    # enough plans to use worker processes, including ones with schema errors (the path that
    # lists the schema engine's errors)
    for index in range(3):
        for plan in (ROOT / "examples").glob("*.yaml"):
            shutil.copy(plan, tmp_path / f"{index}-{plan.name}")
    broken = (tmp_path / "0-youth-risk-to-children.yaml")
    broken.write_text(broken.read_text("utf-8").replace("status: active", "status: wrong", 1),
                      encoding="utf-8")
    result = run_rmp(["check", str(tmp_path), "--jobs", "2", "--format", "sarif",
                      "--today", TODAY])
    assert result.exit_code == 1  # the broken plan
    assert attempts == []
    assert not marker.exists()
