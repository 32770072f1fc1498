"""The mapping a running server uses, reloaded when its files change.

A server process asks `current()` for the mapping; at most every `check_seconds` that looks at
the files' sizes and modification times, and on a change loads the folder again. A folder with
problems never replaces the working mapping: the problems are kept for the API to show and
logged, and the previous mapping stays in use until the files are fixed.
"""

import hashlib
import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from lrs_bridge.journey.checks import Problem
from lrs_bridge.journey.model import Mapping
from lrs_bridge.mapping_files.loader import Loaded, load_mapping

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Snapshot:
    """What the holder has: the mapping in use, when it was loaded, a refused newer version."""

    mapping: Mapping | None
    version: str | None = None
    loaded_at: float | None = None
    refused_version: str | None = None
    refused_problems: tuple[Problem, ...] = field(default_factory=tuple)


class MappingHolder:
    """Holds the working mapping of one folder for a server process."""

    def __init__(self, folder: Path | str, check_seconds: float = 2.0):
        self.folder = Path(folder)
        self.check_seconds = check_seconds
        self._lock = threading.Lock()
        self._snapshot = Snapshot(None)
        self._signature: str | None = None
        self._next_check = 0.0

    def current(self) -> Snapshot:
        """The snapshot, after reloading if the files changed since the last look."""
        now = time.monotonic()
        if now >= self._next_check:
            with self._lock:
                if now >= self._next_check:
                    self._next_check = now + self.check_seconds
                    self._reload_if_changed()
        return self._snapshot

    def _reload_if_changed(self) -> None:
        signature = _signature(self.folder)
        if signature == self._signature:
            return
        try:
            loaded = load_mapping(self.folder)
        except Exception as err:  # noqa: BLE001 - a loader bug must not take the server down
            log.exception("loading the mappings in %s failed", self.folder)
            loaded = Loaded(Mapping(), [Problem(str(self.folder), 0, "",
                                                f"could not be loaded: {err!r}")])
        self._signature = signature
        if loaded.problems:
            log.warning("mappings in %s have %d problems; keeping the mapping in use: %s",
                        self.folder, len(loaded.problems), loaded.problems[0])
            previous = self._snapshot
            self._snapshot = Snapshot(previous.mapping, previous.version, previous.loaded_at,
                                      signature, tuple(loaded.problems))
            return
        log.info("mappings loaded from %s (version %s)", self.folder, signature)
        self._snapshot = Snapshot(loaded.mapping, signature, time.time())


def _signature(folder: Path) -> str:
    """A short hash of every mapping file's name, size and modification time."""
    digest = hashlib.sha256()
    files = sorted([*folder.glob("*.y*ml"), *folder.glob("modules/*.y*ml")])
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            continue
        digest.update(f"{path.relative_to(folder)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:12]
