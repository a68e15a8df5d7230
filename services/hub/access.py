"""Who may read the indicator hub: any signed-in viewer (the leaders' figures are not published to
anonymous visitors; OGC layers built from them decide for themselves)."""

from __future__ import annotations

from functools import wraps

from django.http import HttpRequest

from spatial.access import Viewer


def signed_in(view):
    """Decorates a hub view: 401 for anonymous, in the request's language."""

    @wraps(view)
    def checked(request: HttpRequest, *args, **kwargs):
        Viewer.signed_in(request.user, "để xem số liệu chỉ tiêu", "to read the indicator hub")
        return view(request, *args, **kwargs)

    return checked
