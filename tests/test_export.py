"""`tracker export`: a hive-partitioned lake (arena/category/year) that other engines read as is, incremental
by year partition; and reading a lake back (`tracker sql --lake`, TRACKER_LAKE) with the same answers as the
database and a locked-down connection."""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

from tests import hostile_names as hn
from tests import seeded_boards as sb
from tests.cli import run_tracker
from tracker import store
from tracker.config import Settings, load_settings
from tracker.errors import QueryError, StoreError, TrackerError
from tracker.read import export, lake, named_queries, query


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Settings:
    settings = load_settings(environ={}, home=tmp_path_factory.mktemp("export") / "home")
    with store.writer(settings, "pytest") as w:
        sb.seed(w)
    return settings


@pytest.fixture(scope="module")
def lake_dir(seeded, tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("lake") / "lake"
    export.export(seeded, dest)
    return dest


def db(settings: Settings, text: str) -> pl.DataFrame:
    return query.run_sql(settings, text)


def test_export_writes_a_hive_layout_by_arena_category_and_year(seeded, lake_dir):
    files = sorted(str(p.relative_to(lake_dir)) for p in lake_dir.rglob("*.parquet"))
    assert files == [
        "board_dates.parquet",
        "methodology_events.parquet",
        "rank_history/leaderboard=LMArena/arena=text/category=overall/year=2025/data_0.parquet",
        "snapshots/leaderboard=LMArena/arena=text/category=overall/year=2025/data_0.parquet",
    ]


def test_polars_reads_the_lake_as_the_database_has_it(seeded, lake_dir):
    # another engine, no tracker code: polars with hive partitioning
    history = pl.read_parquet(lake_dir / "rank_history" / "**" / "*.parquet", hive_partitioning=True)
    expected = db(seeded, "SELECT * FROM rank_history")
    assert history.height == expected.height == 29
    columns = ["arena", "category", "as_of", "model", "rating", "rank_ordinal", "rank_ub", "source"]
    assert history.select(columns).sort(columns).equals(expected.select(columns).sort(columns))
    assert history["year"].unique().to_list() == [2025]
    snapshots = pl.read_parquet(lake_dir / "snapshots" / "**" / "*.parquet", hive_partitioning=True)
    assert snapshots.height == db(seeded, "SELECT count(*) FROM snapshots").item()
    assert (
        snapshots.filter(pl.col("chosen")).height
        == db(seeded, "SELECT count(*) FROM chosen_snapshots").item()
    )


def test_csv_export_has_the_same_layout_and_rows(seeded, tmp_path):
    result = export.export(seeded, tmp_path / "csv", fmt="csv")
    assert result.rows["rank_history"] == 29
    files = sorted((tmp_path / "csv" / "rank_history").rglob("*.csv"))
    assert [str(f.relative_to(tmp_path / "csv")) for f in files] == [
        "rank_history/leaderboard=LMArena/arena=text/category=overall/year=2025/data_0.csv"
    ]
    frame = pl.read_csv(files[0])
    assert (
        frame.height == 29 and "model" in frame.columns and "arena" not in frame.columns
    )  # arena is the folder
    assert (tmp_path / "csv" / "board_dates.csv").is_file()


def add_2026(settings: Settings) -> None:
    new = {date(2026, 1, 5): [("beta", 1330, 1325, 1335, 4000), ("alpha", 1310, 1305, 1315, 2600)]}
    with store.writer(settings, "pytest") as w:
        w.con.execute("BEGIN TRANSACTION")
        store.load_frame(
            w.con,
            sb.frame(new, style_control=False),
            source="arena-dataset",
            payload_hash="seeded-2026",
            fetched_at=datetime(2026, 1, 6, tzinfo=UTC),
        )
        w.con.execute("COMMIT")
        store.publish(w)


def test_since_rewrites_only_the_year_partitions_from_that_year(tmp_path):
    settings = load_settings(environ={}, home=tmp_path / "home")
    with store.writer(settings, "pytest") as w:
        sb.seed(w)
    dest = tmp_path / "lake"
    export.export(settings, dest)
    old_file = dest / "rank_history/leaderboard=LMArena/arena=text/category=overall/year=2025/data_0.parquet"
    before = old_file.stat()

    add_2026(settings)
    for _ in range(2):  # a rerun writes the same files again, never duplicates
        result = export.export(settings, dest, since=date(2026, 1, 1))
        assert result.rows["rank_history"] == 2
        assert (old_file.stat().st_mtime_ns, old_file.stat().st_ino) == (before.st_mtime_ns, before.st_ino)
        lake_rows = query.run_sql(settings.replace(lake=dest), "SELECT count(*) FROM rank_history").item()
        assert lake_rows == query.run_sql(settings, "SELECT count(*) FROM rank_history").item() == 31
    assert (
        dest / "rank_history/leaderboard=LMArena/arena=text/category=overall/year=2026/data_0.parquet"
    ).is_file()
    # board_dates is rewritten whole: the lake knows 2026-01-05 is now the raw board's newest date
    newest = query.run_sql(settings.replace(lake=dest), "SELECT as_of FROM latest GROUP BY ALL ORDER BY 1")
    assert newest["as_of"].to_list() == [sb.D5, date(2026, 1, 5)]


def test_a_full_export_removes_partitions_that_no_longer_exist(seeded, tmp_path):
    # a partition an earlier export wrote (2026, from a home that had it) that the data no longer holds
    earlier = load_settings(environ={}, home=tmp_path / "home")
    with store.writer(earlier, "pytest") as w:
        sb.seed(w)
    add_2026(earlier)
    dest = tmp_path / "lake"
    export.export(earlier, dest)
    stale = dest / "rank_history/leaderboard=LMArena/arena=text/category=overall/year=2026"
    assert stale.is_dir()
    export.export(seeded, dest)
    assert not stale.exists()
    assert not (dest / "snapshots/leaderboard=LMArena/arena=text/category=overall/year=2026").exists()


def _lake_files(dest: Path) -> dict[str, int]:
    """Every file under the lake with its modification time: what a failed export must leave unchanged."""
    return {str(p.relative_to(dest)): p.stat().st_mtime_ns for p in sorted(dest.rglob("*")) if p.is_file()}


def test_since_in_another_format_is_refused_and_the_lake_left_as_it_was(seeded, tmp_path):
    # before: the 2025 Parquet partitions were removed and rewritten as CSV, and the Parquet lake then
    # answered without them
    dest = tmp_path / "lake"
    export.export(seeded, dest)
    before = _lake_files(dest)
    with pytest.raises(TrackerError, match=r"holds a parquet export .*--since 2025-01-01 would rewrite"):
        export.export(seeded, dest, fmt="csv", since=date(2025, 1, 1))
    assert _lake_files(dest) == before
    proc = run_tracker(seeded.home, "export", str(dest), "--format", "csv", "--since", "2025-01-01")
    assert proc.returncode == 1 and "Export it whole as csv (without --since)" in proc.stderr
    assert _lake_files(dest) == before


def test_a_full_export_in_the_other_format_replaces_every_table_and_counts_only_its_files(seeded, tmp_path):
    dest = tmp_path / "lake"
    export.export(seeded, dest)
    (dest / "notes.csv").write_text("mine\n")  # the user's own file: neither removed nor counted
    result = export.export(seeded, dest, fmt="csv")
    assert sorted(p.name for p in dest.rglob("*.parquet")) == []  # board_dates.parquet used to stay
    tables = sorted(str(p.relative_to(dest)) for p in dest.rglob("*.csv") if p.name != "notes.csv")
    assert result.files == len(tables) == 4
    assert (dest / "notes.csv").read_text() == "mine\n"


def test_a_failed_export_leaves_the_lake_as_it_was(seeded, tmp_path, monkeypatch):
    dest = tmp_path / "lake"
    export.export(seeded, dest)
    before = _lake_files(dest)
    copy = export._copy

    def disk_full_at_the_last_table(con, select, target, options, params):
        if target.name.startswith("methodology_events"):  # the partitions are written by then
            raise duckdb.IOException("Could not write file: No space left on device")
        return copy(con, select, target, options, params)

    monkeypatch.setattr(export, "_copy", disk_full_at_the_last_table)
    for since in (None, date(2025, 1, 1)):
        with pytest.raises(StoreError, match="failed, the lake is left as it was: .*No space left"):
            export.export(seeded, dest, since=since)
        assert _lake_files(dest) == before
        assert not (dest / export.STAGING).exists()
    monkeypatch.undo()
    assert export.export(seeded, dest).rows["rank_history"] == 29  # and the next export works


def test_an_empty_history_is_not_exported_into_a_lake_that_cannot_be_read(tmp_path):
    # before: two files were written, and the lake then asked to be written with the command just run
    home = tmp_path / "home"
    run_tracker(home, "init", "--empty", check=True)
    proc = run_tracker(home, "export", str(tmp_path / "lake"))
    assert proc.returncode == 1 and "nothing to export: the read copy" in proc.stderr
    assert not any((tmp_path / "lake").rglob("*.*"))


@pytest.mark.parametrize("name", sorted(named_queries.catalogue()))
def test_every_named_query_answers_the_same_on_the_lake(seeded, lake_dir, name):
    params = sb.QUERY_PARAMS.get(name, {})
    from_db = named_queries.run(seeded, name, params)
    from_lake = named_queries.run(seeded.replace(lake=lake_dir), name, params)
    assert from_lake.height > 0
    assert from_lake.equals(from_db)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("COPY (SELECT 1) TO '{lake}/evil.csv'", "only SELECT (and EXPLAIN) queries run on it, not COPY"),
        ("CREATE TABLE t AS SELECT 1", "not CREATE"),
        ("SELECT 1; DROP VIEW rank_history", "not DROP"),
        ("ATTACH '{home}/tracker.duckdb' AS db", "not ATTACH"),
        ("SET enable_external_access = true", "not SET"),
        ("SELECT * FROM read_csv('{home}/../secret.csv')", "Permission Error"),
        ("SELECT * FROM read_text('{lake}/../secret.csv')", "Permission Error"),
        ("SELECT * FROM glob('/etc/*')", "Permission Error"),
    ],
)
def test_the_lake_connection_reads_the_lake_and_nothing_else(seeded, lake_dir, text, message):
    (lake_dir.parent / "secret.csv").write_text("a\n1\n")
    with pytest.raises(QueryError) as error:
        query.run_sql(seeded.replace(lake=lake_dir), text.format(lake=lake_dir, home=seeded.home))
    assert message in str(error.value)
    assert not (lake_dir / "evil.csv").exists()


