"""The cut-over on generated trees of real apps: for each tree given, every route read (against the count
routes.go declares), and each gateway's config, with every route in shadow and then in a forced 30 % canary,
checked by the gateway's own tooling: `nginx -t`, tests/envoycheck (Envoy's v3 API), tests/traefikcheck
(Traefik v3.3's decoder and muxer), the Gateway API HTTPRoute CRD (v1.2.1). One JSON line per tree.

    .venv/bin/python bench/cutover_corpus.py /tmp/corpus-trees/*
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from migrator.cutover.facts import read_routes  # noqa: E402
from migrator.cutover.gateways import GATEWAYS  # noqa: E402
from migrator.cutover.state import Settings, Wanted, decide  # noqa: E402
from openapi_check import crd_schema, validate  # noqa: E402

STATES = {"shadow": (("*", Wanted("shadow")),), "canary": (("*", Wanted("canary", 30, force=True)),)}


def _checkers(work: Path) -> dict[str, Path]:
    out = {}
    for name in ("envoycheck", "traefikcheck"):
        out[name] = work / name
        subprocess.run(["go", "build", "-o", str(out[name]), "."], cwd=REPO / "tests" / name, check=True, timeout=900)
    return out


def check(tree: Path, work: Path, bins: dict[str, Path], schema: dict) -> dict:
    declared = int(re.search(r"Routes lists the (\d+) routes", (tree / "http" / "routes.go").read_text()).group(1))
    routes = read_routes(tree)
    res = {"tree": tree.name, "declared": declared, "read": len(routes),
           "migrated": sum(r.status in ("migrated", "partial") for r in routes)}
    settings = Settings(listen="127.0.0.1:18998")
    for label, entries in STATES.items():
        d = work / f"{tree.name}-{label}"
        d.mkdir()
        for fn in GATEWAYS.values():
            for name, body in fn(decide(routes, Settings(entries=entries), {}), settings, tree.name).items():
                (d / name).write_text(body)
        (d / "main.conf").write_text(f"pid {d}/p;\nerror_log {d}/e.log;\nevents {{}}\nhttp {{ include {d}/nginx.conf; }}\n")
        ng = subprocess.run(["nginx", "-t", "-p", str(d), "-c", str(d / "main.conf")], capture_output=True, text=True)
        ev = subprocess.run([str(bins["envoycheck"])], input=json.dumps(yaml.safe_load((d / "envoy.yaml").read_text())),
                            capture_output=True, text=True)
        tr = subprocess.run([str(bins["traefikcheck"]), str(d / "traefik.yaml")], input="", capture_output=True, text=True)
        errs = [e for doc in yaml.safe_load_all((d / "gateway-api.yaml").read_text()) for e in validate(doc, schema)]
        res[label] = {"nginx": "ok" if ng.returncode == 0 else ng.stderr[-300:],
                      "envoy": ev.stdout.strip()[-300:], "traefik": tr.stdout.strip()[-300:],
                      "gateway-api": "ok" if not errs else errs[:3]}
    return res


def main(trees: list[str]) -> int:
    schema = crd_schema("sigs.k8s.io/gateway-api", "v1.2.1",
                        "config/crd/standard/gateway.networking.k8s.io_httproutes.yaml", "v1")
    bad = 0
    with tempfile.TemporaryDirectory(prefix="migrator-cutover-") as tmp:
        bins = _checkers(Path(tmp))
        for t in trees:
            res = check(Path(t), Path(tmp), bins, schema)
            ok = res["declared"] == res["read"] and all(
                res[s]["nginx"] == "ok" and res[s]["envoy"].startswith("ok") and res[s]["traefik"].startswith("ok")
                and res[s]["gateway-api"] == "ok" for s in STATES)
            bad += not ok
            print(json.dumps(res))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
