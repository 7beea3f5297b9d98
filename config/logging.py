"""A logging filter that redacts secret tokens from URLs before they are logged."""

import logging
import re

# Feed, manage and invitation tokens:
# /calendar/<t>.ics, /registrations/<t>/, /invitations/<t>/
_TOKEN_IN_PATH = re.compile(
    r"(/(?:calendar|registrations|invitations)/)([A-Za-z0-9_\-]{20,})"
)


def redact(text: str) -> str:
    return _TOKEN_IN_PATH.sub(r"\1[redacted]", text)


class RedactTokensFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, dict):
            # logger.info("%(name)s", {...}) (Celery does this): keep the mapping.
            record.args = {
                key: redact(value) if isinstance(value, str) else value
                for key, value in record.args.items()
            }
        elif record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in args)
        return True
