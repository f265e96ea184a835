"""The console's reads: queue order, filters and paging, the recording, sign-in, the CLI."""
from __future__ import annotations

import io
from datetime import timedelta

from hotline import cli, review, samples
from hotline.schema import utcnow

from tests.conftest import REPO
from tests.web.conftest import PASSWORD, sign_in


def _add(hotline, n, **kw):
    with hotline.db.session() as s:
        return samples.add_ticket(s, hotline.settings, hotline.register, text=f"第{n}件", now=utcnow(), **kw).id


def test_review_unplaced_and_emergencies_come_first_then_the_nearest_due_time(hotline):
    late = _add(hotline, 1, category="certificates", grid_id="HG-01")  # due in 72 h
    soon = _add(hotline, 2, category="utilities", grid_id="HG-01")  # due in 12 h
    unsure = _add(hotline, 3, category="certificates", grid_id="HG-01", needs_review=True)
    fire = _add(hotline, 4, category="safety_hazard", grid_id="HG-02", urgency="emergency")
    nowhere = _add(hotline, 6, category="certificates", grid_id=None)  # due in 72 h, after `unsure`
    with hotline.db.session() as s:
        ids = [t.id for t in review.review_queue(s, review.QueueFilters()).tickets]
        assert ids == [fire, unsure, nowhere, soon, late]
        only = review.review_queue(s, review.QueueFilters(grid_id="HG-02")).tickets
        assert [t.id for t in only] == [fire]
        assert [t.id for t in review.review_queue(s, review.QueueFilters(waiting_for=review.TO_REVIEW)).tickets] == [unsure]
        assert [t.id for t in review.review_queue(s, review.QueueFilters(waiting_for=review.TO_PLACE)).tickets] == [nowhere]
        assert review.review_queue(s, review.QueueFilters(category="utilities", status="resolved")).total == 0


def test_the_ticket_page_says_in_chinese_why_review_was_asked_and_how_urgent(client_as, hotline):
    reasons = ("possible emergency: model 0.45, below 0.70", "category margin over the runner-up 0.12 below 0.34")
    ticket = _add(hotline, 5, category="heating", grid_id="HG-01", needs_review=True, review_reasons=reasons,
                  urgency_evidence=("fire: heard '冒烟' but faint or small ('不大')", "model: urgent 0.55"))
    page = client_as("operator").get(f"/console/tickets/{ticket}").text
    assert "需要审核：疑似紧急，请立即核实（紧急可能 0.45，未到 0.70）；类别把握不足（第一、第二类别相差 0.12，低于 0.34）" in page
    assert "着火冒烟：听到“冒烟”，但较轻微（“不大”）" in page and "模型判断：较急 0.55" in page


def test_a_ticket_without_a_grid_says_it_is_to_place_and_how(client_as, hotline):
    ticket = _add(hotline, 7, category="heating", grid_id=None, caller="+8613812345678")
    client = client_as("operator")
    row = client.get("/console/review").text.split(f">{ticket}</a>", 1)[1].split("</td>", 1)[0]
    assert "待定位" in row and "待审核" not in row
    page = client.get(f"/console/tickets/{ticket}").text
    assert "待定位：请核实住址后在下方指定网格（可回拨 +8613812345678）。" in page and "需要审核" not in page
    placed = _add(hotline, 8, category="heating", grid_id="HG-01")
    to_place = client.get("/console/review?waiting_for=place").text
    assert f">{ticket}</a>" in to_place and f">{placed}</a>" not in to_place


def test_the_queue_pages_by_fifty(client_as, hotline):
    with hotline.db.session() as s:
        for n in range(review.PAGE_SIZE + 3):
            samples.add_ticket(s, hotline.settings, hotline.register, text=f"第{n}件", category="noise",
                               grid_id="HG-01", words=(), now=utcnow() - timedelta(minutes=n))
    client = client_as("operator")
    first, second = client.get("/console/review").text, client.get("/console/review?page=2").text
    assert "第 1 / 2 页" in first and "下一页" in first
    assert second.count("/console/tickets/XLML-") == 3


def test_the_recording_is_served_with_ranges_so_the_page_can_seek(client_as, ticket_id):
    client = client_as("operator")
    whole = client.get(f"/console/tickets/{ticket_id}/audio")
    assert whole.status_code == 200 and whole.headers["content-type"] == "audio/wav"
    part = client.get(f"/console/tickets/{ticket_id}/audio", headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.content == whole.content[100:200]


def test_sign_in_returns_to_the_page_asked_for_and_refuses_a_wrong_password(client_as, users):
    client = client_as(None)
    assert client.get("/console/board").headers["location"] == "/login?next=/console/board"
    assert sign_in(client, "王芳", "wrong-password").status_code == 401
    response = client.post("/login", data={"name": "王芳", "password": PASSWORD, "next": "/console/board",
                                           "csrf_token": _token(client)})
    assert response.headers["location"] == "/console/board"


def _token(client):
    page = client.get("/login").text
    return page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]


def test_an_offsite_next_is_ignored(client_as, users):
    client = client_as(None)
    response = client.post("/login", data={"name": "李强", "password": PASSWORD, "next": "//evil.example",
                                           "csrf_token": _token(client)})
    assert response.headers["location"] == "/console/review"


def test_users_add_reads_the_password_from_stdin(settings, monkeypatch, capsys):
    monkeypatch.setenv("HOTLINE_DATABASE_URL", settings.database_url)
    config = REPO / "config.yaml"
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-password\n"))
    assert cli.main(["--config", str(config), "users", "add", "刘洋", "--role", "grid_worker",
                     "--worker-id", "HG-01-A", "--password-stdin"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert cli.main(["--config", str(config), "users", "add", "陈静", "--role", "operator", "--password-stdin"]) == 2
    assert "at least 8" in capsys.readouterr().err
