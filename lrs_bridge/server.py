"""Run the app on gunicorn, a production WSGI server, from the `serve` command."""

from gunicorn.app.base import BaseApplication

from lrs_bridge.settings import Settings


class GunicornServer(BaseApplication):
    """gunicorn with its options given in code; each worker builds its own app."""

    def __init__(self, settings: Settings, options: dict):
        self.settings = settings
        self.options = options
        super().__init__()

    def load_config(self):
        """Hand our options to gunicorn."""
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        """Build the Flask app in the worker process (not before the fork)."""
        from lrs_bridge.web.app import create_app

        return create_app(self.settings)


def serve(settings: Settings, host: str, port: int, workers: int, threads: int,
          access_log: bool = True) -> None:
    """Serve until interrupted."""
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        "accesslog": "-" if access_log else None,
        # Never write request headers (Authorization) into the log.
        "access_log_format": '%(h)s "%(r)s" %(s)s %(b)s %(M)sms',
        "timeout": 60,
        "graceful_timeout": 10,
        "loglevel": settings.log_level.lower(),
    }
    GunicornServer(settings, options).run()
