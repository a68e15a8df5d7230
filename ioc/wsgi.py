"""WSGI entry point (`ioc serve` runs it); each worker also listens for tile notices.

Anonymous tile requests take tiles.lane, everything else Django's full middleware stack.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ioc.settings")
django_application = get_wsgi_application()

from tiles.invalidation import start_background_listener  # noqa: E402  (needs Django set up)
from tiles.lane import with_tile_lane  # noqa: E402

application = with_tile_lane(django_application)
start_background_listener()
gc.freeze()  # the long-lived objects built at start-up need no garbage-collector scans per request
