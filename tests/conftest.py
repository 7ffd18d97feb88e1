from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest

# The slow tier starts hundreds of Python processes (the CLI, the loader's Django process, parity's Django side), and
# each imported migrator and the test projects from source when PYTHONDONTWRITEBYTECODE is set (this machine sets
# it): about 0.1 to 0.4 s of CPU per process. Their bytecode goes to a cache of its own outside the repository
# instead, reused by every later process (and run); nothing is written into the tree, as the variable asked.
if os.environ.pop("PYTHONDONTWRITEBYTECODE", None) and not os.environ.get("PYTHONPYCACHEPREFIX"):
    os.environ["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), f"migrator-tests-pycache-{os.getuid()}")
    sys.pycache_prefix, sys.dont_write_bytecode = os.environ["PYTHONPYCACHEPREFIX"], False

# Django's compile cache is on by default and records each project's first run in a background process after the
# command (load.compile_cache): nearly every test generates a fresh project once, so it would only leave CPU-bound
# processes behind on the suite's two cores. Off for the suite; tests/test_compile_cache.py turns it on.
os.environ.setdefault("MIGRATOR_COMPILE_CACHE", "off")

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_django_project"
LIBRARY = REPO / "tests" / "projects" / "library"
GOLDEN = REPO / "tests" / "golden"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite golden files and trees from the current output")


@pytest.fixture(scope="session")
def update_golden(request) -> bool:
    return bool(request.config.getoption("--update-golden") or os.environ.get("MIGRATOR_UPDATE_GOLDEN"))


def golden_queries(generated: Path, name: str, dialect: str, update: bool) -> str:
    """The generated tree's sqlc queries of ``dialect``, judged equal to tests/golden/<name>/<dialect>.sql (rewritten
    first under --update-golden)."""
    text = (generated / "sqlc" / "queries" / f"{dialect}.sql").read_text(encoding="utf-8")
    path = GOLDEN / name / f"{dialect}.sql"
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")
    return text


@pytest.fixture(scope="session")
def sample_analysis():
    from migrator.analyze import analyze

    return analyze(SAMPLE)


@pytest.fixture(scope="session")
def library_analysis():
    from migrator.analyze import analyze

    return analyze(LIBRARY)


@pytest.fixture
def sample_copy(tmp_path) -> Path:
    """A private copy of the sample project a test may break."""
    dst = tmp_path / "project"
    shutil.copytree(SAMPLE, dst, ignore=shutil.ignore_patterns("__pycache__", "*.sqlite3", "media"))
    return dst


def run_cli(*args: str, cwd: Path = REPO, check: bool = False) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "migrator", *args], cwd=cwd, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"migrate {' '.join(args)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


from pg import pg_db, postgres_server  # noqa: E402,F401  (fixtures: a private PostgreSQL server)


# -trimpath: without it a package's folder is part of its key in Go's build cache, so every tree a test generates
# into a new temporary folder compiled all its packages again, run after run, even unchanged (the sample's server:
# 4 s of CPU per build, 1 s with -trimpath once the cache holds them; the dependencies are cached either way).
GOFLAGS = "-mod=mod -trimpath"


def go(*args: str, cwd: Path, check: bool = True, env: dict | None = None) -> subprocess.CompletedProcess:
    proc = subprocess.run(["go", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "GOFLAGS": GOFLAGS, **(env or {})})
    if check and proc.returncode != 0:
        raise AssertionError(f"go {' '.join(args)} failed in {cwd}:\n{proc.stdout}\n{proc.stderr}")
    return proc


def django_side(root: Path, settings: str, database: str, *args: str):
    """Run the Django side of parity (migrator.parity.django_side) against a database; its JSON result."""
    import json

    proc = subprocess.run([sys.executable, "-m", "migrator.parity.django_side", str(root), "--settings", settings,
                           "--database", database, *args], capture_output=True, text=True)
    if proc.returncode != 0:
        raise AssertionError(f"django_side {' '.join(args)} failed:\n{proc.stderr}")
    return json.loads(proc.stdout)


class SampleTree:
    """The sample generated with every target for one framework, vetted; its programs built on first use.
    One per framework and session: the http, http parity, query parity and GORM tests share it (read-only)."""

    def __init__(self, out: Path, result):
        self.out, self.result, self._built = out, result, set()

    def build(self, *programs: str) -> Path:
        """``go build`` each of ./http (bin/server), ./gorm/cmd/gormcheck, ./sqlc/cmd/sqlccheck once."""
        where = {"server": "./http", "gormcheck": "./gorm/cmd/gormcheck", "sqlccheck": "./sqlc/cmd/sqlccheck"}
        for name in programs:
            if name not in self._built:
                go("build", "-o", str(self.out / "bin" / name), where[name], cwd=self.out)
                self._built.add(name)
        return self.out


