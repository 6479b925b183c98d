"""Production settings pass Django's deployment checks; `make serve` refuses what it cannot run on; JSON logs."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def production_env(**extra):
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "DJANGO_SETTINGS_MODULE", "SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        SECRET_KEY="k7#pQz!9vL2@wX4^mN8&bR1*tY6%cF3(hJ5)gD0-sA_eU+iO=lK~jH", ALLOWED_HOSTS="stet.example.org", **extra
    )
    return env


def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO, env=production_env(), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def make_serve(env: dict) -> subprocess.CompletedProcess:
    # -o: never reinstall the venv from a test; the refusals must come before anything starts.
    return subprocess.run(
        ["make", "--no-print-directory", "-o", ".venv/.installed", "serve"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )


def serve_env(**extra):
    settings = {
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/stet_never_used",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/15",
    }
    env = production_env(**{**settings, **extra})
    env.pop("MAKEFLAGS", None)
    return env


@pytest.mark.parametrize("missing", ["DATABASE_URL", "CELERY_BROKER_URL", "SECRET_KEY", "ALLOWED_HOSTS"])
def test_make_serve_refuses_without_each_setting_before_starting_anything(missing):
    env = serve_env()
    del env[missing]
    result = make_serve(env)
    assert result.returncode != 0
    assert f"make serve: set {missing} in the environment" in result.stderr
    assert "manage.py" not in result.stdout and "honcho" not in result.stdout


def test_make_serve_names_every_missing_setting_at_once():
    env = serve_env()
    for name in ("DATABASE_URL", "SECRET_KEY"):
        del env[name]
    result = make_serve(env)
    assert result.returncode != 0
    assert "make serve: set DATABASE_URL SECRET_KEY in the environment" in result.stderr


@pytest.mark.parametrize(
    "setting, value, refusal",
    [
        ("DATABASE_URL", "sqlite:///var/stet.sqlite3", "DATABASE_URL must be a PostgreSQL URL"),
        ("CELERY_BROKER_URL", "memory://", "CELERY_BROKER_URL must be a Redis URL"),
        ("DEBUG", "1", "unset DEBUG"),
    ],
)
def test_make_serve_refuses_development_settings(setting, value, refusal):
    result = make_serve(serve_env(**{setting: value}))
    assert result.returncode != 0
    assert refusal in result.stderr
    assert "manage.py" not in result.stdout


LOGGING_PROGRAM = """
import logging, django
django.setup()
logging.getLogger("editorial.checks").warning("checked revision %s", 7, extra={"revision_id": 7})
"""


def run_logging_program(**extra) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", LOGGING_PROGRAM], cwd=REPO, capture_output=True, text=True, timeout=120,
        env=production_env(DJANGO_SETTINGS_MODULE="config.settings", PYTHONPATH=str(REPO), **extra),
    )


def test_log_format_json_writes_one_json_object_a_line_with_the_extra_fields():
    result = run_logging_program(LOG_FORMAT="json")
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line, not only ours, is JSON
    ours = [record for record in records if record["logger"] == "editorial.checks"]
    assert len(ours) == 1, lines
    record = ours[0]
    assert record["message"] == "checked revision 7"
    assert record["level"] == "WARNING"
    assert record["revision_id"] == 7
    assert {"time", "process"} <= set(record)


def test_logs_are_plain_text_by_default():
    result = run_logging_program()
    assert result.returncode == 0, result.stderr
    assert "checked revision 7" in result.stderr.splitlines()
    assert "{" not in result.stderr


def test_an_unknown_log_format_is_refused():
    result = run_logging_program(LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "LOG_FORMAT must be text or json, not 'xml'" in result.stderr
