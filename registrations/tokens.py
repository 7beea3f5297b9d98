"""Secrets that appear in URLs (256 bits, URL-safe) and check-in codes (130 bits),
from `secrets`."""

import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


# Unambiguous when typed: no I, O, 0 or 1. 32 letters, 5 bits each.
CHECKIN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CHECKIN_CODE_LENGTH = 26  # 130 random bits: nobody guesses or forges one


def new_checkin_code() -> str:
    """Shown as a QR code and, failing that, typed at the door."""
    return "".join(secrets.choice(CHECKIN_ALPHABET) for _ in range(CHECKIN_CODE_LENGTH))
