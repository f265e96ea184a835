"""The command-line contracts other tools rely on: `hotline classify --jsonl` and
`hotline process --json`, run as a user runs them."""
from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO


def hotline(*args: str, config=None, stdin: str | None = None) -> subprocess.CompletedProcess:
    prefix = ["--config", str(config)] if config else []
    return subprocess.run(
        [sys.executable, "-m", "hotline.cli", "--log-level", "WARNING", *prefix, *args],
        input=stdin, capture_output=True, text=True, cwd=REPO, timeout=300,
    )


def test_every_command_has_help():
    for command in ("serve", "worker", "process", "classify", "train", "eval", "models", "db"):
        done = hotline(command, "--help")
        assert done.returncode == 0 and "usage: hotline" in done.stdout, command


def test_classify_jsonl_answers_each_line_in_order(config_file, tmp_path):
    lines = [
        {"text": "喂，我是阳光花园五号楼的，我家暖气一点都不热，屋里冷得待不住"},
        {"text": "我想问问高龄补贴咋申请", "phone": "+8619900000095"},
        {"text": "救命啊，厨房里一股煤气味儿"},
        {"text": "喂？喂……"},
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")

    done = hotline("classify", "--jsonl", str(source), config=config_file)

    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(out) == 4
    for row in out:
        assert {"category", "urgency", "grid_id", "confidence", "needs_review"} <= row.keys()
    assert out[0]["category"] == "heating" and out[0]["grid_id"] == "HG-07"
    assert out[1]["category"] == "social_insurance" and out[1]["grid_id"] == "YC-03"  # from the caller registry
    assert out[2]["urgency"] == "emergency"
    assert out[3]["grid_id"] is None


def test_classify_reports_a_bad_line_and_goes_on(config_file):
    done = hotline("classify", "--jsonl", "-", config=config_file, stdin='not json\n{"text": "楼道灯坏了"}\n')
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert "error" in out[0] and out[1]["category"] == "building_repair"


def test_process_json_runs_the_whole_pipeline_on_files(config_file):
    done = hotline("process", str(REPO / "samples" / "v58.wav"), "--json", "--from", "+8619900000109",
                   config=config_file)

    assert done.returncode == 0, done.stderr
    (row,) = [json.loads(line) for line in done.stdout.splitlines()]
    assert row["file"].endswith("v58.wav")
    assert "下头凉" in row["transcript"]  # 暖气片上头热乎下头凉: Whisper hears the radiator itself badly
    assert row["category"] == "heating"
    assert row["grid_id"] == "AS-05"  # no place said: the caller registry knows the number
    assert row["ticket_id"].startswith("XLML-")


def test_process_refuses_what_is_not_audio_and_says_why(config_file, tmp_path):
    bogus = tmp_path / "letter.wav"
    bogus.write_text("not audio", encoding="utf-8")
    done = hotline("process", str(bogus), "--json", config=config_file)
    assert done.returncode == 1
    (row,) = [json.loads(line) for line in done.stdout.splitlines()]
    assert "not usable audio" in row["error"]
