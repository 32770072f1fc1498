"""The reloading holder: versions are content hashes, a broken folder never replaces a mapping."""

import logging
import os
import shutil
from pathlib import Path

import pytest

from lrs_bridge.mapping_files.holder import MappingHolder, content_version

MINIMAL = Path(__file__).parents[1] / "fixtures" / "mappings" / "minimal"


@pytest.fixture
def folder(tmp_path) -> Path:
    target = tmp_path / "mappings"
    shutil.copytree(MINIMAL, target)
    return target


def test_identical_files_have_one_version_wherever_they_are(folder, tmp_path):
    twin = shutil.copytree(folder, tmp_path / "elsewhere")
    assert MappingHolder(folder).current().version == MappingHolder(twin).current().version
    assert MappingHolder(twin).current().version == content_version(folder)


def test_a_changed_file_or_name_is_another_version(folder):
    before = content_version(folder)
    (folder / "skills.yaml").write_text((folder / "skills.yaml").read_text() + "\n")
    assert content_version(folder) != before
    after = content_version(folder)
    (folder / "skills.yaml").rename(folder / "skills.yml")
    assert content_version(folder) != after


def test_a_touched_file_is_not_loaded_again(folder):
    holder = MappingHolder(folder, check_seconds=0)
    first = holder.current()
    os.utime(folder / "paths.yaml", ns=(1, 1))
    assert holder.current() is first


def test_a_broken_folder_is_refused_and_warned_about_once(folder, caplog):
    holder = MappingHolder(folder, check_seconds=0)
    good = holder.current()
    (folder / "paths.yaml").write_text("paths: [\n")
    with caplog.at_level(logging.WARNING):
        for _ in range(3):
            snapshot = holder.current()
        os.utime(folder / "paths.yaml", ns=(1, 1))  # still broken, in the same way
        holder.current()
    assert snapshot.mapping is good.mapping and snapshot.version == good.version
    assert snapshot.refused_version == content_version(folder)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert f"have 1 problem (keeping version {good.version})" in warnings[0]


def test_a_copy_for_a_worker_keeps_the_mapping_and_leaves_warnings_to_the_master(folder, caplog):
    master = MappingHolder(folder, check_seconds=0)
    seeded = master.current()
    worker = master.copy(quiet=True)
    assert worker.current() is seeded  # nothing changed: no second load
    (folder / "roles.yaml").write_text("roles: [\n")
    with caplog.at_level(logging.WARNING):
        assert worker.current().version == seeded.version
    assert worker.current().refused_problems
    assert not [r for r in caplog.records if r.levelno == logging.WARNING]


def test_a_missing_folder_gives_no_mapping_and_says_why(tmp_path):
    snapshot = MappingHolder(tmp_path / "none").current()
    assert snapshot.mapping is None and snapshot.version is None
    assert "not a folder" in str(snapshot.refused_problems[0])
