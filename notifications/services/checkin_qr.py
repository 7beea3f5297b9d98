"""The check-in QR code inside a message: a PNG part the HTML shows by Content-ID.

Mail clients block external images and render inline SVG poorly, so the code
travels as a PNG in the message itself (multipart/related beside the HTML). The
picture is drawn at sending time from the registration's check-in code, which
never changes, so the stored message stays text only.
"""

import io
from email.message import EmailMessage as MimeMessage

import segno
from django.core.mail import EmailMultiAlternatives

# The name the HTML uses: <img src="cid:checkin-qr">.
CONTENT_ID = "checkin-qr"
# Kinds of message that carry the code: those that confirm a place.
KINDS = {"confirmed", "promoted", "approved"}
# Large enough to scan from a phone held up to a door reader.
SCALE = 6
BORDER = 4


def checkin_qr_png(code: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(code, error="m").save(buffer, kind="png", scale=SCALE, border=BORDER)
    return buffer.getvalue()


class EmailWithInlineImages(EmailMultiAlternatives):
    """An email whose HTML part is multipart/related with images cited by cid:."""

    def __init__(self, *args, inline_images: dict[str, bytes] | None = None, **kw):
        super().__init__(*args, **kw)
        self.inline_images = inline_images or {}

    def _add_bodies(self, msg: MimeMessage):
        msg = super()._add_bodies(msg)  # type: ignore[misc]  # Django's, unstubbed
        html = msg.get_body(preferencelist=("html",)) if self.inline_images else None
        if html is not None:
            for content_id, png in self.inline_images.items():
                html.add_related(
                    png,
                    maintype="image",
                    subtype="png",
                    cid=f"<{content_id}>",
                    disposition="inline",
                    filename=f"{content_id}.png",
                )
        return msg
