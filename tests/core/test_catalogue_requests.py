"""Catalogue, documents, the three-year archive rule, archive requests and their fulfilment."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import hashlib
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from bscp_desktop.models import Disclosure
from bscp_desktop.services import ConflictError, ValidationError
from bscp_desktop.services.catalogue.catalogue import CatalogueFilter
from bscp_desktop.services.catalogue.requests import RequestInput, valid_email
from tests.conftest import TODAY, fingerprint

D = dt.date


def review_id(svc: Any, ref: str) -> int:
    return svc.reviews.by_reference(ref).id


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


# -- archive rule ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("published", "as_of", "status"),
    [(D(2023, 10, 10), D(2026, 10, 9), "published"), (D(2023, 10, 10), D(2026, 10, 10), "archived"),
     (D(2024, 2, 29), D(2027, 2, 27), "published"), (D(2024, 2, 29), D(2027, 2, 28), "archived")],
)
def test_archive_status_at_the_boundaries(svc: Any, published: dt.date, as_of: dt.date, status: str) -> None:
    assert svc.catalogue.archive_status(published, as_of)[0] == status


def test_catalogue_entries_status_search_and_filters(svc: Any) -> None:
    rows = {r.reference: r for r in svc.catalogue.entries(as_of=D(2026, 10, 10))}
    assert rows["BSCP2020-21/02"].status == "archived" and rows["BSCP2020-21/02"].archive_date == D(2026, 10, 10)
    assert rows["BSCP2021-22/02"].status == "published" and rows["BSCP2021-22/02"].on_website
    assert rows["BSCB 2015-16/04"].status == "archived" and rows["BSCB 2015-16/04"].archive_date is None
    earlier = {r.reference: r for r in svc.catalogue.entries(as_of=D(2026, 10, 9))}
    assert earlier["BSCP2020-21/02"].status == "published"
    assert [r.reference for r in svc.catalogue.entries(CatalogueFilter(text="breaking the cycle"))] == ["BSCP2022-23/02"]
    assert "BSCP2022-23/02" in [r.reference for r in svc.catalogue.entries(CatalogueFilter(text="youth violence"))]
    assert [r.reference for r in svc.catalogue.entries(CatalogueFilter(text="SUDI"))] == ["BSCP2025-26/01"]
    sudi = next(t.id for t in svc.reference_lists.themes() if t.name == "Safe sleep / SUDI")
    assert [r.reference for r in svc.catalogue.entries(CatalogueFilter(theme_id=sudi))] == ["BSCP2025-26/01"]
    assert {r.reference for r in svc.catalogue.entries(CatalogueFilter(kind="dhr"))} == {"BDHR 2013 14/02"}
    assert {r.reference for r in svc.catalogue.entries(CatalogueFilter(year=2024))} == {
        "BSCP2020-21/01", "BSCP2021-22/01", "BSCP2019-20/01", "BSCP2022-23/02"}
    archived = {r.reference for r in svc.catalogue.entries(CatalogueFilter(status="archived"), D(2026, 11, 20))}
    assert "BSCP2020-21/02" in archived and "BSCP2021-22/02" not in archived
    youth = rows["BSCP2022-23/02"]
    assert [t for _, t in youth.briefing_notes] == ["Serious Youth Violence – Breaking the Cycle"]


# -- documents ------------------------------------------------------------------------------------------
def test_documents_add_open_save_remove(svc: Any, tmp_path: Path) -> None:
    rid = review_id(svc, "BSCP2020-21/02")
    pdf_bytes = b"%PDF-1.4 fictional report\n" * 50
    doc = svc.documents.add(write(tmp_path, "report.pdf", pdf_bytes), "report", "Full report", review_id=rid).value
    assert (doc.size, doc.sha256, doc.media_type) == (len(pdf_bytes), hashlib.sha256(pdf_bytes).hexdigest(), "application/pdf")
    assert svc.documents.data(doc.id) == pdf_bytes
    copy = svc.documents.temporary_copy(doc.id)
    assert copy.read_bytes() == pdf_bytes and copy.name == "report.pdf"
    out = svc.documents.save_copy(doc.id, tmp_path / "out.pdf")
    assert out.read_bytes() == pdf_bytes
    with pytest.raises(ValidationError, match="cannot be written"):
        svc.documents.save_copy(doc.id, tmp_path / "missing-folder" / "x.pdf")
    assert [d.file_name for d in svc.documents.for_review(rid)] == ["report.pdf"]
    assert next(r for r in svc.catalogue.entries() if r.id == rid).documents == 1
    with pytest.raises(ConflictError):
        svc.documents.remove(doc.id, doc.version + 1)
    svc.documents.remove(doc.id, doc.version)
    assert svc.documents.for_review(rid) == []


def test_document_problems_save_nothing(svc: Any, tmp_path: Path) -> None:
    rid = review_id(svc, "BSCP2020-21/02")
    svc.documents.add(write(tmp_path, "a.pdf", b"same bytes"), "report", review_id=rid)
    before = fingerprint(svc)
    with pytest.raises(ValidationError, match=r"already stored as “a\.pdf” on BSCP2020-21/02"):
        svc.documents.add(write(tmp_path, "b.pdf", b"same bytes"), "report", review_id=review_id(svc, "BSCP2021-22/02"))
    with pytest.raises(ValidationError, match="cannot be read"):
        svc.documents.add(tmp_path / "nowhere.pdf", "report", review_id=rid)
    with pytest.raises(ValidationError, match="is empty"):
        svc.documents.add(write(tmp_path, "empty.pdf", b""), "report", review_id=rid)
    with pytest.raises(ValidationError, match="Kind"):
        svc.documents.add(write(tmp_path, "c.pdf", b"c"), "memo", review_id=rid)
    assert fingerprint(svc) == before


# -- requests -------------------------------------------------------------------------------------------
def log(svc: Any, refs: tuple[str, ...] = ("BSCP2020-21/02",), received: dt.date = D(2026, 11, 2),
        mail: str = "researcher@example.org") -> Any:
    return svc.requests.log(RequestInput(received, "A Researcher", mail, tuple(review_id(svc, r) for r in refs),
                                         organisation="A University", purpose="Research")).value


def test_request_due_date_across_christmas(svc: Any) -> None:
    r = log(svc, received=D(2025, 12, 1))
    assert r.reference == "AR2025-26/001" and r.due == D(2025, 12, 31)
    # From Fri 19 Dec: 22-24 Dec (3), 29-31 Dec (6), 2 Jan (7; 1 Jan is a holiday), 5-16 Jan (17), 19-21 Jan (20).
    r2 = log(svc, received=D(2025, 12, 19))
    assert r2.due == D(2026, 1, 21) and r2.reference == "AR2025-26/002"


@pytest.mark.parametrize(
    ("change", "field"),
    [({"mail": "not an address"}, "E-mail"), ({"mail": "a@b"}, "E-mail"),
     ({"received": TODAY + dt.timedelta(days=1)}, "Received"), ({"refs": ()}, "Publications")],
)
def test_request_validation(svc: Any, change: dict[str, Any], field: str) -> None:
    before = fingerprint(svc)
    with pytest.raises(ValidationError) as e:
        log(svc, **change)
    assert e.value.field == field
    assert fingerprint(svc) == before


def test_email_check() -> None:
    assert valid_email("first.last+tag@sub.example.org.uk")
    assert not valid_email("Name <a@example.org>") and not valid_email("a@@example.org") and not valid_email("")


def test_request_flags_website_and_repeat(svc: Any) -> None:
    first = log(svc)
    assert first.still_on_website == () and first.repeat_of == ()
    again = log(svc, refs=("BSCP2020-21/02", "BSCP2021-22/02"), mail="RESEARCHER@example.org")
    assert again.repeat_of == (first.reference,)
    assert again.still_on_website == ("BSCP2021-22/02",)  # published 18/12/2025: still on the website


def test_status_transitions(svc: Any) -> None:
    r = log(svc)
    r = svc.requests.acknowledge(r.id, r.version, D(2026, 11, 3)).value
    assert (r.status, r.acknowledged_date) == ("acknowledged", D(2026, 11, 3))
    r = svc.requests.consider(r.id, r.version).value
    assert r.status == "considering" and r.next_statuses() == ("fulfilled", "declined", "withdrawn")
    with pytest.raises(ValidationError, match="cannot become acknowledged"):
        svc.requests.acknowledge(r.id, r.version, D(2026, 11, 4))
    with pytest.raises(ValidationError, match="Reason: is required"):
        svc.requests.decline(r.id, r.version, D(2026, 11, 5), " ")
    r = svc.requests.decline(r.id, r.version, D(2026, 11, 5), "Not held").value
    assert (r.status, r.responded_date, r.decline_reason, r.rag.value) == ("declined", D(2026, 11, 5), "Not held", "Met")
    for move in (lambda: svc.requests.withdraw(r.id, r.version, D(2026, 11, 6)),
                 lambda: svc.requests.consider(r.id, r.version)):
        with pytest.raises(ValidationError, match="cannot become"):
            move()
    w = log(svc)
    w = svc.requests.withdraw(w.id, w.version, D(2026, 11, 10)).value
    assert w.status == "withdrawn"
    x = log(svc)
    with pytest.raises(ValidationError, match="cannot be before the request was received"):
        svc.requests.acknowledge(x.id, x.version, D(2026, 11, 1))
    with pytest.raises(ConflictError):
        svc.requests.consider(x.id, x.version + 1)


# -- fulfilment -----------------------------------------------------------------------------------------
@pytest.fixture
def ready(svc: Any, tmp_path: Path) -> tuple[Any, list[Any], dict[int, bytes]]:
    rid = review_id(svc, "BSCP2020-21/02")
    files = {"Report BSCP2020-21-02.pdf": b"%PDF fictional report " * 200,
             "Briefing note.pdf": b"%PDF fictional briefing " * 90,
             "Presentation.pptx": b"PK fictional slides " * 150}
    kinds = ("report", "briefing-note", "presentation")
    docs = [svc.documents.add(write(tmp_path, n, b), k, review_id=rid).value for (n, b), k in zip(files.items(), kinds, strict=True)]
    req = log(svc)
    return req, docs, {d.id: files[d.file_name] for d in docs}


def test_fulfilment_writes_folder_letter_and_draft(svc: Any, tmp_path: Path, ready: Any) -> None:
    req, docs, contents = ready
    out = tmp_path / "releases"
    release = svc.fulfilment.fulfil(req.id, req.version, [d.id for d in docs], out, D(2026, 11, 20)).value
    assert release.folder == out / "AR2026-27-001 release"
    for d in docs:
        assert (release.folder / d.file_name).read_bytes() == contents[d.id]
    letter = " ".join(p.extract_text() for p in PdfReader(release.cover_letter).pages)
    letter = " ".join(letter.split())
    assert "AR2026-27/001" in letter and "received 02/11/2026" in letter
    for d in docs:
        assert d.file_name in letter and d.sha256[:16] in letter.replace(" ", "")
    msg = email.message_from_bytes(release.draft.read_bytes(), policy=email.policy.default)
    assert msg["To"] == "A Researcher <researcher@example.org>" and "AR2026-27/001" in msg["Subject"]
    attached = {part.get_filename(): part.get_content() for part in msg.iter_attachments()}
    assert set(attached) == {d.file_name for d in docs} | {release.cover_letter.name}
    for d in docs:
        assert attached[d.file_name] == contents[d.id]  # byte for byte
    assert attached[release.cover_letter.name] == release.cover_letter.read_bytes()
    after = svc.requests.get(req.id)
    assert (after.status, after.responded_date, after.rag.value) == ("fulfilled", D(2026, 11, 20), "Met")
    assert sorted((x.file_name, x.sha256, x.recipient) for x in after.disclosures) == sorted(
        (d.file_name, d.sha256, "researcher@example.org") for d in docs)
    with pytest.raises(ValidationError, match="cannot become fulfilled"):
        svc.fulfilment.fulfil(req.id, after.version, [docs[0].id], out)


def test_fulfilment_refuses_documents_not_asked_for(svc: Any, tmp_path: Path, ready: Any) -> None:
    req, docs, _ = ready
    other = svc.documents.add(write(tmp_path, "other.pdf", b"other review"), "report",
                              review_id=review_id(svc, "BSCP2021-22/02")).value
    before = fingerprint(svc)
    with pytest.raises(ValidationError, match="does not belong to a publication asked for"):
        svc.fulfilment.fulfil(req.id, req.version, [docs[0].id, other.id], tmp_path / "rel")
    with pytest.raises(ValidationError, match="choose at least one document"):
        svc.fulfilment.fulfil(req.id, req.version, [], tmp_path / "rel")
    assert fingerprint(svc) == before and not (tmp_path / "rel").exists()


def test_unwritable_folder_records_nothing(svc: Any, tmp_path: Path, ready: Any) -> None:
    req, docs, _ = ready
    blocker = write(tmp_path, "not-a-folder", b"x")
    before = fingerprint(svc)
    with pytest.raises(ValidationError, match="Release folder"):
        svc.fulfilment.fulfil(req.id, req.version, [d.id for d in docs], blocker / "sub")
    assert fingerprint(svc) == before


def test_failure_half_way_records_nothing_and_leaves_no_folder(svc: Any, tmp_path: Path, ready: Any,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    req, docs, _ = ready
    out = tmp_path / "releases"
    before = fingerprint(svc)

    def broken_letter(*_a: Any, **_k: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("bscp_desktop.render.cover_letter.write_cover_letter", broken_letter)
    with pytest.raises(ValidationError, match="nothing was recorded"):
        svc.fulfilment.fulfil(req.id, req.version, [d.id for d in docs], out)
    assert fingerprint(svc) == before and list(out.iterdir()) == []
    monkeypatch.undo()

    def broken_audit(*_a: Any, **_k: Any) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(svc.fulfilment, "audit", broken_audit)
    with pytest.raises(RuntimeError):
        svc.fulfilment.fulfil(req.id, req.version, [d.id for d in docs], out)
    assert fingerprint(svc) == before and list(out.iterdir()) == []
    with svc.db.read() as s:
        assert s.scalars(select(Disclosure)).all() == []


def test_existing_release_folder_is_not_overwritten(svc: Any, tmp_path: Path, ready: Any) -> None:
    req, docs, _ = ready
    (tmp_path / "rel" / "AR2026-27-001 release").mkdir(parents=True)
    with pytest.raises(ValidationError, match="already exists"):
        svc.fulfilment.fulfil(req.id, req.version, [docs[0].id], tmp_path / "rel")


def test_open_requests_have_a_clock(svc: Any) -> None:
    r = log(svc, received=D(2026, 10, 1))  # due 29/10/2026: overdue on 20/11
    clocks = [c for c in svc.clocks.all_clocks() if c.case_kind == "request"]
    assert [(c.reference, c.due, c.rag.value) for c in clocks] == [(r.reference, D(2026, 10, 29), "Overdue")]
    assert r.reference in [c.reference for c in svc.clocks.urgent()]
    svc.requests.decline(r.id, r.version, D(2026, 11, 2), "Not held")
    assert not [c for c in svc.clocks.all_clocks() if c.case_kind == "request"]
    met = [c for c in svc.clocks.all_clocks(open_only=False) if c.case_kind == "request"]
    assert met[0].rag.value == "Met late"
