"""The Celery app: settings under the CELERY_ namespace, tasks autodiscovered.

Database connections in a worker live as they do in a web process: Celery's
Django fixup would close them around every task (a new PostgreSQL backend
and its authentication before each check, a fifth of a check's time), so
it is told to leave them (CELERY_DB_REUSE_MAX in settings), and each task
instead starts and ends with Django's own `close_old_connections`, which
closes a connection past CONN_MAX_AGE, or one that failed its health
check, exactly as a request does.
"""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("stet")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def _recycle_old_connections(task=None, **kwargs) -> None:
    # An eager task runs inside its caller's request (perhaps its transaction): not ours to touch.
    if task is None or getattr(task.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
