"""LMS connectors of lrs-bridge, installed as `lrs_bridge_connectors`: the interface every
connector implements (`base`), the registry that finds them through the entry-point group
`lrs_bridge.connectors`, and the built-ins (moodle, canvas, webhook)."""
