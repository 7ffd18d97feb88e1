"""What the scanner knows of two common third-party model packages, from the registry's facts alone.

django-mptt: a node's tree methods (``node.get_descendants()``) are QuerySets of the node's own model;
django-taggit: ``tags = TaggableManager()`` is a many-to-many manager of its tag model.
"""

from __future__ import annotations

from ..ir import Model

# django-mptt's methods of a node: a QuerySet of the node's own model, filtered on its tree columns
TREE_METHODS = {"get_descendants", "get_ancestors", "get_children", "get_siblings", "get_family", "get_leafnodes"}
TREE_COLUMNS = ("tree_id", "lft", "rght")  # MPTTModel's default attribute names


def is_tree_model(model: Model) -> bool:
    """A django-mptt model: its tree columns are there (MPTTModel adds them under these names by default)."""
    return all(model.field(c) is not None for c in TREE_COLUMNS)


def tag_manager(model: Model, attr: str) -> str:
    """The tag model of django-taggit's ``tags = TaggableManager()`` on ``model`` ("" when ``attr`` is not one)."""
    f = model.field(attr)
    return f.relation.target if f is not None and f.relation is not None and f.field_class.startswith("taggit.") else ""
