"""The fast, deterministic parts of ``benchmarks/faults.py`` as ordinary tests: hostile values through every
write the forms make, formula text through both exports, two colleagues' simultaneous stale saves, and hostile
arguments through every command. (The kills and the two-process writers are timing-dependent: the benchmark
keeps their figures.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from benchmarks.faults import (
    cli_cases,
    concurrent_writers,
    export_injection,
    kills_during_writes,
    open_register,
    stale_saves,
)
from benchmarks.service_fuzz import service_fuzz
from bscp_desktop.cli import main


def test_hostile_values_are_refused_as_typed_errors_with_nothing_written(svc: Any) -> None:
    figures, faults = service_fuzz(svc, limit=30)
    assert faults == []
    assert figures["calls"] > 300 and figures["refused"] > 100 and figures["accepted"] > 10
    assert (figures["unexpected errors"], figures["half-written"]) == (0, 0)


def test_no_exported_cell_is_a_formula(svc: Any, tmp_path: Path) -> None:
    assert export_injection(svc, tmp_path) == {"dangerous cells": 24, "formulas written": 0}


def test_simultaneous_stale_saves_have_one_winner(new_db_url: str) -> None:
    figures, faults = stale_saves(new_db_url, rounds=8)
    assert faults == []
    assert figures == {"rounds": 8, "one winner": 8, "both saved": 0, "neither saved": 0, "lost": 0,
                       "unexpected errors": 0}


@pytest.mark.sqlite_only
def test_hostile_arguments_end_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.db"
    open_register(str(good), initialise=True).close()
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(good.read_bytes()[:4096] + bytes(range(256)) * 80)
    cases = cli_cases(str(good), str(damaged), str(tmp_path / "missing" / "none.db"), tmp_path)[::3]
    assert len(cases) >= 45
    for args in cases:
        try:
            code = main(args)
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else 1
        out, err = capsys.readouterr()
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) <= 1, (args, lines)
        assert code == 0 or lines or out.strip(), (args, code)


@pytest.mark.plain_only  # the probes' writers are other processes: a key in this one's memory is not theirs
def test_the_writing_probes_write_as_editors_and_commit(new_db_url: str, tmp_path: Path) -> None:
    """The kill and two-writer probes open the register as logins it knows as editors: their writes commit (a
    probe whose every write was refused as a viewer's proved nothing, and says so)."""
    figures = kills_during_writes(new_db_url, 2)
    assert figures["committed writes"] > 0 and figures["proved nothing"] == 0
    assert (figures["lost"], figures["corrupt"]) == (0, 0)
    other = f"sqlite:///{tmp_path / 'writers.db'}"
    figures = concurrent_writers(other, 5)
    assert figures == {"writes": 10, "saved": 10, "errors": 0, "lost": 0, "corrupt": 0, "proved nothing": 0}