def test_the_lake_configuration_is_locked(lake_dir):
    con = lake.connect(lake_dir)
    try:
        assert con.execute("SELECT current_setting('enable_external_access')").fetchall() == [(False,)]
        with pytest.raises(Exception, match="configuration has been locked"):
            con.execute("SET allowed_directories = ['/']")
    finally:
        con.close()


def test_a_missing_or_csv_lake_says_how_to_make_one(seeded, tmp_path):
    with pytest.raises(StoreError, match="no lake folder at .*tracker export"):
        lake.connect(tmp_path / "nowhere")
    export.export(seeded, tmp_path / "csv", fmt="csv")
    with pytest.raises(
        StoreError, match="not a complete Parquet lake .*a CSV export cannot be read as a lake"
    ):
        lake.connect(tmp_path / "csv")


def test_cli_exports_and_reads_the_lake_back(seeded, tmp_path):
    dest = tmp_path / "cli-lake"
    proc = run_tracker(seeded.home, "export", str(dest), "--format", "parquet", check=True)
    assert f"exported everything to {dest}" in proc.stdout and "rank_history 29" in proc.stdout
    by_option = run_tracker(
        tmp_path / "empty-home",
        "sql",
        "crowns",
        "--lake",
        str(dest),
        "-p",
        "rank_basis=ub",
        "-f",
        "json",
        check=True,
    )
    assert [json.loads(line)["model"] for line in by_option.stdout.splitlines()] == ["alpha", "beta", "zeta"]
    # TRACKER_LAKE does the same for every reader, here the model story
    story = run_tracker(
        tmp_path / "empty-home", "model", "delta", env={"TRACKER_LAKE": str(dest)}, check=True
    )
    assert "Exit: left the text arena after 2025-01-22" in story.stdout


