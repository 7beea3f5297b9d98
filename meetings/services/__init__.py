"""Meeting business rules, one module per step of a request's life.

Every function here owns its transaction and takes its locks through `locks`,
in one order: the event, then both people's registrations (by pk), then the
request. Tables need no lock of their own: every writer holds the event's, and
the database's constraints refuse a double booking of a person or a table
whatever a check before writing saw.
"""


class MeetingError(Exception):
    """Refused; the message is safe to show to the person who asked."""
