"""The `ioc` command: Django's management commands under the project's own name."""

import os
import sys


def main() -> None:
    """Run `ioc <command> …` exactly like `manage.py <command> …`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ioc.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ioc", *sys.argv[1:]])


if __name__ == "__main__":
    main()
