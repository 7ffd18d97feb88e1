"""Templates: where they live (source tree or installed wheel) and the one Jinja environment.

In a source checkout the templates are the top-level ``templates/`` folder; in a wheel they are
packaged as ``migrator/templates`` (pyproject's force-include). ``template_root`` finds either.
Templates only lay text out: names and types are decided by the translators.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from .cache import cache_dir


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


OPTIONS = dict(keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True, autoescape=False)


@lru_cache(maxsize=1)
def environment():
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(template_root())), undefined=jinja2.StrictUndefined,
                              bytecode_cache=_bytecode_cache(jinja2), **OPTIONS)


def _bytecode_cache(jinja2):
    """The templates compiled once, not in every run (a generate compiles about 25: a third of a second).
    Jinja checks each entry against its template's source; the folder is named after what else the compiled
    code depends on (Jinja's version and these options), so an entry is only read by a run it fits."""
    import hashlib
    import sys

    folder = cache_dir("templates")
    if folder is None:
        return None
    tag = hashlib.sha256(repr((jinja2.__version__, sys.version, sorted(OPTIONS.items()))).encode()).hexdigest()[:16]
    try:
        (folder / tag).mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # a cache that cannot be written only costs time
    return jinja2.FileSystemBytecodeCache(str(folder / tag))


def render(name: str, **context) -> str:
    return environment().get_template(name).render(**context)
