"""Bulk import of JSON-lines files: streaming, batched, resumable.

A file is read line by line (never whole: memory stays flat on a 1 GB file) and sent in
batches, each stored and queued in one Redis round trip
(:meth:`producer.Producer.submit_batch`). After each batch is accepted the byte offset
reached is written as a checkpoint in Redis, keyed by the file's path, size and
modification time; an interrupted import of the same, unchanged file resumes there
instead of validating and sending it all again. The checkpoint is dropped when the file
is done. Bad lines are reported with their line number and field; good lines are queued.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from config.logs import get_logger
from producer import InvalidArticle, Producer
from store import Acceptance, Outcome

__all__ = ["ImportStats", "Importer", "Source", "jsonl_files"]

log = get_logger("producer.import")

#: file names taken from a folder
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")


@dataclass
class Source:
    """One input: a file (resumable) or a stream such as stdin (not resumable)."""

    name: str
    path: Path | None = None
    size: int | None = None

    @property
    def key(self) -> str | None:
        """The checkpoint key: the file's real path, size and modification time."""
        if self.path is None:
            return None
        info = self.path.stat()
        ident = f"{self.path.resolve()}|{info.st_size}|{info.st_mtime_ns}"
        return hashlib.sha256(ident.encode()).hexdigest()[:32]


@dataclass
class ImportStats:
    """Counts of one import (across files; counts from a resumed run included)."""

    files: int = 0
    lines: int = 0
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    #: lines not read again because a checkpoint said they were done
    resumed_lines: int = 0
    #: bytes read (or skipped by resuming) so far, and in all
    bytes_done: int = 0
    bytes_total: int | None = None
    started: float = field(default_factory=time.monotonic)

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started

    @property
    def sent(self) -> int:
        return self.accepted + self.duplicates + self.rejected

    def as_dict(self) -> dict[str, int | float]:
        seconds = self.seconds
        handled = self.lines
        return {
            "files": self.files,
            "lines": self.lines,
            "accepted": self.accepted,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "resumed_lines": self.resumed_lines,
            "seconds": round(seconds, 3),
            "per_second": round(handled / seconds, 1) if seconds > 0 else 0.0,
        }


#: ``(source, line number, message)`` for each rejected line
OnReject = Callable[[Source, int, str], None]
OnProgress = Callable[[ImportStats], None]


def jsonl_files(path: Path) -> list[Path]:
    """The JSON-lines files of a folder (recursively, sorted), or the file itself."""
    if path.is_dir():
        found = [p for p in path.rglob("*") if p.is_file() and p.suffix in JSONL_SUFFIXES]
        return sorted(found)
    return [path]


