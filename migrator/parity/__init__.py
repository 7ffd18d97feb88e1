"""Parity: Django and the generated Go against the same database and data, normalised and compared."""
