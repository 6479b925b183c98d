"""Addresses of the project's pages as tests use them, and every URL pattern as a template to fill."""

from __future__ import annotations

import re

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from encyclopedia.models import Article

SEED_SLUG = "2017-ayorou-attack"
SEED_URL = f"/articles/{SEED_SLUG}/"


def review_url(revision_id: int) -> str:
    return reverse("admin:editorial_revision_review", args=[revision_id])


def queue_url() -> str:
    return reverse("admin:editorial_revision_changelist")


# --- Every pattern, as a template ------------------------------------------------

_ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_LEFTOVER = re.compile(r"[\\^$()\[\]{}*+?|]")


def _regex_template(regex: str, start: int) -> tuple[str, list[str]]:
    """A regex pattern's text with each top-level group replaced by {name} (or {argN})."""
    regex = regex.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
    out, names, depth, index = [], [], 0, start
    for position, char in enumerate(regex):
        if char == "(" and (position == 0 or regex[position - 1] != "\\"):
            if depth == 0:
                named = re.match(r"\(\?P<(\w+)>", regex[position:])
                name = named[1] if named else f"arg{index}"
                index += 1
                names.append(name)
                out.append("{" + name + "}")
            depth += 1
        elif char == ")" and (position == 0 or regex[position - 1] != "\\"):
            depth -= 1
        elif depth == 0:
            out.append(char)
    return "".join(out), names


def url_templates() -> list[tuple[str, tuple[str, ...]]]:
    """(template, parameter names) for every URL pattern of the project."""
    templates = []

    def walk(patterns, prefix: str, names: tuple[str, ...]):
        for entry in patterns:
            pattern = entry.pattern
            if hasattr(pattern, "_route"):
                text = _ROUTE_PARAMETER.sub(lambda match: "{" + match["name"] + "}", pattern._route)
                found = tuple(match["name"] for match in _ROUTE_PARAMETER.finditer(pattern._route))
            else:
                text, found_list = _regex_template(pattern._regex, start=len(names))
                found = tuple(found_list)
            template = prefix + text
            literal = re.sub(r"\{\w+\}", "", template)
            assert not _REGEX_LEFTOVER.search(literal), f"cannot write {template!r} as a URL; teach this test"
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, template, names + found)
            else:
                assert isinstance(entry, URLPattern)
                templates.append(("/" + template, names + found))

    walk(get_resolver().url_patterns, "", ())
    return templates


# --- Valid values, so that a test can make one parameter hostile at a time -------------


def valid_value(template: str, name: str, world) -> str:
    """A value of parameter `name` of `template` that finds something in `world` (the fixture)."""
    model = re.match(r"^/admin/(\w+)/(\w+)/", template)
    if name in {"slug"}:
        return SEED_SLUG
    if name in {"revision_id", "new_id"}:
        return str(world["pending"])
    if name == "old_id":
        return str(world["first"])
    if name == "app_label":
        return "encyclopedia"
    if name == "url":
        return "nowhere/"
    if name == "content_type_id":
        return str(ContentType.objects.get_for_model(Article).pk)
    if template.startswith("/admin/r/") and name == "object_id":
        return str(world["article"].pk)
    if model and name in {"object_id", "id", "arg0"}:
        model_class = apps.get_model(model[1], model[2])
        instance = model_class._default_manager.order_by("pk").first()
        return str(instance.pk) if instance is not None else "1"
    if model and name == "arg1":  # simple_history's version id
        return str(Article.history.filter(id=world["article"].pk).order_by("history_id").first().history_id)
    raise AssertionError(f"no valid value for {name!r} of {template}; teach this test")
