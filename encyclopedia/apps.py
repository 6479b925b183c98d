"""The encyclopedia app: the published content and its pure values."""

from django.apps import AppConfig


class EncyclopediaConfig(AppConfig):
    name = "encyclopedia"
    verbose_name = "Encyclopedia (published content)"
