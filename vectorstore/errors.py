"""Errors raised by the vector store: each message says what the user should do."""


class StoreError(Exception):
    """The vector store cannot be opened or used."""


class EmbeddingMismatchError(StoreError):
    """The collection holds vectors of another embedding model than the one configured."""
