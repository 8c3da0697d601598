"""Hostile payloads: Hypothesis mutates the hand-written and the real payloads of every registered format
(tests/reliability/samples.py) and feeds each mutant to the parsers the way ingest does: through the named
format (``pipeline.parse_checked``: parse, identity sightings, validate) and through content detection.

For every input: the only exceptions allowed are the tracker's own (``TrackerError``); the work ends within
a time bound (a hard timer turns a hang into a failure) and its Python allocations stay within a memory
bound (tracemalloc peak). Mutations are structural where the payload has structure (one JSON value or CSV
cell replaced by something hostile: NaN, 1e999, 2**70, a lone surrogate, a nested list, a deep nest, an
empty string...) and byte-level otherwise (flips, hostile tokens inserted at syntax landmarks, cuts,
duplicated spans). Examples are derandomised, so a run is reproducible and the trial counts are stable.
"""

from __future__ import annotations

import contextlib
import re
import signal
import time
import tracemalloc
from collections.abc import Iterator
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SKIP_NO_SHARED
from tests.reliability import samples as S
from tracker import sources
from tracker.errors import TrackerError
from tracker.ingest import pipeline

HAND_EXAMPLES = 30
REAL_EXAMPLES = 12
TIME_LIMIT = 10.0  # seconds per input, hard; a parser that takes longer is hanging
MEMORY_BASE, MEMORY_PER_BYTE = 64 * 2**20, 40  # tracemalloc peak allowed: 64 MiB + 40 x the input size
DEEP = "__deep_nest__"  # rendered as a 5,000-level nested list after json.dumps (which would recurse)
DEPTH = 5000

TOKENS = [
    b'"', b"{", b"}", b"[", b"]", b",", b":", b"\n", b"\r\n", b"\\", b"\x00", b"\xff", b"\xc3", b"\xef\xbb\xbf",
    b"NaN", b"Infinity", b"-Infinity", b"1e999", b"-1", b"0", b"null", b"true", b'""', b"\\ud800", b"\\u0000",
    b"9" * 400, b"[" * DEPTH, b'{"a":' * DEPTH, b"+5/-", b"\xc2\xb1", b"PAR1", b"\x80\x04\x95",
]  # fmt: skip
CELLS = [
    "", "-", "nan", "NaN", "inf", "-inf", "1e999", "-5", "0", "2e9", "99999999999999999999999", "±", "+5/-",
    "+/-", "1,234,567", "2023-13-45", "20231345", "00000000", "\ud800", "\x00", " ", "yes", "[1]", '{"a":1}',
    "9" * 400, "Infinity", "-0", "0x10", "1_000",
]  # fmt: skip

hostile_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(CELLS),
    st.text(max_size=12),
    st.text(alphabet=st.characters(categories=["Cs", "Cc", "Zl"]), min_size=1, max_size=3),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.just(DEEP),
)


class Hang(BaseException):
    """Raised by the timer: a BaseException, so a parser's ``except Exception`` cannot swallow it."""


