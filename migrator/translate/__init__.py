"""Translate stage: decide every Go/SQL name and type once, from the IR. Never prints, never touches disk."""
