"""Run the app on gunicorn, a production WSGI server, from the `serve` command."""

import logging
import os
import subprocess
import sys
import threading

from gunicorn.app.base import BaseApplication

from lrs_bridge.mapping_files.holder import MappingHolder
from lrs_bridge.settings import Settings
from lrs_bridge.store.engine import WORKER_PARTS


class GunicornServer(BaseApplication):
    """gunicorn with its options given in code; each worker builds its own app."""

    def __init__(self, settings: Settings, options: dict, mappings: MappingHolder,
                 progress_worker: bool = False):
        self.settings = settings
        self.options = options
        self.mappings = mappings
        self.progress_worker = progress_worker
        self._stop = threading.Event()
        super().__init__()

    def load_config(self):
        """Hand our options to gunicorn."""
        for key, value in self.options.items():
            self.cfg.set(key, value)
        self.cfg.set("when_ready", self._when_ready)
        self.cfg.set("on_exit", self._on_exit)

    def _when_ready(self, _arbiter):
        # The master keeps its mapping current, so a worker forked later (after a crash, or
        # when gunicorn replaces one) starts from the newest good mapping, not the first.
        self.mappings.watch()
        if self.progress_worker:
            for part in WORKER_PARTS:
                threading.Thread(target=self._supervise, args=(part,), name=f"{part}-worker",
                                 daemon=True).start()

    def _supervise(self, part: str):
        # Folding and delivering run in processes of their own: SQLite must not have a
        # connection open in the master when it forks a request worker; a process can run
        # at a lower priority, so that requests come first and the work uses the time left
        # over; and apart, folding and deliveries do not take turns at one interpreter lock.
        log = logging.getLogger(__name__)
        command = [sys.executable, "-m", "lrs_bridge", "worker", "--background", "--only",
                   part, "--parent", str(os.getpid())]
        while not self._stop.is_set():
            process = subprocess.Popen(command)  # noqa: S603 - our own command
            log.info("%s worker started (pid %s)", part, process.pid)
            while process.poll() is None and not self._stop.wait(1.0):
                pass
            if self._stop.is_set():
                process.terminate()
                return
            log.warning("%s worker (pid %s) stopped; starting another", part, process.pid)
            self._stop.wait(2.0)

    def _on_exit(self, _arbiter):
        self._stop.set()

    def load(self):
        """Build the Flask app in the worker process (not before the fork)."""
        from lrs_bridge.web.app import create_app

        # The forked copy of the master's holder: the same mapping in every worker from the
        # first request on; the master alone warns about a refused folder.
        return create_app(self.settings, mappings=self.mappings.copy(quiet=True))


def serve(settings: Settings, host: str, port: int, workers: int, threads: int,
          access_log: bool = True, mappings: MappingHolder | None = None,
          progress_worker: bool = False) -> None:
    """Serve until interrupted; `mappings` is the holder loaded before start-up."""
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
        # gunicorn's control socket is one path per user (~/.gunicorn/gunicorn.ctl): two
        # servers on one machine would take it from each other. Nothing here uses it.
        "control_socket_disable": True,
    }
    # Our own loggers write beside gunicorn's, in its format; forked workers inherit this.
    logging.basicConfig(level=settings.log_level.upper(), force=True,
                        format="[%(asctime)s] [%(process)d] [%(levelname)s] %(name)s: %(message)s",
                        datefmt="%Y-%m-%d %H:%M:%S %z")
    mappings = mappings or MappingHolder(settings.mappings)
    GunicornServer(settings, options, mappings, progress_worker).run()
