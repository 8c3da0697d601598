"""The benchmark run: for each scale, generate (or reuse) the workload, ingest it (ours and the DuckDB floor,
interleaved), ingest new pages, publish, export, run the queries against their baselines; at the largest
scale also the dashboard pages, the poll cycles and the commands' start-up (``startup``); once per run the page
parse and the real archives.
Every figure becomes a ``report.Row`` with its target.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import loopback, pages, startup, workload
from benchmarks.report import Report, Row, megabytes, seconds, spread
from benchmarks.timing import Samples, WorkerError, interleaved, repeat, run_worker
from tracker.sources import arena_page

INGEST_TARGET = 2.0  # a full-history ingest: at most twice DuckDB's own CTAS of the same Parquet
INGEST_RSS_MB = 500  # peak RSS of the 1x full-history ingest
# the incremental publish after one page at 10x when its target was set (BENCHMARKS.md of 2026-12-04)
INCREMENTAL_BEFORE_10X = 3.10
REAL_PAGE = ("podsieve-prediction_mkt", "arena_text_overall-no-style-control_cutoff-2026-05-07.html")


@dataclass(frozen=True)
class Options:
    scales: tuple[float, ...]
    workdir: Path
    shared: Path | None  # ../shared/data, or None when absent
    runs: int = 3  # ingest, floor and publish runs per scale
    query_reps: int = 20
    pandas_reps: int = 20
    dashboard_runs: int = 3
    poll_runs: int = 20
    parse_runs: int = 15
    startup_runs: int = 15  # rounds of the four start-up processes
    up_runs: int = 3  # rounds of `tracker up` on a fresh home and a bare streamlit run
    seed: int = 7
    quick: bool = False


def _ratio(ours: float, base: float) -> float | None:
    return ours / base if base > 0 else None


def run(opts: Options, log=print) -> Report:
    report = Report()
    largest = max(opts.scales)
    loads = {f: workload.prepare(opts.workdir, f, seed=opts.seed, log=log) for f in opts.scales}
    _guarded(report, log, "page parse", _parse, report, opts, loads[largest], log)
    for factor in opts.scales:
        wl = loads[factor]
        home = opts.workdir / wl.label / "home"
        if not _guarded(report, log, f"ingest {wl.label}", _ingest, report, opts, wl, home, log):
            continue  # everything else at this scale reads the ingested home
        _guarded(report, log, f"page ingest {wl.label}", _pages, report, wl, home, log)
        _guarded(report, log, f"publish {wl.label}", _publish, report, opts, wl, home, log)
        _guarded(report, log, f"queries {wl.label}", _queries, report, opts, wl, home, log)
        if factor == largest:
            _guarded(report, log, f"dashboard {wl.label}", _dashboard, report, opts, wl, home, log)
            _guarded(report, log, f"poll {wl.label}", _poll, report, opts, wl, home, log)
            _guarded(
                report,
                log,
                "start-up",
                startup.run,
                report,
                home,
                wl.label,
                opts.startup_runs,
                log,
                opts.up_runs,
            )
    _guarded(report, log, "real archives", _shared, report, opts, log)
    return report


def _guarded(report: Report, log, what: str, fn, *args) -> bool:
    """Run one section; a failed child process becomes a note (its figures are missing) instead of ending
    the whole run."""
    try:
        fn(*args)
    except WorkerError as exc:
        first = str(exc).strip().splitlines()
        reason = next((line for line in reversed(first) if "Error" in line), first[0] if first else "?")
        report.notes.append(f"{what} failed, its figures are missing: {reason[:300]}")
        log(f"{what} FAILED: {reason[:300]}")
        return False
    return True


def _parse(report: Report, opts: Options, wl: workload.Workload, log) -> None:
    candidates = [("synthetic", wl.parse_page)]
    if opts.shared is not None and opts.shared.joinpath(*REAL_PAGE).exists():
        candidates.append(("real capture", opts.shared.joinpath(*REAL_PAGE)))
    else:
        report.notes.append("Real page parse skipped: ../shared/data is absent.")
    for name, path in candidates:
        log(f"parse: {name} page ...")
        body = path.read_bytes()
        now = datetime.now(UTC)
        timed_pair = interleaved(
            {
                "ours": lambda b=body, t=now: arena_page.parse(b, "bench", fetched_at=t),
                "floor": lambda b=body: pages.stdlib_entries(b),
            },
            opts.parse_runs,
            warmup=1,
        )
        ours, floor = timed_pair["ours"], timed_pair["floor"]
        entries = len(pages.stdlib_entries(body))
        ratio = _ratio(ours.median, floor.median)
        report.add(
            Row(
                f"parse one arena page ({name}, {len(body) / 1e6:.2f} MB, {entries} entries)",
                spread(ours),
                f"stdlib extract + json: {spread(floor)}",
                ratio,
                "≤ 2x floor",
                ratio is not None and ratio <= 2,
                kind="parse",
            )
        )


def _ingest(report: Report, opts: Options, wl: workload.Workload, home: Path, log) -> None:
    files = [str(p) for p in wl.full_files()]
    ours, floor, ranked, stored, runs = Samples(), Samples(), Samples(), Samples(), []
    stored_parts, floor_peaks = [], []
    scratch = str(home.parent / "floor.duckdb")
    for run_no in range(opts.runs):
        log(f"[{wl.label}] ingest run {run_no + 1}/{opts.runs} ({wl.rows:,} standings) ...")
        result = run_worker("ingest", {"home": str(home), "paths": files})
        ours.add(result["seconds"])
        runs.append(result)
        log(f"[{wl.label}]   ours {result['seconds']:.1f} s; floor ...")
        bare = run_worker("floor", {"db": scratch, "paths": files})
        floor.add(bare["seconds"])
        floor_peaks.append(bare["peak_rss_mb"])
        args = {"db": scratch, "paths": files, "statement": "floor_ranked_ingest"}
        ranked.add(run_worker("floor", args)["seconds"])
        reference = run_worker("ranked_store_floor", {"db": scratch, "paths": files})
        if reference["rows"] != wl.rows:
            raise RuntimeError(f"the ranked-store reference stored {reference['rows']:,} of {wl.rows:,} rows")
        stored.add(reference["seconds"])
        stored_parts.append(reference)
    ratio = _ratio(ours.median, floor.median)
    median_run = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
    report.add(
        Row(
            f"full-history ingest, {wl.label} ({wl.rows / 1e6:.2f} M standings, {len(files)} files)",
            spread(ours),
            f"DuckDB CTAS read_parquet: {spread(floor)}",
            ratio,
            f"≤ {INGEST_TARGET:g}x floor",
            ratio is not None and ratio <= INGEST_TARGET,
            kind="ingest",
        )
    )
    report.add(
        Row(
            f"reference: the floor with an ordinal rank window added, {wl.label} (what ranking alone costs)",
            spread(ranked),
            f"DuckDB CTAS read_parquet: {seconds(floor.median)}",
            _ratio(ranked.median, floor.median),
            kind="ingest-ranked-floor",
        )
    )
    middle = sorted(stored_parts, key=lambda r: r["seconds"])[len(stored_parts) // 2]
    report.add(
        Row(
            f"reference: read with polars, the tracker's three ranks, one CTAS of the rows, {wl.label} "
            "(no checks, identity or snapshots: the least a load of ranked rows costs)",
            spread(stored),
            f"DuckDB CTAS read_parquet: {seconds(floor.median)} (of the reference's median run: the ranks "
            f"{seconds(middle['ranks_seconds'])}, the CTAS {seconds(middle['store_seconds'])})",
            _ratio(stored.median, floor.median),
            kind="ingest-ranked-store-floor",
        )
    )
    peak = max(r["peak_rss_mb"] for r in runs)
    rss_target = wl.factor == 1  # the target is set at 1x; 10x is reported beside it
    report.add(
        Row(
            f"peak RSS, full-history ingest {wl.label}",
            megabytes(peak),
            f"DuckDB CTAS read_parquet (the floor's process): {megabytes(max(floor_peaks))}",
            _ratio(peak, max(floor_peaks)),
            target=f"≤ {INGEST_RSS_MB:,} MB" if rss_target else "—",
            met=peak <= INGEST_RSS_MB if rss_target else None,
            kind="rss-ingest",
        )
    )
    log(f"[{wl.label}] reparse the ingested history (a copy) ...")
    rebuilt = run_worker("reparse", {"home": str(home), "scratch": str(home.parent / "reparse-home")})
    if rebuilt["rows"] != wl.rows or rebuilt["failures"]:
        raise RuntimeError(
            f"the reparse stored {rebuilt['rows']:,} of {wl.rows:,} rows, {rebuilt['failures']} failed"
        )
    report.add(
        Row(
            f"reparse the full history, {wl.label} (every stored payload again, one transaction; no publish)",
            seconds(rebuilt["seconds"]),
            f"full-history ingest: {seconds(ours.median)}",
            _ratio(rebuilt["seconds"], ours.median),
            kind="reparse",
        )
    )
    report.add(
        Row(
            f"peak RSS, reparse {wl.label}",
            megabytes(rebuilt["peak_rss_mb"]),
            f"full-history ingest: {megabytes(peak)}",
            _ratio(rebuilt["peak_rss_mb"], peak),
            kind="rss-reparse",
        )
    )
    stages = sorted(median_run["stages"].items(), key=lambda kv: -kv[1])
    report.detail(
        f"Where the ingest time goes, {wl.label} (median run: {median_run['seconds']:.1f} s wall, "
        f"{median_run['cpu_seconds']:.1f} s CPU)",
        ("stage", "seconds", "share"),
        [(name, f"{s:.2f}", f"{s / median_run['seconds']:.0%}") for name, s in stages if s >= 0.005],
    )
    held = sorted(median_run["stage_peaks_mb"].items(), key=lambda kv: -kv[1])[:10]
    report.detail(
        f"Where the ingest's memory peaks, {wl.label} (median run, peak {megabytes(median_run['peak_rss_mb'])}: "
        "the highest resident set sampled every 10 ms while each stage ran, charged to the innermost)",
        ("stage", "peak RSS"),
        [(name, megabytes(mb)) for name, mb in held],
    )


def _pages(report: Report, wl: workload.Workload, home: Path, log) -> None:
    first = [str(p) for p in wl.page_files if f"cutoff-{_page_day(wl, 0)}" in p.name]
    if not first:
        return
    log(f"[{wl.label}] page ingest and incremental publish ({len(first)} pages) ...")
    result = run_worker("pages", {"home": str(home), "paths": first})
    ours, published = Samples(result["samples"]), Samples(result["publish"])
    floor = Samples()
    for path in first:
        body = Path(path).read_bytes()
        floor.add(repeat(lambda b=body: pages.stdlib_entries(b), 1).values[0])
    report.add(
        Row(
            f"ingest one new arena page into the {wl.label} database ({len(first)} pages, "
            f"{result['rows']:,} rows)",
            spread(ours),
            f"stdlib parse of the page: {spread(floor)}",
            _ratio(ours.median, floor.median),
            kind="page-ingest",
        )
    )
    report.add(
        Row(
            f"publish the read copy after one new page ({', '.join(result['publish_modes'])}: its board "
            f"recomputed), {wl.label}",
            spread(published),
            f"full publish: {seconds(result['full_publish_seconds'])}",
            _ratio(published.median, result["full_publish_seconds"]),
            # set at 10x: at most a second, and a fifth of its figure when the target was set
            f"≤ 1 s and ≤ 0.2x {INCREMENTAL_BEFORE_10X:g} s" if wl.factor >= 10 else "—",
            published.median <= min(1.0, 0.2 * INCREMENTAL_BEFORE_10X) if wl.factor >= 10 else None,
            kind="publish-incremental",
        )
    )
    for title, key in (("one new page", "stages"), ("the publish after one new page", "publish_stages")):
        stages = sorted(result[key].items(), key=lambda kv: -kv[1])
        report.detail(
            f"Where the time of {title} goes, {wl.label} (mean of {len(first)} pages)",
            ("stage", "ms"),
            [(name, f"{s * 1000:.1f}") for name, s in stages if s >= 0.0005],
        )


def _page_day(wl: workload.Workload, k: int) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(wl.newest_publish) + timedelta(days=workload.PAGE_DAYS_AFTER[k])).isoformat()


def _publish(report: Report, opts: Options, wl: workload.Workload, home: Path, log) -> None:
    log(f"[{wl.label}] publish ...")
    result = run_worker("publish", {"home": str(home), "runs": opts.runs})
    ours, floor, copy = Samples(result["ours"]), Samples(result["floor"]), Samples(result["copy"])
    rows = result["rows"]
    ratio = _ratio(ours.median, floor.median)
    report.add(
        Row(
            f"publish the read copy in full, {wl.label} ({rows / 1e6:.2f} M standings)",
            spread(ours),
            f"copy the database file + CTAS rank_history: {spread(floor)}",
            ratio,
            "≤ 2x floor",
            ratio is not None and ratio <= 2,
            kind="publish",
        )
    )
    report.add(
        Row(
            f"reference: copy the database file alone, {wl.label} (the I/O floor of any publish)",
            spread(copy),
            f"publish in full: {seconds(ours.median)}",
            _ratio(ours.median, copy.median),
            kind="publish-copy",
        )
    )
    report.add(
        Row(
            f"open the writer on the {wl.label} database (migrate, views, identity refresh)",
            seconds(result["open_seconds"]),
            kind="open",
        )
    )
    per_m = max(rows, 1) / 1e6
    parquet = wl.parquet_bytes / 1e6 / (wl.rows / 1e6)
    for label, size, kind in (
        ("database", result["db_bytes"], "size-db"),
        ("read copy", result["read_bytes"], "size-read"),
    ):
        mb = size / 1e6 / per_m
        report.add(
            Row(
                f"{label} size per million standings, {wl.label}",
                megabytes(mb),
                f"dataset Parquet: {megabytes(parquet)}",
                _ratio(mb, parquet),
                kind=kind,
            )
        )
    stages = sorted(result["stages"].items(), key=lambda kv: -kv[1])
    total = sum(result["stages"].values()) or 1
    report.detail(
        f"Where the time of a full publish goes, {wl.label} (one run)",
        ("stage", "seconds", "share"),
        [(name, f"{s:.3f}", f"{s / total:.0%}") for name, s in stages if s >= 0.001],
    )


def _query_target(key: str, factor: float) -> tuple[float | None, str]:
    if key in ("model_history", "board_as_of"):
        return (0.050, "p50 < 50 ms") if factor >= 10 else (0.020, "p50 < 20 ms")
    if key in ("movers", "crowns") and factor >= 10:
        return 0.100, "p50 < 100 ms"
    return None, ""


def _queries(report: Report, opts: Options, wl: workload.Workload, home: Path, log) -> None:
    log(f"[{wl.label}] queries ...")
    lake = home.parent / "lake"
    result = run_worker(
        "queries",
        {"home": str(home), "lake": str(lake), "reps": opts.query_reps, "pandas_reps": opts.pandas_reps},
    )
    shutil.rmtree(lake, ignore_errors=True)
    details = []
    for key, case in result["cases"].items():
        ours, raw, pandas = Samples(case["ours"]), Samples(case["raw"]), Samples(case["pandas"])
        limit, text = _query_target(key, wl.factor)
        ratio = _ratio(ours.median, pandas.median)
        met = ratio is not None and ratio <= 0.1 and (limit is None or ours.median < limit)
        target = "; ".join(t for t in (text, "≥ 10x faster than pandas") if t)
        name = f"query: {case['title']}, {wl.label}"
        report.add(
            Row(
                f"{name} — p50",
                seconds(ours.median),
                f"pandas: {seconds(pandas.median)}",
                ratio,
                target,
                met,
                kind=f"query-{key}",
            )
        )
        report.add(
            Row(
                f"{name} — p95",
                seconds(ours.pct(95)),
                f"pandas: {seconds(pandas.pct(95))}",
                _ratio(ours.pct(95), pandas.pct(95)),
                kind=f"query-{key}-p95",
            )
        )
        report.add(
            Row(
                f"{name} — p50 vs raw SQL",
                seconds(ours.median),
                f"raw tables: {seconds(raw.median)}",
                _ratio(ours.median, raw.median),
                kind=f"query-{key}-raw",
            )
        )
        rows = {case[f"rows_{name}"] for name in ("ours", "raw", "pandas", "duckdb", "least")}
        fresh, alone, least = Samples(case["fresh"]), Samples(case["duckdb"]), Samples(case["least"])
        details.append(
            (
                key,
                f"{case['rows_ours']}/{case['rows_raw']}/{case['rows_pandas']}"
                + ("" if len(rows) == 1 else " (differ)"),
                seconds(ours.min),
                seconds(ours.median),
                seconds(ours.pct(95)),
                seconds(ours.max),
                seconds(fresh.median),
                seconds(alone.median),
                f"{alone.median / pandas.median:.2f}x" if pandas.median > 0 else "—",
                seconds(least.median),
                f"{least.median / pandas.median:.2f}x" if pandas.median > 0 else "—",
                seconds(raw.median),
                seconds(raw.pct(95)),
                seconds(pandas.median),
                str(len(ours.values)),
            )
        )
    report.add(
        Row(
            f"export the lake for pandas ({result['export_rows'] / 1e6:.2f} M rows), {wl.label}",
            seconds(result["export_seconds"]),
            kind="export",
        )
    )
    report.add(
        Row(
            f"pandas: load the exported rank_history once, {wl.label}",
            seconds(result["pandas_load_seconds"]),
            kind="pandas-load",
        )
    )
    ctx = result["context"]
    report.detail(
        f"Queries, {wl.label} (model {ctx['model']}; as of {ctx['at']}; movers {ctx['from_date']} -> "
        f"{ctx['to_date']}; text/overall raw, {ctx['board_dates']} board dates)",
        (
            "query",
            "rows ours/raw/pandas",
            "min",
            "p50",
            "p95",
            "max",
            "p50, fresh connection",
            "DuckDB alone p50",
            "DuckDB alone / pandas",
            "least statement p50",
            "least / pandas",
            "raw p50",
            "raw p95",
            "pandas p50",
            "runs",
        ),
        details,
    )


def _dashboard(report: Report, opts: Options, wl: workload.Workload, home: Path, log) -> None:
    log(f"[{wl.label}] dashboard pages ...")
    result = run_worker("dashboard", {"home": str(home), "runs": opts.dashboard_runs, "timeout": 600})
    rss = result.pop("peak_rss_mb")
    result.pop("process_cpu_seconds", None)
    for url, page in result.items():
        data = Samples(page["data"])
        problems = f"; errors: {page['problems']}" if page["problems"] else ""
        report.add(
            Row(
                f"dashboard page data, {page['title']} ({page['reads']} reads), {wl.label}",
                spread(data),
                f"whole page rerun: {seconds(Samples(page['page']).median)}{problems}",
                None,
                "< 1 s",
                data.median < 1.0 and not page["problems"],
                kind=f"dashboard-{url}",
            )
        )
    report.add(
        Row(f"peak RSS, dashboard process (every page), {wl.label}", megabytes(rss), kind="rss-dashboard")
    )
    slow = [
        (page["title"], name, seconds(s))
        for page in result.values()
        for name, s in sorted(page["by_read"].items(), key=lambda kv: -kv[1])[:3]
        if s >= 0.05
    ]
    report.detail(
        f"Slowest reads per dashboard page, {wl.label} (median round, cold cache)",
        ("page", "read", "time"),
        slow,
    )


def _poll(report: Report, opts: Options, wl: workload.Workload, home: Path, log) -> None:
    log(f"[{wl.label}] poll cycles ...")
    second = [p for p in wl.page_files if f"cutoff-{_page_day(wl, 1)}" in p.name]
    changed = next(p for p in second if "overall-no-style-control" in str(p))
    others = [p for p in second if p != changed]
    etag_page = others[0] if others else changed
    same_page = wl.parse_page
    if opts.shared is not None and opts.shared.joinpath(*REAL_PAGE).exists():
        same_page = opts.shared.joinpath(*REAL_PAGE)
    routes = {
        "/leaderboard/text/overall-no-style-control": {"file": str(changed), "etag": None},
        "/leaderboard/text/etag-board": {"file": str(etag_page), "etag": '"bench-etag-1"'},
        "/leaderboard/text/same-bytes": {"file": str(same_page), "etag": None},
    }
    proc, base = loopback.serve(routes, home.parent / "routes.json")
    try:
        result = run_worker(
            "poll",
            {
                "home": str(home),
                "base_url": base,
                "changed": "/leaderboard/text/overall-no-style-control",
                "etag_route": "/leaderboard/text/etag-board",
                "same_route": "/leaderboard/text/same-bytes",
                "runs": opts.poll_runs,
            },
        )
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    changed_run = result["changed"]
    report.add(
        Row(
            f"poll with a new page (store + {changed_run.get('publish') or 'no'} publish), {wl.label}",
            seconds(changed_run["seconds"]),
            f"CPU {seconds(changed_run['cpu'])}; rows {changed_run['written'].get('standings', 0):,}",
            kind="poll-new",
        )
    )
    for name, title in (
        ("not_modified", "unchanged poll, 304"),
        ("same_hash", "unchanged poll, same-hash 200"),
    ):
        part = result[name]
        wall, cpu, floor = Samples(part["seconds"]), Samples(part["cpu"]), Samples(part["floor"])
        written = sum(v for k, v in part["written"].items() if k != "fetches")
        report.add(
            Row(
                f"{title}: wall, {wl.label}",
                spread(wall),
                f"bare httpx GET: {spread(floor)}",
                _ratio(wall.median, floor.median),
                kind=f"poll-{name}-wall",
            )
        )
        report.add(
            Row(
                f"{title}: process CPU, {wl.label}",
                spread(cpu),
                f"bare GET CPU: {seconds(Samples(part['floor_cpu']).median)}",
                _ratio(cpu.median, Samples(part["floor_cpu"]).median),
                "< 50 ms",
                cpu.median < 0.050,
                kind=f"poll-{name}-cpu",
            )
        )
        report.add(
            Row(
                f"{title}: data rows written ({len(wall.values)} polls; outcomes {', '.join(part['outcomes'])})",
                str(written),
                f"fetch log rows: {part['written'].get('fetches', 0)}",
                None,
                "0",
                written == 0,
                kind=f"poll-{name}-rows",
            )
        )
        stages = sorted(part["stages"].items(), key=lambda kv: -kv[1])
        report.detail(
            f"Where an {title} spends its time, {wl.label} (one poll)",
            ("stage", "ms"),
            [(k, f"{v * 1000:.2f}") for k, v in stages if v >= 0.0001],
        )
    report.add(
        Row(f"open the writer in the poller, {wl.label}", seconds(result["open_seconds"]), kind="poll-open")
    )
    rss = result["peak_rss_mb"]
    report.detail(
        f"Poller memory, {wl.label}: peak resident set after each phase",
        ("phase", "peak RSS"),
        [(phase, megabytes(mb)) for phase, mb in result["peak_after"].items()],
    )
    report.add(
        Row(
            f"peak RSS, poller (writer open + polls + publish), {wl.label}",
            megabytes(rss),
            f"DuckDB capped at {result.get('memory_limit') or 'its default'} (poller_memory_limit)",
            None,
            "< 300 MB",
            rss < 300,
            kind="rss-poll",
        )
    )


def _shared(report: Report, opts: Options, log) -> None:
    if opts.shared is None:
        report.notes.append("Real archives import skipped: ../shared/data is absent.")
        return
    if opts.quick:
        report.notes.append("Real archives import skipped in --quick (it takes about a minute).")
        return
    log("real archives: import ../shared/data ...")
    home = opts.workdir / "shared" / "home"
    samples, last = Samples(), {}
    for _ in range(max(1, opts.runs - 1)):
        started = time.perf_counter()
        last = run_worker("import_shared", {"home": str(home), "folder": str(opts.shared)})
        samples.add(last["seconds"])
        log(f"  {time.perf_counter() - started:.1f} s")
    report.add(
        Row(
            f"import every real archive in ../shared/data ({last['files']} files, {last['rows']:,} standings, "
            f"{last['failed']} failed)",
            spread(samples),
            kind="shared-import",
        )
    )
