"""Project wrappers of the app registry, django-oscar / django-machina style."""

import importlib

from django.apps import apps


def get_model(app_label, model_name):
    return apps.get_model(app_label, model_name)


def get_classes(module_label, names):
    module = importlib.import_module("shop." + module_label.split(".", 1)[1])
    return [getattr(module, n) for n in names]


def get_class(module_label, name):
    return get_classes(module_label, [name])[0]
