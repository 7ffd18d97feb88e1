"""Move a Django data layer to Go and prove parity."""

__version__ = "0.1.0"
