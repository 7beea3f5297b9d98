"""Registration business rules, one module per sub-domain.

Every function here owns its transaction, locks the rows that hold scarce places
in a fixed order (event, registration type, sessions by id) before counting, and
records each state change as an Activity in the same transaction.
"""


class RegistrationError(Exception):
    """Refused; the message is safe to show to the person who asked."""
