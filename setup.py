"""Packages: `lrs_bridge`, and the `connectors/` folder installed as `lrs_bridge_connectors`,
a name of its own (a top-level `connectors` could collide with another distribution's).
Everything else is in pyproject.toml."""

from setuptools import find_packages, setup

CONNECTORS = ["lrs_bridge_connectors"] + [
    f"lrs_bridge_connectors.{name}" for name in find_packages("connectors")]

setup(packages=find_packages(include=["lrs_bridge", "lrs_bridge.*"]) + CONNECTORS,
      package_dir={"lrs_bridge_connectors": "connectors"})
