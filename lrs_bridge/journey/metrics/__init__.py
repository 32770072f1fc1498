"""The journey metrics L&D measures (README: Journey metrics), worked out from counts the
store aggregates: each module takes plain data and returns a result with its JSON form."""
