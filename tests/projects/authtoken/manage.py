#!/usr/bin/env python
"""A custom user model with a UUID primary key, and DRF's authtoken: what tests/test_auth.py checks djauth on
beyond the sample's auth.User."""
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "authproj.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
