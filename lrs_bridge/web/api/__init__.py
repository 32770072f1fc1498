"""The JSON API under /api/v1 for administrators, authors and L&D."""
