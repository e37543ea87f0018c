"""Where the worker's state (the pickled engine) is kept between runs: a file, replaced atomically."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol


class CheckpointStore(Protocol):
    def load(self) -> bytes | None: ...

    def save(self, blob: bytes) -> None: ...


class FileCheckpoint:
    """Writes to a temporary file, fsyncs, then renames: a crash leaves the old or the new, never half."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> bytes | None:
        return self.path.read_bytes() if self.path.is_file() else None

    def save(self, blob: bytes) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(self.path.suffix + ".tmp")
        with temporary.open("wb") as handle:
            handle.write(blob)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.path)


class MemoryCheckpoint:
    """For tests and the embedded default: state lives as long as the process."""

    def __init__(self) -> None:
        self.blob: bytes | None = None

    def load(self) -> bytes | None:
        return self.blob

    def save(self, blob: bytes) -> None:
        self.blob = blob
