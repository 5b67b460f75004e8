#!/usr/bin/env python
"""Django's command-line utility for the Agreement Tracker."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        # A misconfiguration is the operator's to fix: say what, not where in Django.
        sys.exit(f"configuration error: {error}")


if __name__ == "__main__":
    main()
