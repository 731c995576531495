"""Settings: the one place that reads the environment and `.env`."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MAX_RETRIEVAL_K = 50  # the largest k a setting or a caller may ask for
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class Settings(BaseSettings):
    """Every setting, with its env var name in upper case (see `.env.example`)."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    articles_path: Path = PROJECT_ROOT / "data" / "articles"
    chroma_path: Path = PROJECT_ROOT / "data" / "chroma"
    chroma_collection: str = "articles"
    chroma_host: str | None = None
    chroma_port: int = 8000
    # Where the keyword index of a Chroma server's collection is kept on this machine (an
    # embedded store keeps its own beside it, in CHROMA_PATH/keyword-index).
    keyword_cache_path: Path = Path.home() / ".cache" / "news-assistant" / "keyword-index"

    embeddings: Literal["local", "openai"] = "local"
    openai_embedding_model: str = "text-embedding-3-small"

    chunk_size: int = Field(700, ge=100, le=8000)
    chunk_overlap: int = Field(150, ge=0)
    max_file_mb: float = Field(20.0, gt=0)
    max_text_chars: int = Field(2_000_000, ge=1000)

    answer_backend: Literal["auto", "offline", "openai"] = "auto"
    openai_api_key: SecretStr | None = None
    openai_model: str = "gpt-4o-mini"
    openai_base_url: str | None = None
    openai_timeout: float = Field(30.0, gt=0)
    openai_max_retries: int = Field(2, ge=0, le=10)
    fallback_to_offline: bool = True
    verify_with_model: bool = False

    retrieval_k: int = Field(5, ge=1, le=MAX_RETRIEVAL_K)
    max_question_chars: int = Field(2000, ge=10)
    # Limits on what a caller controls (see assistant/inputs.py). History: the newest messages
    # that fit both, oldest dropped first. The gold set's longest history is 2 messages of 131
    # characters; 20 messages hold a 10-question conversation of 2 KB questions and answers.
    max_history_messages: int = Field(20, ge=0)
    max_history_chars: int = Field(20_000, ge=0)
    # A rewritten follow-up: the question plus about one earlier question as context.
    max_rewrite_chars: int = Field(4000, ge=10)
    # Estimated tokens of one prompt to a model: k=5 sources of 700 characters cost ~1,200 and
    # a full 20-message history ~5,500; beyond this the oldest history, then the
    # lowest-ranked sources are left out.
    max_prompt_tokens: int = Field(8000, ge=1000)

    ui_username: str | None = None
    ui_password: SecretStr | None = None
    ui_max_upload_mb: float = Field(20.0, gt=0)
    ui_max_upload_files: int = Field(20, ge=1, le=10_000)
    # Failed logins per client address before each further attempt waits (1 s, doubling, up
    # to UI_LOGIN_MAX_WAIT_S); see ui/login_throttle.py.
    ui_login_free_attempts: int = Field(5, ge=1)
    ui_login_max_wait_s: float = Field(300.0, gt=0)
    # A shared deployment's library: no uploads and no removal from the browser (CLI ingest only).
    ui_read_only: bool = False

    log_level: str = "WARNING"
    # Third-party loggers (httpx, openai, chromadb...) stay at INFO or above unless named here
    # (comma-separated); their DEBUG lines can quote headers.
    log_debug_loggers: str = ""

    @field_validator("chroma_host", "openai_base_url", "ui_username", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _level_upper(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("openai_api_key", "ui_password", mode="before")
    @classmethod
    def _blank_secret_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    def debug_logger_names(self) -> list[str]:
        """LOG_DEBUG_LOGGERS as a list of logger names."""
        return [name.strip() for name in self.log_debug_loggers.split(",") if name.strip()]

    def resolved_backend(self) -> Literal["offline", "openai"]:
        """The answer backend in use: `auto` means openai when a key is set, else offline."""
        if self.answer_backend == "openai":
            if self.openai_api_key is None and not self.openai_base_url:
                raise ConfigError(
                    "ANSWER_BACKEND=openai needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local "
                    "OpenAI-compatible server); set one, or use ANSWER_BACKEND=offline"
                )
            return "openai"
        if self.answer_backend == "auto" and self.openai_api_key is not None:
            return "openai"
        return "offline"

    def check(self) -> None:
        if self.chunk_overlap >= self.chunk_size:
            raise ConfigError(
                f"CHUNK_OVERLAP ({self.chunk_overlap}) must be smaller than CHUNK_SIZE "
                f"({self.chunk_size})"
            )
        if self.embeddings == "openai" and self.openai_api_key is None:
            raise ConfigError(
                "EMBEDDINGS=openai needs OPENAI_API_KEY; set it or use EMBEDDINGS=local"
            )
        if self.resolved_backend() == "openai" and not self.openai_model.strip():
            raise ConfigError(
                "OPENAI_API_KEY is set but OPENAI_MODEL is empty; set OPENAI_MODEL=gpt-4o-mini "
                "or unset the key"
            )
        if self.log_level not in LOG_LEVELS:
            raise ConfigError(
                f"LOG_LEVEL={self.log_level.lower()} is not a log level; use one of "
                f"{', '.join(LOG_LEVELS)} (WARNING is the default; INFO adds stage timings)"
            )
        if self.max_rewrite_chars < self.max_question_chars:
            raise ConfigError(
                f"MAX_REWRITE_CHARS ({self.max_rewrite_chars}) must be at least "
                f"MAX_QUESTION_CHARS ({self.max_question_chars}): a rewrite holds the question"
            )
        if (self.ui_username is None) != (self.ui_password is None):
            raise ConfigError("Set both UI_USERNAME and UI_PASSWORD for a login, or neither")


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment and `.env`, with explicit overrides; checked."""
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValueError as exc:
        raise ConfigError(f"Invalid setting: {exc}") from exc
    settings.check()
    return settings


def revalidate(settings: Settings, **overrides: object) -> Settings:
    """A copy of `settings` with overrides, validated like settings read from the environment
    (but without reading it again)."""
    try:
        updated = Settings.model_validate({**settings.model_dump(), **overrides})
    except ValueError as exc:
        raise ConfigError(f"Invalid setting: {exc}") from exc
    updated.check()
    return updated