def test_cli_since_must_be_a_date(seeded, tmp_path):
    proc = run_tracker(seeded.home, "export", str(tmp_path / "x"), "--since", "last year")
    assert proc.returncode == 1 and "--since: 'last year' is not a valid DATE" in proc.stderr


# ---------------------------------------------------------------------------------------------------------
# an export replaces only what it wrote (the manifest)


def _tree(dest: Path) -> dict[str, bytes | str]:
    """Every entry under ``dest``: a file's bytes, a link's target, a folder as "dir"."""
    found: dict[str, bytes | str] = {}
    for path in sorted(dest.rglob("*")):
        key = str(path.relative_to(dest))
        if path.is_symlink():
            found[key] = f"-> {path.readlink()}"
        elif path.is_dir():
            found[key] = "dir"
        else:
            found[key] = path.read_bytes()
    return found


def test_a_first_export_into_a_folder_with_user_files_is_refused_and_touches_nothing(seeded, tmp_path):
    # before: rmtree of DIR/snapshots, and the user's photo was gone
    dest = tmp_path / "photos"
    photo = dest / "snapshots" / "2024" / "IMG.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"\xff\xd8\xff a photo")
    (dest / "README.txt").write_text("mine\n")
    before = _tree(dest)
    with pytest.raises(StoreError, match=rf"{re.escape(str(photo))} was not written by an earlier export"):
        export.export(seeded, dest)
    assert _tree(dest) == before
    proc = run_tracker(seeded.home, "export", str(dest))
    assert proc.returncode == 1 and str(photo) in proc.stderr and "nothing was changed" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert _tree(dest) == before


