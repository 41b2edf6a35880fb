"""Nothing outside bscp_desktop/ui imports PySide6: checked in the source and in a fresh interpreter."""

from __future__ import annotations

import ast
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import bscp_desktop

PACKAGE = Path(bscp_desktop.__file__).parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_qt_import_outside_ui_in_source() -> None:
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if "ui" not in p.relative_to(PACKAGE).parts[:1]
        and any(n.split(".")[0] in ("PySide6", "shiboken6") for n in _imports(p))
    ]
    assert offenders == []


def test_core_modules_load_without_qt_in_a_fresh_interpreter() -> None:
    modules = [m.name for m in pkgutil.walk_packages([str(PACKAGE)], "bscp_desktop.")
               if not m.name.startswith("bscp_desktop.ui") and ".migrations" not in m.name
               and m.name != "bscp_desktop.__main__"]
    assert "bscp_desktop.services.facade" in modules and "bscp_desktop.domain.working_days" in modules
    code = "import importlib, sys\n" + "".join(f"importlib.import_module({m!r})\n" for m in modules) + (
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
        "assert not bad, bad\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr


def test_ui_package_is_the_only_qt_user() -> None:
    ui = PACKAGE / "ui"
    assert any("PySide6" in n for p in ui.rglob("*.py") for n in _imports(p))


def test_no_function_is_longer_than_fifty_lines() -> None:
    """Long builders are split into named parts (migrations, written once by Alembic, aside)."""
    long = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.relative_to(PACKAGE).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno is not None:
                if node.end_lineno - node.lineno + 1 > 50:
                    long.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name}")
    assert long == []


def test_no_module_is_longer_than_four_hundred_lines() -> None:
    """A module that grows past 400 lines is split by what its parts do (migrations aside); a benchmark script
    stays within 500."""
    long = [f"{p.relative_to(PACKAGE)}: {n}" for p in sorted(PACKAGE.rglob("*.py"))
            if "migrations" not in p.relative_to(PACKAGE).parts
            and (n := len(p.read_text(encoding="utf-8").splitlines())) > 400]
    benchmarks = PACKAGE.parent / "benchmarks"
    long += [f"benchmarks/{p.name}: {n}" for p in sorted(benchmarks.glob("*.py"))
             if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500]
    assert long == []


def _status_values() -> set[str]:
    from bscp_desktop.domain import vocab

    enums = (vocab.Stage, vocab.Decision, vocab.ReviewKind, vocab.ReviewStatus, vocab.CatalogueStatus,
             vocab.DocumentKind, vocab.RequestStatus, vocab.ActionStatus)
    return {m.value for e in enums for m in e}


def _is_field(expr: ast.AST, fields: set[str]) -> bool:
    """True for ``status``, ``x.status``, ``row["status"]`` and the like: a status or kind is being read."""
    if isinstance(expr, ast.Name):
        return expr.id in fields
    if isinstance(expr, ast.Attribute):
        return expr.attr in fields
    if isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Constant):
        return expr.slice.value in fields
    return False


def test_statuses_are_written_through_the_vocabulary() -> None:
    """No status or kind is spelt as a literal outside ``vocab.py``: not compared with, not set on a record."""
    values = _status_values()
    fields = {"status", "stage", "kind", "decision", "new_status"}
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if rel.name == "vocab.py" or "migrations" in rel.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            literals: list[ast.AST] = []
            if isinstance(node, ast.Compare) and any(_is_field(side, fields)
                                                     for side in (node.left, *node.comparators)):
                for side in (node.left, *node.comparators):
                    literals += side.elts if isinstance(side, ast.Tuple | ast.List | ast.Set) else [side]
            elif isinstance(node, ast.keyword) and node.arg in fields:
                literals.append(node.value)
            elif isinstance(node, ast.Assign) and any(
                    (isinstance(t, ast.Attribute) and t.attr in fields)
                    or (isinstance(t, ast.Subscript) and isinstance(t.slice, ast.Constant) and t.slice.value in fields)
                    for t in node.targets):
                literals.append(node.value)
            elif isinstance(node, ast.Dict):
                literals += [v for k, v in zip(node.keys, node.values, strict=True)
                             if isinstance(k, ast.Constant) and k.value in fields]
            found += [f"{rel}:{lit.lineno} {lit.value!r}" for lit in literals
                      if isinstance(lit, ast.Constant) and lit.value in values]
    assert found == []


def test_the_facade_types_each_manager_as_it_builds_it() -> None:
    """The facade names each manager twice, for the program (its module and class, built on first use) and for
    the type checker (an annotation): the two say the same class for the same attribute."""
    import inspect

    from bscp_desktop.services import Services

    source = inspect.getsource(Services)
    annotated = dict(re.findall(r"^        (\w+): (\w+)$", source, flags=re.M))
    built = {name: cls.__name__ for name, cls in Services.manager_classes().items()}
    assert annotated == built
