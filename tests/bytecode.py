"""Where the tests keep bytecode when the environment says not to write it next to the sources, and
``python -m tests.bytecode``, which compiles it ahead of a first run (``.ci/run`` does, as part of installing).

A process that may not write bytecode (``PYTHONDONTWRITEBYTECODE``, which some containers and CI images set)
compiles every module it imports each time it starts: about 1 s of CPU for the CLI's imports against 0.4 s
from bytecode, and the tests start hundreds of interpreters (the CLI, Streamlit, reader and crash processes).
So the tests and every process they start keep it under ``.pytest_cache/bytecode`` (``PYTHONPYCACHEPREFIX``;
git ignores the folder), and only the first run of a fresh checkout compiles, unless this module did.
"""

from __future__ import annotations

import compileall
import os
import re
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".pytest_cache" / "bytecode"
PROJECT = ("tracker", "dashboards", "tests", "benchmarks")


def use_cache() -> None:
    """From here on, this process and every process it starts read and write bytecode in ``CACHE`` when the
    environment says not to write it next to the sources (otherwise Python's own ``__pycache__`` serves)."""
    if os.environ.pop("PYTHONDONTWRITEBYTECODE", None) and "PYTHONPYCACHEPREFIX" not in os.environ:
        os.environ["PYTHONPYCACHEPREFIX"] = str(CACHE)
        sys.pycache_prefix, sys.dont_write_bytecode = str(CACHE), False


# the standard library's own test suites and installed packages (the latter compiled from the environment's)
SKIPPED = re.compile(r"[/\\](test|tests|idlelib|site-packages)[/\\]")


def main() -> int:
    """Compile the standard library, the installed packages and the project's own modules where the tests
    will look for them (with a cache folder, Python reads none of the bytecode installed beside them)."""
    use_cache()
    paths = sysconfig.get_paths()
    ok = compileall.compile_dir(paths["stdlib"], quiet=1, workers=0, rx=SKIPPED)
    for folder in (Path(paths["purelib"]), *(ROOT / name for name in PROJECT)):
        ok = compileall.compile_dir(folder, quiet=1, workers=0) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
