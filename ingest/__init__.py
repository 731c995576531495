"""Reading files, cleaning, metadata, chunking with offsets, and syncing folders into the store."""

from ingest.chunking import Chunk, Span, split_article, split_sentences
from ingest.cleaning import CleanArticle, clean_article
from ingest.loading import SUPPORTED_SUFFIXES, UnreadableFile, read_article_file
from ingest.sync import IngestLockedError, IngestOptions, Skipped, SyncReport, sync_paths

__all__ = [
    "SUPPORTED_SUFFIXES",
    "Chunk",
    "CleanArticle",
    "IngestLockedError",
    "IngestOptions",
    "Skipped",
    "Span",
    "SyncReport",
    "UnreadableFile",
    "clean_article",
    "read_article_file",
    "split_article",
    "split_sentences",
    "sync_paths",
]
