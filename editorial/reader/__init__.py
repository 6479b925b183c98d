"""The public site: the article pages and the views of their revisions (history, revision,
diff, provenance, the page as of a date, restore). Readers see approved revisions only;
editors and reviewers also see the ones under review.
"""
