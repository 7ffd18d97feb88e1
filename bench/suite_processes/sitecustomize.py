"""Measurement only: every Python process started with this folder on PYTHONPATH logs each child process it
reaps (argv, start, end, the pytest test that was running) as one JSON line to $MIGRATOR_PROC_LOG."""
import json, os, subprocess, time

_LOG = os.environ.get("MIGRATOR_PROC_LOG")
if _LOG:
    _init, _handle = subprocess.Popen.__init__, subprocess.Popen._handle_exitstatus

    def __init__(self, args, *a, **kw):
        self._proclog_t0 = time.time()
        self._proclog_argv = [str(x) for x in args] if isinstance(args, (list, tuple)) else [str(args)]
        env = kw.get("env") or os.environ
        self._proclog_test = env.get("PYTEST_CURRENT_TEST") or os.environ.get("PYTEST_CURRENT_TEST", "")
        _init(self, args, *a, **kw)

    def _handle_exitstatus(self, *a, **kw):
        _handle(self, *a, **kw)
        t0 = getattr(self, "_proclog_t0", None)
        if t0 is not None and not getattr(self, "_proclog_done", False):
            self._proclog_done = True
            rec = {"pid": self.pid, "ppid": os.getpid(), "t0": t0, "t1": time.time(),
                   "argv": self._proclog_argv[:12], "test": self._proclog_test, "rc": self.returncode}
            fd = os.open(_LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, (json.dumps(rec) + "\n").encode())
            finally:
                os.close(fd)

    subprocess.Popen.__init__ = __init__
    subprocess.Popen._handle_exitstatus = _handle_exitstatus
