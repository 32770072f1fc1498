"""The Flask application factory."""

from flask import Flask

from lrs_bridge.bootstrap import Services, bootstrap
from lrs_bridge.mapping_files.holder import MappingHolder
from lrs_bridge.settings import Settings
from lrs_bridge.web import auth, dashboard, errors
from lrs_bridge.web.api import blueprint as api_blueprint
from lrs_bridge.web.body_limit import BodyLimitedRequest
from lrs_bridge.web.xapi import blueprint as xapi_blueprint


def create_app(settings: Settings | None = None, services: Services | None = None,
               mappings: MappingHolder | None = None) -> Flask:
    """Build the app: one blueprint per surface, services from the composition root."""
    services = services or bootstrap(settings, mappings)
    app = Flask("lrs_bridge", template_folder="web/templates", static_folder="web/static")
    app.request_class = BodyLimitedRequest
    app.config["MAX_CONTENT_LENGTH"] = services.settings.max_body_bytes
    app.extensions["lrs_bridge"] = services
    errors.init_app(app)
    auth.init_app(app, services.credentials, services.settings.credential_cache_seconds)
    app.register_blueprint(xapi_blueprint.build())
    app.register_blueprint(api_blueprint.build())
    dashboard.init_app(app, services)

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    return app


def services_of(app: Flask) -> Services:
    """The services an app was built with."""
    return app.extensions["lrs_bridge"]
