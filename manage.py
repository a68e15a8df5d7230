#!/usr/bin/env python
"""Django's command-line utility; `ioc` is the same with a friendlier name."""

from ioc.cli import main

if __name__ == "__main__":
    main()
