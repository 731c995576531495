"""Settings: the one place that reads the environment and `.env`."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent


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

    answer_backend: Literal["auto", "offline", "openai"] = "auto"
    openai_api_key: SecretStr | None = None
    openai_model: str = "gpt-4o-mini"
    openai_base_url: str | None = None
    openai_timeout: float = Field(30.0, gt=0)
    openai_max_retries: int = Field(2, ge=0, le=10)
    fallback_to_offline: bool = True

    retrieval_k: int = Field(5, ge=1, le=50)
    max_question_chars: int = Field(2000, ge=10)

    ui_username: str | None = None
    ui_password: SecretStr | None = None
    ui_max_upload_mb: float = Field(20.0, gt=0)

    log_level: str = "WARNING"

    @field_validator("chroma_host", "openai_base_url", "ui_username", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("openai_api_key", "ui_password", mode="before")
    @classmethod
    def _blank_secret_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

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
