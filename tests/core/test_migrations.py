"""Migrations: the previous schema upgrades with data intact; a newer database is refused; models and
revisions agree; a backup is made first."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from bscp_desktop.domain.vocab import Role
from bscp_desktop.models import Base
from bscp_desktop.services import Services
from bscp_desktop.store.engine import Database, resolve_url
from bscp_desktop.store.migrate import DatabaseTooNew, current_revision, head_revision, upgrade


def test_models_match_the_migrations(db_path: Path) -> None:
    db = Database(resolve_url(db_path))
    upgrade(db)
    with db.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    db.dispose()


def test_previous_schema_upgrades_with_data_intact(db_path: Path, tmp_path: Path) -> None:
    db = Database(resolve_url(db_path))
    upgrade(db, target="0001")
    assert current_revision(db) == "0001"
    assert "documents" not in inspect(db.engine).get_table_names()
    con = sqlite3.connect(db_path)
    con.executescript("""
        INSERT INTO agencies (id, name, short_name, active, version) VALUES (1, 'West Midlands Police', 'WMP', 1, 1);
        INSERT INTO incidents (id, local_ref, financial_year, sequence, pseudonym, age_band, sex, ethnicity, harm,
            categories, incident_date, became_aware, notified_date, panel_reference, local_authority, lead_officer,
            stage, closed_date, closed_reason, notes, created_at, version)
        VALUES (1, 'SI2025-26/001', 2025, 1, 'Child A', 'under 1', 'female', '', 'died', '["neglect"]', NULL,
            '2025-12-19', '2025-12-22', 'NP-1', 'Birmingham City Council', '', 'review', NULL, '', '',
            '2025-12-19 09:00:00', 3);
        INSERT INTO rapid_reviews (id, incident_id, meeting_date, sent_date, decision, decision_date,
            decision_reasons, immediate_learning, panel_response_date, panel_view, version)
        VALUES (1, 1, '2026-01-12', '2026-01-14', 'lcspr', '2026-01-12', '', '', NULL, '', 2);
        INSERT INTO rapid_review_agencies VALUES (1, 1);
        INSERT INTO reviews (id, kind, case_reference, title, summary, decision_date, reviewer,
            planned_publication_date, final_report_date, advance_copy_date, publication_date, status,
            unpublished_reason, notes, created_at, version)
        VALUES (1, 'lcspr', 'BSCB 2015-16/04', 'Old review', '', '2026-01-12', '', NULL, NULL, NULL, NULL,
            'commissioned', '', '', '2026-01-12 10:00:00', 1);
        INSERT INTO review_incidents VALUES (1, 1);
    """)
    con.commit()
    con.close()
    db.dispose()

    svc = Services.open(db_path)
    assert svc.migration is not None and (svc.migration.before, svc.migration.after) == ("0001", head_revision())
    assert svc.migration.backup is not None and svc.migration.backup.exists()
    backup = sqlite3.connect(svc.migration.backup)
    assert backup.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    backup.close()
    inc = svc.incidents.get(1)
    assert (inc.local_ref, inc.pseudonym, inc.categories, inc.version, inc.stage) == (
        "SI2025-26/001", "Child A", ("neglect",), 3, "review")
    assert inc.rapid_review is not None and inc.rapid_review.agency_ids == (1,)
    review = svc.reviews.get(1)
    assert (review.case_reference, review.website_removed_date, review.national_repository_url) == (
        "BSCB 2015-16/04", None, "")
    assert [i.local_ref for i in review.incidents] == ["SI2025-26/001"]
    assert svc.db.busy_note() == ""  # 0005's table of long writes is there, empty
    with svc.db.engine.connect() as conn:  # foreign keys back on and consistent
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
    svc.close()


def test_database_newer_than_the_program_is_refused(db_path: Path) -> None:
    db = Database(resolve_url(db_path))
    upgrade(db)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    db.dispose()
    with pytest.raises(DatabaseTooNew, match="newer version of bscp-desktop"):
        Services.open(db_path)


def test_new_database_needs_no_backup(db_path: Path) -> None:
    svc = Services.open(db_path)
    assert svc.migration is not None and svc.migration.before is None and svc.migration.backup is None
    again = Services.open(db_path)
    assert again.migration is not None and not again.migration.changed
    svc.close()
    again.close()


@pytest.mark.sqlite_only
def test_sqlite_pragmas(svc: object) -> None:
    with svc.db.engine.connect() as conn:  # type: ignore[attr-defined]
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000


def test_revision_files_are_numbered_as_alembic_sees_them() -> None:
    from alembic.script import ScriptDirectory

    from bscp_desktop.store.migrate import MIGRATIONS, alembic_config, newest_revision_file

    scripts = list(ScriptDirectory.from_config(alembic_config()).walk_revisions())
    assert {s.revision for s in scripts} == {p.name.split("_", 1)[0] for p in (MIGRATIONS / "versions").glob("0*.py")}
    assert newest_revision_file() == head_revision()
    assert all(s.down_revision is None or int(s.down_revision) == int(s.revision) - 1 for s in scripts)


def test_current_database_starts_without_alembic(db_path: Path) -> None:
    import subprocess
    import sys

    Services.open(db_path).close()
    code = ("import sys\nfrom bscp_desktop.services import Services\n"
            f"s = Services.open(r'{db_path}')\nassert not s.migration.changed\n"
            "assert not [m for m in sys.modules if m.startswith('alembic')], 'alembic imported'\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr


def test_0007_reads_the_register_users_from_the_audit_log(db_path: Path) -> None:
    """An existing register keeps everyone who worked in it: whoever made its first entry becomes its
    administrator, every other login in the log an editor; its records and its audit chain are intact."""
    db = Database(resolve_url(db_path))
    upgrade(db, target="0005")
    db.dispose()
    con = sqlite3.connect(db_path)
    con.executescript("""
        INSERT INTO incidents (id, local_ref, financial_year, sequence, pseudonym, age_band, sex, ethnicity, harm,
            categories, incident_date, became_aware, notified_date, panel_reference, local_authority, lead_officer,
            stage, closed_date, closed_reason, notes, created_at, version)
        VALUES (1, 'SI2025-26/001', 2025, 1, 'Child A', 'under 1', 'female', '', 'died', '[]', NULL,
            '2025-12-19', NULL, '', 'Birmingham City Council', '', 'notification', NULL, '', '',
            '2025-12-19 09:00:00', 1);
        INSERT INTO audit_log (id, at, user, action, entity, entity_id, summary, before, after) VALUES
            (1, '2025-12-19 09:00:00', 'sam', 'create incident', 'incident', '1', 'SI2025-26/001', NULL, NULL),
            (2, '2025-12-20 10:00:00', 'alex', 'update incident', 'incident', '1', 'SI2025-26/001', NULL, NULL),
            (3, '2025-12-21 11:00:00', 'sam', 'update incident', 'incident', '1', 'SI2025-26/001', NULL, NULL),
            (4, '2025-12-22 12:00:00', 'jo', 'add closure day', 'closure_day', '1', '24/12/2025', NULL, NULL);
    """)
    con.commit()
    con.close()

    svc = Services.open(db_path, user="sam")
    try:
        assert svc.migration is not None and svc.migration.before == "0005"
        assert [(u.login, u.role, u.added_by) for u in svc.users.list()] == [
            ("alex", Role.EDITOR, "(upgrade)"), ("jo", Role.EDITOR, "(upgrade)"), ("sam", Role.ADMIN, "(upgrade)")]
        assert svc.users.role() is Role.ADMIN
        assert svc.incidents.get(1).pseudonym == "Child A"
        chain = svc.audit_log.verify()
        assert chain.ok and chain.entries == 5  # and 0013's own entry, sealing them anew
        assert svc.retention.holds() == [] and svc.retention.disposals() == []
    finally:
        svc.close()
    alex = Services.open(db_path, user="alex")
    try:
        assert alex.users.role() is Role.EDITOR
    finally:
        alex.close()


def test_0008_adds_publication_holds_to_reviews_holding_data(db_path: Path) -> None:
    """Reviews upgraded to 0008 keep everything and are held by nothing; a hold can then be placed."""
    import datetime as dt

    from bscp_desktop.domain.vocab import PublicationHoldKind
    from bscp_desktop.services.reviews.publication_holds import PublicationHoldInput

    db = Database(resolve_url(db_path))
    upgrade(db, target="0007")
    db.dispose()
    con = sqlite3.connect(db_path)
    con.executescript("""
        INSERT INTO reviews (id, kind, case_reference, title, summary, decision_date, reviewer,
            planned_publication_date, final_report_date, advance_copy_date, publication_date, status,
            unpublished_reason, website_removed_date, national_repository_url, notes, created_at, next_rule,
            next_due, version)
        VALUES (1, 'lcspr', 'BSCP2025-26/03', 'A fictional review', '', '2026-02-02', '', NULL, NULL, NULL, NULL,
            'commissioned', '', NULL, '', 'Kept', '2026-02-02 10:00:00', 'lcspr-publication', '2026-08-02', 4);
    """)
    con.commit()
    con.close()
    svc = Services.open(db_path, user="sam", today=lambda: dt.date(2026, 11, 20))
    try:
        assert svc.migration is not None and svc.migration.before == "0007"
        r = svc.reviews.get(1)
        assert (r.case_reference, r.title, r.notes, r.version) == ("BSCP2025-26/03", "A fictional review", "Kept", 4)
        assert svc.publication_holds.for_review(1) == []
        clock = next(c for c in svc.clocks.for_review(1) if c.rule_id == "lcspr-publication")
        assert clock.due == dt.date(2026, 8, 2)
        svc.publication_holds.add(1, 4, PublicationHoldInput(PublicationHoldKind.INQUEST, dt.date(2026, 3, 2)))
        clock = next(c for c in svc.clocks.for_review(1) if c.rule_id == "lcspr-publication")
        assert clock.rag.value == "On hold" and clock.note == "Inquest since 02/03/2026"
    finally:
        svc.close()


def test_0009_adds_the_checklist_to_reviews_holding_data(db_path: Path) -> None:
    """A review upgraded to 0009 keeps everything, with no checklist step recorded; one can then be."""
    import datetime as dt

    from bscp_desktop.domain.vocab import ChecklistStep

    db = Database(resolve_url(db_path))
    upgrade(db, target="0008")
    db.dispose()
    con = sqlite3.connect(db_path)
    con.executescript("""
        INSERT INTO reviews (id, kind, case_reference, title, summary, decision_date, reviewer,
            planned_publication_date, final_report_date, advance_copy_date, publication_date, status,
            unpublished_reason, website_removed_date, national_repository_url, notes, created_at, next_rule,
            next_due, held_days, held_since, held_kinds, version)
        VALUES (1, 'lcspr', 'BSCP2025-26/04', 'A fictional review', '', '2026-02-02', '', NULL, NULL, '2026-07-20',
            NULL, 'final-report', '', NULL, '', '', '2026-02-02 10:00:00', 'lcspr-publication', '2026-08-14', 12,
            NULL, '', 6);
    """)
    con.commit()
    con.close()
    svc = Services.open(db_path, user="sam", today=lambda: dt.date(2026, 11, 20))
    try:
        r = svc.reviews.get(1)
        assert (r.case_reference, r.status, r.advance_copy_date, r.version) == (
            "BSCP2025-26/04", "final-report", dt.date(2026, 7, 20), 6)
        steps = {v.step: v for v in svc.checklist.for_review(1).steps}
        assert steps[ChecklistStep.ADVANCE_COPY].done and not steps[ChecklistStep.FAMILY].done
        svc.checklist.record(1, ChecklistStep.FAMILY, dt.date(2026, 11, 2))
        assert next(v for v in svc.checklist.for_review(1).steps if v.step is ChecklistStep.FAMILY).done
        clock = next(c for c in svc.clocks.for_review(1) if c.rule_id == "lcspr-publication")
        assert clock.due == dt.date(2026, 8, 14)  # 02/08 + the 12 days held, as stored
    finally:
        svc.close()


def test_0010_moves_each_incidents_child_and_agencies_into_their_tables(db_path: Path) -> None:
    """A register at 0009 holding incidents (each with its one child) and a Rapid Review with contributing
    agencies upgrades to 0010 with every child and every field kept: the child becomes the incident's first
    child, the agencies become returns answered by the meeting, and the clocks run as before."""
    import datetime as dt

    db = Database(resolve_url(db_path))
    upgrade(db, target="0009")
    db.dispose()
    con = sqlite3.connect(db_path)
    con.executescript("""
        INSERT INTO agencies (id, name, short_name, active, version) VALUES (1, 'West Midlands Police', 'WMP', 1, 1),
            (2, 'Birmingham Children''s Trust', 'BCT', 1, 1);
        INSERT INTO incidents (id, local_ref, financial_year, sequence, pseudonym, age_band, sex, ethnicity, harm,
            categories, incident_date, became_aware, notified_date, panel_reference, local_authority, lead_officer,
            stage, closed_date, closed_reason, notes, created_at, next_rule, next_due, version)
        VALUES (1, 'SI2026-27/001', 2026, 1, 'Child A', 'under 1', 'female', 'White British', 'died', '["neglect"]',
            '2026-09-30', '2026-10-01', '2026-10-05', 'NP-1', 'Birmingham City Council', 'Officer 1', 'decision',
            NULL, '', 'Kept note', '2026-10-01 09:00:00', '', NULL, 5),
            (2, 'SI2026-27/002', 2026, 2, 'Child B', '10-15', 'male', 'Mixed – White and Black Caribbean',
            'seriously harmed', '[]', NULL, '2026-11-16', NULL, '', 'Birmingham City Council', '', 'notification',
            NULL, '', '', '2026-11-16 09:00:00', 'notification', '2026-11-23', 1);
        INSERT INTO rapid_reviews (id, incident_id, meeting_date, sent_date, decision, decision_date,
            decision_reasons, immediate_learning, panel_response_date, panel_view, version)
        VALUES (1, 1, '2026-10-16', '2026-10-20', '', NULL, '', 'Shared at once', NULL, '', 2);
        INSERT INTO rapid_review_agencies VALUES (1, 1), (1, 2);
    """)
    con.commit()
    con.close()
    svc = Services.open(db_path, user="sam", today=lambda: dt.date(2026, 11, 20))
    try:
        assert svc.migration is not None and svc.migration.before == "0009"
        a = svc.incidents.get(1)
        assert (a.local_ref, a.pseudonym, a.harm, a.categories, a.notes, a.lead_officer, a.version, a.stage) == (
            "SI2026-27/001", "Child A", "died", ("neglect",), "Kept note", "Officer 1", 5, "decision")
        [child] = a.children
        assert (child.position, child.pseudonym, child.harm, child.age_band, child.sex, child.ethnicity) == (
            1, "Child A", "died", "under 1", "female", "White British")
        assert (child.disability, child.looked_after, child.cp_plan, child.cin_plan, child.known_to_services,
                child.home_local_authority) == ("not known",) * 5 + ("",)
        assert (a.notification_reason, a.abuse_suspected, a.rapid_review_required) == ("serious-incident", True, True)
        rr = a.rapid_review
        assert rr is not None and (rr.meeting_date, rr.sent_date, rr.immediate_learning, rr.version) == (
            dt.date(2026, 10, 16), dt.date(2026, 10, 20), "Shared at once", 2)
        assert [(r.agency, r.asked_on, r.answered_on) for r in rr.returns] == [
            ("West Midlands Police", dt.date(2026, 10, 5), dt.date(2026, 10, 16)),
            ("Birmingham Children's Trust", dt.date(2026, 10, 5), dt.date(2026, 10, 16))]
        assert rr.agreements == () and rr.agency_ids == (1, 2)
        b = svc.incidents.get(2)
        assert [(c.pseudonym, c.age_band, c.sex, c.ethnicity, c.harm) for c in b.children] == [
            ("Child B", "10-15", "male", "Mixed – White and Black Caribbean", "seriously harmed")]
        assert [c.rule_id for c in svc.clocks.for_incident(1)] == ["notification", "rapid-review"]
        assert svc.incidents.get(2).children[0].id != child.id
        with svc.db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
            assert "rapid_review_agencies" not in inspect(conn).get_table_names()
            assert "age_band" not in {c["name"] for c in inspect(conn).get_columns("incidents")}
    finally:
        svc.close()


def _register_at(db_path: Path, revision: str) -> None:
    """A register at ``revision`` holding two incidents (one with its child) and a setting, written with SQL as
    the program of that revision would have."""
    db = Database(resolve_url(db_path))
    upgrade(db, target=revision)
    db.dispose()
    con = sqlite3.connect(db_path)
    con.executescript("""
        INSERT INTO incidents (id, local_ref, financial_year, sequence, pseudonym, harm, categories,
            incident_date, became_aware, notified_date, panel_reference, local_authority, lead_officer, stage,
            closed_date, closed_reason, notes, created_at, next_rule, next_due, version, child_count,
            notification_reason, abuse_suspected, rapid_review_chosen, rapid_review_required)
        VALUES (1, 'SI2026-27/001', 2026, 1, 'Child A', 'died', '[]', NULL, '2026-11-02', NULL, '',
            'Birmingham City Council', '', 'notification', NULL, '', 'Kept note', '2026-11-02 09:00:00',
            'notification', '2026-11-09', 1, 1, 'serious-incident', 1, 0, 1);
        INSERT INTO incident_children (id, incident_id, position, pseudonym, harm, age_band, sex, ethnicity,
            disability, looked_after, cp_plan, cin_plan, known_to_services, home_local_authority, version)
        VALUES (1, 1, 1, 'Child A', 'died', 'under 1', 'female', '', 'Not known', 'Not known', 'Not known',
            'Not known', 'Not known', '', 1);
        INSERT INTO settings (key, value, version) VALUES ('partnership_name', 'Fictional Partnership', 1);
        INSERT INTO audit_log (id, at, user, action, entity, entity_id, summary, before, after, prev_hash,
            entry_hash) VALUES (1, '2026-11-02 09:00:00.000000', 'sam', 'register incident', 'incident', '1',
            'SI2026-27/001', NULL, '{"pseudonym": "Child A"}', '', '');
    """)
    con.commit()
    con.close()


def test_0011_gives_a_register_holding_data_an_id_of_its_own(db_path: Path) -> None:
    """A register at 0010 holding incidents and settings upgrades to 0011 with every row as it was, and a
    register id (a new one per register) that names the folder its copy before the upgrade was filed in."""
    from bscp_desktop.store.copies import copies_folder, register_id

    _register_at(db_path, "0010")
    with sqlite3.connect(db_path) as con:  # every column the register had then, row by row
        columns = {t: ", ".join(r[1] for r in con.execute(f"PRAGMA table_info({t})"))
                   for t in ("incidents", "incident_children")}
        before = {t: con.execute(f"SELECT {c} FROM {t} ORDER BY 1").fetchall() for t, c in columns.items()}
    upgraded = Services.open(db_path, user="sam")
    try:
        register = register_id(upgraded.db)
        assert register is not None and len(register) == 32
        assert upgraded.incidents.get(1).pseudonym == "Child A" and upgraded.incidents.get(1).notes == "Kept note"
        assert upgraded.cached_settings().partnership_name == "Fictional Partnership"
        assert upgraded.migration is not None and upgraded.migration.backup is not None
        assert upgraded.migration.backup.parent == copies_folder(register)
    finally:
        upgraded.close()
    with sqlite3.connect(db_path) as con:
        after = {t: con.execute(f"SELECT {c} FROM {t} ORDER BY 1").fetchall() for t, c in columns.items()}
    assert after == before
    other = Services.open(db_path.with_name("other.db"))
    assert register_id(other.db) not in (None, register)
    other.close()


def test_0013_seals_the_old_log_anew_and_says_so(db_path: Path) -> None:
    """The entries of a register at 0012 move to the digest form: the chain verifies, every entry keeps its
    values, and one more entry records the old chain's head and state."""
    import json

    from bscp_desktop.store.audit_chain import entry_hash_before_0013

    _register_at(db_path, "0012")
    import datetime as dt

    with sqlite3.connect(db_path) as con:
        row = con.execute("SELECT at, user, action, entity, entity_id, summary, before, after FROM audit_log").fetchone()
        old_head = entry_hash_before_0013(row[1], dt.datetime.fromisoformat(row[0]), row[2], row[3], row[4], row[5],
                                          None, json.loads(row[7]), "0" * 64)
        con.execute("UPDATE audit_log SET prev_hash = ?, entry_hash = ?", ("0" * 64, old_head))
    svc = Services.open(db_path, user="sam")
    try:
        chain = svc.audit_log.verify()
        assert chain.ok and chain.entries == 2
        with svc.db.engine.connect() as conn:
            first, last = conn.exec_driver_sql('SELECT after, before, action FROM audit_log ORDER BY id').fetchall()
        assert json.loads(first[0]) == {"pseudonym": "Child A"}
        assert last[2] == "audit log sealed anew"
        assert json.loads(last[1]) == {"entries": 1, "head": old_head, "state": "intact"}
    finally:
        svc.close()
