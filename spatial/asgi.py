"""ASGI entry point (uvicorn spatial.asgi:application); each worker also listens for tile notices."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spatial.settings")
application = get_asgi_application()

from tiles.invalidation import start_background_listener  # noqa: E402  (needs Django set up)

start_background_listener()
