"""The one reading of a plan's RoSH and of its evidence (rmp.model.view, rmp.model.evidence):
the current RoSH near release, the overall RoSH, information held, floors, escalation,
life-threatening offences, predictor floors and the indicated level the protective rules read."""

from __future__ import annotations

from datetime import date
from typing import Any

from rmp.model.view import PlanView, overall_rosh
from rmp.policy.load import defaults

TODAY = date(2026, 11, 27)
READING = defaults().reading


def _view(**assessment: Any) -> PlanView:
    setting = assessment.pop("setting", "community")
    sentence = assessment.pop("sentence", None)
    individual: dict[str, Any] = {"ref": "T1", "setting": setting}
    if sentence:
        individual["sentence"] = sentence
    data = {"format": "rmp/1", "plan": {"id": "P1", "status": "draft"},
            "individual": individual, "assessment": assessment}
    return PlanView(data, TODAY, READING)


def test_the_current_rosh_reads_the_setting_and_both_settings_near_release() -> None:
    rosh = {"public": {"community": "high", "custody": "low"}}
    assert _view(rosh=rosh, setting="custody").current_rosh("public") == "low"
    far = _view(rosh=rosh, setting="custody", sentence={"release": "2027-06-01"})
    assert far.current_rosh("public") == "low"
    near = _view(rosh=rosh, setting="custody", sentence={"release": "2027-01-15"})
    assert near.near_release and near.current_rosh("public") == "high"
    assert near.overall_rosh == "high"


def test_the_overall_rosh_is_the_highest_current_rating_or_written_higher() -> None:
    rosh = {"public": {"community": "medium", "custody": "high"}}
    assert _view(rosh=rosh).overall_rosh == "medium"
    assert _view(rosh=rosh, overall_rosh="high").overall_rosh == "high"
    assert _view(rosh=rosh, overall_rosh="low").overall_rosh == "medium"
    data = {"assessment": {"rosh": rosh}, "individual": {"setting": "community"}}
    assert overall_rosh(data, TODAY) == "medium"


def test_information_held_sets_floors_for_the_groups_it_points_to() -> None:
    view = _view(
        rosh={"known_adult": {"community": "low"}, "children": {"community": "low"}},
        sources=[
            {"id": "SRC1", "kind": "police-check", "result": "information-held",
             "shows": ["domestic-abuse"]},
            {"id": "SRC2", "kind": "intelligence", "result": "information-held",
             "shows": ["child-abuse"], "about": ["public"]},
            {"id": "SRC3", "kind": "police-check", "result": "no-trace"},
        ])
    assert [s.id for s in view.information_held] == ["SRC1", "SRC2"]
    assert view.evidence_level("known_adult") == "medium"
    assert view.evidence_level("children") == "medium"
    assert view.evidence_level("public") == "medium"
    assert view.indicated_rosh("known_adult") == "medium"
    assert view.indicated_overall_rosh == "medium" and view.overall_rosh == "low"
    assert view.da_indicated and view.children_indicated


def test_escalating_harms_set_the_escalation_floor() -> None:
    view = _view(rosh={"known_adult": {"community": "medium"}}, sources=[
        {"id": "SRC1", "shows": ["domestic-abuse", "stalking-harassment"]}])
    assert view.evidence_level("known_adult") == "high"


def test_offences_domestic_abuse_and_life_threatening() -> None:
    view = _view(rosh={"public": {"community": "low"}}, offences=[
        {"id": "OFF1", "domestic_abuse": True, "date": "2025-01-01"},
        {"id": "OFF2", "life_threatening": True, "date": "2020-01-01"},
        {"id": "OFF3", "life_threatening": True, "date": "2010-01-01", "against": ["staff"]},
    ])
    assert view.evidence_level("known_adult") == "medium"
    assert view.evidence_level("public") == "high"
    assert view.evidence_level("staff") is None  # older than offence_floor_years
    assert [o.id for o in view.life_threatening_offences] == ["OFF2"]


def test_predictor_floors_apply_to_the_overall_rosh_and_prisoners_are_skipped_outside() -> None:
    view = _view(rosh={"public": {"community": "low"}},
                 tools=[{"name": "ovp", "band": "very-high"}],
                 sources=[{"id": "SRC1", "shows": ["weapons"], "about": ["prisoners"]}])
    assert view.overall_evidence_level == "high"
    assert view.evidence_level("prisoners") is None
    assert view.indicated_current_rosh == "low"
