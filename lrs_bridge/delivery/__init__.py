"""Work done off the request path: the progress worker (and, next, delivery to the LMS)."""
