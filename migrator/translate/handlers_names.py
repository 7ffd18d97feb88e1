"""Go names for the values a migrated handler computes, and the declarations nothing reads.

The view reader writes each value it computes into a placeholder (``placeholder(n)``), with a hint
of what it is: the Python name it is assigned to (``quantity``), else what it holds (``product`` for a
row of Product, ``data`` for a decoded body). ``finish`` runs once the whole view is read, when it is
known which values are read at all:

- a placeholder nothing reads is not declared: ``x := expr`` goes, ``x, err := call`` becomes
  ``_, err := call`` (``=`` where ``err`` is already declared in that block);
- every other placeholder takes its hint as a Go name (lowerCamel, keywords escaped, collisions
  numbered in order of appearance, never one of ``taken``).

Placeholders are control characters, which never occur inside a Go string literal the reader writes
(JSON escapes them), so replacing them is exact.
"""

from __future__ import annotations

import re
from collections import Counter

from .naming import GO_KEYWORDS, GO_PREDECLARED, Namer, camel

_PH = re.compile("\x01(\\d+)\x02")
_STRING = re.compile(r'"(?:\\.|[^"\\\n])*"|`[^`]*`')
_PAIR = re.compile("^\x01(\\d+)\x02, (err|ok) := ")
_SINGLE = re.compile("^\x01(\\d+)\x02 := ")
_IF = re.compile("^if \x01(\\d+)\x02 {$")
_DECLARED = re.compile(r"^([\w\x01\x02]+(?:, [\w\x01\x02]+)*) := |^var ([\w\x01\x02]+) ")

# Names a handler body's locals must not take: its parameters, the closure's row, imported packages.
HANDLER_SCOPE = frozenset({"s", "ctx", "req", "err", "ok", "r", "arg", "http", "strconv", "djtypes", "errors",
                           "fmt", "context", "io", "url", "json", "time", "decimal", "fiber", "gin",
                           "requestBody"})


def placeholder(n: int) -> str:
    return f"\x01{n}\x02"


def is_placeholder(code: str) -> bool:
    return _PH.fullmatch(code) is not None


def number(code: str) -> int:
    return int(_PH.fullmatch(code).group(1))


def finish(stmts: list[str], hints: dict[int, str], taken=(), declared=()) -> list[str]:
    """The statements with unread declarations dropped and placeholders named (see the module docstring).

    ``declared``: names already declared in the block the statements start in (``err`` of a path
    parameter parsed above them)."""
    lines = "\n".join(stmts).split("\n")
    reads = Counter(_PH.findall("\n".join(_STRING.sub('""', line) for line in lines)))
    lines = _inline_tests(lines, reads)
    out, scopes = [], [set(declared)]
    for line in lines:
        code = _STRING.sub('""', line)
        if code.startswith("}"):
            scopes.pop()
        pair, single = _PAIR.match(line), _SINGLE.match(line)
        if pair and reads[pair.group(1)] == 1:
            other = pair.group(2)
            op = "=" if other in scopes[-1] else ":="
            scopes[-1].add(other)
            line = f"_, {other} {op} {line[pair.end():]}"
        elif single and reads[single.group(1)] == 1 and code.count("{") == code.count("}"):
            continue  # a value computed without effects that nothing reads
        else:
            found = _DECLARED.match(line)
            if found:
                scopes[-1].update((found.group(1) or found.group(2)).split(", "))
        if code.rstrip().endswith("{"):
            scopes.append(set())
        out.append(line)
    namer = Namer(set(taken) | HANDLER_SCOPE | GO_KEYWORDS | GO_PREDECLARED)
    names: dict[str, str] = {}
    text = "\n".join(out)
    for n in dict.fromkeys(_PH.findall(text)):
        names[n] = namer.take(camel(hints.get(int(n), "value")))
    return _return_last_error(_PH.sub(lambda m: names[m.group(1)], text).split("\n"))


_LAST_CALL = re.compile(r"^(\w+), err :?= ")
_FAIL = re.compile(r'^return http\.StatusInternalServerError, nil, fmt\.Errorf\(("(?:\\.|[^"\\])*): %w", err\)$')
_DONE = re.compile(r"^return (\w+), (.*), nil$")


def _return_last_error(lines: list[str]) -> list[str]:
    """The view's last query, read only by its answer, returns its error with the answer (``return 200,
    Resp{...}, Wrap(err, "what")``) instead of a check of its own: Go's ``return v, err`` idiom. The caller
    (WriteResult, Fiber's handler) answers 500 whenever the error is set, ignoring status and body; the
    answer is only built from the query's zero value when every read of it is safe on one (a count,
    ``MapRows`` or ``List`` of a nil slice)."""
    if len(lines) < 5 or sum(line.count("{") - line.count("}") for line in map(_code, lines[:-5])) != 0:
        return lines
    call, check, fail, close, done = lines[-5:]
    found, failed, ok = _LAST_CALL.match(call), _FAIL.match(fail), _DONE.match(done)
    if not (found and failed and ok and check == "if err != nil {" and close == "}"):
        return lines
    var, answer = found.group(1), ok.group(2)
    reads = re.findall(rf"(MapRows\(|List\(|: |.)\b{var}\b(.?)", _code(answer))
    if not reads or any(before not in ("MapRows(", "List(", ": ") or after not in (",", "}", ")") for before, after in reads):
        return lines
    return lines[:-4] + [f"return {ok.group(1)}, {answer}, Wrap(err, {failed.group(1)}\")"]


def _code(line: str) -> str:
    return _STRING.sub('""', line)


def _inline_tests(lines: list[str], reads: Counter) -> list[str]:
    """``x := cond`` then ``if x {``, x read nowhere else: ``if cond {``."""
    out: list[str] = []
    for line in lines:
        test = _IF.match(line)
        if test and out and reads[test.group(1)] == 2:
            single = _SINGLE.match(out[-1])
            if single and single.group(1) == test.group(1):
                out[-1] = f"if {out[-1][single.end():]} {{"
                continue
        out.append(line)
    return out


def plural(name: str) -> str:
    """``product`` -> ``products``, ``category`` -> ``categories`` (a hint for a list of rows)."""
    if re.search(r"[^aeiou]y$", name):
        return name[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", name):
        return name + "es"
    return name + "s"


def closes_at_end(code: str) -> bool:
    """``code`` is one parenthesised expression: its first "(" closes at its last character (Go strings
    inside are skipped)."""
    depth, text = 0, False
    for i, ch in enumerate(code):
        if ch == '"' and (i == 0 or code[i - 1] != "\\"):
            text = not text
        elif not text and ch in "()":
            depth += 1 if ch == "(" else -1
            if depth == 0:
                return i == len(code) - 1
    return False
