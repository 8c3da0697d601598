"""Identity: one canonical key per model and per organisation, across sources, eras and leaderboards.

- ``catalogue``: what the seeds and the data teach (sightings, learned and seeded aliases) and ``refresh``,
  which rebuilds the identity tables after every load and before every publish;
- ``aliases``: your own edits (``tracker alias``), never touched by a refresh.
"""

from tracker.identity.aliases import (
    OrgMerge,
    add_alias,
    add_org_alias,
    like_pattern,
    normalise,
    remove_alias,
    reset_alias,
    resolve,
)
from tracker.identity.catalogue import (
    SIGHTINGS_SCHEMA,
    RefreshResult,
    conform_sightings,
    empty_sightings,
    load_sightings,
    refresh,
    sightings_of,
)

__all__ = [
    "SIGHTINGS_SCHEMA",
    "OrgMerge",
    "RefreshResult",
    "add_alias",
    "add_org_alias",
    "conform_sightings",
    "empty_sightings",
    "like_pattern",
    "load_sightings",
    "normalise",
    "refresh",
    "remove_alias",
    "reset_alias",
    "resolve",
    "sightings_of",
]
