"""Reproducible performance runs of the tracker, each figure measured next to its baseline in the same run.

``uv run python -m benchmarks [--scale 1,10] [--quick]`` generates synthetic history at each scale factor
(``synth``: the official dataset's Parquet schema, one ``full`` file per config, plus arena.ai-style pages),
pushes it through the real ingest paths, then measures ingest, page parse, unchanged polls, publish, named
queries, dashboard data loads, the commands' start-up (``startup``), peak memory and size on disk (``suite``),
and writes one table to ``BENCHMARKS.md`` (``report``). Heavy steps run in child processes (``worker``) so each
one's peak resident memory is its own. Nothing here is imported by the tracker.
"""
