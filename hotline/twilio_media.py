"""Fetching a recording from Twilio's REST API, and deleting it once we hold it safely.

Twilio may answer the media URL with a redirect to its storage: it is followed, and httpx
drops our credentials when the redirect leaves the API's host.
"""
from __future__ import annotations

import logging

import httpx

from hotline.config import TwilioSettings
from hotline.errors import PermanentError, TransientError

log = logging.getLogger(__name__)

NOT_READY = {404}  # Twilio answers 404 for a short while after the status callback
BUSY = {408, 429}


class TwilioMedia:
    def __init__(self, settings: TwilioSettings, client: httpx.Client | None = None):
        self.settings = settings
        self.client = client or httpx.Client(timeout=30.0)

    def _auth(self) -> tuple[str, str]:
        return (self.settings.account_sid, self.settings.auth_token)

    def check_url(self, recording_url: str) -> None:
        """Our credentials go only to Twilio's API, never to a URL a request made up."""
        if not recording_url.startswith(self.settings.api_base + "/"):
            raise PermanentError("download-refused", f"recording URL is not under {self.settings.api_base}")

    def fetch(self, recording_url: str) -> bytes:
        self.check_url(recording_url)
        limit = self.settings.download.max_bytes
        try:
            with self.client.stream(
                "GET", recording_url + ".wav", auth=self._auth(), follow_redirects=True
            ) as response:
                status = response.status_code
                if status in NOT_READY or status in BUSY or status >= 500:
                    raise TransientError("download-not-ready", f"Twilio answered {status}")
                if status != 200:
                    raise PermanentError("download-refused", f"Twilio answered {status}")
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise PermanentError("recording-too-large", f"{declared} bytes > {limit}")
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise PermanentError("recording-too-large", f"more than {limit} bytes")
                    chunks.append(chunk)
                return b"".join(chunks)
        except (httpx.TransportError, httpx.TooManyRedirects) as err:
            raise TransientError("download-failed", str(err)) from err

    def delete(self, recording_sid: str) -> bool:
        """Best effort: a recording left at Twilio is logged, never a reason to fail the message."""
        url = (
            f"{self.settings.api_base}/2010-04-01/Accounts/{self.settings.account_sid}"
            f"/Recordings/{recording_sid}.json"
        )
        try:
            response = self.client.delete(url, auth=self._auth())
        except httpx.TransportError as err:
            log.warning("recording %s not deleted at Twilio: %s", recording_sid, err)
            return False
        if response.status_code not in (204, 404):
            log.warning("recording %s not deleted at Twilio: HTTP %s", recording_sid, response.status_code)
            return False
        return True
