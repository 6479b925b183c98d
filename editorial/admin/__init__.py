"""The editorial admin: editing articles, and the review queue of revisions.

Each module holds one admin; this one only registers them, so the list of
what the admin shows is here at a glance.

- `articles`: editing an article, where saving proposes a revision
  (its forms in `forms`, its history page in `article_history`). The
  Article model is the encyclopedia's, so its pages keep their addresses
  under /admin/encyclopedia/article/; their templates are this app's.
- `consistency`: the consistency report, published articles that disagree
  with an article they mention (written by editorial.linked_rechecks).
- `notifications`: each user's notifications of decisions on their proposals.
- `revisions`: the review queue (the Revision changelist, read-only), whose
  rows open the review page (`editorial.admin.review`).
"""

from django.contrib import admin

from encyclopedia.models import Article

from ..models import ConsistencyEntry, Notification, Revision
from .articles import ArticleAdmin
from .consistency import ConsistencyEntryAdmin
from .notifications import NotificationAdmin
from .revisions import RevisionAdmin

admin.site.register(Article, ArticleAdmin)
admin.site.register(Revision, RevisionAdmin)
admin.site.register(Notification, NotificationAdmin)
admin.site.register(ConsistencyEntry, ConsistencyEntryAdmin)
# The index leads with the editor's own proposals and the review queue.
admin.site.index_template = "admin/editorial/revision/site_index.html"

# The site's name in every admin page's header and <title>, instead of "Django administration".
admin.site.site_header = admin.site.site_title = "Stet"
