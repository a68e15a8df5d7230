"""`ioc token create USER --name NAME` / `ioc token revoke PREFIX` / `ioc token list USER`."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from spatial.auth import issue_token
from spatial.models import ApiToken


class Command(BaseCommand):
    help = "Tạo, thu hồi, liệt kê khóa API cho QGIS/GDAL. Create, revoke or list API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create")
        create.add_argument("username")
        create.add_argument("--name", default="qgis")
        revoke = actions.add_parser("revoke")
        revoke.add_argument("prefix")
        listing = actions.add_parser("list")
        listing.add_argument("username")

    def handle(self, *args: object, **options: object) -> None:
        action = options["action"]
        if action == "create":
            user = get_user_model().objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(f"no user {options['username']!r}")
            self.stdout.write(issue_token(user, options["name"]))
            self.stderr.write("Lưu khóa này ngay, nó không hiển thị lại. Keep it now: it is not shown again.")
        elif action == "revoke":
            count = ApiToken.objects.filter(prefix=options["prefix"], revoked_at__isnull=True).update(
                revoked_at=timezone.now())
            if not count:
                raise CommandError(f"no active token with prefix {options['prefix']!r}")
            self.stdout.write(f"revoked {options['prefix']}")
        else:
            for token in ApiToken.objects.filter(user__username=options["username"]).order_by("created_at"):
                state = "revoked" if token.revoked_at else "active"
                used = token.last_used_at or "never"
                self.stdout.write(f"{token.prefix}  {token.name:<20} {state:<8} last used {used}")
