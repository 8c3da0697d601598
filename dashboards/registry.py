"""The dashboard's pages, in menu order: one list that ``app.py`` turns into ``st.navigation`` and the tests
walk page by page (AppTest and the real browser), so a page cannot exist without being tested.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class PageSpec:
    file: str  # relative to dashboards/, e.g. "app_pages/leaderboard.py"
    title: str  # the menu entry and the page's st.title
    icon: str
    url_path: str
    has_chart: bool  # the page draws at least one chart with data (the browser test waits for it)

    @property
    def path(self) -> Path:
        return HERE / self.file

    @property
    def route(self) -> str:
        """The page's URL path in a running app: the default (first) page lives at the root."""
        return "" if self is PAGES[0] else self.url_path


PAGES: tuple[PageSpec, ...] = (
    PageSpec("app_pages/leaderboard.py", "Leaderboard", ":material/leaderboard:", "leaderboard", False),
    PageSpec("app_pages/rank_movement.py", "Rank movement", ":material/timeline:", "rank-movement", True),
    PageSpec("app_pages/model.py", "Model", ":material/smart_toy:", "model", True),
    PageSpec("app_pages/movers.py", "Movers and events", ":material/swap_vert:", "movers", True),
    PageSpec("app_pages/organisations.py", "Organisations", ":material/domain:", "organisations", True),
    PageSpec(
        "app_pages/across_leaderboards.py",
        "Across leaderboards",
        ":material/hub:",
        "across-leaderboards",
        True,
    ),
    PageSpec("app_pages/sql_console.py", "SQL", ":material/terminal:", "sql", False),
    PageSpec("app_pages/health.py", "Health", ":material/monitor_heart:", "health", True),
)


def by_url(url_path: str) -> PageSpec:
    return next(p for p in PAGES if p.url_path == url_path)
