"""Leaderboard Tracker: a client and history store for LMArena-style leaderboards.

Data flows one way: fetch (bytes) -> parse (pure: bytes -> polars frame in the canonical schema)
-> validate -> store (DuckDB, SQL from ``sql/``) -> views -> dashboard.
"""

__version__ = "0.1.0"