def side_databases(request, tmp_path: Path, dialect: str, prefix: str) -> list[str]:
    """Two empty databases, Django's side and Go's (each written by its own stack, compared after): SQLite files in
    ``tmp_path``, or databases ``<prefix>_django_<pid>`` / ``<prefix>_go_<pid>`` on the session's PostgreSQL, dropped
    at the test's end."""
    if dialect == "sqlite":
        return [str(tmp_path / f"{side}.sqlite3") for side in ("django", "go")]
    pg = request.getfixturevalue("postgres_server")
    names = [f"{prefix}_{side}_{os.getpid()}" for side in ("django", "go")]
    urls = [pg.create_db(n) for n in names]
    request.addfinalizer(lambda: [pg.drop_db(n) for n in names])
    return urls


@pytest.fixture(scope="session")
def sample_trees(tmp_path_factory):
    """framework -> SampleTree, generated (and vetted) once per session."""
    from migrator.generate import generate

    trees: dict[str, SampleTree] = {}

    def get(framework: str = "nethttp") -> SampleTree:
        if framework not in trees:
            out = tmp_path_factory.mktemp(f"sample-{framework}") / "tree"
            result = generate(SAMPLE, out, targets=("all",), framework=framework)
            assert result.exit_code == 0, [d.render() for d in result.diagnostics]
            go("vet", "./...", cwd=out)
            trees[framework] = SampleTree(out, result)
        return trees[framework]
    return get


@pytest.fixture(scope="session")
def sample_generated(sample_trees):
    """Every target of the sample generated into a fresh tree, vetted, gormcheck and sqlccheck built."""
    tree = sample_trees("nethttp")
    tree.build("gormcheck", "sqlccheck")
    return tree.result


def keep_parity_report(dialect: str, proc: subprocess.CompletedProcess, junit: Path, report: Path) -> None:
    """The sample's parity runs of the suite are the ones CI shows: with MIGRATOR_PARITY_REPORTS set (.ci/run sets
    it), a run's output, JUnit and JSON are copied there as parity-<dialect>.txt/.xml/.json; .ci/run prints the
    tables and compares MariaDB's case counts with PostgreSQL's from them instead of running parity three more
    times after the suite (about 4.5 minutes)."""
    where = os.environ.get("MIGRATOR_PARITY_REPORTS")
    if not where:
        return
    os.makedirs(where, exist_ok=True)
    Path(where, f"parity-{dialect}.txt").write_text(proc.stdout)
    for src, ext in ((junit, "xml"), (report, "json")):
        if Path(src).is_file():
            shutil.copy(src, Path(where, f"parity-{dialect}.{ext}"))


@pytest.fixture(scope="session")
def sample_postgresql_parity(request, sample_trees, tmp_path_factory):
    """`migrate parity` of the sample on PostgreSQL, every check, once per suite: a function returning (process,
    JSON report, JUnit path, the scratch databases left on the server after it). test_parity_cmd judges it and
    test_mysql compares MariaDB's case counts with it, each in a group of its own: the two servers' runs (about 200 s
    each in CI's log) go to the two xdist workers instead of one after the other on one, and the first worker to ask
    runs it, the other reads its result (tests/once.py). test_mysql asks after its MariaDB run, so it waits only if
    PostgreSQL's is still running. The server is the running worker's (tests/pg.py)."""
    import json

    def run() -> dict:
        server = request.getfixturevalue("postgres_server")
        tmp = tmp_path_factory.mktemp("parity-postgresql")
        tree = tmp / "tree"
        shutil.copytree(sample_trees("nethttp").out, tree)  # a copy: parity may write into its --generated tree
        out, junit = tmp / "report.json", tmp / "junit.xml"
        proc = run_cli("parity", str(SAMPLE), "--generated", str(tree), "--database", server.url("parity_x"),
                       "--json", str(out), "--junit", str(junit))
        keep_parity_report("postgresql", proc, junit, out)
        with server._admin() as conn:  # every scratch database dropped at the end (test_parity_cmd asserts it)
            left = [r[0] for r in conn.execute("SELECT datname FROM pg_database WHERE datname LIKE 'parity_x%'")]
        return {"proc": [proc.returncode, proc.stdout, proc.stderr], "junit": str(junit), "left": left,
                "report": json.loads(out.read_text()) if out.exists() else None}

    got: dict = {}

    def get():
        from once import once

        if not got:  # once per session too: without xdist, both tests run in this one
            got.update(once(tmp_path_factory, "sample-postgresql-parity", run))
        code, stdout, stderr = got["proc"]
        proc = subprocess.CompletedProcess(["migrate", "parity"], code, stdout, stderr)
        return proc, got["report"], Path(got["junit"]), got["left"]
    return get


