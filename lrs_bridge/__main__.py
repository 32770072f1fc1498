"""`python -m lrs_bridge` runs the CLI."""

from lrs_bridge.cli import main

main()
