"""The provenance page's timelines: every value of each infobox field, and a chart of the numeric ones."""

import datetime
from types import SimpleNamespace

import pytest

from editorial.reader.charts import field_chart
from editorial.reader.queries import infobox_provenance, with_timelines
from encyclopedia.models import Article

from tests.support.factories import with_infobox
from tests.support.html import dom, html_of
from tests.support.urls import SEED_URL

pytestmark = pytest.mark.django_db

OVERRIDE = "The later count is the ministry's; the prose follows."


def publish_over_prose(content, *, author, reviewer):
    """Publish a new count the prose does not follow yet: with an override where the checks stand against it."""
    from editorial.errors import ChecksFailed, EditorialError
    from editorial.services import revision_approve
    from tests.support.factories import propose_checked

    revision = propose_checked(actor=author, content=content, summary="count")
    try:
        return revision_approve(actor=reviewer, revision_id=revision.id)
    except (ChecksFailed, EditorialError):
        return revision_approve(actor=reviewer, revision_id=revision.id, override_reason=OVERRIDE)


def entry(value):
    return SimpleNamespace(value=value, revision_id=None, at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))


# --- The chart, on values --------------------------------------------------------------


def test_the_chart_follows_the_killed_figure():
    chart = field_chart([entry("13 killed, 5 injured"), entry("14 killed, 5 injured"), entry("17 killed, 9 injured")])
    assert chart.label == "killed"
    assert [point.number for point in chart.points] == [13, 14, 17]
    assert chart.top == 17
    xs = [point.x for point in chart.points]
    assert xs == sorted(xs) and len(set(xs)) == 3
    ys = [point.y for point in chart.points]
    assert ys[0] > ys[1] > ys[2] == chart.top_y  # more killed is higher up
    # A step line: each value holds until the next (two corners per change).
    assert len(chart.polyline.split()) == 5


def test_the_chart_skips_values_without_counts_and_removals():
    chart = field_chart([entry("about 50 killed"), entry(None), entry("unknown"), entry("60 killed")])
    assert [point.number for point in chart.points] == [50, 60]


def test_values_that_count_nothing_make_no_chart():
    assert field_chart([entry("21 October 2017"), entry("22 October 2017")]) is None
    assert field_chart([entry("ISGS victory"), entry("Nigerien victory")]) is None


def test_without_killed_the_chart_follows_the_commonest_count():
    chart = field_chart([entry("3 vehicles captured"), entry("4 vehicles captured, 1 wounded")])
    assert chart.label == "vehicle captured"
    assert [point.number for point in chart.points] == [3, 4]


# --- The page ----------------------------------------------------------------------------


@pytest.fixture
def casualty_history(published_seed, seed_content, editor, editor2, reviewer, reviewer2):
    """Casualties1 from 13 to 14 to 17 killed, the Result changed then removed; three approved edits."""
    content = seed_content
    revisions = [published_seed]
    for number, (killed, result) in enumerate(((14, "Nigerien victory"), (17, None))):
        content = with_infobox(content, "Casualties1", f"{killed} killed, 5 injured, 3 vehicles captured")
        content = with_infobox(content, "Result", result)
        author, approver = (editor, reviewer2) if number == 0 else (editor2, reviewer)
        revisions.append(publish_over_prose(content, author=author, reviewer=approver))
    content = with_infobox(content, "Result", "ISGS victory")
    revisions.append(publish_over_prose(content, author=editor, reviewer=reviewer2))
    return revisions


def test_each_field_has_its_values_in_order_with_who_and_when(casualty_history):
    seed, first, second, third = casualty_history
    article = Article.objects.get()
    fields = {field.key: field for field in with_timelines(article, infobox_provenance(article))}
    timeline = fields["Casualties1"].timeline
    assert [(item.value, item.revision_id) for item in timeline] == [
        ("13 killed, 5 injured, 3 vehicles captured", seed.id),
        ("14 killed, 5 injured, 3 vehicles captured", first.id),
        ("17 killed, 5 injured, 3 vehicles captured", second.id),
    ]
    assert [item.author for item in timeline] == ["eda", "eda", "emil"]
    assert [item.approver for item in timeline] == ["rosa", "ravi", "rosa"]
    # A removal is a step of the timeline; the value that comes back is a new one.
    result = fields["Result"].timeline
    assert [(item.value, item.revision_id) for item in result] == [
        ("ISGS victory", seed.id),
        ("Nigerien victory", first.id),
        (None, second.id),
        ("ISGS victory", third.id),
    ]
    assert [item.revision_id for item in fields["Place"].timeline] == [seed.id]


def test_the_page_draws_a_chart_for_the_killed_and_lists_every_value(client, casualty_history):
    seed, first, second, _third = casualty_history
    page = dom(html_of(client.get(f"{SEED_URL}provenance/")))
    row = page.one("tr", id="field-casualties1")
    timeline = row.parent.select("tr")[row.parent.select("tr").index(row) + 1]
    assert "timeline-row" in timeline.classes()
    svg = timeline.one("svg", class_="field-chart")
    assert svg.attrs["role"] == "img"
    assert "killed" in svg.attrs["aria-label"]
    tips = [circle.text() for circle in svg.select("circle")]
    assert len(tips) == 3
    assert tips[0].startswith("13 killed:") and f"revision {seed.id} by eda" in tips[0]
    assert tips[2].startswith("17 killed:") and f"revision {second.id} by emil" in tips[2]
    values = [item.text() for item in timeline.select("ol")[0].select("li")]
    assert len(values) == 3 and "approved by ravi" in values[1]
    # The Result has a timeline with its removal, but no chart: it counts nothing.
    result_row = page.one("tr", id="field-result")
    result_timeline = result_row.parent.select("tr")[result_row.parent.select("tr").index(result_row) + 1]
    assert not result_timeline.select("svg")
    assert "removed" in result_timeline.text()
    # A field that never changed has no timeline row.
    place_row = page.one("tr", id="field-place")
    following = place_row.parent.select("tr")[place_row.parent.select("tr").index(place_row) + 1]
    assert "timeline-row" not in following.classes()


def test_the_chart_and_timeline_escape_what_authors_wrote(client, published_seed, seed_content, editor, reviewer):
    hostile = '14 killed <script>alert(1)</script> "x" </title></svg><img src=x>'
    publish_over_prose(with_infobox(seed_content, "Casualties1", hostile), author=editor, reviewer=reviewer)
    html = html_of(client.get(f"{SEED_URL}provenance/"))
    assert "<script>alert(1)" not in html and "<img src=x>" not in html and "</title></svg><img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'class="field-chart"' in html  # 13 then 14 killed: still charted
