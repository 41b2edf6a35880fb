"""What a PostgreSQL server does to keep the audit log honest, whoever the client (installed by server-setup,
``server_roles.setup_server_roles``; nothing of it applies to a SQLite file, whose roles the program alone keeps):

* ``bscp_audit_guard``, before every insert into ``audit_log``: the entry's user must be the session's own login
  and its time the server's (the transaction's ``now()``), and it must be sealed and follow the log's head. The
  program seals its entries with those very values (``audit_chain.seal_new_entries``), so the hash it computes is
  the one the server keeps; a back-dated entry, one in another login's name or an unsealed one is refused.
* ``bscp_audit_refused``: the only way a viewer adds to the log: their own refused attempt, nothing else.
* ``bscp_remove_audit_values``: administrators only; removes what a disposed record's entries said about it
  (``services.retention.remove_audit_values``). The log is otherwise insert-only for every role.
* ``bscp_direct_write``, after every statement that changes a table of the register: when the statement did not
  come through the program (which marks its transactions, ``bscp.program``), an entry "direct write" names the
  table, the kind of statement and the login, sealed by the server itself in the chain's form. It catches what a
  spreadsheet's ODBC link or psql changes; it cannot tell a client that deliberately sets the program's marker.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

from bscp_desktop.domain.vocab import Role

PROGRAM_MARK = "bscp.program"  # a transaction-local setting the program sets on its own transactions

# The chain's canonical form (audit_chain.canonical), built by the server for the entries it seals itself.
_SEAL = """
    moment := now() AT TIME ZONE 'UTC';
    SELECT entry_hash INTO head FROM audit_log ORDER BY id DESC LIMIT 1;
    head := coalesce(head, repeat('0', 64));
    digest := encode(sha256(convert_to('{"after":null,"before":null,"summary":' || to_json(summary)::text || '}',
                                       'UTF8')), 'hex');
    sealed := encode(sha256(convert_to(
        '{"action":' || to_json(what)::text || ',"at":' ||
        to_json(to_char(moment, 'YYYY-MM-DD"T"HH24:MI:SS.US') || '+00:00')::text ||
        ',"entity":' || to_json(entity)::text || ',"entity_id":' || to_json(entity_id)::text ||
        ',"prev":' || to_json(head)::text || ',"user":' || to_json(session_user::text)::text ||
        ',"values":' || to_json(digest)::text || '}', 'UTF8')), 'hex');
    INSERT INTO audit_log (at, "user", action, entity, entity_id, summary, before, after, prev_hash, entry_hash,
                           values_digest, values_removed)
    VALUES (moment, session_user, what, entity, entity_id, summary, NULL, NULL, head, sealed, digest, false);
"""

GUARD = """
CREATE OR REPLACE FUNCTION bscp_audit_guard() RETURNS trigger LANGUAGE plpgsql
SET search_path = public, pg_catalog, pg_temp AS $$
DECLARE
    head text;
BEGIN
    IF NEW."user" IS DISTINCT FROM session_user::text THEN
        RAISE EXCEPTION 'an audit entry is in the name of the login that writes it (%), not %', session_user,
            NEW."user" USING ERRCODE = '42501';
    END IF;
    IF NEW.at IS DISTINCT FROM (now() AT TIME ZONE 'UTC') THEN
        RAISE EXCEPTION 'an audit entry bears the server''s time (%), not %', now() AT TIME ZONE 'UTC', NEW.at
            USING ERRCODE = '42501';
    END IF;
    SELECT entry_hash INTO head FROM audit_log ORDER BY id DESC LIMIT 1;
    IF NEW.entry_hash !~ '^[0-9a-f]{64}$' OR NEW.prev_hash IS DISTINCT FROM coalesce(head, repeat('0', 64)) THEN
        RAISE EXCEPTION 'an audit entry must be sealed into the chain after its head' USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END
$$;
DROP TRIGGER IF EXISTS bscp_audit_guard ON audit_log;
CREATE TRIGGER bscp_audit_guard BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION bscp_audit_guard();
"""

REFUSED = """
CREATE OR REPLACE FUNCTION bscp_audit_refused(what_for text, summary text, prev text, digest text, sealed text)
RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_catalog, pg_temp AS $$
    INSERT INTO audit_log (at, "user", action, entity, entity_id, summary, before, after, prev_hash, entry_hash,
                           values_digest, values_removed)
    VALUES (now() AT TIME ZONE 'UTC', session_user, 'refused', 'access', what_for, summary, NULL, NULL, prev,
            sealed, digest, false)
$$;
"""

REMOVE_VALUES = """
CREATE OR REPLACE FUNCTION bscp_remove_audit_values(record_entity text, record_id text, note text)
RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_catalog, pg_temp AS $$
    UPDATE audit_log SET summary = note, before = NULL, after = NULL, values_removed = true
    WHERE entity = record_entity AND entity_id = record_id AND record_entity IN ('incident', 'request')
$$;
"""

DIRECT_WRITE = """
CREATE OR REPLACE FUNCTION bscp_direct_write() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_catalog, pg_temp AS $$
DECLARE
    moment timestamp; head text; digest text; sealed text;
    what text := 'direct write';
    entity text := TG_TABLE_NAME;
    entity_id text := TG_OP;
    summary text := TG_OP || ' on ' || TG_TABLE_NAME || ' by ' || session_user || ', outside bscp-desktop';
BEGIN
    IF current_setting('""" + PROGRAM_MARK + """', true) IS DISTINCT FROM 'yes' THEN
        PERFORM pg_advisory_xact_lock(""" + "1651729264" + """);
""" + _SEAL + """
    END IF;
    RETURN NULL;
END
$$;
"""


def install_audit_guards(conn: Connection, names: dict[Role, str], tables: list[str]) -> list[str]:
    """Install (again) the audit log's guard, its two functions and the direct-write triggers; returns what it
    did, a line each."""
    if not conn.execute(text("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' "
                             "AND table_name = 'audit_log' AND column_name = 'values_digest'")).scalar_one():
        return []  # a register not yet at 0013: the owner's upgrade sets them up (server_roles.regrant_after_upgrade)
    viewer, admin = (f'"{names[r]}"' for r in (Role.VIEWER, Role.ADMIN))
    for statement in (GUARD, REFUSED, REMOVE_VALUES, DIRECT_WRITE):
        conn.execute(text(statement.replace(":", "\\:")))
    conn.execute(text("REVOKE ALL ON FUNCTION bscp_audit_refused(text, text, text, text, text) FROM PUBLIC"))
    conn.execute(text(f"GRANT EXECUTE ON FUNCTION bscp_audit_refused(text, text, text, text, text) TO {viewer}"))
    conn.execute(text("REVOKE ALL ON FUNCTION bscp_remove_audit_values(text, text, text) FROM PUBLIC"))
    conn.execute(text(f"GRANT EXECUTE ON FUNCTION bscp_remove_audit_values(text, text, text) TO {admin}"))
    watched = [t for t in tables if t not in ("audit_log", "alembic_version")]
    for table in watched:
        conn.execute(text(f'DROP TRIGGER IF EXISTS bscp_direct_write ON "{table}"'))
        conn.execute(text(f'CREATE TRIGGER bscp_direct_write AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
                          "FOR EACH STATEMENT EXECUTE FUNCTION bscp_direct_write()"))
    return ["the audit log takes entries only in the writer's own name at the server's time, sealed after its head",
            f"a change made outside the program to any of {len(watched)} tables is recorded in the audit log"]
