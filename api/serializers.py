"""The shapes of requests and responses: validation of what bots send, and the OpenAPI schema of both."""

from __future__ import annotations

from rest_framework import serializers

from encyclopedia.content import ArticleContent, InfoboxEntry, SectionContent


# --- Problems ---------------------------------------------------------------------


class ConflictSerializer(serializers.Serializer):
    unit = serializers.CharField(help_text="The key to use in a rebase's `resolution`.")
    label = serializers.CharField()
    base = serializers.CharField(allow_null=True)
    ours = serializers.CharField(allow_null=True)
    theirs = serializers.CharField(allow_null=True)


class ProblemSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="A URI reference naming the kind of problem.")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField(help_text="What went wrong and what to do about it.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False,
        help_text="For invalid requests: the messages of each field.",
    )
    conflicts = ConflictSerializer(many=True, required=False, help_text="For merge conflicts: each unit both sides changed.")
    published_revision = serializers.IntegerField(required=False)
    retry_after = serializers.IntegerField(required=False)


# --- Content ----------------------------------------------------------------------


class SectionSerializer(serializers.Serializer):
    heading = serializers.CharField(max_length=1000)
    body = serializers.CharField(allow_blank=True, default="", trim_whitespace=False)
    # Layout of the text format, kept so that content read from the API and sent back is the same content.
    compact_heading = serializers.BooleanField(default=False)
    blank_line_after_heading = serializers.BooleanField(default=False)


class ContentSerializer(serializers.Serializer):
    """An article's content; `infobox` is a list of [key, value] pairs in order."""

    title = serializers.CharField(max_length=1000)
    lead = serializers.CharField(allow_blank=True, default="", trim_whitespace=False)
    infobox = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(allow_blank=True, trim_whitespace=False), min_length=2, max_length=2),
        default=list,
    )
    sections = SectionSerializer(many=True, default=list)

    def to_content(self) -> ArticleContent:
        data = self.validated_data
        return ArticleContent(
            title=data["title"],
            lead=data["lead"],
            infobox=tuple(InfoboxEntry(key, value) for key, value in data["infobox"]),
            sections=tuple(SectionContent(**section) for section in data["sections"]),
        )


def content_data(content: ArticleContent) -> dict:
    return content.to_dict()


# --- Articles ---------------------------------------------------------------------


class ArticleSummarySerializer(serializers.Serializer):
    title = serializers.CharField()
    slug = serializers.CharField()
    revision = serializers.IntegerField(allow_null=True, help_text="The published revision.")
    url = serializers.CharField()


class ArticleListSerializer(serializers.Serializer):
    results = ArticleSummarySerializer(many=True)
    next = serializers.CharField(allow_null=True, help_text="The next page, or null on the last one.")


class ArticleSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    revision = serializers.IntegerField(help_text="The revision shown; its ETag is this number, for If-Match.")
    published_at = serializers.DateTimeField(allow_null=True)
    is_current = serializers.BooleanField()
    content = ContentSerializer()
    text = serializers.CharField(help_text="The same content in the text format.")


# --- Revisions --------------------------------------------------------------------


class FindingSerializer(serializers.Serializer):
    rule = serializers.CharField(required=False)
    rule_version = serializers.IntegerField(required=False)
    severity = serializers.CharField(required=False)
    target = serializers.CharField(required=False)
    message = serializers.CharField(required=False)


class ChecksSerializer(serializers.Serializer):
    verdict = serializers.CharField(allow_blank=True, allow_null=True)
    rule_versions = serializers.JSONField(allow_null=True)
    started_at = serializers.CharField(allow_null=True)
    concluded_at = serializers.CharField(allow_null=True)
    findings = serializers.ListField(child=serializers.DictField(), allow_null=True)


class RevisionArticleSerializer(serializers.Serializer):
    title = serializers.CharField()
    slug = serializers.CharField()
    stream = serializers.CharField()


class RevisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    article = RevisionArticleSerializer()
    author = serializers.CharField()
    base_revision = serializers.IntegerField(allow_null=True)
    reverts_revision = serializers.IntegerField(allow_null=True)
    summary = serializers.CharField(allow_blank=True)
    content_hash = serializers.CharField()
    proposed_at = serializers.CharField()
    decided_by = serializers.CharField(allow_null=True)
    decided_at = serializers.CharField(allow_null=True)
    decision_reason = serializers.CharField(allow_blank=True, allow_null=True)
    override_reason = serializers.CharField(allow_blank=True, allow_null=True)
    checks = ChecksSerializer()
    url = serializers.CharField()


class RevisionWithContentSerializer(RevisionSerializer):
    content = ContentSerializer()


class HistoryRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    author = serializers.CharField()
    decided_by = serializers.CharField(allow_null=True)
    summary = serializers.CharField(allow_blank=True)
    proposed_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    verdict = serializers.CharField(allow_blank=True)
    size_change = serializers.IntegerField(allow_null=True)
    is_current = serializers.BooleanField()


class HistorySerializer(serializers.Serializer):
    results = HistoryRowSerializer(many=True)
    next = serializers.CharField(allow_null=True, help_text="The next (older) page, or null on the last one.")


class ProvenanceEntrySerializer(serializers.Serializer):
    key = serializers.CharField()
    value = serializers.CharField(allow_blank=True)
    revision = serializers.IntegerField(allow_null=True)
    author = serializers.CharField(allow_null=True)
    approver = serializers.CharField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)


class ProvenanceSerializer(serializers.Serializer):
    slug = serializers.CharField()
    revision = serializers.IntegerField(allow_null=True)
    fields = ProvenanceEntrySerializer(many=True)


class DiffSerializer(serializers.Serializer):
    old = serializers.IntegerField()
    new = serializers.IntegerField()
    has_changes = serializers.BooleanField()
    size_change = serializers.IntegerField()
    coarse_reason = serializers.CharField(allow_blank=True)
    title = serializers.DictField(allow_null=True)
    infobox = serializers.ListField(child=serializers.DictField())
    lead = serializers.ListField(child=serializers.DictField())
    sections = serializers.ListField(child=serializers.DictField())


# --- Writes -----------------------------------------------------------------------


class ProposeSerializer(serializers.Serializer):
    """A proposal as JSON: the content, or `text` in the text format (one of the two)."""

    summary = serializers.CharField(max_length=2000, help_text="The edit summary: what changed and why.")
    content = ContentSerializer(required=False)
    text = serializers.CharField(required=False, trim_whitespace=False, help_text="The article in the text format.")
    base_revision = serializers.IntegerField(
        required=False, allow_null=True, min_value=1,
        help_text="The revision the edit started from (or send If-Match); by default the published one.",
    )

    def validate(self, data):
        if ("content" in data) == ("text" in data):
            raise serializers.ValidationError("Send the article either as `content` or as `text`, not both or neither.")
        return data


class ApproveSerializer(serializers.Serializer):
    override_reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000,
        help_text="Required to publish while errors stand: why it is published anyway.",
    )


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="What the author should change.")


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class RebaseSerializer(serializers.Serializer):
    resolution = serializers.DictField(
        child=serializers.CharField(allow_null=True, allow_blank=True, trim_whitespace=False),
        required=False,
        help_text="For each conflicting unit (as the 409 lists them), the text to keep (null: remove it).",
    )


class RecheckSerializer(serializers.Serializer):
    revision = serializers.IntegerField()
    sent = serializers.BooleanField()
    detail = serializers.CharField()
