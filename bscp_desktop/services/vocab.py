"""The fixed vocabularies of the register: stored codes and the labels shown for them."""

from __future__ import annotations

HARMS = {"died": "Died", "seriously harmed": "Seriously harmed"}

CATEGORIES = {"physical": "Physical abuse", "emotional": "Emotional abuse", "sexual": "Sexual abuse",
              "neglect": "Neglect"}

AGE_BANDS = ("under 1", "1-4", "5-9", "10-15", "16-17", "not known")

SEXES = ("female", "male", "not known")

# Incident lifecycle stages in order; the services keep ``Incident.stage`` to one of these.
STAGES = {
    "notification": "Awaiting notification",
    "rapid-review": "Rapid Review",
    "decision": "Awaiting decision",
    "commissioning": "Review to commission",
    "review": "Review in progress",
    "no-review": "No review",
    "published": "Published",
    "closed": "Closed",
}

DECISIONS = {
    "lcspr": "Undertake an LCSPR",
    "other-review": "Another review (single-agency, thematic, DHR)",
    "no-review": "No local review",
}

REVIEW_KINDS = {"lcspr": "LCSPR", "scr": "Serious Case Review", "dhr": "Domestic Homicide Review",
                "thematic": "Thematic review", "other": "Other review"}

# Kinds to which the six-month LCSPR publication target applies.
PUBLICATION_TARGET_KINDS = ("lcspr", "thematic")

REVIEW_STATUSES = {
    "commissioned": "Commissioned",
    "final-report": "Final report received",
    "published": "Published",
    "unpublished": "Not published",
    "closed": "Closed",
}

DOCUMENT_KINDS = {"report": "Report", "briefing-note": "Briefing note", "presentation": "Presentation",
                  "press-statement": "Press statement", "evidence": "Evidence", "other": "Other"}

REQUEST_CHANNELS = ("e-mail", "letter", "telephone", "in person", "website form")

REQUEST_STATUSES = {
    "received": "Received",
    "acknowledged": "Acknowledged",
    "considering": "Under consideration",
    "fulfilled": "Fulfilled",
    "declined": "Declined",
    "withdrawn": "Withdrawn",
}

# Allowed moves between request statuses; fulfilled, declined and withdrawn are final.
REQUEST_TRANSITIONS = {
    "received": ("acknowledged", "considering", "fulfilled", "declined", "withdrawn"),
    "acknowledged": ("considering", "fulfilled", "declined", "withdrawn"),
    "considering": ("fulfilled", "declined", "withdrawn"),
    "fulfilled": (),
    "declined": (),
    "withdrawn": (),
}

ACTION_STATUSES = {
    "not started": "Not started",
    "in progress": "In progress",
    "completed": "Completed",
    "assured": "Assured",
    "not accepted": "Not accepted",
}
# An action is finished (no longer overdue) once completed, assured, or not accepted.
ACTION_DONE = ("completed", "assured", "not accepted")
RECOMMENDATION_SCOPES = {"local": "Local", "national": "National"}
