"""``export incidents|reviews|actions|requests``: a register written to a CSV file or an Excel workbook from
the command line, with the same columns as the pages (``register_columns``) — every column, the hidden ones
too — one row per record, optionally of one stage or status."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bscp_desktop.domain.vocab import ACTION_STATUSES, REQUEST_STATUSES, REVIEW_STATUSES, STAGES
from bscp_desktop.services.registers.columns import (
    Column,
    action_columns,
    incident_columns,
    request_columns,
    review_columns,
)

SUFFIXES = (".csv", ".xlsx")


@dataclass(frozen=True)
class RegisterExport:
    """One register the command writes: its title, columns, the stages it may be limited to, and how to read
    its records (the ordered ids and their rows) for a stage ("" for all, "open" for those not finished)."""

    title: str
    columns: Callable[[], list[Column]]
    stages: dict[str, str]
    read: Callable[[Any, str], tuple[list[int], Callable[[list[int]], dict[int, Any]]]]


def _incidents(svc: Any, stage: str) -> tuple[list[int], Callable[[list[int]], dict[int, Any]]]:
    from bscp_desktop.services.registers.registers import RegisterFilter

    return svc.registers.incident_ids(RegisterFilter(stage=stage)), svc.registers.incident_rows


def _reviews(svc: Any, stage: str) -> tuple[list[int], Callable[[list[int]], dict[int, Any]]]:
    from bscp_desktop.services.registers.registers import RegisterFilter

    return svc.registers.review_ids(RegisterFilter(stage=stage)), svc.registers.review_rows


def _listed(records: list[Any]) -> tuple[list[int], Callable[[list[int]], dict[int, Any]]]:
    by_id = {r.id: r for r in records}
    return list(by_id), lambda ids: {i: by_id[i] for i in ids if i in by_id}


def _actions(svc: Any, stage: str) -> tuple[list[int], Callable[[list[int]], dict[int, Any]]]:
    from bscp_desktop.services.reviews.actions import ActionFilter

    return _listed(svc.actions.find(ActionFilter(status=stage)))


def _requests(svc: Any, stage: str) -> tuple[list[int], Callable[[list[int]], dict[int, Any]]]:
    return _listed(svc.requests.all(stage))


REGISTERS = {
    "incidents": RegisterExport("Incidents", incident_columns, dict(STAGES), _incidents),
    "reviews": RegisterExport("Reviews", review_columns, dict(REVIEW_STATUSES), _reviews),
    "actions": RegisterExport("Agency actions", action_columns, dict(ACTION_STATUSES), _actions),
    "requests": RegisterExport("Archive requests", request_columns, dict(REQUEST_STATUSES), _requests),
}


def add_export_command(sub: Any) -> None:
    """Add ``export`` to the sub-command parsers ``sub``."""
    e = sub.add_parser("export", help="write a register to a CSV file or an Excel workbook")
    e.add_argument("register", help=f"one of: {', '.join(REGISTERS)}")
    e.add_argument("--db", default=argparse.SUPPRESS)
    e.add_argument("--out", required=True, type=Path, help="the .csv or .xlsx file to write")
    e.add_argument("--stage", default="", help="only records at this stage or status (or 'open'); default all")


def export(args: argparse.Namespace) -> int:
    """``export REGISTER --out FILE [--stage STAGE]``."""
    from bscp_desktop.cli.common import UsageError, not_written, open_register
    from bscp_desktop.services.registers.export import export_view

    register = REGISTERS.get(args.register)
    if register is None:
        raise UsageError(f"unknown register '{args.register}' (known: {', '.join(REGISTERS)})")
    if args.out.suffix.lower() not in SUFFIXES:
        raise UsageError(f"--out {args.out.name} must be a .csv or .xlsx file")
    if args.stage and args.stage not in ("open", *register.stages):
        raise UsageError(f"unknown stage '{args.stage}' for {args.register} (known: open, "
                         f"{', '.join(register.stages)})")
    svc = open_register(getattr(args, "db", None))
    try:
        ids, fetch = register.read(svc, args.stage)
        try:
            written = export_view(args.out, register.title, register.columns(), ids, fetch, lambda _f, _m: None)
        except OSError as e:
            return not_written(args.out, e)
    finally:
        svc.close()
    print(f"Wrote {written:,} {args.register} to {args.out}")
    return 0


__all__ = ["REGISTERS", "add_export_command", "export"]
