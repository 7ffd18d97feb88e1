"""Validate a document against a Kubernetes CRD's openAPIV3Schema (the structural part: type, properties with
unknown fields refused as `kubectl --validate=strict` does, required, enum, min/max items, lengths and values,
pattern). CEL rules (x-kubernetes-validations) are not evaluated. The CRD comes from a published package:
the Gateway API Go module, fetched with `go mod download` (the Go module proxy)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import yaml

_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "integer": int, "number": (int, float)}


def crd_schema(module: str, version: str, crd_path: str, api_version: str) -> dict:
    proc = subprocess.run(["go", "mod", "download", "-json", f"{module}@{version}"], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    crd = yaml.safe_load((Path(json.loads(proc.stdout)["Dir"]) / crd_path).read_text())
    return next(v for v in crd["spec"]["versions"] if v["name"] == api_version)["schema"]["openAPIV3Schema"]


def validate(value, schema: dict, where: str = "$") -> list[str]:
    errors = []
    kind = schema.get("type")
    if kind and not (isinstance(value, _TYPES[kind]) and not (kind in ("integer", "number") and isinstance(value, bool))):
        return [f"{where}: expected {kind}, got {type(value).__name__}"]
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{where}: {value!r} not in {schema['enum']}")
    if isinstance(value, str):
        if len(value) > schema.get("maxLength", 1 << 30) or len(value) < schema.get("minLength", 0):
            errors.append(f"{where}: length {len(value)} out of bounds")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append(f"{where}: {value!r} does not match {schema['pattern']}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value > schema.get("maximum", float("inf")) or value < schema.get("minimum", float("-inf")):
            errors.append(f"{where}: {value} out of [{schema.get('minimum')}, {schema.get('maximum')}]")
    if isinstance(value, list):
        if len(value) > schema.get("maxItems", 1 << 30) or len(value) < schema.get("minItems", 0):
            errors.append(f"{where}: {len(value)} items out of [{schema.get('minItems', 0)}, {schema.get('maxItems')}]")
        for i, item in enumerate(value):
            errors += validate(item, schema.get("items", {}), f"{where}[{i}]")
    if isinstance(value, dict) and "properties" in schema:
        errors += [f"{where}: missing {k}" for k in schema.get("required", []) if k not in value]
        for k, v in value.items():
            if k not in schema["properties"]:
                errors.append(f"{where}: unknown field {k}")
            else:
                errors += validate(v, schema["properties"][k], f"{where}.{k}")
    return errors
