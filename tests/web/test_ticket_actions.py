"""The operator's corrections and the grid worker's work, through the console's forms:
every change is a new version or row, an audit event naming who, and training data."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from asr import Transcriber
from asr.records import Transcript
from classify.records import Classification, Placement
from hotline import schema, store, ticket_actions
from hotline.pipeline import Pipeline
from hotline.schema import TicketStatus, utcnow

from tests.web.conftest import csrf_of


def post(client, url, **form):
    return client.post(url, data={**form, "csrf_token": csrf_of(client)})


def test_a_transcript_fix_is_a_new_operator_version_and_a_training_example(client_as, hotline, ticket_id):
    client = client_as("operator")
    response = post(client, f"/console/tickets/{ticket_id}/transcript", text="滨悦新城十三号楼暖气不热")
    assert response.status_code == 303
    with hotline.db.session() as s:
        ticket = s.get(schema.Ticket, ticket_id)
        versions = s.scalars(select(schema.Transcript).where(schema.Transcript.voicemail_id == ticket.voicemail_id)
                             .order_by(schema.Transcript.version)).all()
        assert [(v.version, v.engine, v.created_by) for v in versions] == [(1, "vosk", None), (2, "operator", "王芳")]
        assert versions[0].text == "滨悦新城三号楼暖气不热"  # the first hearing is kept
        assert ticket.summary == "滨悦新城十三号楼暖气不热"
        event = ticket.events[-1]
        assert (event.kind, event.actor, event.detail["after"]) == ("transcript_edited", "王芳", "滨悦新城十三号楼暖气不热")
        correction = s.scalars(select(schema.Correction)).one()
        assert (correction.text, correction.category, correction.corrected_by) == ("滨悦新城十三号楼暖气不热", "heating", "王芳")


def test_a_label_fix_reroutes_the_ticket_and_is_kept_for_training(client_as, hotline, ticket_id):
    client = client_as("operator")
    post(client, f"/console/tickets/{ticket_id}/labels", category="building_repair", urgency="urgent", grid_id="HG-02")
    with hotline.db.session() as s:
        ticket = s.get(schema.Ticket, ticket_id)
        assert (ticket.category, ticket.urgency, ticket.grid_id) == ("building_repair", "urgent", "HG-02")
        assert (ticket.worker_id, ticket.department) == ("HG-02-B", "物业")
        assert ticket.sla_due.replace(tzinfo=None) - ticket.created_at.replace(tzinfo=None) == timedelta(hours=12)
        row = s.get(schema.Classification, ticket.classification_id)
        assert row.model_version == "operator" and row.detail["placement"]["method"] == "operator"
        assert row.detail["category_evidence"] == ["王芳 人工改正"]
        event = ticket.events[-1]
        assert event.kind == "labels_edited" and event.actor == "王芳"
        assert event.detail["changes"] == {
            "category": ["heating", "building_repair"], "urgency": ["normal", "urgent"], "grid_id": ["HG-01", "HG-02"],
        }
        correction = s.scalars(select(schema.Correction)).one()
        assert (correction.category, correction.urgency, correction.grid_id) == ("building_repair", "urgent", "HG-02")


def test_an_unknown_label_is_refused_with_a_message(client_as, hotline, ticket_id):
    client = client_as("operator")
    post(client, f"/console/tickets/{ticket_id}/labels", category="nonsense", urgency="normal", grid_id="")
    assert "未知类别" in client.get(f"/console/tickets/{ticket_id}").text
    with hotline.db.session() as s:
        assert s.scalar(select(func.count()).select_from(schema.Correction)) == 0


def test_dispatch_clears_review_and_posts_to_the_command_queue(client_as, hotline, users):
    with hotline.db.session() as s:
        from hotline import samples

        ticket = samples.add_ticket(s, hotline.settings, hotline.register, text="楼道灯坏了", category="building_repair",
                                    grid_id=None, now=utcnow(), needs_review=True)
        ticket_id = ticket.id
    client = client_as("operator")
    post(client, f"/console/tickets/{ticket_id}/dispatch")
    assert "请先指定网格" in client.get(f"/console/tickets/{ticket_id}").text  # nobody to send it to yet
    post(client, f"/console/tickets/{ticket_id}/labels", category="building_repair", urgency="normal", grid_id="HG-01")
    post(client, f"/console/tickets/{ticket_id}/dispatch")
    with hotline.db.session() as s:
        ticket = s.get(schema.Ticket, ticket_id)
        assert (ticket.status, ticket.needs_review, ticket.worker_id) == (TicketStatus.ASSIGNED, False, "HG-01-B")
        kinds = s.scalars(select(schema.OutboxMessage.kind).where(schema.OutboxMessage.ticket_id == ticket_id)).all()
        assert any(k.startswith("ticket.dispatched.") for k in kinds)


def test_the_grid_worker_accepts_notes_and_resolves(client_as, hotline, ticket_id):
    worker = client_as("worker")
    post(worker, f"/console/tickets/{ticket_id}/accept")
    post(worker, f"/console/tickets/{ticket_id}/accept")  # twice: refused, nothing written
    post(worker, f"/console/tickets/{ticket_id}/note", text="已联系物业，明早上门")
    page = worker.get("/console/my").text
    assert "已联系物业，明早上门" in page and "办理中" in page and "只有已派单的工单可以接单" in page
    post(worker, f"/console/tickets/{ticket_id}/resolve", text="暖气已恢复")
    post(worker, f"/console/tickets/{ticket_id}/resolve", text="again")  # refused: already resolved
    with hotline.db.session() as s:
        ticket = s.get(schema.Ticket, ticket_id)
        assert ticket.status == TicketStatus.RESOLVED
        assert [(e.kind, e.actor) for e in ticket.events] == [
            ("created", "system"), ("accepted", "张伟"), ("note", "张伟"), ("resolved", "张伟"),
        ]
    page = worker.get("/console/my").text
    assert "只有办理中的工单可以办结" in page and f"id=\"t-{ticket_id}\"" not in page


class HeardAgain(Transcriber):
    """The other engine: hears the recording differently, and says so."""

    name = "whisper"
    model = "whisper-base"

    def _decode(self, audio) -> Transcript:
        return Transcript(text="滨悦新城三号楼暖气漏水", words=(), engine="whisper", model="whisper-base", duration=4.0)


class FixedClassifier:
    def classify(self, text, phone=None, known=None) -> Classification:
        return Classification(category="heating", confidence=0.9, alternatives=(), urgency="normal",
                              urgency_evidence=(), placement=Placement("HG-01", 0.9, "compound", "滨悦新城"))


def test_retranscribing_adds_a_version_through_the_pipeline(hotline, users, ticket_id):
    hotline.__dict__["pipeline"] = Pipeline(
        hotline.settings, hotline.db, register=hotline.register, classifier=FixedClassifier(),
        transcriber=hotline.transcriber, media=None,
    )
    state = ticket_actions.retranscribe(hotline, ticket_id=ticket_id, user=users["operator"], engine="whisper",
                                        transcriber=HeardAgain)
    assert state == schema.VoicemailState.ROUTED
    with hotline.db.session() as s:
        ticket = s.get(schema.Ticket, ticket_id)
        latest = store.latest_transcript(s, ticket.voicemail_id)
        assert (latest.version, latest.engine, latest.text) == (2, "whisper", "滨悦新城三号楼暖气漏水")
        assert [(e.kind, e.actor) for e in ticket.events][-2:] == [("reclassified", "system"), ("retranscribed", "王芳")]


def test_acknowledging_an_emergency_takes_it_off_the_banner(client_as, hotline, users):
    from hotline import samples

    with hotline.db.session() as s:
        ticket_id = samples.add_ticket(s, hotline.settings, hotline.register, text="老人摔倒起不来了",
                                       category="elderly_care", grid_id="HG-01", urgency="emergency", now=utcnow()).id
    client = client_as("operator")
    assert client.get("/console/board.json").json()["emergencies"][0]["id"] == ticket_id
    token = csrf_of(client)
    assert client.post(f"/console/tickets/{ticket_id}/acknowledge", headers={"X-CSRF-Token": token}).status_code == 204
    assert client.post(f"/console/tickets/{ticket_id}/acknowledge", headers={"X-CSRF-Token": token}).status_code == 204
    board = client.get("/console/board.json").json()
    assert board["emergency_total"] == 0 and board["emergencies"] == []
    with hotline.db.session() as s:
        assert [e.kind for e in s.get(schema.Ticket, ticket_id).events].count("acknowledged") == 1
