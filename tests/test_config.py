"""assistant/config.py: every setting documented, and the settings this issue added checked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.config import LOG_LEVELS, Settings, load_settings
from assistant.errors import ConfigError
from tests.conftest import PROJECT_ROOT


def test_every_setting_is_in_env_example_and_the_readme() -> None:
    example = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8")
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, re.MULTILINE))
    names = {name.upper() for name in Settings.model_fields}
    assert names - documented == set()
    limits = {n for n in names if n.startswith(("MAX_", "UI_MAX_", "UI_LOGIN_", "LOG_"))}
    assert {n for n in limits if f"`{n}`" not in readme} == set()


@pytest.mark.parametrize("level", ["verbose", "trace", "5"])
def test_an_unknown_log_level_names_the_choices(tmp_path: Path, level: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings(log_level=level, chroma_path=tmp_path, _env_file=None)
    assert str(raised.value) == (
        f"LOG_LEVEL={level} is not a log level; use one of DEBUG, INFO, WARNING, ERROR, "
        "CRITICAL (WARNING is the default; INFO adds stage timings)"
    )


@pytest.mark.parametrize("level", [*LOG_LEVELS, "debug", " info "])
def test_log_levels_in_any_case(tmp_path: Path, level: str) -> None:
    assert load_settings(log_level=level, chroma_path=tmp_path, _env_file=None).log_level in (
        LOG_LEVELS
    )


def test_debug_loggers_are_a_comma_separated_list(tmp_path: Path) -> None:
    settings = load_settings(
        log_debug_loggers=" httpx, openai ,,chromadb", chroma_path=tmp_path, _env_file=None
    )
    assert settings.debug_logger_names() == ["httpx", "openai", "chromadb"]
    assert load_settings(chroma_path=tmp_path, _env_file=None).debug_logger_names() == []
