"""ASGI entry point, for deployments that prefer an ASGI server; `ioc serve` uses WSGI."""

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ioc.settings")
application = get_asgi_application()

from tiles.invalidation import start_background_listener  # noqa: E402  (needs Django set up)

start_background_listener()
gc.freeze()
