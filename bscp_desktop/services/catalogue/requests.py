"""Archive requests: log a request for archived publications, follow it through its statuses within the
``archive-request`` clock, and flag what needs a second look (a review still on the website, a repeat request
from the same address). Fulfilment, which releases documents, is in ``fulfilment.py``."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from bscp_desktop.domain.case_numbers import financial_year_label, financial_year_start
from bscp_desktop.domain.rules import Rag, due_date, rag
from bscp_desktop.domain.vocab import (
    FINISHED_REQUESTS,
    REQUEST_CHANNELS,
    REQUEST_STATUSES,
    REQUEST_TRANSITIONS,
    CatalogueStatus,
    RequestStatus,
    ReviewStatus,
    Role,
)
from bscp_desktop.services.core.base import Manager, snapshot
from bscp_desktop.services.core.changes import Changes, Op
from bscp_desktop.services.core.errors import Checker, ValidationError
from bscp_desktop.services.core.permissions import requires

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bscp_desktop.models import ArchiveRequest

EMAIL = re.compile(r"^[^@\s<>(),;:\"\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
_FIELDS = ["status", "acknowledged_date", "responded_date", "decline_reason", "notes"]


def valid_email(text: str) -> bool:
    """A plausible single e-mail address (no display name)."""
    return bool(EMAIL.match(text.strip()))


@dataclass(frozen=True)
class RequestInput:
    """What the request form collects."""

    received_date: dt.date | None
    requester_name: str
    email: str
    review_ids: tuple[int, ...]
    channel: str = "e-mail"
    organisation: str = ""
    role: str = ""
    purpose: str = ""
    notes: str = ""


@dataclass(frozen=True)
class RequestedReview:
    """A publication asked for, and whether it is still on the website (then it needs no release)."""

    id: int
    reference: str
    title: str
    on_website: bool


@dataclass(frozen=True)
class DisclosureView:
    """One document version released."""

    file_name: str
    sha256: str
    recipient: str
    released_at: dt.datetime
    released_by: str


@dataclass(frozen=True)
class RequestView:
    """A request with its clock, flags and disclosures."""

    id: int
    version: int
    reference: str
    received_date: dt.date
    channel: str
    requester_name: str
    organisation: str
    role: str
    email: str
    purpose: str
    status: str
    acknowledged_date: dt.date | None
    responded_date: dt.date | None
    decline_reason: str
    notes: str
    reviews: tuple[RequestedReview, ...]
    due: dt.date
    rag: Rag
    repeat_of: tuple[str, ...]
    disclosures: tuple[DisclosureView, ...]

    @property
    def status_label(self) -> str:
        """The status as staff read it."""
        return REQUEST_STATUSES.get(self.status, self.status)

    @property
    def still_on_website(self) -> tuple[str, ...]:
        """References asked for that are still on the website."""
        return tuple(r.reference for r in self.reviews if r.on_website)

    def next_statuses(self) -> tuple[str, ...]:
        """Where the request can go from here."""
        return REQUEST_TRANSITIONS.get(self.status, ())


class RequestManager(Manager):
    """Archive requests."""

    @requires(Role.EDITOR, "log an archive request")
    def log(self, data: RequestInput) -> Op[RequestView]:
        """Log a new request, numbered within the financial year it was received (``AR2026-27/004``)."""
        from bscp_desktop.models import ArchiveRequest, Review

        self._validate(data)
        assert data.received_date is not None
        fy = financial_year_start(data.received_date)
        with self.db.write() as s:
            reviews = list(s.scalars(select(Review).where(Review.id.in_(data.review_ids))))
            if len(reviews) != len(set(data.review_ids)):
                raise ValidationError.one("Publications", "one of the publications no longer exists")
            seq = self.next_number(s, f"request:{fy}", lambda: self.highest_sequence(s, fy))
            req = ArchiveRequest(
                reference=f"AR{financial_year_label(fy)}/{seq:03d}", received_date=data.received_date,
                channel=data.channel, requester_name=data.requester_name.strip(),
                organisation=data.organisation.strip(), role=data.role.strip(), email=data.email.strip(),
                purpose=data.purpose.strip(), notes=data.notes.strip(), status=RequestStatus.RECEIVED, reviews=reviews)
            s.add(req)
            s.flush()
            self.audit(s, "log archive request", "request", req.id, req.reference, None,
                       snapshot(req, ["reference", "received_date", "requester_name", "organisation", "email"])
                       | {"reviews": sorted(r.case_reference or "" for r in reviews)})
            view = self._view(s, req)
        return Op(view, Changes().add("request", view.id))

    def get(self, request_id: int) -> RequestView:
        """One request."""
        from bscp_desktop.models import ArchiveRequest

        with self.db.read() as s:
            return self._view(s, self.load(s, ArchiveRequest, "archive request", request_id))

    def all(self, status: str = "", text: str = "") -> list[RequestView]:
        """Requests, newest first; ``status`` "open" for those not yet finished."""
        from sqlalchemy.orm import selectinload

        from bscp_desktop.models import ArchiveRequest

        q = select(ArchiveRequest).options(selectinload(ArchiveRequest.reviews))
        if status == "open":
            q = q.where(ArchiveRequest.status.not_in(FINISHED_REQUESTS))
        elif status:
            q = q.where(ArchiveRequest.status == status)
        if text.strip():
            like = f"%{text.strip()}%"
            q = q.where(ArchiveRequest.reference.ilike(like) | ArchiveRequest.requester_name.ilike(like)
                        | ArchiveRequest.organisation.ilike(like) | ArchiveRequest.email.ilike(like))
        with self.db.read() as s:
            return [self._view(s, r) for r in
                    s.scalars(q.order_by(ArchiveRequest.received_date.desc(), ArchiveRequest.id.desc()))]

    @requires(Role.EDITOR, "acknowledge an archive request")
    def acknowledge(self, request_id: int, version: int, on: dt.date | None) -> Op[RequestView]:
        """Record that the request was acknowledged."""
        return self._move(request_id, version, RequestStatus.ACKNOWLEDGED, on, "Acknowledged on")

    @requires(Role.EDITOR, "consider an archive request")
    def consider(self, request_id: int, version: int) -> Op[RequestView]:
        """Mark the request as under consideration."""
        return self._move(request_id, version, RequestStatus.CONSIDERING, None, "")

    @requires(Role.EDITOR, "decline an archive request")
    def decline(self, request_id: int, version: int, on: dt.date | None, reason: str) -> Op[RequestView]:
        """Decline the request; the reason is required."""
        if not reason.strip():
            raise ValidationError.one("Reason", "is required when a request is declined")
        return self._move(request_id, version, RequestStatus.DECLINED, on, "Responded on",
                          reason=reason.strip())

    @requires(Role.EDITOR, "record a withdrawn archive request")
    def withdraw(self, request_id: int, version: int, on: dt.date | None) -> Op[RequestView]:
        """Record that the requester withdrew the request."""
        return self._move(request_id, version, RequestStatus.WITHDRAWN, on, "Withdrawn on")

    # -- helpers ----------------------------------------------------------------------------------------
    def _move(self, request_id: int, version: int, new: str, on: dt.date | None, date_field: str,
              reason: str = "") -> Op[RequestView]:
        from bscp_desktop.models import ArchiveRequest

        with self.db.write() as s:
            req = self.load(s, ArchiveRequest, "archive request", request_id, version)
            self.check_move(req.status, new)
            c = Checker()
            if date_field:
                if c.require(on is not None, date_field, "is required"):
                    assert on is not None
                    c.require(on >= req.received_date, date_field,
                              f"cannot be before the request was received ({req.received_date:%d/%m/%Y})")
                    self.not_future(c, date_field, on)
            c.raise_if_any()
            before = snapshot(req, _FIELDS)
            req.status = new
            if new == RequestStatus.ACKNOWLEDGED:
                req.acknowledged_date = on
            elif new in (RequestStatus.DECLINED, RequestStatus.WITHDRAWN):
                req.responded_date = on
                req.decline_reason = reason
            s.flush()
            self.audit(s, f"request {new}", "request", req.id, req.reference, before, snapshot(req, _FIELDS))
            view = self._view(s, req)
        return Op(view, Changes().add("request", request_id))

    @staticmethod
    def check_move(current: str, new: str) -> None:
        """``ValidationError`` unless a request may go from ``current`` to ``new``."""
        if new not in REQUEST_TRANSITIONS.get(current, ()):
            raise ValidationError.one("Status", f"a request that is {REQUEST_STATUSES[current].lower()} cannot "
                                                f"become {REQUEST_STATUSES[new].lower()}")

    def _validate(self, d: RequestInput) -> None:
        c = Checker()
        if c.require(d.received_date is not None, "Received", "is required: the 20-working-day clock starts there"):
            assert d.received_date is not None
            self.not_future(c, "Received", d.received_date)
        c.require(bool(d.requester_name.strip()), "Requester", "is required")
        c.require(valid_email(d.email), "E-mail", f"“{d.email.strip()}” is not a valid e-mail address")
        c.require(d.channel in REQUEST_CHANNELS, "Channel", f"must be one of: {', '.join(REQUEST_CHANNELS)}")
        c.require(bool(d.review_ids), "Publications", "choose at least one publication asked for")
        c.raise_if_any()

    @staticmethod
    def highest_sequence(s: Session, fy: int) -> int:
        """The highest request number of financial year ``fy`` in the register (0: none yet)."""
        from bscp_desktop.models import ArchiveRequest

        prefix = f"AR{financial_year_label(fy)}/"
        refs = s.scalars(select(ArchiveRequest.reference).where(ArchiveRequest.reference.like(prefix + "%")))
        return max((int(r.rsplit("/", 1)[1]) for r in refs), default=0)

    def _view(self, s: Session, r: ArchiveRequest) -> RequestView:
        from bscp_desktop.models import ArchiveRequest, Disclosure, Review

        cal, settings, today = self.svc.calendar(), self.svc.cached_settings(), self.today()
        due = due_date("archive-request", r.received_date, cal, settings.amount("archive-request"))
        finished = r.responded_date if r.status in FINISHED_REQUESTS else None
        state = rag(due, finished, today, cal, settings.amber_days)
        reviews = []
        for rv in sorted(r.reviews, key=lambda x: x.case_reference or ""):
            status, _ = self.svc.catalogue.archive_status(rv.publication_date, today)
            on_site = rv.status == ReviewStatus.PUBLISHED and status == CatalogueStatus.PUBLISHED \
                and rv.website_removed_date is None
            reviews.append(RequestedReview(rv.id, rv.case_reference or "", rv.title, on_site))
        earlier = s.scalars(
            select(ArchiveRequest.reference).where(
                func.lower(ArchiveRequest.email) == r.email.lower(), ArchiveRequest.id != r.id,
                ArchiveRequest.received_date <= r.received_date,
                ArchiveRequest.reviews.any(Review.id.in_([x.id for x in r.reviews])))
            .order_by(ArchiveRequest.received_date)).all()
        disclosures = s.scalars(select(Disclosure).where(Disclosure.request_id == r.id).order_by(Disclosure.id)).all()
        return RequestView(
            r.id, r.version, r.reference, r.received_date, r.channel, r.requester_name, r.organisation, r.role,
            r.email, r.purpose, r.status, r.acknowledged_date, r.responded_date, r.decline_reason, r.notes,
            tuple(reviews), due, state, tuple(earlier),
            tuple(DisclosureView(d.file_name, d.sha256, d.recipient, d.released_at, d.released_by) for d in disclosures))
