"""`ioc setup_roles [--demo]`: create the role groups, and the demo accounts with --demo."""

from __future__ import annotations

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from spatial.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoAccount
from spatial.models import UnitAssignment, WardAssignment
from spatial.roles import ROLES


class Command(BaseCommand):
    help = "Tạo các nhóm vai trò (và tài khoản demo). Create role groups (and demo accounts)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo", action="store_true", help="also create the demo accounts")

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        for role in ROLES:
            Group.objects.get_or_create(name=role.code)
        if not options["demo"]:
            return
        for account in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(username=account.username)
            if created:
                user.set_password(DEMO_PASSWORD)
            user.first_name = account.full_name
            user.is_staff = user.is_superuser = account.superuser
            user.save()
            user.groups.set([Group.objects.get(name=account.role.code)])
            _assign_wards(user, account)
            _assign_units(user, account)
        self.stdout.write(f"{len(DEMO_ACCOUNTS)} demo accounts ready (password: {DEMO_PASSWORD})")


def _assign_wards(user: User, account: DemoAccount) -> None:
    units = WardAssignment._meta.get_field("ward").related_model  # layers.AdminUnit, a floor up
    wards = units.objects.communes().filter(name__in=account.wards, valid_to__isnull=False)
    WardAssignment.objects.filter(user=user).exclude(ward__in=wards).delete()
    for ward in wards:
        WardAssignment.objects.get_or_create(user=user, ward=ward)


def _assign_units(user: User, account: DemoAccount) -> None:
    """The account's responsible units, by name (made by `ioc load_demo`, which runs first)."""
    model = UnitAssignment._meta.get_field("unit").related_model  # layers.ResponsibleUnit, a floor up
    units = model.objects.filter(name__in=account.units)
    UnitAssignment.objects.filter(user=user).exclude(unit__in=units).delete()
    for unit in units:
        UnitAssignment.objects.get_or_create(user=user, unit=unit)
