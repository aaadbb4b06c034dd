"""The ``gandan`` console script: the same as ``manage.py``."""

import os
import sys


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gandan.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
    return 0
