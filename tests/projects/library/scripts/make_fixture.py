#!/usr/bin/env python
"""Regenerate fixtures/library.json deterministically.

Usage (from tests/projects/library):  python scripts/make_fixture.py
Passwords are hashed with make_password() and a fixed salt so the output is
byte-for-byte stable for a given Django version.
"""
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402

SALT = "librarysalt2024"
JOINED = "2023-01-15T09:00:00Z"

MEMBERS = [
    # pk, username, first, last, member_number, joined_on, is_staff
    (1, "alice", "Alice", "Archer", "M-0001", "2023-01-15", True),
    (2, "bob", "Bob", "Baker", "M-0002", "2023-02-20", False),
    (3, "carol", "Carol", "Chen", "M-0003", "2023-03-05", False),
    (4, "dave", "Dave", "Diaz", "M-0004", None, False),
    (5, "erin", "Erin", "Evans", "M-0005", "2024-01-10", False),
]

AUTHORS = [
    (1, "Ursula K. Le Guin", "1929-10-21"),
    (2, "Terry Pratchett", "1948-04-28"),
    (3, "Octavia E. Butler", "1947-06-22"),
    (4, "Iain M. Banks", "1954-02-16"),
    (5, "Anonymous", None),
]

BOOKS = [
    # pk, title, isbn, author, year, price, available
    (1, "A Wizard of Earthsea", "9780547773742", 1, 1968, "9.99", True),
    (2, "The Left Hand of Darkness", "9780441478125", 1, 1969, "12.50", False),
    (3, "The Dispossessed", "9780061054884", 1, 1974, "14.00", True),
    (4, "Guards! Guards!", "9780062225757", 2, 1989, "8.99", False),
    (5, "Small Gods", "9780062237378", 2, 1992, "9.49", True),
    (6, "Kindred", "9780807083697", 3, 1979, "15.95", True),
    (7, "Parable of the Sower", "9781538732182", 3, 1993, "13.99", False),
    (8, "Consider Phlebas", "9780316005388", 4, 1987, "16.99", True),
    (9, "The Player of Games", "9780316005401", 4, 1988, "16.99", True),
    (10, "Beowulf", "9780393320978", 5, None, "0.00", True),
]

LOANS = [
    # pk, book, member, borrowed_at, due, returned_at
    (1, 2, 2, "2024-03-01T10:00:00Z", "2024-03-15", None),
    (2, 4, 3, "2024-03-02T11:30:00Z", "2024-03-16", None),
    (3, 7, 2, "2024-03-03T15:45:00Z", "2024-03-17", None),
    (4, 1, 4, "2024-02-01T09:15:00Z", "2024-02-15", "2024-02-14T17:00:00Z"),
    (5, 6, 5, "2024-02-10T12:00:00Z", "2024-02-24", "2024-02-20T08:30:00Z"),
    (6, 1, 2, "2024-01-05T14:00:00Z", "2024-01-19", "2024-01-18T10:10:00Z"),
]

SHELVES = [
    (1, "Fantasy", [1, 4, 5]),
    (2, "Science Fiction", [2, 3, 8, 9]),
    (3, "Staff Picks", [3, 6, 7, 9]),
    (4, "Classics", [10]),
    (5, "Empty Shelf", []),
]


def build():
    rows = []
    for pk, username, first, last, number, joined, staff in MEMBERS:
        rows.append({
            "model": "members.member",
            "pk": pk,
            "fields": {
                "password": make_password(f"{username}-password", salt=SALT),
                "last_login": None,
                "is_superuser": staff,
                "username": username,
                "first_name": first,
                "last_name": last,
                "email": f"{username}@library.example",
                "is_staff": staff,
                "is_active": True,
                "date_joined": JOINED,
                "member_number": number,
                "joined_on": joined,
                "groups": [],
                "user_permissions": [],
            },
        })
    for pk, name, born in AUTHORS:
        rows.append({"model": "lending.author", "pk": pk, "fields": {"name": name, "born": born}})
    for pk, title, isbn, author, year, price, available in BOOKS:
        rows.append({
            "model": "lending.book",
            "pk": pk,
            "fields": {
                "title": title,
                "isbn": isbn,
                "author": author,
                "published_year": year,
                "price": price,
                "available": available,
            },
        })
    for pk, book, member, borrowed, due, returned in LOANS:
        rows.append({
            "model": "lending.loan",
            "pk": pk,
            "fields": {
                "book": book,
                "member": member,
                "borrowed_at": borrowed,
                "due": due,
                "returned_at": returned,
            },
        })
    for pk, name, books in SHELVES:
        rows.append({"model": "lending.shelf", "pk": pk, "fields": {"name": name, "books": books}})
    return rows


def main():
    out = ROOT / "fixtures" / "library.json"
    out.write_text(json.dumps(build(), indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
