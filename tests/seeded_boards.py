"""A small hand-built history for the analytics tests: two boards, five weekly snapshots, known facts.

Loaded through ``store.load_frame`` (the same set-based insert the pipeline uses, ranks by tracker/ranks.py)
into a real DuckDB file, then published, so views, macros and named queries run on the read copy.

text/overall (raw), ratings [lower, upper]:

    date        #1                    #2                   #3                  #4                 #5
    2025-01-01  alpha 1300 [1295,1305] beta 1290 [1285,1295] gamma 1250          delta 1200
    2025-01-08  beta 1320 [1315,1325]  alpha 1300 [1296,1304] eps 1260 (debut)   gamma 1250         delta 1200
    2025-01-15  beta 1321              alpha 1301            eps 1290            delta 1201         (gamma absent)
    2025-01-22  beta 1322              alpha 1302            eps 1291            gamma 1250 (back)  delta 1150 [1140,1160]
    2025-01-29  zeta 1330 [1300,1360]  beta 1323             alpha 1303          eps 1292           gamma 1251  (delta gone)

Two partial snapshots from another source (one row each, with a published rank far above 1):
2025-01-18 gamma alone (published Rank (UB) 4) and 2025-02-05 alpha alone (published ordinal rank 3).
Their computed ranks (1) mean nothing; board-level views skip them.

text/overall (style control): 2025-01-01 and 2025-01-29, alpha ahead of beta on both.
Organisations: alpha and gamma are Org A, beta and eps Org B, delta Org C, zeta has none.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import polars as pl

from tracker import store
from tracker.parsed import conform

D1, D2, D3, D4, D5 = (
    date(2025, 1, 1),
    date(2025, 1, 8),
    date(2025, 1, 15),
    date(2025, 1, 22),
    date(2025, 1, 29),
)
ORGS = {"alpha": "Org A", "gamma": "Org A", "beta": "Org B", "eps": "Org B", "delta": "Org C", "zeta": None}
ORGS["omega"] = "Org D"  # in no seeded snapshot: for tests that bring a model never seen before

# (model, rating, lower, upper, votes) per date on text/overall (raw)
RAW: dict[date, list[tuple[str, float, float, float, int]]] = {
    D1: [
        ("alpha", 1300, 1295, 1305, 1000),
        ("beta", 1290, 1285, 1295, 900),
        ("gamma", 1250, 1240, 1260, 800),
        ("delta", 1200, 1190, 1210, 700),
    ],
    D2: [
        ("beta", 1320, 1315, 1325, 1900),
        ("alpha", 1300, 1296, 1304, 1500),
        ("eps", 1260, 1230, 1290, 300),
        ("gamma", 1250, 1240, 1260, 850),
        ("delta", 1200, 1190, 1210, 750),
    ],
    D3: [
        ("beta", 1321, 1316, 1326, 2500),
        ("alpha", 1301, 1297, 1305, 1800),
        ("eps", 1290, 1280, 1300, 900),
        ("delta", 1201, 1191, 1211, 800),
    ],
    D4: [
        ("beta", 1322, 1317, 1327, 3000),
        ("alpha", 1302, 1298, 1306, 2000),
        ("eps", 1291, 1282, 1300, 1400),
        ("gamma", 1250, 1240, 1260, 900),
        ("delta", 1150, 1140, 1160, 850),
    ],
    D5: [
        ("zeta", 1330, 1300, 1360, 200),
        ("beta", 1323, 1318, 1328, 3500),
        ("alpha", 1303, 1299, 1307, 2200),
        ("eps", 1292, 1284, 1300, 1800),
        ("gamma", 1251, 1241, 1261, 950),
    ],
}
# (model, rating, lower, upper, votes, published rank, its meaning) per date: partial snapshots
PARTIAL: dict[date, list[tuple[str, float, float, float, int, int, str]]] = {
    date(2025, 1, 18): [("gamma", 1252, 1242, 1262, 870, 4, "ub")],
    date(2025, 2, 5): [("alpha", 1304, 1300, 1308, 2300, 3, "ordinal")],
}
STYLE: dict[date, list[tuple[str, float, float, float, int]]] = {
    D1: [("alpha", 1280, 1270, 1290, 1000), ("beta", 1260, 1250, 1270, 900)],
    D5: [("alpha", 1290, 1285, 1295, 2200), ("beta", 1270, 1265, 1275, 3500)],
}

# named queries: parameters (as typed on the command line) that make each return rows on this history
QUERY_PARAMS = {
    "model_history": {"model": "gamma"},
    "model_boards": {"model": "alpha"},
    "model_moves": {"model": "delta"},
    "model_arenas": {"model": "delta"},
    "movers": {"from_date": "2025-01-01"},
    "compare": {"model_a": "alpha", "model_b": "beta"},
    "org_history": {"organization": "Org A"},
    "org_leaderboards": {"organization": "Org A"},
    "find_model": {"pattern": "ta"},
    "events": {"top_n": "3", "min_move": "1"},
}


def frame(rows: dict[date, list[tuple]], *, style_control: bool, category: str = "overall") -> pl.DataFrame:
    """Rows are (model, rating, lower, upper, votes[, rank_published, rank_meaning])."""
    records = [
        {
            "arena": "text",
            "category": category,
            "style_control": style_control,
            "as_of": datetime(day.year, day.month, day.day, 12, tzinfo=UTC),
            "as_of_kind": "publish_date",
            "rank_meaning": published[1] if published else None,
            "model_key": model,
            "display_name": model.capitalize(),
            "organization": ORGS[model],
            "license": "Proprietary",
            "rating": float(rating),
            "rating_lower": float(lower),
            "rating_upper": float(upper),
            "votes": votes,
            "rank_published": published[0] if published else None,
            "extra": None,
        }
        for day, models in rows.items()
        for model, rating, lower, upper, votes, *published in models
    ]
    return conform(pl.DataFrame(records))


def seed(w: store.Writer) -> None:
    """Load both boards and the partial snapshots into the writer's database and publish the read copy."""
    fetched_at = datetime(2025, 2, 6, tzinfo=UTC)
    loads = (
        ("raw", "arena-dataset", frame(RAW, style_control=False)),
        ("style", "arena-dataset", frame(STYLE, style_control=True)),
        ("partial", "kevinschaul", frame(PARTIAL, style_control=False)),
    )
    for name, source, board in loads:
        w.con.execute("BEGIN TRANSACTION")
        store.load_frame(w.con, board, source=source, payload_hash=f"seeded-{name}", fetched_at=fetched_at)
        w.con.execute("COMMIT")
    store.publish(w)
