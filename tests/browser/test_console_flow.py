"""A new operator's day, in a real browser: sign in, correct a mis-heard voicemail,
dispatch it; the grid worker accepts and resolves it; the command screen follows live."""
from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from classify.records import CategoryGuess
from hotline import samples, schema
from hotline.schema import utcnow

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

HEARD = "冰月新城五号楼暖器片漏水了家里地上都是水"
MEANT = "滨悦新城五号楼暖气片漏水了家里地上都是水"


@pytest.fixture
def tickets(hotline):
    """A mis-heard voicemail needing review, an emergency, and ordinary dispatched work."""
    audio = hotline.settings.audio_dir / "misheard.wav"
    audio.parent.mkdir(parents=True, exist_ok=True)
    audio.write_bytes(samples.tone_wav(7.0))
    now = utcnow()
    with hotline.db.session() as s:
        make = lambda **kw: samples.add_ticket(s, hotline.settings, hotline.register, **kw)  # noqa: E731
        for n, (text, code, grid) in enumerate([
            ("阿斯哈图街路灯坏了", "roads_parking", "AS-10"),
            ("楼上装修太吵", "noise", "HG-03"),
            ("垃圾好几天没人清运", "sanitation", "HG-02"),
        ]):
            make(text=text, category=code, grid_id=grid, now=now - timedelta(hours=n + 2))
        emergency = make(text="老人摔倒起不来了快来人", category="elderly_care", grid_id="HG-02",
                         urgency="emergency", now=now - timedelta(minutes=5))
        misheard = make(
            text=HEARD, category="building_repair", grid_id=None, confidence=0.41, needs_review=True,
            now=now - timedelta(minutes=20), audio_path=audio,
            words=samples.timed_words(HEARD, {0: 0.31, 1: 0.28, 6: 0.4}),
            alternatives=(CategoryGuess("heating", 0.35), CategoryGuess("utilities", 0.12)),
            category_evidence=("漏水", "楼"),
        )
        return {"misheard": misheard.id, "emergency": emergency.id}


def test_correct_dispatch_accept_resolve_and_the_command_screen_follows(open_as, tickets, hotline):
    # the command screen, open on the wall before anything happens; never reloaded
    board = open_as("supervisor", width=1920, height=1080)
    board.goto(board.url.split("/console")[0] + "/console/board")
    board.evaluate("window.neverReloaded = true")
    expect(board.locator("#live")).to_have_class("live on")
    expect(board.locator("#banner")).to_contain_text("老人摔倒起不来了")
    expect(board.locator("#open-total")).to_have_text("5")

    # the operator signs in and lands on the review queue: the mis-heard one is on top
    op = open_as("operator")
    expect(op.locator("h1")).to_contain_text("审核队列")
    first_two = op.locator("table.queue tbody tr td:first-child a").all_inner_texts()[:2]
    assert set(first_two) == {tickets["misheard"], tickets["emergency"]}
    screenshot(op, "review.png")

    # the ticket page: audio, words marked where the engine was unsure, the evidence
    op.click(f"text={tickets['misheard']}")
    expect(op.locator("audio#audio")).to_have_count(1)
    expect(op.locator("#words .w.low")).to_have_count(3)
    expect(op.locator("dl.evidence")).to_contain_text("供暖问题 35%")
    op.locator("#words .w").nth(10).click()  # the word said at 3.0 s
    op.wait_for_function("document.getElementById('audio').currentTime >= 2.9")
    screenshot(op, "ticket.png")

    # correct what was heard, then the labels; both land in the history with who did it
    op.fill("textarea[name=text]", MEANT)
    op.click("text=保存转写")
    expect(op.locator("div.flash")).to_contain_text("转写已保存为新版本")
    op.select_option("select[name=category]", "heating")
    op.select_option("select[name=grid_id]", "HG-01")
    op.click("text=保存分类")
    expect(op.locator("div.flash")).to_contain_text("分类已改正")
    expect(op.locator("ol.history")).to_contain_text("王芳 修改分类：类别 房屋与楼道设施维修 → 供暖问题；网格 未定位 → HG-01")
    op.click("text=审核通过并派单给 HG-01-B")
    expect(op.locator("div.flash")).to_contain_text("已审核并派单")
    expect(op.locator("h1 .tag.status")).to_have_text("已派单")
    screenshot(op, "ticket-dispatched.png")

    # the grid worker accepts it, notes progress, resolves it
    worker = open_as("worker", width=420, height=900)
    card = worker.locator(f"#t-{tickets['misheard']}")
    expect(card).to_contain_text(MEANT)
    card.locator("text=接单").click()
    card = worker.locator(f"#t-{tickets['misheard']}")
    expect(card.locator(".tag.status")).to_have_text("办理中")
    card.locator("input[name=text][placeholder=办理进展]").fill("已联系物业，正在维修")
    card.locator("text=记录进展").click()
    expect(worker.locator(f"#t-{tickets['misheard']} .notes")).to_contain_text("已联系物业，正在维修")
    screenshot(worker, "grid-worker.png")
    worker.locator(f"#t-{tickets['misheard']} button.done").click()
    expect(worker.locator("div.flash")).to_contain_text("已办结")
    expect(worker.locator(f"#t-{tickets['misheard']}")).to_have_count(0)

    # the command screen followed without a reload; the banner stays until acknowledged
    expect(board.locator("#open-total")).to_have_text("4")
    expect(board.locator("#banner")).to_be_visible()
    screenshot(board, "board-emergency.png")
    board.click("#banner .ack")
    expect(board.locator("#banner")).to_be_hidden()
    assert board.evaluate("window.neverReloaded") is True
    screenshot(board, "board.png")

    with hotline.db.session() as s:
        ticket = s.get(schema.Ticket, tickets["misheard"])
        assert ticket.status == schema.TicketStatus.RESOLVED
        assert [(e.kind, e.actor) for e in ticket.events] == [
            ("created", "system"), ("transcript_edited", "王芳"), ("labels_edited", "王芳"),
            ("dispatched", "王芳"), ("accepted", "张伟"), ("note", "张伟"), ("resolved", "张伟"),
        ]
