"""URL patterns as route parts, without Django objects: ``path()`` routes (converters) and ``re_path()``
regexes -> a list of literal text, parameters (a name, its converter, the regex it matches) and raw
regex pieces. ``load.urls`` walks the URLconf inside Django and calls these; they are pure and tested
on strings alone.
"""

from __future__ import annotations

import re


# Django's built-in path converters -> the regex each one matches (django.urls.converters).
CONVERTER_REGEX = {
    "int": "[0-9]+",
    "str": "[^/]+",
    "slug": "[-a-zA-Z0-9_]+",
    "uuid": "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    "path": ".+",
}
_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")
# Python regex syntax RE2 (Go's regexp) does not have.
# (lookarounds, backreferences, comments, atomic groups, possessive quantifiers, \Z)
_NOT_RE2 = re.compile(r"\(\?[=!]|\(\?<[=!]|\(\?P=|\\[1-9]|\(\?#|\(\?>|[*+?}]\+|\\Z")


class Unsupported(Exception):
    """A pattern outside what translates to a Go route: becomes a diagnostic, the route is skipped."""


def route_parts(route: str, converters: dict) -> list[dict]:
    """``products/<int:pk>/`` -> [literal "products/", param pk (int), literal "/"]."""
    parts: list[dict] = []
    pos = 0
    for m in _PARAM.finditer(route):
        if m.start() > pos:
            parts.append({"literal": route[pos:m.start()]})
        name = m.group("parameter")
        conv = m.group("converter") or "str"
        regex = CONVERTER_REGEX.get(conv)
        if regex is None:  # a registered custom converter: its own regex
            c = converters.get(name)
            regex = getattr(c, "regex", None) or getattr(type(c), "regex", None)
            if not regex:
                raise Unsupported(f"converter {conv!r} of <{conv}:{name}> has no regex")
        parts.append({"param": name, "converter": conv, "regex": regex})
        pos = m.end()
    if pos < len(route):
        parts.append({"literal": route[pos:]})
    return parts


