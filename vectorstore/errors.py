"""Errors raised by the vector store: each message says what the user should do."""


class StoreError(Exception):
    """The vector store cannot be opened or used."""


class EmbeddingMismatchError(StoreError):
    """The collection holds vectors of another embedding model (or dimension) than configured."""


class StoreUnreachableError(StoreError):
    """The Chroma server does not answer."""


class ForeignCollectionError(StoreError):
    """The collection was made by another tool: this project neither uses nor resets it."""


class LibraryEmptyError(StoreError):
    """The collection holds no articles yet."""


class LibraryDamagedError(StoreError):
    """The store's files are damaged; the message gives the command that rebuilds them."""
