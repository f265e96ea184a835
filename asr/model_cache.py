"""Loading each model once per process: a model is hundreds of megabytes and seconds to load."""
from __future__ import annotations

import threading
from typing import Callable, Generic, Hashable, TypeVar

ModelT = TypeVar("ModelT")


class ModelCache(Generic[ModelT]):
    """Models by key; concurrent first requests for one key load it only once."""

    def __init__(self) -> None:
        self._models: dict[Hashable, ModelT] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, load: Callable[[], ModelT]) -> ModelT:
        with self._lock:
            if key not in self._models:
                self._models[key] = load()
            return self._models[key]
