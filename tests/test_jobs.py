"""Poll job configuration: the defaults, tracker.toml (settings and [[jobs]]), TRACKER_* overrides, selection
for `tracker poll`, and the errors a bad config gives."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tracker.config import load_settings
from tracker.errors import ConfigError
from tracker.poll import jobs


def write_config(home: Path, text: str) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = home / "tracker.toml"
    path.write_text(text, encoding="utf-8")
    return path


def by_name(job_list):
    return {j.name: j for j in job_list}


def test_default_jobs_cover_the_boards_people_follow(tmp_path):
    settings = load_settings(environ={}, home=tmp_path)
    defaults = by_name(jobs.load_jobs(settings))
    assert set(defaults) == {
        "text-pages",
        "webdev-pages",
        "vision-pages",
        "text-to-image-pages",
        "search-pages",
        "dataset-latest",
        "artificial-analysis-arenas",
    }
    text = defaults["text-pages"]
    urls = [t.url for t in text.targets]
    assert urls[:2] == [
        "https://arena.ai/leaderboard/text",  # the style-controlled overall board (site default)
        "https://arena.ai/leaderboard/text/overall-no-style-control",
    ]
    assert "https://arena.ai/leaderboard/text/hard-prompts-no-style-control" in urls
    assert "https://arena.ai/leaderboard/text/creative-writing" in urls
    assert len(urls) == 18 and len(set(urls)) == 18  # 9 categories, raw and style-controlled
    boards = {t.board for t in text.targets}
    assert {"text/overall", "text/overall-no-style-control", "text/multi_turn-no-style-control"} <= boards
    assert (text.source, text.interval, text.jitter) == ("arena-page", 3600.0, 300.0)

    assert [t.url for t in defaults["webdev-pages"].targets] == ["https://arena.ai/leaderboard/code/webdev"]
    assert [t.url for t in defaults["search-pages"].targets] == [
        "https://arena.ai/leaderboard/search",
        "https://arena.ai/leaderboard/search/overall-no-style-control",
    ]

    dataset = defaults["dataset-latest"]
    assert dataset.source == "arena-dataset" and dataset.interval == 21600.0
    assert len(dataset.targets) == len(jobs.DATASET_CONFIGS) == 15
    first = dataset.targets[0]
    assert first.url == (
        "https://huggingface.co/datasets/lmarena-ai/leaderboard-dataset/resolve/main/text/latest-00000-of-00001.parquet"
    )
    assert dict(first.hints) == {"config": "text"}

    # the second publisher's arena feeds, as politely as the pages; its LLM page (HTML) is not polled, nor
    # are its video feeds, which upstream emptied (an empty feed is refused: polling them could only fail)
    aa = defaults["artificial-analysis-arenas"]
    assert (aa.source, aa.interval, aa.jitter) == ("artificial-analysis", 3600.0, 300.0)
    assert [t.board for t in aa.targets] == ["text-to-speech", "text-to-image", "image-editing"]
    assert [t.url for t in aa.targets][1:3] == [
        "https://artificialanalysis.ai/api/text-to-image/arena/preferences?supports_image_input=false",
        "https://artificialanalysis.ai/api/text-to-image/arena/preferences?supports_image_input=true",
    ]
    assert not any("leaderboards/models" in t.url for t in aa.targets)


def test_environment_overrides_the_file_and_defaults_follow_settings(tmp_path):
    home = tmp_path / "home"
    write_config(
        home,
        """
[settings]
page_interval = 1800
arena_url = "http://127.0.0.1:9"
user_agent = "my-tracker/1.0 (ops@example.org)"
""",
    )
    settings = load_settings(environ={"TRACKER_PAGE_INTERVAL": "600"}, home=home)
    assert settings.user_agent == "my-tracker/1.0 (ops@example.org)"
    assert settings.page_interval == 600.0  # TRACKER_* wins over the file
    assert settings.config == home / "tracker.toml"
    text = by_name(jobs.load_jobs(settings))["text-pages"]
    assert text.interval == 600.0 and text.targets[0].url == "http://127.0.0.1:9/leaderboard/text"


def test_jobs_tables_change_add_and_drop_jobs(tmp_path):
    home = tmp_path / "home"
    write_config(
        home,
        """
[[jobs]]
name = "text-pages"
interval = "30m"

[[jobs]]
name = "search-pages"
enabled = false

[[jobs]]
name = "mirror"
source = "arena-page"
boards = ["vision/overall-no-style-control"]
urls = ["https://lmarena.ai/leaderboard/text/coding"]
cron = "15 */2 * * *"
jitter = "2m"
""",
    )
    found = by_name(jobs.load_jobs(load_settings(environ={}, home=home)))
    assert "search-pages" not in found
    assert found["text-pages"].interval == 1800.0 and len(found["text-pages"].targets) == 18
    mirror = found["mirror"]
    assert [t.url for t in mirror.targets] == [
        "https://arena.ai/leaderboard/vision/overall-no-style-control",
        "https://lmarena.ai/leaderboard/text/coding",
    ]
    assert [t.board for t in mirror.targets] == ["vision/overall-no-style-control", "text/coding"]
    assert (mirror.cron, mirror.interval, mirror.jitter, mirror.schedule) == (
        "15 */2 * * *",
        None,
        120.0,
        "cron 15 */2 * * *",
    )
    trigger = jobs.trigger_for(mirror)
    start = datetime(2026, 11, 1, 0, 0, tzinfo=UTC)
    assert trigger.get_next_fire_time(None, start) >= datetime(2026, 11, 1, 0, 15, tzinfo=UTC)
    assert jobs.period(mirror, start) == pytest.approx(7200, abs=240)


def test_default_jobs_can_be_switched_off(tmp_path):
    home = tmp_path / "home"
    write_config(
        home,
        """
