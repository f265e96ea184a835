import json

import pytest

from classify import Classification, Classifier, urgency
from classify.model import review_reason_in_chinese
from classify.evaluation import evaluate, expected_grid


def test_training_writes_model_version_and_metrics(trained):
    model_dir, metrics = trained
    assert {p.name for p in model_dir.iterdir()} >= {"model.joblib", "version.json", "metrics.json"}
    assert json.loads((model_dir / "version.json").read_text())["version"] == metrics["version"]
    assert metrics["validation_accuracy"] > 0.9


@pytest.mark.parametrize("text, category", [
    ("我家暖气一点都不热，屋里冰凉", "heating"),
    ("楼上装修天天砸墙，吵死了", "noise"),
    ("我的养老金这个月还没到账", "social_insurance"),
    ("想开个居住证明，孩子上学用", "certificates"),
    ("楼下垃圾好几天没人拉了", "sanitation"),
    ("我的电动车让人偷了", "public_security"),
])
def test_obvious_messages(classifier, text, category):
    result = classifier.classify(text)
    assert result.category == category
    assert result.category_evidence
    assert not any(w.startswith(("p:", "w:")) for w in result.category_evidence)  # words, as an operator reads them
    assert len(set(result.category_evidence)) == len(result.category_evidence)
    assert result.model_version == classifier.version


def test_emergency_with_place_and_round_trip(classifier):
    result = classifier.classify("喂！我是锦绣八号楼一单元三零一的，一进门就一股煤气味儿，你们快来人", phone=None)
    assert result.urgency == "emergency" and result.grid_id == "DL-05"
    assert Classification.from_dict(json.loads(json.dumps(result.to_dict(), ensure_ascii=False))) == result


def test_a_grid_nobody_said_is_unknown_and_no_doubt_of_the_category(classifier):
    """No place and an unregistered number: 'unknown', said as such (the command centre places
    the ticket), while review stays for doubts about the category and urgency."""
    result = classifier.classify("我家暖气片一点都不热，屋里冷得不行，你们给找人来看看吧", phone="+8613812345678")
    assert result.grid_id is None and result.placement.evidence
    assert result.category == "heating" and not result.needs_review


def test_evaluation_report(classifier, register, tmp_path, shared_dir):
    examples = [json.loads(line) for line in (shared_dir / "corpus" / "voicemails.jsonl").read_text(encoding="utf-8").splitlines()]
    predictions = [classifier.classify(e["text"], e["phone"]) for e in examples]
    report = evaluate(examples, predictions, register)
    text = report.format()
    for needle in ("category accuracy", "macro-F1", "where a place is said", "urgency emergency", "review rate", "heating",
                   "review reasons (a message may have several): ", "emergencies missed 0, of which in review 0",
                   "unplaced (no grid: the command centre places it)", "before an operator (review or unplaced)"):
        assert needle in text
    assert report.urgency["emergency"]["recall"] == 1.0
    assert report.accuracy > 0.85
    report.save_confusion_png(tmp_path / "confusion.png")
    assert (tmp_path / "confusion.png").stat().st_size > 1000


def test_a_place_split_between_grids_said_without_its_number_has_no_expected_grid(register):
    """滨悦新城 spans HG-01..HG-03: without a building only the caller's registration settles it."""
    said = {"kind": "compound", "name": "滨悦新城"}
    assert expected_grid({"location": said, "phone": None}, register) is None
    assert expected_grid({"location": said, "phone": "+8619900000002"}, register) == "HG-02"  # registered in HG-02
    assert expected_grid({"location": dict(said, building=16), "phone": None}, register) == "HG-02"
    assert expected_grid({"location": None, "phone": "+8619900000002"}, register) == "HG-02"


