"""The loaded models as load/drf_method's ``Models``: what a SerializerMethodField's method may read of them."""

from __future__ import annotations

import inspect
import textwrap
from typing import Any, Optional

INT = frozenset({"AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField",
                 "SmallIntegerField", "PositiveIntegerField", "PositiveBigIntegerField", "PositiveSmallIntegerField"})
TEXT = frozenset({"CharField", "TextField", "SlugField", "EmailField", "URLField"})


class DjangoModels:
    """Django's app registry, by ``app_label.Model``."""

    def _model(self, label: str) -> Any:
        from django.apps import apps

        return apps.get_model(label)

    def _field(self, label: str, attr: str) -> Any:
        try:
            return self._model(label)._meta.get_field(attr)
        except Exception:
            return None

    def column(self, model: str, attr: str) -> Optional[tuple[str, bool]]:
        f = self._field(model, attr)
        if f is None or not getattr(f, "concrete", False) or f.is_relation or f.attname != attr \
                or not deferred(self._model(model), attr):
            return None
        t = f.get_internal_type()
        kind = "int" if t in INT else "str" if t in TEXT else "bool" if t == "BooleanField" else ""
        return (kind, bool(f.null)) if kind else None

    def foreign_key(self, model: str, attr: str) -> Optional[tuple[str, bool]]:
        """A ForeignKey to the related model's pk, whose related row Django's descriptor reads with the related
        model's plain base manager (``WHERE pk = <fk> LIMIT 21``, what ``Related.objects.get(pk=...)`` compiles to
        when its default manager is plain too)."""
        from django.db import models
        from django.db.models.fields.related_descriptors import ForwardManyToOneDescriptor

        f = self._field(model, attr)
        if not isinstance(f, models.ForeignKey) or f.name != attr or not f.target_field.primary_key:
            return None
        desc = next((vars(k)[attr] for k in self._model(model).__mro__ if attr in vars(k)), None)
        related = f.related_model
        plain = all(type(m) is models.Manager for m in (related._base_manager, related._default_manager))
        if type(desc) is not ForwardManyToOneDescriptor or not plain or "__bool__" in _own(related) \
                or "__len__" in _own(related):
            return None
        return related._meta.label, bool(f.null)

    def prop(self, model: str, attr: str) -> Optional[tuple[str, str]]:
        cls = self._model(model)
        p = next((vars(k)[attr] for k in cls.__mro__ if attr in vars(k)), None)
        if not isinstance(p, property) or p.fget is None or p.fset is not None:
            return None
        try:
            return textwrap.dedent(inspect.getsource(p.fget)), p.fget.__module__
        except (OSError, TypeError):
            return None

    def model_named(self, module: str, name: str) -> Optional[str]:
        import sys

        from django.db import models

        obj = vars(sys.modules[module]).get(name) if module in sys.modules else None
        ok = isinstance(obj, type) and issubclass(obj, models.Model) and not obj._meta.abstract
        return obj._meta.label if ok else None

    def constant(self, module: str, dotted: str) -> Optional[str]:
        import sys

        first, *rest = dotted.split(".")
        scope = vars(sys.modules[module]) if module in sys.modules else {}
        obj = scope.get(first, _MISSING)
        for part in rest:
            obj = getattr(obj, part, _MISSING) if isinstance(obj, type) else _MISSING
        return repr(tuple(obj) if isinstance(obj, list) else obj) if _literal(obj) else None

    def gettext(self, module: str, name: str, text: str) -> Optional[str]:
        """Django's gettext / gettext_lazy bound to ``name`` in ``module``: the text in ``LANGUAGE_CODE`` (no
        LocaleMiddleware: a request's language would pick it)."""
        import sys

        from django.conf import settings
        from django.utils import translation

        fn = vars(sys.modules[module]).get(name) if module in sys.modules else None
        if fn not in (translation.gettext, translation.gettext_lazy) or _localized(settings):
            return None
        with translation.override(settings.LANGUAGE_CODE):
            return str(fn(text))

    def choices(self, model: str, attr: str) -> Optional[list[list[Any]]]:
        """The flat choices, each label as ``str()`` gives it in ``LANGUAGE_CODE`` (no LocaleMiddleware: a request's
        language would pick the label)."""
        from django.conf import settings
        from django.utils import translation

        f = self._field(model, attr)
        if f is None or not f.choices or _localized(settings):
            return None
        if any(isinstance(label, (list, tuple)) for _, label in f.flatchoices):
            return None
        with translation.override(settings.LANGUAGE_CODE):
            return [[key, str(label)] for key, label in f.flatchoices]


_MISSING = object()


def _literal(v: Any) -> bool:
    if isinstance(v, (list, tuple)):
        return all(_literal(x) and not isinstance(x, (list, tuple)) for x in v)
    return v is None or type(v) in (int, str, bool)


def _localized(settings: Any) -> bool:
    return "django.middleware.locale.LocaleMiddleware" in list(settings.MIDDLEWARE or ())


def _own(cls: type) -> set[str]:
    """Attributes defined by the model's own classes (not Django's Model)."""
    from django.db import models

    return {a for k in cls.__mro__ if k not in (models.Model, object) for a in vars(k)}


def deferred(model: type, attr: str) -> bool:
    """The class attribute is Django's column descriptor (no property of the same name shadows it)."""
    from django.db.models.query_utils import DeferredAttribute

    return isinstance(next((vars(k)[attr] for k in model.__mro__ if attr in vars(k)), None), DeferredAttribute)