@pytest.fixture(scope="session")
def sample_gorm(sample_generated):
    return sample_generated.out


@pytest.fixture(scope="session")
def loaded_templates(tmp_path_factory):
    """dialect -> the sample migrated by Django and loaded with its fixture, once per session: a SQLite file, or a
    PostgreSQL database used only as a template. Each test gets a copy (``loaded_db``), never this one."""
    made: dict[str, str] = {}

    def get(dialect: str, server=None) -> str:
        if dialect not in made:
            url = (str(tmp_path_factory.mktemp("loaded") / "sample.sqlite3") if dialect == "sqlite"
                   else server.create_db("loaded_" + uuid.uuid4().hex[:12]))
            django_side(SAMPLE, "shopapi.settings", url, "migrate")
            django_side(SAMPLE, "shopapi.settings", url, "loaddata", str(SAMPLE / "fixtures" / "sample.json"))
            made[dialect] = url
        return made[dialect]
    return get


@pytest.fixture(params=["sqlite", "postgresql"])
def loaded_db(request, tmp_path):
    return _loaded_db(request, tmp_path)


def _loaded_db(request, tmp_path):
    """A database Django migrated and loaded with the sample fixture, the test's own (a copy of the session's
    ``loaded_templates``): (dialect, url, copy(name) -> url of another copy)."""
    templates = request.getfixturevalue("loaded_templates")
    if request.param == "sqlite":
        url = str(tmp_path / "a.sqlite3")
        shutil.copy(templates("sqlite"), url)

        def copy(name):
            dst = tmp_path / f"{name}.sqlite3"
            shutil.copy(url, dst)
            return str(dst)
        return request.param, url, copy
    server = request.getfixturevalue("postgres_server")
    made = []

    def clone(template_url: str, name: str) -> str:
        from psycopg import sql

        with server._admin() as conn:
            conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template_url.rsplit("/", 1)[1])))
        made.append(name)
        return server.url(name)
    request.addfinalizer(lambda: [server.drop_db(d) for d in reversed(made)])
    url = clone(templates("postgresql", server), "t_" + uuid.uuid4().hex[:12])
    return request.param, url, lambda name: clone(url, f"{url.rsplit('/', 1)[1]}_{name}")


# Fixtures that start a process (Django, sqlc, Go, a database server): a test using one is in the slow tier,
# marked or not. `pytest -m "not slow"` is the fast tier: table tests on in-memory inputs, no process at all.
SLOW_FIXTURES = {"sample_trees", "sample_generated", "sample_gorm", "server_tree", "trees", "loaded_db",
                 "loaded_templates", "postgres_server", "pg_db", "sample_sqlite", "edge_sqlite", "sample_analysis",
                 "library_analysis", "mariadb_server", "sample_postgresql_parity"}
