"""The register as SQLAlchemy 2.0 typed ORM classes, one module per aggregate, each mapped onto its table in
``bscp_desktop.schema`` (where the tables, their columns and what they mean are defined and listed). Writes go
through these classes; the association tables are the schema's, named here too for the queries that join them.
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
from bscp_desktop.models.reference_lists import Agency, Theme
from bscp_desktop.models.request import ArchiveRequest, Disclosure
from bscp_desktop.models.review import ChecklistEntry, PublicationHold, Review
from bscp_desktop.models.settings import AnnualFigure, ClosureDay, Counter, Setting
from bscp_desktop.schema import archive_request_reviews, incident_themes, review_incidents, review_themes

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