def test_evaluation_counts_missed_emergencies_that_review_holds(trained, register):
    model_dir, _ = trained
    strict = Classifier.load(model_dir, register, review_threshold=1.01)  # everything goes to review
    examples = [{"text": "我家暖气一点都不热，屋里冰凉", "category": "heating", "urgency": "emergency", "location": None, "phone": None}]
    report = evaluate(examples, [strict.classify(examples[0]["text"])], register)
    assert (report.emergencies_missed, report.emergencies_missed_in_review) == (1, 1)
    assert report.review_reasons == {"category margin": 1} and (report.unplaced, report.unplaceable) == (1, 1)


def test_review_uses_margin_and_model_threshold(trained, register):
    model_dir, metrics = trained
    assert Classifier.load(model_dir, register).review_threshold == metrics["review_threshold"]
    strict = Classifier.load(model_dir, register, review_threshold=1.01)  # every margin is below
    result = strict.classify("我家暖气一点都不热，屋里冰凉")
    top, runner_up = result.confidence, result.alternatives[0].confidence
    assert result.needs_review and any(f"margin over the runner-up {top - runner_up:.2f}" in r for r in result.review_reasons)
    assert f"类别把握不足（第一、第二类别相差 {top - runner_up:.2f}，低于 1.01）" in map(review_reason_in_chinese, result.review_reasons)
    lenient = Classifier.load(model_dir, register, review_threshold=0.0)
    assert not any("margin" in r for r in lenient.classify("我家暖气一点都不热，屋里冰凉").review_reasons)


def test_a_possible_emergency_goes_to_review(classifier, monkeypatch):
    """Below the emergency threshold, a message the urgency model gives some chance of being an
    emergency is put before an operator; one already called an emergency needs no such flag."""
    calm, gas = "我家暖气一点都不热，屋里冰凉", "一进门就一股煤气味儿，你们快来人"
    monkeypatch.setattr("classify.urgency.POSSIBLE_EMERGENCY", 1.01)
    assert not any("possible emergency" in r for r in classifier.classify(calm).review_reasons)
    monkeypatch.setattr("classify.urgency.POSSIBLE_EMERGENCY", 0.0)
    flagged = classifier.classify(calm)
    assert flagged.urgency == "urgent" and flagged.needs_review  # what may be an emergency cannot wait
    assert any(r.startswith("possible emergency: model") for r in flagged.review_reasons)
    assert any(review_reason_in_chinese(r).startswith("疑似紧急，请立即核实（紧急可能 ") for r in flagged.review_reasons)
    assert not any("possible emergency" in r for r in classifier.classify(gas).review_reasons)
    # the threshold it fell short of is the one that applied: higher for a what-if
    what_if = classifier.classify("万一哪天家里着火了，我们老两口腿脚不好，往哪跑啊")
    assert f"below {urgency.OVER_MODEL_THRESHOLD:.2f}" in next(r for r in what_if.review_reasons if r.startswith("possible emergency"))


def test_rule_words_the_model_doubts_still_go_to_review_at_once(classifier, monkeypatch):
    for name in ("RULE_MODEL_FLOOR", "EMERGENCY_MODEL_THRESHOLD", "POSSIBLE_EMERGENCY"):
        monkeypatch.setattr(f"classify.urgency.{name}", 1.01)  # the model doubts every rule hit
    result = classifier.classify("我老伴儿在卫生间滑倒了，躺地上起不来，你们快来人")
    assert result.urgency == "urgent" and result.needs_review
    reason = next(r for r in result.review_reasons if r.startswith("possible emergency: rule words heard, model "))
    assert review_reason_in_chinese(reason).startswith("疑似紧急，请立即核实（听到紧急说法，模型判断可能 ")


def test_default_examples_cover_every_authored_file(tmp_path, monkeypatch):
    from classify import corpus_writer

    for name in ("train_authored_b.jsonl", "train_authored_a.jsonl", "train_authored_zz.jsonl", "train.jsonl"):
        (tmp_path / name).write_text("", encoding="utf-8")
    assert [p.name for p in corpus_writer.authored_files(tmp_path)] == [
        "train_authored_a.jsonl", "train_authored_b.jsonl", "train_authored_zz.jsonl"]
