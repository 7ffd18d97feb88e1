"""Issue 14's security acceptance, on the sample's committed tree (``generated/``, what `generate` writes): no
secret reaches a generated file, the secret key is read from the environment only, and no log or error line
of djauth or of the server's auth wiring carries a session key, a cookie, a token or the secret. Fast: files read,
no process started. (Constant-time comparison and each refusal path are proven against Django in test_auth.py.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import SAMPLE

TREE = Path(__file__).resolve().parent.parent / "generated"
SETTINGS = SAMPLE / "shopapi" / "settings.py"


def _secret() -> str:
    found = re.search(r'^SECRET_KEY\s*=\s*"([^"]+)"', SETTINGS.read_text(), re.M)
    assert found, "the sample's settings set SECRET_KEY as a literal"
    return found.group(1)


def _files():
    return [p for p in TREE.rglob("*") if p.is_file()]


def test_no_generated_file_holds_the_projects_secret_key():
    secret = _secret()
    assert len(_files()) > 50  # the whole tree, not an empty folder
    leaks = [str(p.relative_to(TREE)) for p in _files() if secret in p.read_text(errors="replace")]
    assert leaks == []


def test_the_secret_key_is_read_from_the_environment_only():
    config = (TREE / "djauth" / "config.go").read_text()
    assert 'SecretKey:                   getenv("SECRET_KEY"),' in config
    assert re.findall(r"SecretKey\w*:\s*[^\n]+", config) == [
        'SecretKey:                   getenv("SECRET_KEY"),', 'SecretKeyFallbacks:          e.list("SECRET_KEY_FALLBACKS", nil),']


# a log call (slog, log) or an error built with fmt.Errorf / errors.New in djauth and the server's auth wiring
_LOGGED = re.compile(r"(?:\bslog\.\w+\(\)\.\w+|\bs\.Log\.\w+|\blog\.Print\w*|fmt\.Errorf|errors\.New)\(")
# Go values holding a secret: the session key (cookie value), the secret key, a password, a CSRF secret, a token
_SECRET_VALUES = re.compile(r"\b(cookie|sessionKey|SessionKey|key|secret|SecretKey|password|raw|token|Token|csrf"
                            r"|c\.Value|r\.Cookie)\b(?![\"'])")


def _logged_args(text: str) -> list[str]:
    """The arguments of each log or error call, string literals removed (the text says what failed)."""
    text = re.sub(r'"(?:\\.|[^"\\\n])*"', '""', text)
    out = []
    for m in _LOGGED.finditer(text):
        depth, end = 1, m.end()
        while depth and end < len(text):  # to the call's closing parenthesis, over several lines
            depth += {"(": 1, ")": -1}.get(text[end], 0)
            end += 1
        out.append(" ".join(text[m.end():end].split()))
    return out


@pytest.mark.parametrize("args, leaks", [
    ('"djauth: loading request.user", "error", st.err.Error())', False),
    ('"bad session %s", cookie)', True),
    ('"djauth: SECRET_KEY %q needs a bridge", engine)', False),
    ('"key %s", s.SecretKey)', True),
])
def test_the_leak_check_sees_a_secret_value_in_a_log_call(args, leaks):
    found = [a for a in _logged_args(f"slog.Default().Error({args}\n") if _SECRET_VALUES.search(a)]
    assert bool(found) == leaks


def test_no_log_or_error_line_carries_a_session_key_or_a_secret():
    files = sorted((TREE / "djauth").glob("*.go")) + [TREE / "http" / "auth.go"]
    found = {str(p.relative_to(TREE)): [a for a in _logged_args(p.read_text()) if _SECRET_VALUES.search(a)]
             for p in files}
    assert sum(len(_logged_args(p.read_text())) for p in files) > 10  # the calls are found at all
    assert {k: v for k, v in found.items() if v} == {}