class Importer:
    """Imports JSON-lines sources through one producer."""

    def __init__(
        self,
        producer: Producer,
        *,
        batch_size: int | None = None,
        resume: bool = True,
        force: bool = False,
        on_reject: OnReject | None = None,
        on_progress: OnProgress | None = None,
    ) -> None:
        self.producer = producer
        self.store = producer.store
        self.batch_size = batch_size or producer.settings.import_batch_size
        self.resume = resume
        self.force = force
        self.on_reject = on_reject
        self.on_progress = on_progress
        #: raw lines longer than this are refused without being held in memory whole
        self.max_line_bytes = producer.settings.max_text_chars * 8 + 64 * 1024
        self.stats = ImportStats()

    def run(
        self, sources: list[Source], streams: dict[str, IO[bytes]] | None = None
    ) -> ImportStats:
        """Import every source in order; ``streams`` holds the open streams of non-files."""
        sizes = [s.size for s in sources]
        if all(size is not None for size in sizes):
            self.stats.bytes_total = sum(size or 0 for size in sizes)
        for source in sources:
            if source.path is not None:
                self.import_file(source)
            else:
                self.import_stream(source, (streams or {})[source.name])
        return self.stats

    def import_file(self, source: Source) -> None:
        assert source.path is not None
        key = source.key
        assert key is not None
        offset, line = 0, 0
        counts = dict.fromkeys(_COUNTS, 0)
        checkpoint = self.store.import_checkpoint(key) if self.resume else None
        if checkpoint is not None:
            offset, line = int(checkpoint["offset"]), int(checkpoint["line"])
            for name in _COUNTS:
                counts[name] = int(checkpoint[name])
                setattr(self.stats, name, getattr(self.stats, name) + counts[name])
            self.stats.resumed_lines += line
            self.stats.bytes_done += offset
            log.info("import.resumed", source=source.name, line=line, offset=offset)
        with source.path.open("rb") as stream:
            stream.seek(offset)
            self._import(source, stream, offset, line, key, counts)
        self.store.clear_import_checkpoint(key)
        self.stats.files += 1

    def import_stream(self, source: Source, stream: IO[bytes]) -> None:
        self._import(source, stream, 0, 0, None, dict.fromkeys(_COUNTS, 0))
        self.stats.files += 1

    def _import(
        self,
        source: Source,
        stream: IO[bytes],
        offset: int,
        line: int,
        key: str | None,
        counts: dict[str, int],
    ) -> None:
        """Send the stream's lines in batches; ``counts`` are the source's running totals."""
        lines = _lines(stream, line, self.max_line_bytes)
        while True:
            room = self.producer.room()
            batch: list[tuple[int, bytes | None]] = []
            end = offset
            for number, raw, after in lines:
                end += after
                self.stats.bytes_done += after
                if raw is not None and not raw.strip():
                    continue
                batch.append((number, raw))
                if len(batch) >= min(self.batch_size, room):
                    break
            if not batch:
                break
            self._send(source, batch, counts)
            offset, line = end, batch[-1][0]
            if key is not None:
                self.store.save_import_checkpoint(
                    key, {"offset": offset, "line": line, "source": source.name, **counts}
                )
            if self.on_progress is not None:
                self.on_progress(self.stats)

    def _send(
        self, source: Source, batch: list[tuple[int, bytes | None]], counts: dict[str, int]
    ) -> None:
        items = [raw for _, raw in batch if raw is not None]
        results = iter(self.producer.submit_batch(items, force=self.force))
        for number, raw in batch:
            self.stats.lines += 1
            result: Acceptance | InvalidArticle
            if raw is None:
                limit = self.max_line_bytes
                result = InvalidArticle(f"article: the line is over the limit of {limit} bytes")
            else:
                result = next(results)
            if isinstance(result, InvalidArticle):
                counts["rejected"] += 1
                self.stats.rejected += 1
                log.warning("article.rejected", source=source.name, line=number, error=str(result))
                if self.on_reject is not None:
                    self.on_reject(source, number, str(result))
            elif result.outcome is Outcome.DUPLICATE:
                counts["duplicates"] += 1
                self.stats.duplicates += 1
            else:
                counts["accepted"] += 1
                self.stats.accepted += 1


_COUNTS = ("accepted", "duplicates", "rejected")


def _lines(stream: IO[bytes], line: int, limit: int) -> Iterator[tuple[int, bytes | None, int]]:
    """``(line number, line or None when over the limit, bytes consumed)`` from the stream.

    Never holds more than ``limit`` bytes of one line: the rest of an overlong line is
    read in chunks and dropped.
    """
    while True:
        raw = stream.readline(limit + 1)
        if not raw:
            return
        line += 1
        consumed = len(raw)
        if len(raw) > limit and not raw.endswith(b"\n"):
            while True:
                rest = stream.readline(1 << 20)
                consumed += len(rest)
                if not rest or rest.endswith(b"\n"):
                    break
            yield line, None, consumed
            continue
        yield line, raw, consumed


def file_source(path: Path) -> Source:
    return Source(name=str(path), path=path, size=os.path.getsize(path))
