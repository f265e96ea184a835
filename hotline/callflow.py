"""What the caller hears: TwiML in Mandarin, slow and clear. Prompt texts live in config.yaml."""
from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from twilio.twiml.voice_response import VoiceResponse

DEFAULT_PROMPTS = {
    "language": "cmn-CN",
    "voice": "Polly.Zhiyu",
    "greeting": (
        "您好，这里是西拉沐沦街道居民服务热线。如有生命危险，请立即挂断，拨打幺幺零、幺幺九或幺二零。"
        "请在嘀声后说出您的姓名、住址和需要帮助的事情，最长两分钟，说完请按井号键或直接挂机。"
    ),
    "goodbye": "您的留言已收到，我们会尽快安排网格员处理。再见。",
    "max_length_seconds": 120,
}


def prompts(config: Mapping) -> dict:
    return {**DEFAULT_PROMPTS, **dict(config or {})}


def voicemail_greeting(config: Mapping, *, status_callback: str, caller: str | None) -> str:
    """Greet, beep, record; Twilio posts the finished recording to `status_callback`."""
    p = prompts(config)
    response = VoiceResponse()
    response.say(p["greeting"], language=p["language"], voice=p["voice"])
    callback = status_callback + ("?" + urlencode({"From": caller}) if caller else "")
    response.record(
        max_length=int(p["max_length_seconds"]),
        finish_on_key="#",
        play_beep=True,
        recording_status_callback=callback,
        recording_status_callback_event="completed absent",
        recording_status_callback_method="POST",
    )
    response.say(p["goodbye"], language=p["language"], voice=p["voice"])
    response.hangup()
    return str(response)
