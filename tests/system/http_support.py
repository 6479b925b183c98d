"""A real gunicorn on the test database, and people who use it over HTTP.

`GunicornServer` runs `gunicorn config.wsgi` in its own process group with
the test settings (the production ones, HTTPS redirect off) on the database
of the running test, and waits until it answers, with a deadline.

`HttpUser` is one person with a browser: a `requests` session that logs in
through the admin login form, keeps its session and CSRF cookies, reads the
forms of a page as a browser would submit them, and posts them back. It
speaks to the server as a TLS-terminating proxy in front of it would
(`X-Forwarded-Proto: https`, and the Origin of that HTTPS site), so the
secure cookies and the CSRF origin check work exactly as in production.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.support.environment import REPO
from tests.support.html import HtmlForm, errors_on, only_form
from tests.support.processes import database_url_for_workers, free_port, terminate_process_group


# --- The server ---------------------------------------------------------------------


class GunicornServer:
    """`gunicorn config.wsgi` with `workers` processes of `threads` threads each, on the test database."""

    def __init__(self, log_path: Path, *, workers: int = 4, threads: int = 1, **env):
        self.log_path = log_path
        self.workers, self.threads = workers, threads
        self.extra_env = env
        self.process: subprocess.Popen | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, timeout: float = 60) -> GunicornServer:
        """Start, and return once it answers; never leaves a server behind when it fails."""
        try:
            for _attempt in range(3):  # another program may take the free port between probe and bind
                self.port = free_port()
                self._spawn()
                if self._wait_ready(timeout):
                    return self
                self.stop()
                if "Address already in use" not in self.output():
                    break
        except BaseException:
            self.stop()
            raise
        raise AssertionError(f"gunicorn did not answer within {timeout:.0f}s\n{self.output()[-4000:]}")

    def _spawn(self) -> None:
        environment = {
            key: value for key, value in os.environ.items() if key not in {"CELERY_BROKER_URL", "DEBUG"}
        }
        environment.update(
            {
                # The test settings are the production ones with the HTTPS redirect off (config/settings_test.py).
                "DJANGO_SETTINGS_MODULE": "config.settings_test",
                "DATABASE_URL": database_url_for_workers(),
                "CONN_MAX_AGE": "60",
                "LOG_LEVEL": "WARNING",
                "PYTHONPATH": str(REPO),
                **self.extra_env,
            }
        )
        self.log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "config.wsgi:application",
                "--bind", f"127.0.0.1:{self.port}",
                "--workers", str(self.workers), "--threads", str(self.threads),
                "--timeout", "120", "--graceful-timeout", "10",
                "--no-control-socket", "--access-logfile", "-", "--error-logfile", "-",
            ],
            cwd=REPO, env=environment, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )

    def _wait_ready(self, timeout: float) -> bool:
        """True once the login page answers 200 from a booted worker; False if gunicorn exited first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                if requests.get(f"{self.url}/admin/login/", headers=PROXY_HEADERS, timeout=5).status_code == 200:
                    return True
            except requests.RequestException:  # not listening yet, or a worker still booting
                pass
            time.sleep(0.05)
        return False

    def stop(self) -> None:
        """SIGTERM the whole process group (arbiter and workers), SIGKILL if it lingers."""
        if self.process is None:
            return
        terminate_process_group(self.process)
        self.process = None
        self.log.close()

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def server_errors(self) -> list[str]:
        """Access-log lines of responses with a 5xx status."""
        return [line for line in self.output().splitlines() if re.search(r'" 5\d\d ', line)]


# --- A person with a browser ----------------------------------------------------------

PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


class HttpUser:
    def __init__(self, server: GunicornServer, username: str, password: str = "pw"):
        self.server, self.username, self.password = server, username, password
        self.session = requests.Session()
        self.secure_cookies: set[str] = set()
        origin = f"https://127.0.0.1:{server.port}"
        self.session.headers.update({**PROXY_HEADERS, "Origin": origin, "Referer": f"{origin}/"})

    def get(self, path: str) -> requests.Response:
        return self._sent(self.session.get(self.server.url + path, allow_redirects=False, timeout=120))

    def post(self, path: str, data) -> requests.Response:
        return self._sent(self.session.post(self.server.url + path, data=data, allow_redirects=False, timeout=120))

    def _sent(self, response: requests.Response) -> requests.Response:
        """Note which cookies the server marked Secure, then let them go back on this plain-HTTP hop.

        A browser sends them because it speaks HTTPS to the proxy; this client
        stands where the proxy's connection to gunicorn is.
        """
        for cookie in self.session.cookies:
            if cookie.secure:
                self.secure_cookies.add(cookie.name)
                cookie.secure = False
        return response

    def login(self) -> HttpUser:
        page = self.get("/admin/login/")
        assert page.status_code == 200, page.status_code
        form = only_form(page.text, id="login-form")
        response = self.post(
            "/admin/login/", form.with_values(username=self.username, password=self.password, next="/admin/")
        )
        assert response.status_code == 302 and response.headers["Location"] == "/admin/", (
            f"{self.username} could not log in: {response.status_code} {errors_on(response.text)}"
        )
        # Production settings: both cookies are Secure.
        assert {"sessionid", "csrftoken"} <= self.secure_cookies, self.secure_cookies
        return self

    def form(self, path: str, **match) -> HtmlForm:
        """The form of the page at `path` whose attributes match, as the browser would submit it."""
        page = self.get(path)
        assert page.status_code == 200, f"{self.username} GET {path}: {page.status_code}"
        return only_form(page.text, **match)
