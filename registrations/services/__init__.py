"""Registration business rules, one module per sub-domain.

Every function here owns its transaction, locks the rows that hold scarce places
through `locks` (one order, stated there) before counting them with
`selectors.places`, and records each state change as an Activity in the same
transaction (a registration's change of status through `transitions`).
"""


class RegistrationError(Exception):
    """Refused; the message is safe to show to the person who asked."""