def _structure(regex: str, start: int = 0):
    """(index, character, depth after it) of each character outside escapes and character classes."""
    depth, i, in_class = 0, start, False
    while i < len(regex):
        c = regex[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        else:
            depth += (c == "(") - (c == ")")
            yield i, c, depth
        i += 1


def _group_end(regex: str, start: int) -> int:
    """Index of the ``)`` closing the group opened at ``start`` (escapes and classes skipped)."""
    for i, c, depth in _structure(regex, start):
        if c == ")" and depth == 0:
            return i
    raise Unsupported(f"unbalanced group in {regex!r}")


def _top_level_alternation(body: str) -> bool:
    return any(c == "|" and depth == 0 for _, c, depth in _structure(body))


def regex_parts(regex: str, endpoint: bool) -> list[dict]:
    """``^products/(?P<year>[0-9]{4})/$`` -> literals and named parameters.

    Regex syntax outside a named group (``\\.``, ``/?``, ``\\d+``, an unnamed group) becomes a ``raw`` part:
    kept verbatim in the route's full regex, so the Go side matches what Django matches (the ServeMux
    pattern of such a route is a wider one, see translate.http); an endpoint without a closing ``$`` matches
    every path it prefixes, as in Django. Unsupported: syntax RE2 does not have, a top-level ``|`` (it would
    change what ``^`` and ``$`` anchor).
    """
    if _NOT_RE2.search(regex):
        raise Unsupported(f"regex {regex!r} uses syntax Go's regexp (RE2) does not have")
    body = regex[1:] if regex.startswith("^") else regex  # Django matches from the start either way
    prefix_only = False
    if endpoint:
        if not body.endswith("$") or body.endswith("\\$"):
            prefix_only = True  # Django then matches every path it prefixes: the rest is anything
        else:
            body = body[:-1]
    if _top_level_alternation(body):
        raise Unsupported(f"regex {regex!r}: a top-level '|' (alternatives of the whole path) does not translate")
    out = _Parts()
    i = 0
    while i < len(body):
        c = body[i]
        if c == "\\":
            nxt = body[i + 1:i + 2]
            if not nxt:
                raise Unsupported(f"regex {regex!r} ends with a lone backslash")
            atom, i = body[i:i + 2], i + 2
            if nxt.isalnum():  # \d, \w, \s...: a class, not a literal
                out.raw(atom)
                continue
        elif body.startswith("(?P<", i):
            end = _group_end(body, i)
            name, _, inner = body[i + 4:end].partition(">")
            out.flush()
            out.parts.append({"param": name, "converter": "regex", "regex": inner})
            i = end + 1
            continue
        elif c in "([":
            end = _group_end(body, i) if c == "(" else _class_end(body, i)
            out.raw(body[i:end + 1])
            i = end + 1
            continue
        elif c in "?*+{":
            quant, i = _quantifier(regex, body, i)
            out.quantify(regex, quant)
            continue
        elif c in ".^$":
            out.raw(c)
            i += 1
            continue
        else:
            atom, i = c, i + 1
        out.lit += atom[-1]
    out.flush()
    if prefix_only:
        out.raw("(?s:.*)")
    return out.parts


class _Parts:
    """The parts read so far, and the literal text not yet closed into a part."""

    def __init__(self) -> None:
        self.parts: list[dict] = []
        self.lit = ""

    def flush(self) -> None:
        if self.lit:
            self.parts.append({"literal": self.lit})
            self.lit = ""

    def raw(self, text: str) -> None:
        self.flush()
        if self.parts and "raw" in self.parts[-1]:
            self.parts[-1] = {"raw": self.parts[-1]["raw"] + text}
        else:
            self.parts.append({"raw": text})

    def quantify(self, regex: str, quant: str) -> None:
        """A quantifier applies to the last atom: a raw one (group, class), or the literal's last character."""
        if self.parts and not self.lit and "raw" in self.parts[-1]:
            self.parts[-1] = {"raw": self.parts[-1]["raw"] + quant}
        elif self.lit:
            last, self.lit = self.lit[-1], self.lit[:-1]
            self.raw(re.escape(last) + quant)
        else:
            raise Unsupported(f"regex {regex!r}: quantifier {quant!r} after a named group")


def _class_end(body: str, i: int) -> int:
    """The index of the ``]`` closing the character class opened at body[i]."""
    j = i + 1 + (body[i + 1:i + 2] == "^")
    j += body[j:j + 1] == "]"
    while j < len(body) and body[j] != "]":
        j += 2 if body[j] == "\\" else 1
    return j


def _quantifier(regex: str, body: str, i: int) -> tuple[str, int]:
    """The quantifier at body[i] (``?``, ``*``, ``+``, ``{m,n}``, maybe lazy or possessive) and the index after it."""
    if body[i] == "{":
        end = body.find("}", i)
        quant = body[i:end + 1] if end > 0 else ""
    else:
        quant = body[i]
    if not quant:
        raise Unsupported(f"regex {regex!r}: unclosed '{{'")
    i += len(quant)
    if i < len(body) and body[i] in "?+":  # lazy or possessive
        quant += body[i]
        i += 1
    return quant, i


def pattern_parts(pattern, endpoint: bool) -> list[dict]:
    from django.urls.resolvers import RegexPattern, RoutePattern

    if isinstance(pattern, RoutePattern):
        return route_parts(str(pattern._route), getattr(pattern, "converters", {}))
    if isinstance(pattern, RegexPattern):
        return regex_parts(str(pattern._regex), endpoint)
    raise Unsupported(f"{type(pattern).__name__} ({pattern.describe()}) is not translated")


def merge_literals(parts: list[dict]) -> list[dict]:
    out: list[dict] = []
    for p in parts:
        if "literal" in p and out and "literal" in out[-1]:
            out[-1] = {"literal": out[-1]["literal"] + p["literal"]}
        elif "raw" in p and out and "raw" in out[-1]:
            out[-1] = {"raw": out[-1]["raw"] + p["raw"]}
        elif "literal" not in p or p["literal"]:
            out.append(dict(p))
    return out


def _capturing(raw: str) -> int:
    """How many capturing groups ``raw`` opens (escapes and character classes skipped)."""
    return sum(c == "(" and raw[i + 1:i + 2] != "?" for i, c, _ in _structure(raw))


def positional_params(parts: list[dict], names: list[str] | None) -> list[dict]:
    """A route whose regex has unnamed groups and no named ones: Django calls the view with the groups'
    values positionally (``RegexPattern.match``: ``args = () if kwargs else match.groups()``), so each group
    that is a whole raw part (``^json/mark-read/(\\d+)/$``) becomes the parameter of the view's argument at its
    position (``names``: the view's arguments after the request, None when it takes ``*args``). Anything
    else (a named group too, a group inside other syntax or quantified, more groups than named arguments)
    keeps the groups raw: the route stays wider than a ServeMux pattern."""
    if any("param" in p for p in parts):
        return parts
    whole = [i for i, p in enumerate(parts) if "raw" in p and p["raw"].startswith("(") and p["raw"][1:2] != "?"
             and _group_end(p["raw"], 0) == len(p["raw"]) - 1 and _capturing(p["raw"]) == 1]
    total = sum(_capturing(p["raw"]) for p in parts if "raw" in p)
    if not whole or total != len(whole) or names is None or len(names) < len(whole):
        return parts
    out = list(parts)
    for name, i in zip(names, whole):
        out[i] = {"param": name, "converter": "regex", "regex": parts[i]["raw"][1:-1]}
    return out