default_jobs = false
[[jobs]]
name = "only"
configs = ["text_style_control"]
source = "arena-dataset"
interval = 7200
""",
    )
    (only,) = jobs.load_jobs(load_settings(environ={}, home=home))
    assert only.name == "only" and only.targets[0].board == "text_style_control (latest)"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[jobs]]\nname = 'x'\nurls = ['https://a/b']\n", "needs an interval"),
        ("[[jobs]]\nname = 'x'\ninterval = '1h'\n", "needs boards, configs or urls"),
        ("[[jobs]]\nname = 'x'\nurls = ['ftp://a/b']\ninterval = 60\n", "not an http(s) URL"),
        ("[[jobs]]\nname = 'x'\nurls = ['https://a/b']\ninterval = 'often'\n", "not a duration"),
        ("[[jobs]]\nname = 'x'\nurls = ['https://a/b']\ncron = '* *'\n", "five fields"),
        (
            "[[jobs]]\nname = 'x'\nurls = ['https://a/b']\ninterval = 60\ncron = '* * * * *'\n",
            "both interval and cron",
        ),
        ("[[jobs]]\nname = 'x'\nurls = ['https://a/b']\ninterval = 60\nurl = 'typo'\n", "unknown key(s) url"),
        (
            "[[jobs]]\nname = 'x'\nurls = ['https://a/b']\ninterval = 60\n[[jobs]]\nname = 'x'\n",
            "defined twice",
        ),
        # the job names of fetch rows that are no fetch, which `tracker status` leaves out
        (
            "[[jobs]]\nname = 'import'\nurls = ['https://a/b']\ninterval = 60\n",
            "the name 'import' is reserved",
        ),
        ("[[jobs]]\nname = 'seed'\nurls = ['https://a/b']\ninterval = 60\n", "the name 'seed' is reserved"),
        ("[settings]\nretries = 'many'\n", "retries = 'many' is not a int"),
        ("[settings]\nbogus = 1\n", "unknown setting 'bogus'"),
        ("this is not toml", "not valid TOML"),
    ],
)
def test_bad_config_names_the_file_and_the_problem(tmp_path, text, message):
    home = tmp_path / "home"
    path = write_config(home, text)
    with pytest.raises(ConfigError) as info:
        jobs.load_jobs(load_settings(environ={}, home=home))
    assert message in str(info.value) and str(path) in str(info.value)


def test_a_bad_cron_field_is_a_config_error(tmp_path):
    job = jobs.Job("x", None, (), cron="99 * * * *")
    with pytest.raises(ConfigError, match="cron '99 \\* \\* \\* \\*' is not valid"):
        jobs.trigger_for(job)


def test_explicit_config_file_must_exist(tmp_path):
    with pytest.raises(ConfigError, match="config file .* not found"):
        load_settings(environ={}, home=tmp_path, config=tmp_path / "missing.toml")
    with pytest.raises(ConfigError, match="not found"):
        load_settings(environ={"TRACKER_CONFIG": str(tmp_path / "nope.toml")}, home=tmp_path)


def test_select_by_job_source_or_url(tmp_path):
    all_jobs = jobs.load_jobs(load_settings(environ={}, home=tmp_path))
    assert [j.name for j in jobs.select(all_jobs, [])] == [j.name for j in all_jobs]
    assert [j.name for j in jobs.select(all_jobs, ["vision-pages"])] == ["vision-pages"]
    assert [j.name for j in jobs.select(all_jobs, ["arena-dataset"])] == ["dataset-latest"]
    assert len(jobs.select(all_jobs, ["arena-page"])) == 5
    (adhoc,) = jobs.select(all_jobs, ["https://arena.ai/leaderboard/text/coding-no-style-control"])
    assert adhoc.name == "poll" and adhoc.source is None
    assert adhoc.targets[0].board == "text/coding-no-style-control"
    with pytest.raises(ConfigError, match="neither a job, a source nor an http"):
        jobs.select(all_jobs, ["text-pagez"])


def test_url_targets_know_dataset_files():
    target = jobs.url_target(
        "https://example.org/x/resolve/main/vision_style_control/latest-00000-of-00001.parquet"
    )
    assert target.board == "vision_style_control (latest)" and dict(target.hints) == {
        "config": "vision_style_control"
    }


def test_url_targets_name_artificial_analysis_feeds_by_path_and_query():
    image = "https://artificialanalysis.ai/api/text-to-image/arena/preferences?supports_image_input="
    assert jobs.url_target(image + "true").board == "image-editing"
    assert jobs.url_target(image + "false").board == "text-to-image"
    video = "http://127.0.0.1:9/api/text-to-video/arena/preferences?supports-image-input=true"
    assert jobs.url_target(video).board == "image-to-video"


@pytest.mark.parametrize(
    ("value", "seconds"),
    [(90, 90.0), ("90s", 90.0), ("15m", 900.0), ("1h", 3600.0), ("1.5h", 5400.0), ("1d", 86400.0)],
)
def test_durations(value, seconds):
    assert jobs.parse_duration(value, "here") == seconds
    assert jobs.parse_duration(jobs.format_duration(seconds), "here") == seconds
