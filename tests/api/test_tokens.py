"""Tokens: `manage.py create_api_token` prints a key once, the admin creates and revokes them, only hashes are kept."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from api.models import ApiToken, hash_key

pytestmark = pytest.mark.django_db


def can_read_revisions(key: str, revision_id: int) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get(f"/api/revisions/{revision_id}/").status_code


def test_the_command_prints_a_working_key_once(editor, published_seed):
    out, err = StringIO(), StringIO()
    call_command("create_api_token", "eda", "--name", "importer", stdout=out, stderr=err)
    key = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert token.name == "importer" and token.key_hash == hash_key(key) and key.startswith(token.key_start)
    assert "shown only now" in err.getvalue()
    assert can_read_revisions(key, published_seed.id) == 200
    assert ApiToken.objects.get().last_used_at is not None


def test_the_command_refuses_unknown_and_inactive_users(editor):
    with pytest.raises(CommandError, match="no user"):
        call_command("create_api_token", "nobody", stdout=StringIO(), stderr=StringIO())
    editor.is_active = False
    editor.save()
    with pytest.raises(CommandError, match="inactive"):
        call_command("create_api_token", "eda", stdout=StringIO(), stderr=StringIO())


def test_an_inactive_users_token_stops_working(editor, published_seed):
    _token, key = ApiToken.issue(editor, "bot")
    editor.is_active = False
    editor.save()
    assert can_read_revisions(key, published_seed.id) == 401


def test_the_admin_creates_a_token_shows_its_key_once_and_revokes_it(client, django_user_model, editor, published_seed):
    admin = django_user_model.objects.create_superuser("ada", password="pw")
    client.force_login(admin)
    response = client.post(
        "/admin/api/apitoken/add/", {"user": editor.pk, "name": "patrol bot"}, follow=True
    )
    assert response.status_code == 200
    shown = [str(message) for message in response.context["messages"]]
    key = next(text.rsplit(" ", 1)[-1] for text in shown if "shown only now" in text)
    token = ApiToken.objects.get()
    assert token.user == editor and token.key_hash == hash_key(key)
    assert key not in client.get(f"/admin/api/apitoken/{token.pk}/change/").content.decode()
    assert can_read_revisions(key, published_seed.id) == 200

    client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    assert ApiToken.objects.get().revoked_at is not None
    assert can_read_revisions(key, published_seed.id) == 401
