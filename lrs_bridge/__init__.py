"""lrs-bridge: an xAPI LRS that bridges learning content and the LMS."""

__version__ = "0.1.0"
