"""The mapping a running server uses, reloaded when its files change.

A server process asks `current()` for the mapping; at most every `check_seconds` that looks at
the files' sizes and modification times, and on a change reads them. The version of a mapping
is a hash of the files' contents, so identical files have the same version in every process
and after a restart, and touching a file without changing it reloads nothing. A folder with
problems never replaces the working mapping: the problems are kept for the API to show, and
the previous mapping stays in use until the files are fixed.

`serve` loads the folder once before it starts any worker (a broken folder is a start-up
error) and hands its holder to every worker it forks, so all processes start from the same
mapping; its own watcher keeps that seed current for workers started later.
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

    def __init__(self, folder: Path | str, check_seconds: float = 2.0, *, quiet: bool = False):
        self.folder = Path(folder)
        self.check_seconds = check_seconds
        # A forked worker leaves the log lines to the process that watches for all of them.
        self.quiet = quiet
        self._lock = threading.Lock()
        self._snapshot = Snapshot(None)
        self._stamp: str | None = None
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

    def copy(self, *, quiet: bool | None = None) -> "MappingHolder":
        """A holder with this one's mapping and file stamp, and a lock of its own (for a fork)."""
        other = MappingHolder(self.folder, self.check_seconds,
                              quiet=self.quiet if quiet is None else quiet)
        other._snapshot, other._stamp = self._snapshot, self._stamp
        other._next_check = self._next_check
        return other

    def watch(self) -> threading.Thread:
        """Look at the folder every `check_seconds` in a daemon thread."""
        def loop():
            while True:
                self.current()
                time.sleep(self.check_seconds)

        thread = threading.Thread(target=loop, name="mappings-watch", daemon=True)
        thread.start()
        return thread

    def _reload_if_changed(self) -> None:
        stamp = _stamp(self.folder)
        if stamp == self._stamp:
            return
        version = content_version(self.folder)
        known = {self._snapshot.version, self._snapshot.refused_version} - {None}
        if version in known:
            self._stamp = stamp
            return
        loaded = self._load()
        if content_version(self.folder) != version:
            return  # written to while we read it: look again at the next check
        self._stamp = stamp
        if loaded.problems:
            self._refuse(version, loaded.problems)
            return
        if not self.quiet:
            log.info("mappings loaded from %s (version %s)", self.folder, version)
        self._snapshot = Snapshot(loaded.mapping, version, time.time())

    def _load(self) -> Loaded:
        try:
            return load_mapping(self.folder)
        except Exception as err:  # noqa: BLE001 - a loader bug must not take the server down
            log.exception("loading the mappings in %s failed", self.folder)
            return Loaded(Mapping(), [Problem(str(self.folder), 0, "",
                                              f"could not be loaded: {err!r}")])

    def _refuse(self, version: str, problems: list[Problem]) -> None:
        previous = self._snapshot
        self._snapshot = Snapshot(previous.mapping, previous.version, previous.loaded_at,
                                  version, tuple(problems))
        if self.quiet:
            return
        count = len(problems)
        in_use = (f"keeping version {previous.version}" if previous.mapping is not None
                  else "no mapping is in use")
        log.warning("mappings in %s have %d problem%s (%s): %s", self.folder, count,
                    "s" * (count != 1), in_use, problems[0])


def _files(folder: Path) -> list[Path]:
    return sorted([*folder.glob("*.y*ml"), *folder.glob("modules/*.y*ml")])


def _stamp(folder: Path) -> str:
    """Every mapping file's name, size and modification time: cheap to take, to spot changes."""
    parts = []
    for path in _files(folder):
        try:
            stat = path.stat()
        except OSError:
            continue
        parts.append(f"{path.relative_to(folder)}\0{stat.st_size}\0{stat.st_mtime_ns}")
    return "\n".join(parts)


def content_version(folder: Path | str) -> str:
    """A short hash of the mapping files' names and contents: the version of a mapping."""
    folder = Path(folder)
    digest = hashlib.sha256()
    for path in _files(folder):
        try:
            content = path.read_bytes()
        except OSError:
            continue
        name = path.relative_to(folder).as_posix().encode()
        digest.update(b"%d:%s%d:" % (len(name), name, len(content)))
        digest.update(content)
    return digest.hexdigest()[:12]
