"""Register queries: text, stage, RAG and year filters, sorting, rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from bscp_desktop.domain.rules import Rag
from bscp_desktop.services import Services
from bscp_desktop.services.registers.registers import RegisterFilter

D = dt.date
AS_OF = D(2026, 11, 20)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path: Path = tmp_path_factory.mktemp("reg") / "r.db"
    svc = Services.open(path, today=lambda: AS_OF)
    svc.demo.build(600, 11, AS_OF)
    yield svc
    svc.close()


def test_all_and_sorted(demo: Any) -> None:
    ids = demo.registers.incident_ids(RegisterFilter())
    assert len(ids) == 600
    rows = demo.registers.incident_rows(ids)
    refs = [(rows[i].local_ref[2:9], int(rows[i].local_ref.split("/")[-1])) for i in ids]
    assert refs == sorted(refs)
    desc = demo.registers.incident_ids(RegisterFilter(sort="aware", descending=True))
    aware = [rows[i].became_aware for i in desc]
    assert aware == sorted(aware, reverse=True)


def test_rag_filters_agree_with_rows(demo: Any) -> None:
    everything = demo.registers.incident_rows(demo.registers.incident_ids(RegisterFilter()))
    for label, rag in (("overdue", Rag.OVERDUE), ("due", Rag.DUE), ("on track", Rag.ON_TRACK)):
        ids = set(demo.registers.incident_ids(RegisterFilter(rag=label)))
        assert ids == {i for i, r in everything.items() if r.rag is rag}
    none = set(demo.registers.incident_ids(RegisterFilter(rag="no open clock")))
    assert none == {i for i, r in everything.items() if r.rag is None}


def test_stage_text_and_year(demo: Any) -> None:
    closed = demo.registers.incident_ids(RegisterFilter(stage="closed"))
    open_ = demo.registers.incident_ids(RegisterFilter(stage="open"))
    assert closed and open_ and not set(closed) & set(open_) and len(closed) + len(open_) == 600
    rows = demo.registers.incident_rows(closed)
    assert {r.stage for r in rows.values()} == {"closed"}
    one = demo.registers.incident_rows(closed[:1])[closed[0]]
    found = demo.registers.incident_ids(RegisterFilter(text=one.local_ref.lower()))
    assert found == [one.id]
    year = demo.registers.incident_years()[0]
    ids = demo.registers.incident_ids(RegisterFilter(year=year))
    assert ids and all(r.local_ref.startswith(f"SI{year}-") for r in demo.registers.incident_rows(ids).values())


def test_reviews_register(demo: Any) -> None:
    all_ids = demo.registers.review_ids(RegisterFilter())
    published = demo.registers.review_ids(RegisterFilter(stage="published"))
    assert set(published) < set(all_ids)
    found = demo.registers.review_ids(RegisterFilter(text="breaking the cycle"))
    assert [demo.registers.review_rows(found)[i].case_reference for i in found] == ["BSCP2022-23/02"]
    due_soon = demo.registers.archive_due(30)
    assert all(r.next_rule == "archive" and r.next_due <= AS_OF + dt.timedelta(days=30) for r in due_soon)
    assert "BSCP2020-21/02" in {r.case_reference for r in due_soon}  # archive date 10/10/2026 has passed
