"""The web app served by `hotline serve`: Twilio webhooks, the tickets API and the console."""
from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from hotline import api, console, intake, webhooks
from hotline.queue import TaskQueue
from hotline.services import Hotline


def create_app(hotline: Hotline, queue: TaskQueue, *, run_worker: bool = False) -> FastAPI:
    """`run_worker`: also run the queue's workers in this process (the default for `serve`)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        consumer = None
        if run_worker:
            await run_in_threadpool(hotline.prepare_worker)
            consumer = queue.consumer(embedded=True)
            consumer.start()
            await run_in_threadpool(queue.resume_unfinished, everything=True)
        try:
            yield
        finally:
            if consumer is not None:
                consumer.stop(graceful=True)
            hotline.db.dispose()

    app = FastAPI(title="西拉沐沦街道居民热线", lifespan=lifespan)
    app.state.hotline = hotline
    app.state.queue = queue
    app.state.intake = intake.Intake(hotline, queue)

    @app.get("/healthz")
    def health() -> dict:
        return {"ok": True}

    app.include_router(webhooks.router)
    app.include_router(api.router)
    console.mount(app)
    return app
