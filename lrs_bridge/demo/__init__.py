"""`lrs-bridge demo`: an invented organisation's people and their learning, sent to a running
server. `organisation` and `simulation` are pure (a seeded random.Random, plain data); the
command and the server process are in `lrs_bridge.cli_demo` and `run`."""
