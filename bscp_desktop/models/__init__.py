"""The database, as SQLAlchemy 2.0 typed models. Tables:

==========================  ===================================================================
``incidents``               the serious incident register (pseudonyms only), lifecycle ``stage``
``rapid_reviews``           one per incident: meeting/sent dates, decision, Panel response
``incident_children``       the children an incident's notification covers (pseudonyms, characteristics)
``agency_returns``          what each partner agency was asked for a Rapid Review, and when it answered
``partner_agreements``      the three safeguarding partners' agreement to a Rapid Review
``parallel_proceedings``    police, coroner, child death review, family proceedings beside an incident
``reviews``                 LCSPR / SCR / DHR / thematic / other reviews and their publication
``review_incidents``        incidents a review covers
``publication_holds``       holds on a review's publication while parallel proceedings run
``publication_checklist``   the pre-publication checklist steps staff recorded
``documents``               stored files' metadata (SHA-256, size); bytes in ``document_contents``
``briefing_notes``          "Learning Lessons" briefing notes, linked to their review
``archive_requests``        requests for archived publications; ``archive_request_reviews``
``disclosures``             what document version went to whom, when
``recommendations``         numbered recommendations of a review; ``actions`` implement them
``agencies``, ``themes``    reference lists; ``incident_themes``, ``review_themes`` tag them
``settings``                partnership settings and rule amounts (key → value)
``closure_days``            office closures that clocks skip
``annual_figures``          child deaths and national figures per financial year
``counters``                gap-free numbering of local references
``audit_log``               who changed what, when, before and after
``long_writes``             long changes in progress (an import), named to colleagues who wait
``register_users``          a SQLite register's logins and their roles (a server uses role membership)
``legal_holds``             holds that block disposal (inquiry, litigation, police request)
``disposal_log``            records whose personal content was disposed of, and under which rule
==========================  ===================================================================

Every editable table has a ``version`` column for optimistic locking.
"""

from bscp_desktop.models.access import Disposal, LegalHold, RegisterUser
from bscp_desktop.models.action import Action, Recommendation
from bscp_desktop.models.activity import LongWrite
from bscp_desktop.models.audit import AuditEntry
from bscp_desktop.models.base import Base, utcnow
from bscp_desktop.models.document import BriefingNote, Document, DocumentContent
from bscp_desktop.models.incident import (
    AgencyReturn,
    Incident,
    IncidentChild,
    ParallelProceeding,
    PartnerAgreement,
    RapidReview,
)
from bscp_desktop.models.reference_lists import Agency, Theme, incident_themes, review_themes
from bscp_desktop.models.request import ArchiveRequest, Disclosure, archive_request_reviews
from bscp_desktop.models.review import ChecklistEntry, PublicationHold, Review, review_incidents
from bscp_desktop.models.settings import AnnualFigure, ClosureDay, Counter, Setting

__all__ = [
    "Action",
    "Agency",
    "AgencyReturn",
    "AnnualFigure",
    "ArchiveRequest",
    "AuditEntry",
    "Base",
    "BriefingNote",
    "ChecklistEntry",
    "ClosureDay",
    "Counter",
    "Disclosure",
    "Disposal",
    "Document",
    "DocumentContent",
    "Incident",
    "IncidentChild",
    "LegalHold",
    "LongWrite",
    "ParallelProceeding",
    "PartnerAgreement",
    "PublicationHold",
    "RapidReview",
    "Recommendation",
    "RegisterUser",
    "Review",
    "Setting",
    "Theme",
    "archive_request_reviews",
    "incident_themes",
    "review_incidents",
    "review_themes",
    "utcnow",
]
