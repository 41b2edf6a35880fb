"""Text stored in one form: identifiers (pseudonyms, references, logins, agencies' and themes' names) in
Unicode's NFKC form without invisible format characters and with single spaces, so a look-alike ("Child\\u200bA",
"Child\\u00a0A") is the name it looks like; every other text without bidirectional controls. The program has put
new text in that form since this revision (``services.normal_text``); this brings the text already stored to it.
The audit log is left exactly as it is (its entries are sealed by their hashes). An identifier whose normal form
another row of a unique column already holds keeps its stored form (a warning names it in the log).

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import logging
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

IDENTIFIERS = {
    "incidents": ("pseudonym", "local_ref", "panel_reference"), "incident_children": ("pseudonym",),
    "reviews": ("case_reference",), "archive_requests": ("reference",), "agencies": ("name", "short_name"),
    "themes": ("name",), "register_users": ("login",), "partner_agreements": ("name",),
    "disposal_log": ("reference",),
}
UNIQUE = {("reviews", "case_reference"), ("archive_requests", "reference"), ("agencies", "name"), ("themes", "name"),
          ("register_users", "login"), ("incidents", "local_ref")}
SKIPPED = {"audit_log", "alembic_version"}
BIDI = dict.fromkeys(map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def identifier(text: str) -> str:  # the rule as of this revision (text.identifier), kept here unchanged
    text = unicodedata.normalize("NFKC", text.replace("\x00", ""))
    return " ".join("".join(ch for ch in text if unicodedata.category(ch) != "Cf").split())


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    log = logging.getLogger("bscp_desktop")
    for table in inspector.get_table_names():
        if table in SKIPPED:
            continue
        key = inspector.get_pk_constraint(table).get("constrained_columns") or []
        texts = [c["name"] for c in inspector.get_columns(table) if isinstance(c["type"], sa.String)]
        if not key or not texts:
            continue
        t = sa.table(table, *(sa.column(c) for c in {*key, *texts}))
        ids = IDENTIFIERS.get(table, ())
        for column in texts:
            if column in key:
                continue
            taken = ({v for v, in bind.execute(sa.select(t.c[column]))} if (table, column) in UNIQUE else set())
            rows = bind.execute(sa.select(*(t.c[k] for k in key), t.c[column]).where(t.c[column].is_not(None)))
            for *pk, value in rows.all():
                if not isinstance(value, str) or (value.isascii() and column not in ids):
                    continue
                stored = identifier(value) if column in ids else value.translate(BIDI)
                if stored == value:
                    continue
                if stored in taken:
                    log.warning("%s.%s: %r kept as stored: %r is already taken", table, column, value, stored)
                    continue
                taken.discard(value)
                taken.add(stored)
                bind.execute(t.update().where(*(t.c[k] == v for k, v in zip(key, pk, strict=True)))
                             .values({column: stored}))


def downgrade() -> None:
    pass  # the normal form is a form of the same text: nothing to undo
