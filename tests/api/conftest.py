"""API clients: DRF's test client with a token of a given user."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient


def token_client(user, *, name: str = "test bot", scheme: str = "Token") -> APIClient:
    from api.models import ApiToken

    _token, key = ApiToken.issue(user, name)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{scheme} {key}")
    client.key = key
    return client


@pytest.fixture
def editor_api(editor):
    return token_client(editor)


@pytest.fixture
def reviewer_api(reviewer):
    return token_client(reviewer)


@pytest.fixture
def reviewer2_api(reviewer2):
    return token_client(reviewer2, scheme="Bearer")


@pytest.fixture
def anonymous_api():
    return APIClient()
