"""Shared fixtures: a real temporary SQLite database per test, a fixed "today", and a user data folder in the
test's temporary directory (so no test touches the real one)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TODAY = dt.date(2026, 11, 20)  # a Friday


@pytest.fixture(autouse=True)
def _data_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BSCP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("BSCP_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setenv("BSCP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("BSCP_DATABASE_URL", raising=False)
    monkeypatch.delenv("BSCP_BACKUP_DIR", raising=False)
    # no settings file of this machine's IT reaches a test: each that needs one writes its own
    monkeypatch.setenv("BSCP_MACHINE_CONFIG", str(tmp_path / "no-machine-settings.toml"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where the test's database file lives."""
    return tmp_path / "test.db"


PG_URL = os.environ.get("BSCP_TEST_DATABASE_URL", "")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests that use ``backend`` (every test using ``svc``) run on plain SQLite, on an encrypted SQLite file
    (SQLCipher, its key in an in-memory credential store) and on PostgreSQL (skipped, saying so, unless
    BSCP_TEST_DATABASE_URL names a server). ``@pytest.mark.sqlite_only`` keeps one to SQLite files (both kinds);
    ``@pytest.mark.plain_only`` to plain SQLite (it reads or damages the file with ``sqlite3`` itself);
    ``@pytest.mark.postgresql_only`` to PostgreSQL (the server's own roles)."""
    if "backend" in metafunc.fixturenames:
        if metafunc.definition.get_closest_marker("postgresql_only") is not None:
            metafunc.parametrize("backend", ["postgresql"])  # no server: skipped (see below)
            return
        backends = ["sqlite"]
        if metafunc.definition.get_closest_marker("plain_only") is None:
            backends.append("sqlcipher")
            if metafunc.definition.get_closest_marker("sqlite_only") is None:  # no server: skipped (see below)
                backends.append("postgresql")
        metafunc.parametrize("backend", backends)


SERVER_FIXTURES = frozenset({"pg_template", "empty_pg_url"})
NO_SERVER = "needs a PostgreSQL server: set BSCP_TEST_DATABASE_URL (scripts/postgres-test-db.sh prints one)"


def needs_server(item: pytest.Item) -> bool:
    """Whether a test reaches a PostgreSQL server: it runs on the ``postgresql`` backend, is marked
    ``postgresql_only`` or takes a server database fixture."""
    callspec = getattr(item, "callspec", None)
    return ((callspec is not None and callspec.params.get("backend") == "postgresql")
            or item.get_closest_marker("postgresql_only") is not None
            or bool(SERVER_FIXTURES & set(getattr(item, "fixturenames", ()))))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test that needs the server is marked ``server`` (``pytest -m server`` runs just those) and, with no
    server named, skipped with the reason: ``make test`` passes on a machine without PostgreSQL."""
    for item in items:
        if needs_server(item):
            item.add_marker(pytest.mark.server)
            if not PG_URL:
                item.add_marker(pytest.mark.skip(reason=NO_SERVER))


def drop_database(admin: sa.Engine, name: str) -> None:
    """Drop a test database, its connections included, and its register's group roles. An autovacuum worker busy
    on it can only be stopped by a role granted pg_signal_backend (scripts/postgres-test-db.sh grants it);
    otherwise wait for it to finish."""
    from bscp_desktop.store.server_roles import group_names

    for attempt in range(20):
        try:
            with admin.connect() as c:
                c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                for group in reversed(list(group_names(name).values())):  # the register's own group roles
                    c.exec_driver_sql(f'DROP ROLE IF EXISTS "{group}"')
            return
        except sa.exc.DBAPIError:
            if attempt == 19:
                raise
            time.sleep(0.5)


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A PostgreSQL database migrated and filled with the starting catalogue once, cloned for each test."""
    from bscp_desktop.services import Services

    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"bscp_tpl_{uuid.uuid4().hex[:8]}"
    with admin.connect() as c:
        c.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    s = Services.open(url, user="tester")
    s.initialise_new()
    s.close()
    yield name
    drop_database(admin, name)
    admin.dispose()


@contextmanager
def scratch_pg_database(template: str | None = None) -> Iterator[str]:
    """The URL of a new PostgreSQL database (empty, or cloned from ``template``), dropped afterwards."""
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"bscp_t_{uuid.uuid4().hex[:10]}"
    with admin.connect() as c:
        c.exec_driver_sql(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        drop_database(admin, name)
        admin.dispose()


@pytest.fixture
def empty_pg_url() -> Iterator[str]:
    """A new, empty PostgreSQL database (no schema), for copies into a server."""
    with scratch_pg_database() as url:
        yield url


class FileTemplate:
    """A SQLite register migrated and filled with the starting catalogue once per test process, copied for each
    test that asks for a new one (the same bytes ``Services.open`` + ``initialise_new`` would write). An
    encrypted template's key is kept with it, for the test's own in-memory credential store."""

    def __init__(self, folder: Path, encrypted: bool) -> None:
        from bscp_desktop.services import Services
        from tests.memory_keyring import memory_keyring

        self.path = folder / ("encrypted.db" if encrypted else "plain.db")
        self.keys: dict[tuple[str, str], str] = {}
        with pytest.MonkeyPatch.context() as env, memory_keyring() as store:
            env.setenv("BSCP_DATA_DIR", str(folder / "data"))  # nothing of a template reaches a user's folders
            env.setenv("BSCP_LOG_DIR", str(folder / "logs"))
            if encrypted:
                from bscp_desktop.store.keys import RegisterKey, create_encrypted

                create_encrypted(self.path, RegisterKey.new_random())
            s = Services.open(self.path)  # the user is the OS login, as in ``svc``
            s.initialise_new()
            s.close()
            self.keys = dict(store.entries)
        assert not Path(f"{self.path}-wal").exists(), "the template must be whole in its main file"

    def copy_to(self, target: Path) -> Path:
        """A new register at ``target``: the template's bytes (its key, if any, must be in the test's store)."""
        shutil.copyfile(self.path, target)
        return target


@pytest.fixture(scope="session")
def file_templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, FileTemplate]:
    """The per-process templates by backend name, made the first time a test needs each."""
    return _LazyTemplates(tmp_path_factory.mktemp("templates"))


class _LazyTemplates(dict[str, FileTemplate]):
    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def __missing__(self, backend: str) -> FileTemplate:
        made = FileTemplate(self.folder, encrypted=backend == "sqlcipher")
        self[backend] = made
        return made


@pytest.fixture
def db_url(backend: str, db_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A new database for the test, already migrated with the starting agencies, themes and catalogue: a copy of
    this process's template SQLite file (for ``sqlcipher`` an encrypted one, its key kept in the test's own
    in-memory credential store, so that opening it again finds the key as on a PC), or a PostgreSQL database
    cloned from the template."""
    if backend == "postgresql":
        with scratch_pg_database(request.getfixturevalue("pg_template")) as url:
            yield url
        return
    template = request.getfixturevalue("file_templates")[backend]
    if backend == "sqlite":
        yield str(template.copy_to(db_path))
        return
    from tests.memory_keyring import memory_keyring

    with memory_keyring() as store:
        store.entries.update(template.keys)
        yield str(template.copy_to(db_path))


@pytest.fixture
def new_db_url(backend: str, db_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A new, empty register for the test (no tables yet; for ``sqlcipher`` an encrypted file with a random key
    in an in-memory credential store; on PostgreSQL an empty database): for tests of what opening a new register
    does."""
    if backend == "sqlite":
        yield str(db_path)
        return
    if backend == "sqlcipher":
        from bscp_desktop.store.keys import RegisterKey, create_encrypted
        from tests.memory_keyring import memory_keyring

        with memory_keyring():
            create_encrypted(db_path, RegisterKey.new_random())
            yield str(db_path)
        return
    with scratch_pg_database() as url:
        yield url


@pytest.fixture
def svc(db_url: str, backend: str) -> Iterator[Any]:
    """Services over a new, migrated database with the starting agencies, themes and catalogue (a copy of the
    backend's template)."""
    from bscp_desktop.services import Services

    s = Services.open(db_url, today=lambda: TODAY)  # the user is the OS login (the server login on PostgreSQL)
    yield s
    s.close()


def fingerprint(svc: Any, skip_columns: tuple[str, ...] = ()) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (less ``skip_columns``), for "nothing changed" assertions."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with svc.db.engine.connect() as conn:
        insp = inspect(conn)
        for table in sorted(insp.get_table_names()):
            cols = [c["name"] for c in insp.get_columns(table) if c["name"] not in skip_columns]
            sql = "SELECT " + ", ".join(f'"{c}"' for c in cols) + f' FROM "{table}"'
            out[table] = sorted(tuple(r) for r in conn.execute(text(sql)))
    return out


def write_workbook(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    """An Excel workbook whose first sheet holds ``header`` then ``rows`` (cells may be dates)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def colleague(svc: Any, db_url: str, login: str, role: Any = None, **kwargs: Any) -> Any:
    """A second program on ``svc``'s register, used by ``login``, whom ``svc``'s user (its administrator) has
    made an editor, or ``role``. On PostgreSQL both programs use the server login the address names, so the
    server's roles apply as they are."""
    from bscp_desktop.domain.vocab import Role
    from bscp_desktop.services import Services

    if svc.db.is_sqlite and login not in {u.login for u in svc.users.list()}:
        svc.users.add(login, role or Role.EDITOR)
    return Services.open(db_url, user=login, **kwargs)


def new_login(svc: Any, name: str) -> str:
    """A login for a new user of ``svc``'s register: ``name`` on SQLite; on PostgreSQL a server login name no
    other test uses (``server_logins`` drops them afterwards), with the server's roles set up first."""
    if svc.db.is_sqlite:
        return name
    from bscp_desktop.store.server_roles import setup_server_roles

    with svc.db.write() as s:
        if s.connection().exec_driver_sql("SELECT to_regproc('bscp_set_role')").scalar() is None:
            setup_server_roles(s.connection())
    login = f"{TEST_LOGIN_PREFIX}{uuid.uuid4().hex[:8]}_{name}"
    _CREATED_LOGINS.add(login)
    return login


TEST_LOGIN_PREFIX = "bscp_tl_"
_CREATED_LOGINS: set[str] = set()  # this run's logins: another run on the same server keeps its own
_RUN = uuid.uuid4().hex[:6]  # this test process's: two runs, or two workers of one run, never share a login
CLI_LOGINS = (f"{TEST_LOGIN_PREFIX}cli_{_RUN}_dee", f"{TEST_LOGIN_PREFIX}cli_{_RUN}_vic")  # for the command line


@pytest.fixture(autouse=True)
def server_logins() -> Iterator[None]:
    """Server logins a test created (named by ``new_login``, or ``CLI_LOGINS``) are dropped when it ends."""
    yield
    if not PG_URL:
        return
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as c:
            for name in [*_CREATED_LOGINS, *CLI_LOGINS]:  # only this run's: another run keeps its own
                c.exec_driver_sql(f'DROP ROLE IF EXISTS "{name}"')
            _CREATED_LOGINS.clear()
    finally:
        admin.dispose()


def fictional_pdf(path: Path, tagged: bool = True) -> Path:
    """A one-page PDF; ``tagged``: with a title, a language and tagged structure (as an accessible published
    report has), else with none of them."""
    from pypdf import PdfWriter
    from pypdf.generic import BooleanObject, DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Subject": f"fictional {path.name}"})  # every file its own bytes
    if tagged:
        writer.add_metadata({"/Title": "A fictional review"})
        root = writer._root_object
        root[NameObject("/Lang")] = TextStringObject("en-GB")
        root[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(True)})
        tree = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
        root[NameObject("/StructTreeRoot")] = writer._add_object(tree)
    with path.open("wb") as f:
        writer.write(f)
    return path


def complete_checklist(svc: Any, review_id: int, folder: Path, on: dt.date = dt.date(2026, 11, 2)) -> None:
    """Every pre-publication step of a review done: the recorded ones, the advance copy, a briefing note, a
    presentation and a tagged report PDF stored."""
    from bscp_desktop.domain.vocab import ChecklistStep

    done = {v.step for v in svc.checklist.for_review(review_id).steps if v.done}
    for step in ChecklistStep:
        if step.recorded and step.before_publication and step is not ChecklistStep.PRESS and step not in done:
            svc.checklist.record(review_id, step, on)
    folder.mkdir(parents=True, exist_ok=True)
    for name, kind in (("note.pdf", "briefing-note"), ("slides.pptx", "presentation"),
                       ("statement.docx", "press-statement")):
        (folder / name).write_bytes(f"fictional {name} for review {review_id}".encode())
        svc.documents.add(folder / name, kind, review_id=review_id)
    svc.documents.add(fictional_pdf(folder / f"report-{review_id}.pdf"), "report", review_id=review_id)
    r = svc.reviews.get(review_id)
    if r.advance_copy_date is None:
        svc.reviews.record_advance_copy(r.id, r.version, on)


def agree_rapid_review(svc: Any, incident_id: int, on: dt.date) -> Any:
    """The three statutory partners' agreement to an incident's Rapid Review, each recorded on ``on`` (what must
    be there before the Rapid Review is recorded as sent); returns the incident as it then stands."""
    from bscp_desktop.domain.vocab import Partner

    view = None
    for n, partner in enumerate(Partner, start=1):
        view = svc.rapid_reviews.record_agreement(incident_id, partner, f"Fictional Signatory {n}",
                                                  f"Fictional role {n}", on).value
    return view


def answer_criteria(svc: Any, incident_id: int, answer: str = "not-met") -> Any:
    """Every local-review criterion of an incident's Rapid Review answered ``answer`` with fictional reasons (what a
    decision of no local review needs); returns the incident as it then stands."""
    from bscp_desktop.domain.rapid_review import CriterionAnswer, LocalReviewCriterion
    from bscp_desktop.services.incidents.local_review_criteria import CriterionView
    from bscp_desktop.services.incidents.rapid_reviews import LocalReviewGrounds

    rr = svc.incidents.get(incident_id).rapid_review
    answers = tuple(CriterionView(c, CriterionAnswer.of(answer), f"Fictional reasons for {c.short_label.lower()}.")
                    for c in LocalReviewCriterion)
    return svc.rapid_reviews.save_grounds(incident_id, rr.version if rr else None, LocalReviewGrounds(answers)).value


def downgrade_to(path: Path, revision: str) -> None:
    """Take a SQLite register written by this program back to ``revision`` with the revisions' own downgrades
    (what an older program left, for upgrade tests of data only a newer program can write)."""
    from alembic import command

    from bscp_desktop.store.engine import Database, resolve_url
    from bscp_desktop.store.migrate import alembic_config

    db = Database(resolve_url(path))
    try:
        cfg = alembic_config()
        with db.engine.connect() as conn:  # as store.migrate upgrades: a table rebuilt must not cascade deletes
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, revision)
            conn.commit()
    finally:
        db.dispose()
