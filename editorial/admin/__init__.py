"""The editorial admin: the review queue of revisions.

Each module holds one admin; this one only registers them, so the list of
what the admin shows is here at a glance.

- `revisions`: the review queue (the Revision changelist, read-only), whose
  rows open the review page (`editorial.review`).
"""

from django.contrib import admin

from ..models import Revision
from .revisions import RevisionAdmin

admin.site.register(Revision, RevisionAdmin)
