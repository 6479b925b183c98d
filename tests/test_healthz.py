"""/healthz against the real parts: the test database, a real Redis, nothing listening, a dead database."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from editorial import health, tasks
from tests.support.celery_worker import SHARED_REDIS, require_redis
from tests.support.environment import REPO
from tests.support.processes import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_redis_broker(settings):
    """Settings of a deployment with a broker (the shared test Redis); the sweep stamp removed after."""
    require_redis()
    settings.CHECKS_IN_PROCESS = False
    settings.CELERY_BROKER_URL = SHARED_REDIS
    settings.STET_HEALTH_SWEEP_MAX_AGE = 180
    health._redis().delete(health.sweep_stamp_key())
    yield settings
    health._redis().delete(health.sweep_stamp_key())


def get_health(client):
    response = client.get("/healthz")
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    return response.status_code, response.json()


def test_without_a_broker_only_the_database_is_checked(client):
    status, body = get_health(client)
    assert status == 200, body
    assert body["status"] == "ok" and body["failing"] == []
    assert body["database"]["ok"] is True
    assert body["broker"] == {"ok": True, "used": False}
    assert body["beat"] == {"ok": True, "used": False}


def test_with_a_broker_and_no_sweep_yet_beat_is_failing(client, with_redis_broker):
    status, body = get_health(client)
    assert status == 503
    assert body["failing"] == ["beat"]
    assert body["broker"] == {"ok": True}
    assert body["beat"]["error"] == "no sweep recorded yet"


def test_the_sweep_task_records_its_time_and_healthz_reports_its_age(client, with_redis_broker):
    tasks.sweep_checks()
    status, body = get_health(client)
    assert status == 200, body
    assert body["status"] == "ok"
    assert 0 <= body["beat"]["last_sweep_age_seconds"] < 60
    assert body["beat"]["max_age_seconds"] == 180


def test_a_sweep_older_than_the_limit_fails_beat(client, with_redis_broker):
    health.record_sweep(now=time.time() - 181)
    status, body = get_health(client)
    assert status == 503
    assert body["failing"] == ["beat"]
    assert body["beat"]["error"] == "the last sweep is too old"
    assert body["beat"]["last_sweep_age_seconds"] >= 181


def test_an_unreachable_broker_fails_broker_and_beat(client, settings):
    settings.CHECKS_IN_PROCESS = False
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    status, body = get_health(client)
    assert status == 503
    assert body["failing"] == ["broker", "beat"]
    assert body["broker"] == {"ok": False, "error": "ConnectionError"}
    assert body["database"]["ok"] is True


def test_healthz_answers_get_and_head_only(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_an_unreachable_database_answers_503_without_naming_hosts_or_passwords():
    """A real process whose DATABASE_URL points at a port where nothing listens."""
    port = free_port()
    program = (
        "import django, json; django.setup()\n"
        "from django.test import Client\n"
        "response = Client().get('/healthz')\n"
        "print(json.dumps({'status': response.status_code, 'body': response.content.decode()}))\n"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": f"postgres://stet:hunter2-secret@127.0.0.1:{port}/stet",
        "PYTHONPATH": str(REPO),
    }
    result = subprocess.run(
        [sys.executable, "-c", program], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 503
    body = json.loads(answer["body"])
    assert body["failing"] == ["database"]
    assert body["database"] == {"ok": False, "error": "OperationalError"}
    assert "hunter2" not in answer["body"] and str(port) not in answer["body"]
