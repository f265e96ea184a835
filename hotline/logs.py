"""Logging set-up, and masking of callers' numbers: logs are read by more people than tickets."""
from __future__ import annotations

import logging
import re

# a run of digits, not part of a date or id; `%2B`: a number URL-encoded in a logged query string
_PHONE = re.compile(r"(?:(?<![\w-])\+?|(?<=%2B))\d{7,15}(?![\w-])")


def mask_phone(phone: str | None) -> str:
    """'+8619900000095' -> '+86199****0095': enough to tell calls apart, not to call back."""
    if not phone:
        return "-"
    digits = phone.strip()
    if len(digits) <= 7:
        return "*" * len(digits)
    return digits[:-8] + "****" + digits[-4:]


class MaskPhonesFilter(logging.Filter):
    """Masks anything that looks like a phone number in every log line, whoever wrote it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = _PHONE.sub(lambda m: mask_phone(m.group(0)), message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


def setup_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(MaskPhonesFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for chatty in ("alembic", "jieba"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
