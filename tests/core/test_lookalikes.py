"""Look-alike identifiers: a pseudonym, reference, login, agency or theme name is stored and compared in one
form (NFKC, no invisible format characters, single spaces), so "Child\\u200bA" and "Child\\u00a0A" are "Child A"
and a duplicate of it, and a name of only invisible characters is empty; narrative text keeps its line breaks
and typography and loses only bidirectional controls. Stored text is brought to that form by an upgrade that
leaves the audit log's entries, and so its hash chain, as they were."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from bscp_desktop.domain.vocab import Role
from bscp_desktop.services import Services, ValidationError
from bscp_desktop.services.incidents.children import ChildInput
from bscp_desktop.services.incidents.input import IncidentInput
from bscp_desktop.util.text import identifier, without_bidi_controls
from tests.conftest import write_workbook

D = dt.date
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
RLO = "\u202e"


@pytest.mark.parametrize(("typed", "stored"), [
    ("Child\u200bA", "ChildA"), ("Child\u00a0A", "Child A"), ("  Child   A ", "Child A"),
    ("Ｃｈｉｌｄ Ａ", "Child A"), (f"Child {RLO}A", "Child A"), (ZERO_WIDTH, ""), ("Child\u2003A", "Child A"),
])
def test_identifier_form(typed: str, stored: str) -> None:
    assert identifier(typed) == stored


def test_narrative_keeps_its_lines_and_typography_and_loses_bidi_controls() -> None:
    text = f"Line one – “quoted”\nLine two{RLO} naïve 日本\u00a0x"
    assert without_bidi_controls(text) == "Line one – “quoted”\nLine two naïve 日本\u00a0x"


def test_look_alike_children_are_duplicates_and_invisible_names_are_empty(svc: Any) -> None:
    for lookalike in ("Child\u200bA", "Child\u00a0A", "child a", "ChildA"):
        with pytest.raises(ValidationError) as e:
            svc.incidents.register(IncidentInput(harm="", became_aware=D(2026, 11, 2), children=(
                ChildInput("Child A", "died"), ChildInput(lookalike, "died"))))
        assert "is already used for another child of this incident" in e.value.for_field("Child 2 pseudonym")
    with pytest.raises(ValidationError) as e:
        svc.incidents.register(IncidentInput(ZERO_WIDTH, "died", D(2026, 11, 2)))
    assert e.value.for_field("Pseudonym").startswith("is required")
    v = svc.incidents.register(IncidentInput(f"Child\u00a0{RLO}B", "died", D(2026, 11, 2),
                                             notes=f"First line{RLO}\nSecond “line”")).value
    got = svc.incidents.get(v.id)
    assert got.pseudonym == "Child B" and got.children[0].pseudonym == "Child B"
    assert got.notes == "First line\nSecond “line”"
    from bscp_desktop.services.registers.registers import RegisterFilter

    assert v.id in svc.registers.incident_ids(RegisterFilter(text="Child B"))


def test_agency_theme_and_login_names_are_compared_in_one_form(svc: Any) -> None:
    svc.reference_lists.save_agency(None, None, "Fictional\u00a0Health Trust", "FHT")
    with pytest.raises(ValidationError, match="already on the list"):
        svc.reference_lists.save_agency(None, None, "Fictional\u200b Health  Trust")
    assert "Fictional Health Trust" in {a.name for a in svc.reference_lists.agencies()}
    svc.themes.add("Neglect\u2060 at home")
    with pytest.raises(ValidationError, match="already on the list"):
        svc.themes.add("Neglect at\u00a0home")
    if svc.db.is_sqlite:
        svc.users.add("eve\u200b", Role.EDITOR)
        assert "eve" in {u.login for u in svc.users.list()}


def test_an_import_refuses_an_invisible_pseudonym_and_finds_a_look_alike(svc: Any, tmp_path: Path) -> None:
    svc.incidents.register(IncidentInput("Child A", "died", D(2026, 11, 2)))
    sheet = write_workbook(tmp_path / "lookalikes.xlsx", ["Pseudonym", "Harm", "Became aware", "Notes"], [
        [ZERO_WIDTH, "Died", "02/11/2026", ""],
        ["Child\u00a0A", "Died", "02/11/2026", ""],
        [f"Child {RLO}C", "Died", "03/11/2026", f"note{RLO} kept"],
    ])
    plan = svc.incident_import.check(sheet)
    problems = [(p.line, p.field, p.message.split(":")[0]) for p in plan.problems]
    assert problems[0][:2] == (2, "Pseudonym") and problems[0][2].startswith("is required")
    assert problems[1][:2] == (3, "Pseudonym") and "already in the register" in plan.problems[1].message
    fixed = write_workbook(tmp_path / "ok.xlsx", ["Pseudonym", "Harm", "Became aware", "Notes"],
                           [[f"Child {RLO}C", "Died", "03/11/2026", f"note{RLO} kept"]])
    svc.incident_import.apply(svc.incident_import.check(fixed))
    from bscp_desktop.services.registers.registers import RegisterFilter

    [iid] = svc.registers.incident_ids(RegisterFilter(text="Child C"))
    got = svc.incidents.get(iid)
    assert (got.pseudonym, got.notes) == ("Child C", "note kept")


@pytest.mark.plain_only
def test_the_upgrade_brings_stored_text_to_its_form_and_leaves_the_audit_chain_intact(tmp_path: Path) -> None:
    from bscp_desktop.store.audit_chain import verify_chain
    from tests.core.test_migrations import _register_at

    path = tmp_path / "old.db"
    _register_at(path, "0011")  # an incident (id 1) of "Child A" with its child, written as 0011's program did
    v_id = 1
    con = sqlite3.connect(path)  # what an older program stored, before text had one form
    con.execute("UPDATE incidents SET pseudonym = ?, notes = ? WHERE id = ?", ("Child\u200bX", f"a{RLO}b\nc", v_id))
    con.execute("UPDATE incident_children SET pseudonym = ? WHERE incident_id = ?", ("Child\u00a0X", v_id))
    con.execute("INSERT INTO themes (name, active, version) VALUES (?, 1, 1)", ("Safe sleep / SUDI",))
    con.execute("INSERT INTO themes (name, active, version) VALUES (?, 1, 1)", ("Safe\u00a0sleep / SUDI",))
    con.commit()
    audit_before = con.execute("SELECT id, summary, before, after FROM audit_log ORDER BY id").fetchall()
    con.close()
    svc = Services.open(path, user="sam")
    try:
        got = svc.incidents.get(v_id)
        assert (got.pseudonym, got.children[0].pseudonym, got.notes) == ("ChildX", "Child X", "ab\nc")
        names = [t.name for t in svc.reference_lists.themes()]
        assert names.count("Safe sleep / SUDI") == 1  # the look-alike's form was taken: it is kept as stored
        assert "Safe\u00a0sleep / SUDI" in names
        with svc.db.engine.connect() as conn:  # the log's entries as they were (0013 adds one of its own)
            kept = conn.exec_driver_sql("SELECT id, summary, before, after FROM audit_log ORDER BY id").fetchall()
            assert kept[:len(audit_before)] == audit_before
            assert verify_chain(conn).ok
    finally:
        svc.close()
