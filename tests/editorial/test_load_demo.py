"""`load_demo` fills a fresh database with the demo users and the checked, published seed article."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from editorial.models import Revision
from encyclopedia.models import Article

pytestmark = pytest.mark.django_db


def test_load_demo_publishes_the_seed_and_creates_the_demo_users(seed_bytes):
    out = StringIO()
    call_command("load_demo", stdout=out)

    article = Article.objects.with_content().get()
    from encyclopedia.textformat import write

    assert write(article.to_content()).encode() == seed_bytes
    revision = Revision.objects.get()
    assert (revision.author.username, revision.decided_by.username) == ("editor", "reviewer")
    assert revision.check_status == "passed"
    users = get_user_model().objects
    assert set(users.get(username="reviewer").groups.values_list("name", flat=True)) == {"Reviewers"}
    assert set(users.get(username="editor").groups.values_list("name", flat=True)) == {"Editors"}
    assert users.get(username="editor").check_password("stet-demo")

    call_command("load_demo", stdout=StringIO())  # again: nothing new
    assert Revision.objects.count() == 1 and users.count() == 5
