"""Too long is refused, never cut: every text a user types is kept whole or refused with its field named.

Two checks. In the source: no service cuts a text with a slice (``text[:2000]``); what the program writes about
itself in a short space goes through ``util.text.abbreviated``, which marks the cut with an ellipsis, and the
only slices left read a file's first bytes to recognise it. In use: every service write the fault probes drive
(``benchmarks/service_fuzz.py``) is given, in each text argument and each text field of its input in turn, a text
longer than any limit; the write is refused with a ``ValidationError`` naming a field, or the text is stored whole.
"""

from __future__ import annotations

import ast
import dataclasses
import typing
from pathlib import Path
from typing import Any

import bscp_desktop
from benchmarks.service_fuzz import fingerprint, fuzz_targets
from bscp_desktop.services import ValidationError

SERVICES = Path(bscp_desktop.__file__).parent / "services"
# Slices that read the first bytes of a file to recognise it (its delimiter, its encoding): nothing is stored.
READING_A_FILE = {("exchange/sheet.py", "text"), ("exchange/sheet.py", "raw")}
LONG = 50_000  # longer than every limit of the register (the longest is 20,000)


def _cut_texts(rel: str, source: str) -> list[str]:
    """The slices with a fixed end (``x[:80]``) in a module of the services (``rel``: its path in the package's
    services), the demo's own draws aside."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice) and isinstance(
                node.slice.upper, ast.Constant) and node.slice.lower is None:
            name = ast.unparse(node.value)
            if (rel, name) not in READING_A_FILE and not rel.startswith("demo/"):
                found.append(f"{rel}:{node.lineno} {ast.unparse(node)}")
    return found


def test_no_service_cuts_a_text_short() -> None:
    assert [cut for path in sorted(SERVICES.rglob("*.py"))
            for cut in _cut_texts(path.relative_to(SERVICES).as_posix(), path.read_text(encoding="utf-8"))] == []


def test_the_source_check_would_find_a_cut() -> None:
    source = (SERVICES / "trust" / "retention.py").read_text(encoding="utf-8")
    assert "details=details," in source
    cut = source.replace("details=details,", "details=details[:2000],")
    assert [c.split(" ", 1)[1] for c in _cut_texts("trust/retention.py", cut)] == ["details[:2000]"]


def _long_variants(value: Any, hint: Any, prefix: str) -> list[tuple[Any, str]]:
    """``value`` with each text in it (itself, or a text field of a dataclass) in turn a long text, each with the
    marker its long text starts with."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        hints = typing.get_type_hints(type(value))
        return [(dataclasses.replace(value, **{f.name: f"«{prefix} {f.name}»" + "x" * LONG}), f"«{prefix} {f.name}»")
                for f in dataclasses.fields(value) if hints[f.name] is str]
    return [(f"«{prefix}»" + "x" * LONG, f"«{prefix}»")] if hint is str else []


def test_every_text_a_write_takes_is_refused_or_kept_whole(svc: Any) -> None:
    calls = refused = 0
    for k in range(len(fuzz_targets(svc, " 0"))):
        name, method, good = fuzz_targets(svc, f" t{k}")[k]
        hints = typing.get_type_hints(method)
        params = list(hints)[:len(good)]
        for i, (param, value) in enumerate(zip(params, good, strict=True)):
            for bad, marker in _long_variants(value, hints[param], f"{name} {i}"):
                _, method, good = fuzz_targets(svc, f" c{calls}")[k]  # fresh records: an accepted write moved them
                calls += 1
                try:
                    method(*good[:i], bad, *good[i + 1:])
                except ValidationError as e:
                    assert e.problems and all(p.field for p in e.problems), (name, marker)
                    refused += 1
                    continue
                stored = "".join(v for rows in fingerprint(svc).values() for row in rows for v in row)
                assert repr(marker + "x" * LONG)[1:-1] in stored, f"{marker}: accepted but not stored whole"
    assert calls > 20 and refused > 10
