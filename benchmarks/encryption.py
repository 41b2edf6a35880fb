"""What encryption at rest costs: the deadline report and register filters on an encrypted register beside the
same register plain, at 10 000 and 100 000 incidents (target: encrypted at most 1.3 × plain).

    python benchmarks/encryption.py [--sizes 10000 100000] [--repeat 5]

Each size's demo register is built once (kept in the temporary folder) and written encrypted beside itself
with ``export_copy`` (what ``encrypt`` does) and a random key, as a key kept in the credential store would be
(no key derivation). A passphrase register costs one key derivation when it is opened (about 0.3 s; its
connections then share the derived key), which "open, passphrase" shows.
"Open" is opening the register (Services.open, which reads the settings and calendar); "report" writes the
deadline report PDF; "filter" is the median of the register filters a user would apply (text search, a stage,
a RAG colour, a year, a sort), ids then the first screenful of rows. Each figure is the median of the runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bscp_desktop.reports import ReportOptions, render
from bscp_desktop.services import Services
from bscp_desktop.services.registers.registers import RegisterFilter
from bscp_desktop.store.encryption import export_copy
from bscp_desktop.store.keys import RegisterKey

AS_OF = dt.date(2026, 11, 20)
FILTERS = (RegisterFilter(text="Child B"), RegisterFilter(stage="open"), RegisterFilter(rag="overdue"),
           RegisterFilter(year=2024), RegisterFilter(sort="aware", descending=True), RegisterFilter())
TARGET = 1.3


def plain_register(size: int) -> Path:
    """The plain demo register of ``size`` incidents, built once."""
    path = Path(tempfile.gettempdir()) / f"bench-{size}.db"
    if not path.exists():
        t = time.perf_counter()
        svc = Services.open(path)
        svc.demo.build(size, 1, AS_OF)
        svc.close()
        print(f"demo register with {size:,} incidents built in {time.perf_counter() - t:.1f} s")
    Services.open(path).close()  # one built by an older version is brought to the current schema first
    return path


def median_time(fn: Callable[[], object], repeat: int) -> float:
    """The median seconds of ``repeat`` runs of ``fn`` after one warm-up run."""
    fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def measure(path: Path, key: RegisterKey | None, out: Path, repeat: int) -> dict[str, float]:
    """Open, deadline report and filter times on one register."""
    opened = median_time(lambda: Services.open(path, key=key, today=lambda: AS_OF).close(), repeat)
    svc = Services.open(path, key=key, today=lambda: AS_OF)
    try:
        report = median_time(lambda: render(svc, "deadlines", out, ReportOptions(AS_OF)), repeat)

        def one_filter(f: RegisterFilter) -> Callable[[], object]:
            return lambda: svc.registers.incident_rows(svc.registers.incident_ids(f, AS_OF)[:40], AS_OF)
        filters = statistics.median(median_time(one_filter(f), repeat) for f in FILTERS)
    finally:
        svc.close()
    return {"open": opened, "report": report, "filter": filters}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bscp-bench-enc-"))
    try:
        for size in args.sizes:
            plain = work / f"plain-{size}.db"
            shutil.copyfile(plain_register(size), plain)
            encrypted, locked = work / f"encrypted-{size}.db", work / f"passphrase-{size}.db"
            key, passphrase = RegisterKey.new_random(), RegisterKey.passphrase("a benchmark passphrase")
            t = time.perf_counter()
            export_copy(plain, None, encrypted, key)
            print(f"{size:,} incidents: encrypted in {time.perf_counter() - t:.1f} s")
            export_copy(plain, None, locked, passphrase)
            a = measure(plain, None, work / "plain.pdf", args.repeat)
            b = measure(encrypted, key, work / "encrypted.pdf", args.repeat)
            b["open, passphrase"] = median_time(
                lambda p=locked, k=passphrase: Services.open(p, key=k).close(), args.repeat)
            a["open, passphrase"] = a["open"]
            for name in ("open", "open, passphrase", "report", "filter"):
                ratio = b[name] / a[name]
                verdict = ("within" if ratio <= TARGET else "OVER") + f" the {TARGET} × target"
                if name.startswith("open"):
                    verdict = "no target: one key derivation at opening" if "passphrase" in name else "no target"
                print(f"  {name:16s} plain {a[name] * 1000:8.1f} ms   encrypted {b[name] * 1000:8.1f} ms   "
                      f"{ratio:5.2f} × ({verdict})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
