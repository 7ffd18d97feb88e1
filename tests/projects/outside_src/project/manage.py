#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    # the apps live in ../src, next to this directory (a src/ layout), as in many real projects
    sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line
    execute_from_command_line(sys.argv)
