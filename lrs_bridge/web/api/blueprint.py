"""The /api/v1 blueprint: every route needs credentials (HTTP Basic) and a scope."""

from flask import Blueprint, g, request

from lrs_bridge.web.api import (
    alerts,
    alerts_atom,
    learners,
    mappings,
    matrix,
    metrics,
    openapi,
    progress,
    progress_csv,
    status,
)
from lrs_bridge.web.auth import authenticate


def build() -> Blueprint:
    """A new /api/v1 blueprint."""
    bp = Blueprint("api", __name__, url_prefix="/api/v1")
    bp.before_request(_before)
    bp.add_url_rule("/openapi.json", "openapi", openapi.get_openapi, methods=["GET"])
    bp.add_url_rule("/mappings", "mappings", mappings.get_mappings, methods=["GET"])
    bp.add_url_rule("/learners", "learners", learners.list_learners, methods=["GET"])
    # Learner ids are BIGINT: a longer number is a 404 here rather than an error in the database.
    bp.add_url_rule(f"/learners/<int(max={2 ** 63 - 1}):learner_id>", "learner",
                    learners.get_learner, methods=["GET"])
    bp.add_url_rule("/alerts", "alerts", alerts.get_alerts, methods=["GET"])
    bp.add_url_rule("/alerts.atom", "alerts_atom", alerts_atom.get_alerts_atom,
                    methods=["GET"])
    bp.add_url_rule("/status", "status", status.get_status, methods=["GET"])
    bp.add_url_rule("/progress", "progress", progress.get_progress, methods=["GET"])
    bp.add_url_rule("/progress.csv", "progress_csv", progress_csv.get_progress_csv,
                    methods=["GET"])
    bp.add_url_rule("/matrix/paths.csv", "path_matrix", matrix.get_path_matrix, methods=["GET"])
    bp.add_url_rule("/matrix/skills.csv", "skill_matrix", matrix.get_skill_matrix,
                    methods=["GET"])
    bp.add_url_rule("/metrics/journey", "journey_metrics", metrics.get_journey, methods=["GET"])
    return bp


def _before():
    g.credential = authenticate(request.headers.get("Authorization"))
