"""WSGI entry point (`ioc serve` runs it in gunicorn); each worker also listens for tile notices."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spatial.settings")
application = get_wsgi_application()

from tiles.invalidation import start_background_listener  # noqa: E402  (needs Django set up)

start_background_listener()
gc.freeze()  # the long-lived objects built at start-up need no garbage-collector scans per request
