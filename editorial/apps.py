"""The editorial app: connects the checks to proposals once Django is ready."""

import logging

from django.apps import AppConfig

logger = logging.getLogger("stet")


class EditorialConfig(AppConfig):
    name = "editorial"
    verbose_name = "Editorial workflow"

    def ready(self) -> None:
        from django.conf import settings

        from .services import on_event_committed, on_proposal_committed
        from .tasks import enqueue_checks, enqueue_linked_rechecks, enqueue_notifications, enqueue_rebases

        # Every proposal's checks, and every decision's notifications, are sent only once its transaction commits.
        on_proposal_committed(enqueue_checks)
        on_event_committed(enqueue_notifications)
        # An approval carries the article's other open proposals onto it (or tells their authors why not).
        on_event_committed(enqueue_rebases)
        # An approval checks again the articles that mention it, and updates the consistency report.
        on_event_committed(enqueue_linked_rechecks)
        if settings.CHECKS_IN_PROCESS:
            logger.info(
                "Consistency checks run in-process after each proposal commits (CELERY_BROKER_URL is unset)."
            )
        else:
            logger.info("Consistency checks run on Celery workers via %s.", _without_password(settings.CELERY_BROKER_URL))


def _without_password(url: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        parts = parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@"))
    return urlunsplit(parts)
