"""Imports only run down the layers, and across areas only where the table below allows: checked on every
module's source, imports inside functions and under ``TYPE_CHECKING`` included (the latter used only in
annotations). No module imports itself back through another, imports inside functions included (imports for
type checking never run, so they make no cycle). docs/ARCHITECTURE.md shows the same table (checked here)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import bscp_desktop

PACKAGE = Path(bscp_desktop.__file__).parent
ARCHITECTURE = PACKAGE.parent / "docs" / "ARCHITECTURE.md"

# Each unit of the package (a layer, or an area inside one) and the units it may import, besides itself and the
# package's root (its name and version). Lowest first.
ALLOWED: dict[str, tuple[str, ...]] = {
    "util": (),
    "domain": ("util",),
    "schema": ("domain", "util"),
    "models": ("schema", "domain", "util"),
    "store": ("models", "schema", "domain", "util"),
    "render": ("domain", "util"),
    # services.core may import "services": the facade's type, for annotations
    "services.core": ("services", "store", "models", "schema", "domain", "util"),
    "services.incidents": ("services.core", "store", "models", "schema", "domain", "util"),
    "services.partnership": ("services.incidents", "services.core", "store", "models", "schema", "domain", "util"),
    "services.catalogue": ("services.core", "render", "store", "models", "schema", "domain", "util"),
    "services.reviews": ("services.catalogue", "services.partnership", "services.core", "render", "store", "models",
                         "schema", "domain", "util"),
    "services.trust": ("services.incidents", "services.core", "store", "models", "schema", "domain", "util"),
    "services.registers": ("services.partnership", "services.incidents", "services.core", "store", "models",
                           "schema", "domain", "util"),
    "services.reporting": ("services.catalogue", "services.core", "store", "models", "schema", "domain", "util"),
    "services.exchange": ("services.registers", "services.reviews", "services.partnership", "services.incidents",
                          "services.core", "store", "models", "schema", "domain", "util"),
    "services.demo": ("services.reviews", "services.catalogue", "services.partnership", "services.core", "store",
                      "models", "schema", "domain", "util"),
    "services": ("services.*", "store", "models", "schema", "domain", "util"),  # the facade builds every area's manager
    "reports": ("services", "services.*", "render", "domain", "util"),
    "ui.runtime": ("services", "services.*", "store", "domain", "util"),
    "ui.widgets": ("ui.runtime", "services", "services.*", "domain", "util"),
    "ui.dialogs": ("ui.widgets", "ui.runtime", "services", "services.*", "store", "domain", "util"),
    "ui.forms": ("ui.widgets", "ui.runtime", "services", "services.*", "domain", "util"),
    "ui.pages": ("ui.forms", "ui.dialogs", "ui.widgets", "ui.runtime", "reports", "services", "services.*", "store",
                 "domain", "util"),
    "ui.shell": ("ui.pages", "ui.forms", "ui.dialogs", "ui.widgets", "ui.runtime", "reports", "services",
                 "services.*", "store", "domain", "util"),
    "ui": (),  # the package's docstring
    "cli": ("ui.shell", "reports", "services", "services.*", "store", "domain", "util"),  # ui.shell: to open the window
}
AREAS = ("services", "ui")  # layers whose sub-packages are units of their own


def unit_of(module: str) -> str:
    """The unit a module (``bscp_desktop.services.incidents.children``) belongs to (``services.incidents``)."""
    parts = module.split(".")[1:]
    if parts == ["__main__"]:
        return "cli"  # ``python -m bscp_desktop`` runs the command line
    if not parts or parts[0] == "__init__":
        return ""  # the package's root: its name and version, importable from anywhere
    if parts[0] in AREAS and len(parts) > 2:
        return f"{parts[0]}.{parts[1]}"
    if parts[0] == "services" and len(parts) == 2 and (PACKAGE / "services" / parts[1]).is_dir():
        return f"services.{parts[1]}"
    if parts[0] == "ui" and len(parts) == 2 and (PACKAGE / "ui" / parts[1]).is_dir():
        return f"ui.{parts[1]}"
    return parts[0]


def may_import(unit: str, target: str) -> bool:
    """True when ``unit`` may import from ``target`` under the table."""
    if not target or target == unit:
        return True
    allowed = ALLOWED[unit]
    return target in allowed or ("services.*" in allowed and target.startswith("services."))


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def _typing_only(tree: ast.AST) -> set[ast.AST]:
    """The import statements under ``if TYPE_CHECKING:`` (they exist for annotations and never run)."""
    out: set[ast.AST] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            out |= {n for stmt in node.body for n in ast.walk(stmt) if isinstance(n, ast.Import | ast.ImportFrom)}
    return out


def imported(tree: ast.AST, package: str, typing: bool = True) -> Iterator[tuple[int, str]]:
    """Every bscp_desktop module a source imports (a name imported from a package counts as its module when it is
    one), with its line: at the top and inside functions, and under ``TYPE_CHECKING`` unless ``typing`` is False."""
    skipped = set() if typing else _typing_only(tree)
    for node in ast.walk(tree):
        if node in skipped:
            continue
        if isinstance(node, ast.Import):
            yield from ((node.lineno, a.name) for a in node.names if a.name.startswith("bscp_desktop"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bscp_desktop"):
            for a in node.names:
                candidate = f"{node.module}.{a.name}"
                as_path = PACKAGE.parent / candidate.replace(".", "/")
                is_module = as_path.with_suffix(".py").exists() or (as_path / "__init__.py").exists()
                yield node.lineno, candidate if is_module else node.module


def _annotation_names(tree: ast.AST) -> set[str]:
    """The names used in annotations (and in string annotations) of a module."""
    names: set[str] = set()
    parts: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            args = node.args
            parts += [a.annotation for a in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg,
                                             args.kwarg) if a is not None and a.annotation is not None]
            if node.returns is not None:
                parts.append(node.returns)
        elif isinstance(node, ast.AnnAssign):
            parts.append(node.annotation)
    for part in parts:
        for n in ast.walk(part):
            if isinstance(n, ast.Name):
                names.add(n.id)
            elif isinstance(n, ast.Constant) and isinstance(n.value, str):
                names |= set(re.findall(r"[A-Za-z_]\w*", n.value))
    return names


def sources() -> Iterator[Path]:
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" not in path.relative_to(PACKAGE).parts:
            yield path


def upward_imports(path: Path, source: str) -> list[str]:
    """The imports of ``source`` (the module at ``path``) the table does not allow."""
    unit = unit_of(module_name(path))
    out = []
    for line, target in imported(ast.parse(source), module_name(path)):
        if not may_import(unit, unit_of(target)):
            out.append(f"{path.relative_to(PACKAGE)}:{line} {unit or 'root'} imports {target}")
    return out


def test_every_unit_is_in_the_table() -> None:
    units = {unit_of(module_name(p)) for p in sources()} - {""}
    assert units == set(ALLOWED), units ^ set(ALLOWED)


def test_imports_run_down_the_layers() -> None:
    found = [problem for path in sources() for problem in upward_imports(path, path.read_text(encoding="utf-8"))]
    assert found == []


def test_an_upward_import_would_be_caught() -> None:
    """The check itself fails on an upward import, inside a function or under TYPE_CHECKING as at the top."""
    path = PACKAGE / "domain" / "rules.py"
    for source in ("from bscp_desktop.services import Services\n",
                   "def f():\n    from bscp_desktop.ui.runtime import errors\n",
                   "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from bscp_desktop.store.engine import Database\n",
                   "from bscp_desktop.ui import forms\n"):
        assert upward_imports(path, source), source
    assert upward_imports(PACKAGE / "services" / "incidents" / "children.py",
                          "from bscp_desktop.services.reviews import reviews\n")  # across areas, undeclared
    assert not upward_imports(path, "from bscp_desktop.util.dates import uk\nfrom bscp_desktop import APP_NAME\n")


def test_no_import_cycle() -> None:
    graph: dict[str, set[str]] = {}
    for path in sources():
        name = module_name(path)
        graph[name] = {t for _line, t in imported(ast.parse(path.read_text(encoding="utf-8")), name, typing=False)
                       if t != name and not name.startswith(t + ".")}  # a package's own __init__ is not a cycle
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(" → ".join([*trail[trail.index(nxt):], nxt]))
            elif nxt in graph and nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2
    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_what_is_imported_for_type_checking_is_used_only_in_annotations() -> None:
    misused = []
    for path in sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_names = {a.asname or a.name.split(".")[0] for node in _typing_only(tree)
                        for a in node.names}  # type: ignore[attr-defined]
        used_at_run_time = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} - _annotation_names(tree)
        misused += [f"{path.relative_to(PACKAGE)}: {name}" for name in sorted(typing_names & used_at_run_time)]
    assert misused == []


def test_the_architecture_document_shows_the_same_table() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    block = text.split("<!-- layer table -->")[1]
    rows = re.findall(r"^\| `([\w.]+)` \|(.*)\|$", block.split("<!-- end of layer table -->")[0], flags=re.M)
    shown = {unit: tuple(re.findall(r"`([\w.*]+)`", allowed)) for unit, allowed in rows}
    assert shown == ALLOWED
