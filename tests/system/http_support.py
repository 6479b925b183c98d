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
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import requests

from tests.support.environment import REPO
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


# --- Reading pages ---------------------------------------------------------------------


@dataclass
class HtmlForm:
    attrs: dict
    fields: list[tuple[str, str]] = field(default_factory=list)  # in document order, as a browser sends them
    buttons: list[dict] = field(default_factory=list)

    def value(self, name: str) -> str | None:
        return next((value for key, value in self.fields if key == name), None)

    def with_values(self, **values) -> list[tuple[str, str]]:
        """The fields, with these set (replacing, or appended when absent)."""
        pending = dict(values)
        sent = [(key, pending.pop(key) if key in pending else value) for key, value in self.fields]
        return sent + list(pending.items())

    def names(self, pattern: str) -> list[str]:
        return [key for key, _ in self.fields if re.fullmatch(pattern, key)]


class _Page(HTMLParser):
    """Forms as a browser submits them, the admin's messages and form errors."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[HtmlForm] = []
        self.form: HtmlForm | None = None
        self.textarea: tuple[str, list[str]] | None = None
        self.select: tuple[str, list[tuple[str, bool]], bool] | None = None
        self.option: list | None = None
        self.capture: list[str] | None = None  # text of the current message or error item
        self.list_kind: str | None = None
        self.level = ""
        self.messages: list[tuple[str, str]] = []  # (level, text)
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = {name: value if value is not None else "" for name, value in attrs}
        classes = attrs.get("class", "").split()
        if tag == "ul" and ("messagelist" in classes or "errorlist" in classes):
            self.list_kind = "messages" if "messagelist" in classes else "errors"
        elif tag == "li" and self.list_kind:
            self.capture, self.level = [], " ".join(classes)
        elif tag == "p" and "errornote" in classes:
            self.capture, self.list_kind, self.level = [], "errors", ""
        elif tag == "form":
            self.form = HtmlForm(attrs=attrs)
            self.forms.append(self.form)
        elif self.form is None:
            return
        elif tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in {"submit", "image", "button", "reset"}:
                self.form.buttons.append(attrs)
            elif kind in {"checkbox", "radio"}:
                if "checked" in attrs and attrs.get("name"):
                    self.form.fields.append((attrs["name"], attrs.get("value", "on")))
            elif kind != "file" and attrs.get("name") and "disabled" not in attrs:
                self.form.fields.append((attrs["name"], attrs.get("value", "")))
        elif tag == "button":
            self.form.buttons.append(attrs)
        elif tag == "textarea" and attrs.get("name"):
            self.textarea = (attrs["name"], [])
        elif tag == "select" and attrs.get("name"):
            self.select = (attrs["name"], [], "multiple" in attrs)
        elif tag == "option" and self.select is not None:
            self.option = [attrs.get("value"), "selected" in attrs, []]

    def handle_endtag(self, tag):
        if tag in {"li", "p"} and self.capture is not None:
            text = " ".join("".join(self.capture).split())
            if self.list_kind == "messages":
                self.messages.append((self.level, text))
            else:
                self.errors.append(text)
            self.capture = None
            if tag == "p":
                self.list_kind = None
        elif tag == "ul":
            self.list_kind = None
        elif tag == "form":
            self.form = None
        elif tag == "textarea" and self.textarea is not None:
            name, parts = self.textarea
            text = "".join(parts)
            self.form.fields.append((name, text[1:] if text.startswith("\n") else text))  # as browsers do
            self.textarea = None
        elif tag == "option" and self.option is not None:
            value, selected, text = self.option
            self.select[1].append((value if value is not None else "".join(text).strip(), selected))
            self.option = None
        elif tag == "select" and self.select is not None:
            name, options, multiple = self.select
            chosen = [value for value, selected in options if selected]
            if not chosen and options and not multiple:
                chosen = [options[0][0]]
            self.form.fields.extend((name, value) for value in chosen)
            self.select = None

    def handle_data(self, data):
        if self.capture is not None:
            self.capture.append(data)
        if self.textarea is not None:
            self.textarea[1].append(data)
        if self.option is not None:
            self.option[2].append(data)


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def forms_on(html: str, **match) -> list[HtmlForm]:
    """Forms whose attributes include these (class_ matches one class)."""
    found = []
    for form in parse(html).forms:
        ok = True
        for name, wanted in match.items():
            if name == "class_":
                ok = wanted in form.attrs.get("class", "").split()
            else:
                ok = form.attrs.get(name) == wanted
            if not ok:
                break
        if ok:
            found.append(form)
    return found


def only_form(html: str, **match) -> HtmlForm:
    found = forms_on(html, **match)
    assert len(found) == 1, f"expected one form {match}, found {len(found)}"
    return found[0]


def messages_on(html: str) -> list[str]:
    return [text for _level, text in parse(html).messages]


def errors_on(html: str) -> list[str]:
    return parse(html).errors