@contextlib.contextmanager
def bounded(limit: float) -> Iterator[dict]:
    """Run the body under a hard timer and tracemalloc; yields a dict that gets ``seconds`` and ``peak``."""

    def expire(signum, frame):
        raise Hang(f"no result after {limit} s")

    figures: dict = {}
    previous = signal.signal(signal.SIGALRM, expire)
    tracemalloc.start()
    started = time.perf_counter()
    outer, _ = signal.setitimer(signal.ITIMER_REAL, limit)  # pytest-timeout's alarm, if it set one
    try:
        yield figures
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        figures["seconds"] = time.perf_counter() - started
        if outer:
            signal.setitimer(signal.ITIMER_REAL, max(outer - figures["seconds"], 0.001))
        figures["peak"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()


def exercise(sample: S.Sample, body: bytes) -> dict:
    """Feed ``body`` to the parsers as ingest would; raise on anything but a TrackerError or a bound."""
    payload = pipeline.Payload(body, sample.origin, S.NOW, source=sample.source, hints=sample.hints)
    leaks = 0
    with bounded(TIME_LIMIT) as figures:
        for find in (
            lambda: sources.by_name(sample.source),
            lambda: sources.detect(body, sample.origin, sample.hints),
        ):
            try:
                pipeline.parse_checked(find(), payload)
            except TrackerError as exc:
                # a parser bug the pipeline's safety net turned into a ParseError: survived, but counted
                leaks += exc.__cause__ is not None and not isinstance(exc.__cause__, TrackerError)
    figures["leaks"] = leaks
    bound = MEMORY_BASE + MEMORY_PER_BYTE * len(body)
    assert figures["peak"] <= bound, f"{figures['peak']} bytes allocated for a {len(body)}-byte input"
    return figures


# ---------------------------------------------------------------------------------------------------------
# mutators


def _paths(document: object, limit: int = 4000) -> list[tuple]:
    """Paths (tuples of keys / indexes) to the nodes of a JSON document, breadth first, at most ``limit``."""
    out, queue = [], [((), document)]
    while queue and len(out) < limit:
        path, node = queue.pop(0)
        out.append(path)
        if isinstance(node, dict):
            queue += [((*path, k), v) for k, v in node.items()]
        elif isinstance(node, list):
            queue += [((*path, i), v) for i, v in enumerate(node)]
    return out


def _copy(document: object) -> object:
    if isinstance(document, dict):
        return {k: _copy(v) for k, v in document.items()}
    if isinstance(document, list):
        return [_copy(v) for v in document]
    return document


def _parent(document: object, path: tuple) -> tuple[object, object]:
    node = document
    for key in path[:-1]:
        node = node[key]  # type: ignore[index]
    return node, path[-1]


@st.composite
def json_mutant(draw, sample: S.Sample) -> bytes:
    document = _copy(sample.document)
    paths = _paths(document)
    for _ in range(draw(st.integers(1, 3))):
        path = paths[draw(st.integers(0, len(paths) - 1))]
        if not path:
            if sample.kind == "json":  # a page's root is the board object the page template needs
                document = draw(hostile_values)
            break
        op = draw(st.sampled_from(["replace", "replace", "delete", "rename", "wrap", "duplicate"]))
        try:
            parent, key = _parent(document, path)
            if op == "replace":
                parent[key] = draw(hostile_values)  # type: ignore[index]
            elif op == "delete":
                del parent[key]  # type: ignore[attr-defined]
            elif op == "rename" and isinstance(parent, dict):
                parent[draw(st.sampled_from(CELLS))] = parent.pop(key)
            elif op == "wrap":
                parent[key] = [parent[key]]  # type: ignore[index]
            elif op == "duplicate" and isinstance(parent, list):
                parent.insert(key, _copy(parent[key]))
        except (KeyError, IndexError, TypeError):
            pass  # an earlier operation removed this node
    body = sample.render(document)
    return body.replace(f'"{DEEP}"'.encode(), b"[" * DEPTH + b"]" * DEPTH)


@st.composite
def csv_mutant(draw, sample: S.Sample) -> bytes:
    rows = [list(r) for r in sample.document]  # type: ignore[union-attr]
    for _ in range(draw(st.integers(1, 3))):
        if not rows:
            break
        r = draw(st.integers(0, min(len(rows) - 1, 60)))  # the header and the first rows
        op = draw(st.sampled_from(["cell", "cell", "cell", "drop_cell", "add_cell", "drop_row", "dup_row"]))
        row = rows[r]
        if op == "cell" and row:
            row[draw(st.integers(0, len(row) - 1))] = draw(st.sampled_from(CELLS) | st.text(max_size=8))
        elif op == "drop_cell" and row:
            row.pop(draw(st.integers(0, len(row) - 1)))
        elif op == "add_cell":
            row.append(draw(st.sampled_from(CELLS)))
        elif op == "drop_row":
            rows.pop(r)
        elif op == "dup_row":
            rows.insert(r, list(row))
    return sample.render(rows)


def _landmarks(body: bytes) -> list[int]:
    """Offsets worth mutating: syntax characters and digits, around the first board-looking region."""
    anchor = max(
        0, min((i for i in (body.find(b"rating"), body.find(b"entries")) if i >= 0), default=0) - 2000
    )
    window = body[anchor : anchor + 60_000]
    return [anchor + m.start() for m in re.finditer(rb'[{}\[\]",:\n0-9]', window)][:20_000] or [0]


@st.composite
def byte_mutant(draw, sample: S.Sample, landmarks: list[int]) -> bytes:
    body = bytearray(sample.body)
    for _ in range(draw(st.integers(1, 3))):
        at = min(landmarks[draw(st.integers(0, len(landmarks) - 1))], len(body))
        op = draw(st.sampled_from(["insert", "insert", "flip", "delete", "truncate", "duplicate"]))
        if op == "insert":
            body[at:at] = draw(st.sampled_from(TOKENS))
        elif op == "flip" and at < len(body):
            body[at] = draw(st.integers(0, 255))
        elif op == "delete":
            del body[at : at + draw(st.integers(1, 64))]
        elif op == "truncate":
            del body[at:]
        elif op == "duplicate":
            body[at:at] = body[at : at + draw(st.integers(1, 256))]
    return bytes(body)


def mutants(sample: S.Sample) -> st.SearchStrategy[bytes]:
    byte_level = byte_mutant(sample, _landmarks(sample.body))
    if sample.kind in ("json", "page"):
        return st.one_of(json_mutant(sample), json_mutant(sample), byte_level)
    if sample.kind == "csv":
        return st.one_of(csv_mutant(sample), csv_mutant(sample), byte_level)
    return byte_level


# ---------------------------------------------------------------------------------------------------------
# the tests


def fuzz(sample: S.Sample, examples: int, ledger) -> None:
    """Run ``examples`` derandomised mutants of ``sample``; report trials and survivors to the ledger."""
    tally = {"trials": 0, "survived": 0, "slowest": 0.0, "peak": 0, "leaks": 0}

    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=timedelta(seconds=TIME_LIMIT * 2),
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )
    @given(body=mutants(sample))
    def run(body: bytes) -> None:
        tally["trials"] += 1
        figures = exercise(sample, body)
        tally["survived"] += 1
        tally["slowest"] = max(tally["slowest"], figures["seconds"])
        tally["peak"] = max(tally["peak"], figures["peak"])
        tally["leaks"] += figures["leaks"] > 0

    try:
        run()
    finally:
        ledger.record(
            f"hostile: mutated {sample.source} payloads",
            "Hypothesis mutants of a hand-written and a real payload, parsed by name and by detection",
            trials=tally["trials"],
            survived=tally["survived"],
            rows_lost=0,
        )
        ledger.note(
            f"hostile {sample.name}: {tally['trials']} mutants, slowest {tally['slowest']:.3f} s, "
            f"peak {tally['peak'] / 2**20:.1f} MiB; {tally['leaks']} needed the pipeline's net (a parser raised a "
            "non-tracker error)"
        )


@pytest.mark.parametrize("source", S.registered())
def test_hand_written_payload_mutants_raise_only_tracker_errors(source, ledger):
    sample = S.hand_sample(source)
    assert sample is not None, f"no hand-written {source} payload: add one to tests/reliability/samples.py"
    assert source == sources.detect(sample.body, sample.origin, sample.hints).source  # a valid start
    exercise(sample, sample.body)
    fuzz(sample, HAND_EXAMPLES, ledger)


@pytest.mark.parametrize("source", S.registered())
def test_real_payload_mutants_raise_only_tracker_errors(source, ledger):
    if not S.SHARED_DATA.is_dir():
        pytest.skip(SKIP_NO_SHARED)
    sample = S.real_samples().get(source)
    if sample is None:
        pytest.skip(f"no real copy of the {source} format in {S.SHARED_DATA} or the starter history")
    fuzz(sample, REAL_EXAMPLES, ledger)
