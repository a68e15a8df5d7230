"""ASGI entry point (uvicorn spatial.asgi:application): serves streaming responses too."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spatial.settings")
application = get_asgi_application()
