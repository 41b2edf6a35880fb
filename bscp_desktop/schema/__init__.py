"""The register's tables in SQLAlchemy Core: the one definition of the schema. The ORM classes in ``models``
map onto these tables; code that only reads plain columns (the clocks, the deadlines report, the dashboard's
figures) uses them directly, so it never loads the ORM. Tables:

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

Every editable table has a ``version`` column for optimistic locking (the ORM checks and bumps it).
"""

from bscp_desktop.schema.access import disposal_log, legal_holds, register_users
from bscp_desktop.schema.action import actions, recommendations
from bscp_desktop.schema.activity import long_writes
from bscp_desktop.schema.audit import audit_log
from bscp_desktop.schema.base import NAMING, UTCDateTime, metadata, utcnow
from bscp_desktop.schema.document import briefing_notes, document_contents, documents
from bscp_desktop.schema.incident import (
    agency_returns,
    incident_children,
    incidents,
    parallel_proceedings,
    partner_agreements,
    rapid_reviews,
)
from bscp_desktop.schema.reference_lists import agencies, incident_themes, review_themes, themes
from bscp_desktop.schema.request import archive_request_reviews, archive_requests, disclosures
from bscp_desktop.schema.review import publication_checklist, publication_holds, review_incidents, reviews
from bscp_desktop.schema.settings import annual_figures, closure_days, counters, settings

__all__ = [
    "NAMING", "UTCDateTime", "actions", "agencies", "agency_returns", "annual_figures", "archive_request_reviews",
    "archive_requests", "audit_log", "briefing_notes", "closure_days", "counters", "disclosures", "disposal_log",
    "document_contents", "documents", "incident_children", "incident_themes", "incidents", "legal_holds",
    "long_writes", "metadata", "parallel_proceedings", "partner_agreements", "publication_checklist",
    "publication_holds", "rapid_reviews", "recommendations", "register_users", "review_incidents", "review_themes",
    "reviews", "settings", "themes", "utcnow",
]