def test_every_export_into_its_own_lake_keeps_the_users_files_beside_it(seeded, tmp_path):
    dest = tmp_path / "lake"
    export.export(seeded, dest)
    (dest / "README.txt").write_text("mine\n")
    (dest / "notes").mkdir()
    (dest / "notes" / "plan.csv").write_text("a\n1\n")
    for fmt, since in (("parquet", None), ("parquet", date(2025, 1, 1)), ("csv", None), ("parquet", None)):
        export.export(seeded, dest, fmt=fmt, since=since)
        assert (dest / "README.txt").read_text() == "mine\n"
        assert (dest / "notes" / "plan.csv").read_text() == "a\n1\n"
        manifest = json.loads((dest / export.MANIFEST).read_text())
        lake_files = {
            str(p.relative_to(dest))
            for table in ("rank_history", "snapshots")
            for p in (dest / table).rglob("*")
            if p.is_file()
        } | {p.name for p in dest.glob("*.*") if p.name.split(".")[0] in export.WHOLE}
        assert set(manifest["files"]) == lake_files and manifest["format"] == fmt
    assert not (dest / export.STAGING).exists()
    assert query.run_sql(seeded.replace(lake=dest), "SELECT count(*) FROM rank_history").item() == 29


def test_a_file_added_inside_the_lakes_folders_is_refused_by_the_next_export(seeded, tmp_path):
    dest = tmp_path / "lake"
    export.export(seeded, dest)
    added = [
        dest / "rank_history" / "leaderboard=LMArena" / "arena=text" / "mine.parquet",
        dest / "snapshots" / "IMG.jpg",
        dest / "board_dates.csv",  # a whole table's name in the other format, not from an export
    ]
    for path in added:
        path.write_bytes(b"user data")
        before = _tree(dest)
        for since in (None, date(2025, 1, 1)):
            with pytest.raises(
                StoreError, match=rf"{re.escape(str(path))} was not written by an earlier export"
            ):
                export.export(seeded, dest, since=since)
            assert _tree(dest) == before, path
        path.unlink()
    assert export.export(seeded, dest).rows["rank_history"] == 29


