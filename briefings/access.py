"""Who may download briefings: leaders, operators and administrators (401 anonymous, 403 other roles)."""

from __future__ import annotations

from spatial.access import Viewer
from spatial.roles import ADMINISTRATOR, LEADER, OPERATOR

READERS = frozenset({LEADER.code, OPERATOR.code, ADMINISTRATOR.code})


def may_read(viewer: Viewer) -> bool:
    """Whether the viewer holds a role that reads briefings."""
    return viewer.is_admin or bool(viewer.roles & READERS)


def check_reader(user) -> Viewer:
    """The viewer of a briefing path, if leader, operator or administrator; else 401 or 403."""
    from briefings.errors import NotAllowed

    viewer = Viewer.signed_in(user, "để tải báo cáo định kỳ", "to download briefings")
    if not may_read(viewer):
        raise NotAllowed("chỉ lãnh đạo, điều hành viên và quản trị hệ thống được tải báo cáo định kỳ",
                         "only leaders, operators and administrators download briefings")
    return viewer
