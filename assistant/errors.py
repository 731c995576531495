"""The assistant's domain errors; the CLI and UI turn them into messages and exit codes."""

# The store's own errors (unreachable server, empty or damaged library, model mismatch) say what
# to do too; re-exported so the UI, which may not import vectorstore, can show them as they are.
from vectorstore.errors import StoreError

__all__ = ["AssistantError", "BackendError", "ConfigError", "QuestionError", "StoreError"]


class AssistantError(Exception):
    """Base of every error the assistant reports to a user. The message says what to do."""


class ConfigError(AssistantError):
    """A setting is missing or inconsistent."""


class QuestionError(AssistantError):
    """The question cannot be asked as given (empty, too long)."""


class BackendError(AssistantError):
    """The answer backend (model server) failed; the message is safe to show (no secrets)."""


class StorageError(AssistantError):
    """The store's disk is full, read-only or not writable; the message names the folder."""


class LibraryError(AssistantError):
    """An article cannot be removed from the library (not in it, or not in ARTICLES_PATH)."""