def test_a_symlinked_table_folder_is_refused_before_anything_is_touched(seeded, tmp_path):
    # before: the export failed halfway with "Cannot call rmtree on a symbolic link", leaving a mixed lake
    dest = tmp_path / "lake"
    export.export(seeded, dest)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("keep\n")
    for name in ("snapshots", "rank_history"):
        shutil.move(dest / name, tmp_path / f"moved-{name}")
        (dest / name).symlink_to(elsewhere, target_is_directory=True)
        before, outside = _tree(dest), _tree(elsewhere)
        with pytest.raises(StoreError, match=rf"{re.escape(str(dest / name))} is a symbolic link"):
            export.export(seeded, dest)
        assert _tree(dest) == before and _tree(elsewhere) == outside
        (dest / name).unlink()
        shutil.move(tmp_path / f"moved-{name}", dest / name)
    # a link inside a table folder is refused too, and the file it points at stays
    link = dest / "snapshots" / "leaderboard=LMArena" / "arena=text" / "link.parquet"
    link.symlink_to(elsewhere / "keep.txt")
    with pytest.raises(StoreError, match=rf"{re.escape(str(link))} is a symbolic link"):
        export.export(seeded, dest)
    assert (elsewhere / "keep.txt").read_text() == "keep\n"


def test_a_lake_without_a_manifest_or_with_a_forged_one_is_refused(seeded, tmp_path):
    dest = tmp_path / "lake"
    export.export(seeded, dest)
    manifest = dest / export.MANIFEST
    (dest / "copy.json").write_bytes(manifest.read_bytes())
    manifest.unlink()  # a lake written before exports kept a manifest
    before = _tree(dest)
    with pytest.raises(StoreError, match="was not written by an earlier export"):
        export.export(seeded, dest)
    assert _tree(dest) == before
    for forged in ("not json", '{"files": ["../outside.txt"], "written_by": "tracker export"}', "[]"):
        manifest.write_text(forged)
        with pytest.raises(StoreError, match=r"\.tracker-export\.json (cannot be read|is not the manifest)"):
            export.export(seeded, dest)
    (dest / "copy.json").replace(manifest)
    assert export.export(seeded, dest).rows["rank_history"] == 29


def test_only_a_staging_folder_an_export_left_is_cleared(seeded, tmp_path):
    dest = tmp_path / "lake"
    export.export(seeded, dest)
    staging = dest / export.STAGING
    staging.mkdir()
    (staging / "mine.txt").write_text("mine\n")
    with pytest.raises(StoreError, match="is not a staging folder an export left"):
        export.export(seeded, dest)
    assert (staging / "mine.txt").read_text() == "mine\n"
    (staging / "mine.txt").unlink()
    (staging / export._STAGING_MARK).write_text("")  # as an interrupted export leaves it
    (staging / "rank_history").mkdir()
    export.export(seeded, dest)
    assert not staging.exists()


# ---------------------------------------------------------------------------------------------------------
# CSV for people


def test_an_exported_csv_holds_no_formula(tmp_path):
    # before: the names went out verbatim, e.g. =HYPERLINK(...) as a cell
    seeded = hn.build_home(tmp_path / "home")
    dest = tmp_path / "csv-lake"
    run_tracker(seeded.home, "export", str(dest), "--format", "csv", check=True)
    texts = {str(p.relative_to(dest)): p.read_text(encoding="utf-8") for p in sorted(dest.rglob("*.csv"))}
    assert len(texts) == 6  # two partitions of each table (overall, hostile) and the two whole tables
    found = {path: hn.formula_cells(text) for path, text in texts.items()}
    assert not any(found.values()), found
    hostile = pl.read_csv(
        dest / "rank_history/leaderboard=LMArena/arena=text/category=hostile/year=2025/data_0.csv"
    )
    assert "'" + hn.HOSTILE_KEY in hostile["model"].to_list()
    # numbers are untouched: the ratings are read back as numbers, equal to the database's
    expected = query.run_sql(seeded, "select rating from rank_history where category = 'hostile' order by 1")
    assert hostile["rating"].dtype.is_numeric() and sorted(hostile["rating"]) == expected["rating"].to_list()
