"""The revision aggregate, pure (no database): `statuses`, the `fold` of a
revision's events into its state, the `verdict` of its checks, and the
`decisions` of each command. The services load events, ask these modules,
and append what they decide.
"""
