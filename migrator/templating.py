"""Templates: where they live (source tree or installed wheel) and the one Jinja environment.

In a source checkout the templates are the top-level ``templates/`` folder; in a wheel they are
packaged as ``migrator/templates`` (pyproject's force-include). ``template_root`` finds either.
Templates only lay text out: names and types are decided by the translators.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path


def template_root() -> Path:
    installed = resources.files("migrator") / "templates"
    if installed.is_dir():
        return Path(str(installed))
    source = Path(__file__).resolve().parent.parent / "templates"
    if source.is_dir():
        return source
    raise FileNotFoundError("migrator templates are missing: reinstall the package")


def template_path(name: str) -> Path:
    path = template_root() / name
    if not path.is_file():
        raise FileNotFoundError(f"no template {name!r} under {template_root()}")
    return path


@lru_cache(maxsize=1)
def environment():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_root())),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )


def render(name: str, **context) -> str:
    return environment().get_template(name).render(**context)
