"""Profile a draft status report's composing (issue 24: the draft PDF warm is all composing):

    python -m bench.compose --db /tmp/perf-pdf.db            # cProfile, top 25 cumulative
    python -m bench.compose --db /tmp/perf-pdf.db --sections # statements and CPU per section

The database is one made by `python -m bench.pdf --tasks 3000` (its newest draft report is
composed). CPU time (process time), the median of `--rounds`, and the SQL statements counted on
the engine: figures that hold on a loaded machine, unlike wall time.
"""

import argparse
import cProfile
import gc
import pstats
import statistics
import time
from datetime import date
from typing import Any

from sqlalchemy import event
from sqlmodel import col, select


def _per_section(once: Any, statements: list[str]) -> None:
    """CPU and statements of each part compose calls (the names content.py calls)."""
    from app.participants import figures
    from app.reports import content, gantt_data
    from app.reports import domain_sections as sections

    spent: dict[str, list[float]] = {}
    wrapped = [(sections, n) for n in sections.__dict__ if not n.startswith("_")]
    wrapped += [(gantt_data, "load"), (content, "governance_lines"), (figures, "report_figures")]
    wrapped += [(content, "previous_issued")]
    originals = []
    for module, name in wrapped:
        fn = getattr(module, name)
        own = getattr(fn, "__module__", "") == module.__name__
        if not callable(fn) or isinstance(fn, type) or not own:
            continue
        originals.append((module, name, fn))

        def timed(*a: Any, _fn: Any = fn, _name: str = name, **kw: Any) -> Any:
            s0, c0 = len(statements), time.process_time()
            try:
                return _fn(*a, **kw)
            finally:
                spent.setdefault(_name, [0.0, 0])
                spent[_name][0] += time.process_time() - c0
                spent[_name][1] += len(statements) - s0

        setattr(module, name, timed)
    try:
        once()
    finally:
        for module, name, fn in originals:
            setattr(module, name, fn)
    for name, (cpu, n) in sorted(spent.items(), key=lambda kv: -kv[1][0]):
        print(f"  {name:32s} {cpu * 1000:7.1f} ms CPU {int(n):4d} statements")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sections", action="store_true", help="statements per section")
    parser.add_argument("--no-gc", action="store_true", help="garbage collection off (A/B)")
    args = parser.parse_args(argv)
    if args.no_gc:
        gc.disable()

    from app.db import Database
    from app.reports import content
    from app.reports.models import ReportStatus, StatusReport

    database = Database(f"sqlite:///{args.db}")
    statements: list[str] = []

    def seen(*a: Any) -> None:
        statements.append(a[2])

    event.listen(database.engine, "before_cursor_execute", seen)
    with database.session() as session:
        report = session.exec(
            select(StatusReport)
            .where(StatusReport.status == ReportStatus.draft)
            .order_by(col(StatusReport.id).desc())
        ).first()
        assert report is not None

        def once() -> None:
            content.compose(session=session, report=report, made=date(2025, 10, 1))
            session.expire_all()

        once()  # warm caches (templates, compiled statements)
        cpu = []
        for _ in range(args.rounds):
            statements.clear()
            started = time.process_time()
            once()
            cpu.append(time.process_time() - started)
        print(
            f"compose: CPU median {statistics.median(cpu) * 1000:.0f} ms "
            f"(min {min(cpu) * 1000:.0f}), {len(statements)} statements"
        )
        if args.sections:
            _per_section(once, statements)
            by_text: dict[str, int] = {}
            for s in statements:
                key = " ".join(s.split())[:110]
                by_text[key] = by_text.get(key, 0) + 1
            for key, n in sorted(by_text.items(), key=lambda kv: -kv[1])[:15]:
                print(f"{n:5d}  {key}")
        profile = cProfile.Profile(time.process_time)  # CPU, not wall: the machine is shared
        profile.enable()
        once()
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)
    database.dispose()


if __name__ == "__main__":
    main()
