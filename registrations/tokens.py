"""Secrets that appear in URLs: 256 bits from `secrets`, URL-safe."""

import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_checkin_code() -> str:
    # Shown as a QR code and, failing that, typed at the door: short, unambiguous.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))
