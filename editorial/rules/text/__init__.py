"""Reading prose and field values for the rules, one kind of thing per module.

`prose` finds the lead and section bodies, `sentences` splits them, `dates`,
`numbers` and `figures` read what is written in them, and `events` tells
which sentences speak of another event or of a claim.

Everything here is plain and deterministic: dates without a year are given
one by the caller (the event's year), never by the clock, and no function
looks anything up outside the text it is given.
"""
