"""The `ioc` command: Django's management commands under the project's own name.

What needs no application (the list of commands, a command's --help, a command line whose
arguments are wrong) is answered before Django loads every app, models and tasks (about a second):
the command's module is imported alone, and if it needs the app registry (it imports models at its
top), Django's usual path answers instead.
"""

from __future__ import annotations

import importlib
import os
import sys
from importlib.util import find_spec
from pathlib import Path

HELP = {"help", "--help", "-h"}


def main() -> None:
    """Run `ioc <command> …` exactly like `manage.py <command> …`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ioc.settings")
    args = sys.argv[1:]
    if not _answered_light(args):
        from django.core.management import execute_from_command_line

        execute_from_command_line(["ioc", *args])


def _answered_light(args: list[str]) -> bool:
    """Answer what needs no app loaded (True), or leave it to Django (False)."""
    if not args or (args[0] in HELP and len(args) == 1):
        sys.stdout.write(_main_help() + "\n")
        return True
    if args[0] == "help":
        name, wants_help = args[1], True
    else:
        name, wants_help = args[0], any(a in ("--help", "-h") for a in args[1:])
    command = _light_command(name)
    if command is None:
        return False
    if wants_help:
        parser = _parser(command, name)
        if parser is None:
            return False
        parser.print_help()
        return True
    if getattr(command, "starts_light", False):  # wrong arguments end here, before Django loads
        command._called_from_command_line = True
        command.create_parser("ioc", name).parse_args(args[1:])
    return False


def _parser(command: object, name: str) -> object | None:
    """The command's argument parser, or None if making it needs the app registry."""
    from django.core.exceptions import AppRegistryNotReady

    try:
        return command.create_parser("ioc", name)
    except AppRegistryNotReady:
        return None


def _commands() -> dict[str, str]:
    """Command name → the package holding it, as Django finds them (an earlier app wins)."""
    from django.conf import settings
    from django.core.management import find_commands

    found = {name: "django.core" for name in find_commands(str(Path(_path("django.core")) / "management"))}
    for app in reversed(settings.INSTALLED_APPS):
        path = _path(app)
        if path:
            found.update({name: app for name in find_commands(str(Path(path) / "management"))})
    return found


def _path(package: str) -> str | None:
    """The folder of `package`, found without importing it or its parents (procrastinate's own
    package takes 0.4 s to import)."""
    top, _, rest = package.partition(".")
    spec = find_spec(top)
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations)), *rest.split(".") if rest else ())
    return str(folder) if folder.is_dir() else None


def _light_command(name: str) -> object | None:
    """The command `name` if its module imports without the app registry, else None."""
    from django.core.exceptions import AppRegistryNotReady, ImproperlyConfigured

    app = _commands().get(name)
    if app is None:
        return None
    try:
        return importlib.import_module(f"{app}.management.commands.{name}").Command()
    except (AppRegistryNotReady, ImproperlyConfigured, ImportError):  # (createsuperuser asks for its model)
        return None


def _main_help() -> str:
    """The list of commands by app, as `manage.py help` prints it."""
    by_app: dict[str, list[str]] = {}
    for name, app in _commands().items():
        by_app.setdefault("django" if app == "django.core" else app.rpartition(".")[-1], []).append(name)
    lines = ["", "Type 'ioc help <subcommand>' for help on a specific subcommand.", "",
             "Available subcommands:"]
    for app in sorted(by_app):
        lines += ["", f"[{app}]", *(f"    {name}" for name in sorted(by_app[app]))]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