# tests that run `migrate parity` (Go builds) without one of those fixtures
SLOW_TESTS = {"test_parity_kills_at_least_95_percent_of_mutants", "test_library_project_end_to_end",
              "test_generated_data_when_there_is_no_fixture", "test_http_check_passes_on_sqlite"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        slow = SLOW_FIXTURES & set(getattr(item, "fixturenames", ())) or item.originalname in SLOW_TESTS
        if slow and "slow" not in item.keywords:
            item.add_marker(pytest.mark.slow)
    if config.getoption("loadgroup", False) or config.getoption("dist", "no") == "loadgroup":  # (a worker: dist "no")
        _xdist_groups(items)


# The slow tier runs on two pytest-xdist workers (README: `-n 2 --dist loadgroup`). Each worker is a session of its
# own: a session fixture runs once per worker that asks for it, a module fixture once per worker that runs one of
# the module's tests. So every test belongs to a group that one worker runs whole, in collection order: its module,
# or the group SHARED names. xdist's own loadgroup reads an `xdist_group` mark by rewriting `item._nodeid`, which
# pytest 9 no longer reads, so the controller's scheduler asks `xdist_group()` here, by node id.
# The sample's PostgreSQL parity is its test's group alone, and runs once per suite whichever worker asks first
# (conftest.sample_postgresql_parity, tests/once.py): test_mysql's group (MariaDB's run of the sample, which compares
# its case counts with PostgreSQL's) goes to the other worker. One group held both runs until session 14: about
# 410 s of one worker in CI's log (214 s PostgreSQL, then 198 s MariaDB).
SHARED = {"tests/test_parity_cmd.py::test_sample_passes_on_postgresql": "sample-parity-postgresql"}
GROUP_FIXTURES = {"mariadb_server": "tests/test_mysql.py"}  # a test using one must be in that group: each worker
# running one starts a server of its own (MariaDB's start: 5 + 13 s at a load of 25)
# Groups are handed out in this order, the longest measured first (docs/performance.md, "The test suite's wall
# time"), then the rest in collection order: a long group started last would leave one worker alone at the end.
# xdist gives each worker one group, then another while it has at most two tests pending: the first worker gets
# PostgreSQL's run (one test) and test_parity_cmd's, the second test_mysql's, so the two servers' runs start together.
LONG_FIRST = ("sample-parity-postgresql", "tests/test_mysql.py", "tests/test_parity_cmd.py",
              "tests/test_mutation_kill_rate.py", "tests/test_parity_http_check.py", "tests/test_bench.py")


def xdist_group(nodeid: str) -> str:
    test, module = nodeid.split("[")[0], nodeid.split("::")[0]
    return SHARED.get(test) or SHARED.get(module) or module


def _xdist_groups(items) -> None:
    for item in items:
        for fixture in set(GROUP_FIXTURES) & set(getattr(item, "fixturenames", ())):
            if xdist_group(item.nodeid) != GROUP_FIXTURES[fixture]:
                raise pytest.UsageError(f"{item.nodeid} uses {fixture}: move it to {GROUP_FIXTURES[fixture]} (or its "
                                        "group in SHARED, tests/conftest.py), or each xdist worker starts one")
    rank = {g: i for i, g in enumerate(LONG_FIRST)}
    items.sort(key=lambda item: rank.get(xdist_group(item.nodeid), len(rank)))  # stable: collection order otherwise


@pytest.hookimpl(optionalhook=True)  # an xdist hook: unknown without xdist
def pytest_xdist_make_scheduler(config, log):
    if config.getoption("dist", "no") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class GroupScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return xdist_group(nodeid)
    return GroupScheduling(config, log)


# The fast tier stays fast: a test not marked slow that starts a process (its setup or its body) fails, saying
# which, so a test that boots Django, runs sqlc or the CLI, builds Go or starts a server is marked where it is
# written. Cheap processes are allowed: gofmt, a version probe, a fake tool the test wrote into its tmp_path.
_POPEN_INIT = subprocess.Popen.__init__
_FAST: list = []  # the fast-tier test whose setup or body runs now
_CHEAP = {"gofmt"}
_PROBES = {"version", "--version", "env"}


def _cheap(args) -> bool:
    argv = [str(a) for a in args] if isinstance(args, (list, tuple)) else str(args).split()
    prog = Path(argv[0]) if argv else Path()
    return (prog.name in _CHEAP or (len(argv) > 1 and argv[1] in _PROBES)
            or str(prog).startswith(tempfile.gettempdir() + os.sep + "pytest-of-"))


def _guarded_popen_init(self, args, *rest, **kw):
    if _FAST and not _cheap(args):
        shown = " ".join(map(str, args))[:160] if isinstance(args, (list, tuple)) else str(args)[:160]
        pytest.fail(f"{_FAST[0]} is in the fast tier but starts a process ({shown}): mark it "
                    "@pytest.mark.slow (or use a fixture in tests/conftest.py SLOW_FIXTURES)", pytrace=False)
    _POPEN_INIT(self, args, *rest, **kw)


subprocess.Popen.__init__ = _guarded_popen_init


def _fast_phase(item):
    """Around a test's setup and body (not its teardown: a session fixture may end after any test)."""
    if "slow" not in item.keywords:
        _FAST.append(item.nodeid)
    try:
        return (yield)
    finally:
        _FAST.clear()


pytest_runtest_setup = pytest.hookimpl(wrapper=True)(lambda item: (yield from _fast_phase(item)))
pytest_runtest_call = pytest.hookimpl(wrapper=True)(lambda item: (yield from _fast_phase(item)))
