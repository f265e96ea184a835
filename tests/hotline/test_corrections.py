"""Labels operators correct feed the next training: `hotline train --include-corrections`."""
from __future__ import annotations

import json
from datetime import timedelta

from classify import Classifier, training
from hotline import samples, schema
from hotline.config import load_settings
from hotline.schema import utcnow
from hotline.services import Hotline
from registry import load_register

from tests.conftest import write_config
from tests.hotline.test_cli import hotline as run_hotline

TEXT = "喂，我们楼顶那个大喇叭天天早上五点就响，放的啥也听不清"


def test_a_corrected_label_is_learned_by_the_next_training(tmp_path, whisper_models_dir):
    model_dir = tmp_path / "model"
    config = write_config(tmp_path, classifier_dir=model_dir, models_dir=whisper_models_dir)
    h = Hotline(load_settings(config, env={}))
    h.db.upgrade()
    with h.db.session() as s:
        ticket = samples.add_ticket(
            s, h.settings, h.register, text=TEXT, category="other", grid_id="HG-01", place="滨悦新城",
            now=utcnow() - timedelta(hours=1),
        )
        for category in ("noise", "sanitation"):  # the operator changed their mind: the last word counts
            s.add(schema.Correction(ticket_id=ticket.id, text=TEXT, category=category, urgency="normal",
                                    grid_id="HG-01", corrected_by="王芳"))
    h.db.dispose()
    corpus = tmp_path / "small.jsonl"
    corpus.write_text(
        "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in training.default_examples()[:700]), encoding="utf-8"
    )

    done = run_hotline("train", "--corpus", str(corpus), "--include-corrections", config=config)

    assert done.returncode == 0, done.stderr
    assert "including 1 operator correction(s)" in done.stdout
    assert json.loads((model_dir / "metrics.json").read_text(encoding="utf-8"))["corrections"] == 1
    # the label a model trained without it would not give (checked: noise), learned from one correction
    assert Classifier.load(model_dir, load_register()).classify(TEXT).category == "sanitation"
