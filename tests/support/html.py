"""Reading the project's pages in tests: one HTML parser, and what tests ask of a page through it.

- `dom` parses a page into a small tree of `Node`s to ask where things are;
- `assert_inert` checks that no author text became markup;
- `messages_on`, `errors_on` read the admin's messages and form errors;
- `forms_on`, `only_form` read forms as a browser would submit them.
"""

from __future__ import annotations

import dataclasses
import re
from html import escape
from html.parser import HTMLParser

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


# --- A small DOM, to ask where things are --------------------------------------------


@dataclasses.dataclass(eq=False)
class Node:
    tag: str
    attrs: dict  # None for an attribute without a value
    parent: Node | None = None
    children: list = dataclasses.field(default_factory=list)  # Nodes and strings
    attr_list: tuple = ()  # the attributes as written: in order, repeats kept

    def text(self) -> str:
        return "".join(child if isinstance(child, str) else child.text() for child in self.children)

    def html(self) -> str:
        """The inner markup again (tags as parsed, text re-escaped): enough to find <del>13</del>."""
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(escape(child, quote=False))
            else:
                attrs = "".join(f' {name}="{escape(value or "", quote=True)}"' for name, value in child.attrs.items())
                parts.append(f"<{child.tag}{attrs}>{child.html()}</{child.tag}>")
        return "".join(parts)

    def iter(self):
        """Every element below this one, in document order."""
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def select(self, tag: str | None = None, **attrs) -> list[Node]:
        """Descendants with this tag and these attributes; class_ matches one class."""
        found = []
        for node in self.iter():
            if tag is not None and node.tag != tag:
                continue
            ok = True
            for name, value in attrs.items():
                if name == "class_":
                    ok = value in node.classes()
                else:
                    ok = node.attrs.get(name.replace("_", "-")) == value
                if not ok:
                    break
            if ok:
                found.append(node)
        return found

    def one(self, tag: str | None = None, **attrs) -> Node:
        found = self.select(tag, **attrs)
        assert len(found) == 1, f"expected one {tag} {attrs}, found {len(found)}"
        return found[0]

    def within(self, ancestor: Node) -> bool:
        node = self.parent
        while node is not None:
            if node is ancestor:
                return True
            node = node.parent
        return False


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), parent=self.current, attr_list=tuple(attrs))
        self.current.children.append(node)
        if tag not in _VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, dict(attrs), parent=self.current, attr_list=tuple(attrs)))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def html_of(response) -> str:
    return response.content.decode()


def dom(page) -> Node:
    """The tree of a page: its HTML, a test client's response, or a tree already parsed."""
    if isinstance(page, Node):
        return page
    html = page if isinstance(page, str) else html_of(page)
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


# --- Author text stays text -----------------------------------------------------------------

URL_ATTRIBUTES = {"href", "src", "action", "formaction"}


def assert_inert(html: str, *, static_prefix: str | None = None) -> None:
    """No author text became markup: no frame, no handler attribute, no javascript: URL, and no
    script or image at all, or, on pages that have their own (the admin's: `static_prefix`),
    none but the static files under that prefix, with nothing written inside."""
    lowered = html.lower()
    if static_prefix is None:
        assert "<script" not in lowered
        assert "<img" not in lowered
    else:
        assert "<script>alert" not in lowered and "<img src=x" not in lowered
    for node in dom(html).iter():
        assert node.tag not in {"iframe", "object", "embed"}, node.tag
        if node.tag in {"script", "img"}:
            assert static_prefix is not None, node.tag
            assert (node.attrs.get("src") or "").startswith(static_prefix), node.attrs
            assert not node.text().strip(), node.text()
        for name, value in node.attrs.items():
            assert not name.startswith("on"), (node.tag, name)
            if name in URL_ATTRIBUTES:
                assert not (value or "").strip().lower().startswith("javascript:"), (node.tag, name, value)


# --- The admin's messages and form errors -----------------------------------------------------


def _notices(page) -> list[tuple[str, str]]:
    """(kind, text) of each message and form error, in document order, white space collapsed."""
    found = []
    for node in dom(page).iter():
        kind = None
        if node.tag == "li":
            ancestor = node.parent
            while ancestor is not None and ancestor.tag != "ul":
                ancestor = ancestor.parent
            lists = set(ancestor.classes()) if ancestor is not None else set()
            kind = "messages" if "messagelist" in lists else "errors" if "errorlist" in lists else None
        elif node.tag == "p" and "errornote" in node.classes():
            kind = "errors"
        if kind:
            found.append((kind, " ".join(node.text().split())))
    return found


def messages_on(page) -> list[str]:
    """The texts of the admin's messages (Django's messages framework) on the page."""
    return [text for kind, text in _notices(page) if kind == "messages"]


def errors_on(page) -> list[str]:
    """The form errors on the page: the admin's error note and every error list."""
    return [text for kind, text in _notices(page) if kind == "errors"]


# --- Forms, as a browser submits them ------------------------------------------------------


@dataclasses.dataclass
class HtmlForm:
    attrs: dict
    fields: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # in document order, as sent
    buttons: list[dict] = dataclasses.field(default_factory=list)

    def value(self, name: str) -> str | None:
        return next((value for key, value in self.fields if key == name), None)

    def with_values(self, **values) -> list[tuple[str, str]]:
        """The fields, with these set (replacing, or appended when absent)."""
        pending = dict(values)
        sent = [(key, pending.pop(key) if key in pending else value) for key, value in self.fields]
        return sent + list(pending.items())

    def names(self, pattern: str) -> list[str]:
        return [key for key, _ in self.fields if re.fullmatch(pattern, key)]


def _attributes(node: Node) -> dict:
    """The attributes as a browser reads them: one without a value is an empty string."""
    return {name: value if value is not None else "" for name, value in node.attr_list}


def _form(node: Node) -> HtmlForm:
    form = HtmlForm(attrs=_attributes(node))
    for element in node.iter():
        attrs = _attributes(element)
        name = attrs.get("name")
        if element.tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in {"submit", "image", "button", "reset"}:
                form.buttons.append(attrs)
            elif kind in {"checkbox", "radio"}:
                if "checked" in attrs and name:
                    form.fields.append((name, attrs.get("value", "on")))
            elif kind != "file" and name and "disabled" not in attrs:
                form.fields.append((name, attrs.get("value", "")))
        elif element.tag == "button":
            form.buttons.append(attrs)
        elif element.tag == "textarea" and name:
            text = element.text()
            form.fields.append((name, text[1:] if text.startswith("\n") else text))  # as browsers do
        elif element.tag == "select" and name:
            options = []
            for option in element.select("option"):
                option_attrs = _attributes(option)
                value = option_attrs["value"] if "value" in option_attrs else option.text().strip()
                options.append((value, "selected" in option_attrs))
            chosen = [value for value, selected in options if selected]
            if not chosen and options and "multiple" not in attrs:
                chosen = [options[0][0]]
            form.fields.extend((name, value) for value in chosen)
    return form


def forms_on(page, **match) -> list[HtmlForm]:
    """Forms whose attributes include these (class_ matches one class)."""
    found = []
    for form in (_form(node) for node in dom(page).select("form")):
        ok = True
        for name, wanted in match.items():
            if name == "class_":
                ok = wanted in form.attrs.get("class", "").split()
            else:
                ok = form.attrs.get(name) == wanted
            if not ok:
                break
        if ok:
            found.append(form)
    return found


def only_form(page, **match) -> HtmlForm:
    found = forms_on(page, **match)
    assert len(found) == 1, f"expected one form {match}, found {len(found)}"
    return found[0]
