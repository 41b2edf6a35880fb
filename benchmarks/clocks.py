"""Time to compute every clock of a large demo database (target: under 0.5 s for 100 000 incidents).

    python benchmarks/clocks.py [--db PATH] [--incidents N]

Builds the demo database first if PATH does not exist, then prints the time to read the clock columns,
to compute every clock (due date, RAG, working days left), and to build the dashboard's urgent list.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from sqlalchemy import select

from bscp_desktop.models import Incident, RapidReview, Review, review_incidents
from bscp_desktop.services import Services
from bscp_desktop.services.partnership.clocks import compute_all, sort_clocks

AS_OF = dt.date(2026, 11, 20)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path)
    ap.add_argument("--incidents", type=int, default=100_000)
    args = ap.parse_args()
    path = args.db or Path(tempfile.mkdtemp()) / f"bench-{args.incidents}.db"
    if not path.exists():
        t = time.perf_counter()
        svc = Services.open(path, today=lambda: AS_OF)
        svc.demo.build(args.incidents, 1, AS_OF)
        print(f"demo database with {args.incidents:,} incidents built in {time.perf_counter() - t:.1f} s")
    else:
        svc = Services.open(path, today=lambda: AS_OF)

    t = time.perf_counter()
    with svc.db.read() as s:
        inc_rows = s.execute(
            select(Incident.id, Incident.local_ref, Incident.pseudonym, Incident.became_aware,
                   Incident.notified_date, RapidReview.sent_date, Incident.rapid_review_required)
            .outerjoin(RapidReview, RapidReview.incident_id == Incident.id)).all()
        rev_rows = s.execute(
            select(Review.id, Review.case_reference, Review.kind, Review.decision_date,
                   Review.planned_publication_date, Review.advance_copy_date, Review.publication_date,
                   Review.website_removed_date, Review.held_days, Review.held_since, Review.held_kinds)).all()
        names: dict[int, list[str]] = defaultdict(list)
        for rid, name in s.execute(select(review_incidents.c.review_id, Incident.pseudonym)
                                   .join(Incident, Incident.id == review_incidents.c.incident_id)):
            names[rid].append(name)
    read = time.perf_counter() - t

    eng = svc.clocks.engine(AS_OF)
    t = time.perf_counter()
    clocks = compute_all(eng, inc_rows, rev_rows, names, open_only=False, sort=False)
    compute = time.perf_counter() - t
    gc.collect()  # each step timed without a collection of what the steps before it left
    t = time.perf_counter()
    sort_clocks(clocks)
    ordering = time.perf_counter() - t

    gc.collect()
    t = time.perf_counter()
    urgent = svc.clocks.urgent(AS_OF)
    dash = time.perf_counter() - t
    print(f"cases: {len(inc_rows):,} incidents, {len(rev_rows):,} reviews; clocks computed: {len(clocks):,}")
    print(f"read clock columns:         {read:.3f} s")
    print(f"compute every clock:        {compute:.3f} s   (target < 0.5 s): due date, RAG, working days")
    print(f"order them (overdue first): {ordering:.3f} s")
    print(f"dashboard urgent list:      {dash:.3f} s   ({len(urgent):,} overdue or due)")
    svc.close()


if __name__ == "__main__":
    main()
