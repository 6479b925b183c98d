"""Reading prose and field values for the rules, one kind of thing per module.

`prose` finds the lead and section bodies (and quotes them for findings),
`sentences` splits them, `dates`, `numbers` and `figures` read what is
written in them (figures with their party and source), `groups` says who a
count is of (security forces, an armed group, civilians), `attribution`
who says so ("according to the army", a claimant), `events` which sentences
speak of another event, a revised toll or a claim, and `memo` keeps what
was read of a sentence for the next pass over it.

Everything here is plain and deterministic: dates without a year take one
from their context (the last full date before them, or the event's),
never from the clock, and no function looks anything up outside the text
it is given.
"""
