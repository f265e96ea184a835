"""The classifier: category and urgency from a linear model, grid from the locator.

One vectoriser feeds two logistic regressions (category, urgency). Review is decided by the
category *margin*, top-1 minus top-2 probability: on messages by authors the model never saw
(leave-one-author-out, see classify/training.py) it ranks the model's errors better than the
top-1 probability alone, whose calibration does not carry over from the training style.
The trained parts are saved with joblib; the register is passed in at load time, so a new
grid register needs no retraining.

At prediction time the fitted vectoriser and models are read into plain arrays (`Scorer`):
for one message sklearn's input checks cost several times the arithmetic itself.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import joblib
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from classify import pinyin
from classify import urgency as urgency_rules
from classify.features import TokenCounter
from classify.locator import Locator
from classify.normalize import normalize_script, spoken_numbers_to_digits
from classify.records import CategoryGuess, Classification, KnownCaller
from registry import Register

MODEL_FILE = "model.joblib"
VERSION_FILE = "version.json"
METRICS_FILE = "metrics.json"
ALTERNATIVES = 3
SECONDARY_CLAUSE_PROBABILITY = 0.6  # a clause this sure of another category is a second problem
SECONDARY_MIN_PROBABILITY = 0.15  # ...and the whole message must leave that category some room
# Margin (top-1 minus top-2 category probability) below which a message goes to review. Chosen
# on leave-one-author-out validation for a review rate within 15% (see training.py); a model may
# store its own in metrics.json ("review_threshold"), and the caller's setting overrides both.
REVIEW_MARGIN = 0.64
_POSSIBLE_REASON = re.compile(r"possible emergency: model (?P<p>[\d.]+), below (?P<threshold>[\d.]+)")
_DOUBTED_REASON = re.compile(r"possible emergency: rule words heard, model (?P<p>[\d.]+)")
_MARGIN_REASON = re.compile(r"category margin over the runner-up (?P<margin>-?[\d.]+) below (?P<threshold>[\d.]+)")
_EXP_SAFE = 700.0  # exp(±700) is still a finite, non-zero float64
_CLAUSES = re.compile(r"[，。！？,.!?;；]+|还有就是|另外|对了|再一个|顺便")


class Scorer:
    """TF-IDF weighting and both models' softmax on arrays taken from the fitted objects.

    Same figures as `vectorizer.transform` then `predict_proba` (up to float rounding;
    tests/classify/test_fast_paths.py checks), without sklearn's per-call validation, which
    cost ~0.9 ms per message, more than all the rest of `classify` now does.
    """

    def __init__(self, model: "TrainedModel") -> None:
        vectorizer = model.vectorizer
        expected = {"sublinear_tf": True, "norm": "l2", "use_idf": True, "binary": False}
        actual = {k: getattr(vectorizer, k) for k in expected}
        if actual != expected or not callable(vectorizer.analyzer):
            raise ValueError(f"unsupported vectoriser settings {actual}; retrain with classify.training")
        for linear in (model.category_model, model.urgency_model):
            if len(linear.classes_) < 3:
                raise ValueError("the scorer expects multinomial models with three or more classes")
        self.analyzer = vectorizer.analyzer
        self.vocabulary: dict[str, int] = vectorizer.vocabulary_
        self.count = TokenCounter(self.analyzer, self.vocabulary)
        self.idf = np.asarray(vectorizer.idf_, dtype=np.float64)
        self.split = len(model.category_model.classes_)
        # One (features × classes) matrix for both models: one gather and one product per message.
        self.weights = np.ascontiguousarray(np.vstack([model.category_model.coef_, model.urgency_model.coef_]).T)
        self.bias = np.concatenate([model.category_model.intercept_, model.urgency_model.intercept_])
        # Features are l2-normalised, so a score is at most |bias| plus its weight column's norm
        # (~75 here): exp cannot overflow and the softmax needs no max subtracted first.
        bound = np.abs(self.bias).max() + np.sqrt((self.weights ** 2).sum(axis=0)).max()
        if bound > _EXP_SAFE:
            raise ValueError(f"scores may reach {bound:.0f}, too large for exp; retrain with classify.training")

    def features(self, normalized: str, memo: dict | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(feature indices, l2-normalised sublinear tf-idf values) of a normalised text;
        `memo` as in `TokenCounter`, for texts cut from one message."""
        counts = self.count(normalized, memo)
        n = len(counts)
        indices = np.fromiter(counts, dtype=np.intp, count=n)
        values = np.fromiter(counts.values(), dtype=np.float64, count=n)
        if n and values.max() > 1:
            values = np.log(values) + 1.0  # sublinear tf: 1 stays 1
        values *= self.idf[indices]
        norm = math.sqrt(values @ values)
        return indices, values / norm if norm > 0 else values

    def probabilities(self, indices: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(category probabilities, urgency probabilities, the weight rows of `indices`)."""
        rows = self.weights[indices]
        e = np.exp(values @ rows + self.bias)  # both models' softmax numerators at once
        categories, levels = e[: self.split], e[self.split:]
        return categories / categories.sum(), levels / levels.sum(), rows


@dataclass
class TrainedModel:
    """What is saved: the vectoriser and both linear models."""

    vectorizer: TfidfVectorizer
    category_model: LogisticRegression
    urgency_model: LogisticRegression
    version: str

    def save(self, model_dir: Path, metrics: dict) -> None:
        model_dir = Path(model_dir)
        model_dir.mkdir(parents=True, exist_ok=True)
        joblib.dump(self, model_dir / MODEL_FILE)
        (model_dir / VERSION_FILE).write_text(json.dumps({"version": self.version}, indent=2), encoding="utf-8")
        (model_dir / METRICS_FILE).write_text(json.dumps(metrics, ensure_ascii=False, indent=2), encoding="utf-8")


class Classifier:
    """Loaded once, then `classify` per message (or `classify_many` for a batch)."""

    def __init__(self, model: TrainedModel, register: Register, review_threshold: float = REVIEW_MARGIN) -> None:
        self.model = model
        self.register = register
        self.review_threshold = review_threshold
        self.locator = Locator(register)
        self.categories = list(model.category_model.classes_)
        self.levels = list(model.urgency_model.classes_)
        self.scorer = Scorer(model)
        self.feature_names: list[str] = model.vectorizer.get_feature_names_out().tolist()  # plain str: no per-use conversion
        # Every character the model or the register knows gets its syllable now, not mid-message.
        pinyin.preload(ch for token in self.scorer.vocabulary if not token.startswith(("p:", "w:")) for ch in token)
        pinyin.preload(ch for name in self.locator.names for ch in name.surface)

    @classmethod
    def load(cls, model_dir: Path, register: Register, review_threshold: float | None = None) -> "Classifier":
        """`review_threshold` is a category margin; None takes the one the model was trained
        with (metrics.json), else `REVIEW_MARGIN`."""
        model_dir = Path(model_dir)
        if review_threshold is None:
            metrics_path = model_dir / METRICS_FILE
            metrics = json.loads(metrics_path.read_text(encoding="utf-8")) if metrics_path.exists() else {}
            review_threshold = float(metrics.get("review_threshold", REVIEW_MARGIN))
        return cls(joblib.load(model_dir / MODEL_FILE), register, review_threshold)

    @property
    def version(self) -> str:
        return self.model.version

    def classify(self, text: str, phone: str | None = None, known: KnownCaller | None = None) -> Classification:
        """One message: normalised once, then model, urgency rules and locator (`known`: where
        an operator put this number's earlier ticket, for a caller the register lacks)."""
        script = normalize_script(text)
        normalized = spoken_numbers_to_digits(script)  # = normalize(text), sharing the first steps
        chunks: dict = {}  # shared with the clause pass (`_secondary`)
        indices, values = self.scorer.features(normalized, chunks)
        category_probs, urgency_probs, rows = self.scorer.probabilities(indices, values)
        order = np.argsort(-category_probs)
        best = self.categories[order[0]]
        confidence = float(category_probs[order[0]])
        margin = confidence - float(category_probs[order[1]])
        levels = dict(zip(self.levels, urgency_probs.tolist()))
        level, urgency_evidence = urgency_rules.decide(normalized, levels)
        placement = self.locator.locate_script(script, phone, known)
        reasons = self._review_reasons(margin, level, levels.get(urgency_rules.EMERGENCY, 0.0), urgency_evidence)
        return Classification(
            category=best,
            confidence=round(confidence, 4),
            alternatives=tuple(CategoryGuess(self.categories[i], round(float(category_probs[i]), 4)) for i in order[1:1 + ALTERNATIVES]),
            urgency=level,
            urgency_evidence=urgency_evidence,
            placement=placement,
            category_evidence=self._evidence(indices, values * rows[:, order[0]]),
            secondary_category=self._secondary(normalized, best, category_probs, chunks),
            needs_review=bool(reasons),
            review_reasons=reasons,
            model_version=self.version,
        )

    def classify_many(self, texts: list[str], phones: list[str | None] | None = None) -> list[Classification]:
        """A batch: the same as `classify` per message (the per-message path is as fast)."""
        phones = phones if phones is not None else [None] * len(texts)
        return [self.classify(text, phone) for text, phone in zip(texts, phones)]

    def _review_reasons(self, margin: float, level: str, p_emergency: float, urgency_evidence: tuple[str, ...]) -> tuple[str, ...]:
        """Doubts about the decisions made: the category, or an emergency not called. A grid
        the message cannot give is no doubt but an answer ('unknown'); the router sends such
        a ticket to the command centre to place."""
        reasons = []
        if level != urgency_rules.EMERGENCY and p_emergency >= urgency_rules.POSSIBLE_EMERGENCY:
            reasons.append(f"possible emergency: model {p_emergency:.2f}, below {urgency_rules.model_threshold(urgency_evidence):.2f}")
        elif level != urgency_rules.EMERGENCY and urgency_rules.rule_doubted(urgency_evidence):
            reasons.append(f"possible emergency: rule words heard, model {p_emergency:.3f}")
        if margin < self.review_threshold:
            reasons.append(f"category margin over the runner-up {margin:.2f} below {self.review_threshold:.2f}")
        return tuple(reasons)

    def _evidence(self, indices: np.ndarray, contributions: np.ndarray, top: int = 4) -> tuple[str, ...]:
        """The words that pushed hardest towards the chosen category (value × weight).

        Pinyin features weigh in the decision but mean little to an operator: they are left out,
        and a jieba word is shown as itself (not 'w:我家'), once.
        (A full argsort of the ~100 features is cheaper here than filtering first.)
        """
        words: list[str] = []
        for k in np.argsort(-contributions, kind="stable").tolist():
            if contributions[k] <= 0 or len(words) == top:
                break
            name = self.feature_names[indices[k]]
            if not name.startswith("p:") and (word := name.removeprefix("w:")) not in words:
                words.append(word)
        return tuple(words)

    def _secondary(self, normalized: str, best: str, category_probs: np.ndarray, chunks: dict) -> str | None:
        """A second problem: another category that one clause is clearly about."""
        roomy = {c for c, p in zip(self.categories, category_probs.tolist()) if p >= SECONDARY_MIN_PROBABILITY} - {best}
        if not roomy:  # checked first: most messages leave no other category that much room
            return None
        clauses = [c for c in _CLAUSES.split(normalized) if len(c) >= 4]
        if len(clauses) < 2:
            return None
        for clause in clauses:
            clause_probs = self.scorer.probabilities(*self.scorer.features(clause, chunks))[0]  # clauses of normalised text are normalised
            i = int(np.argmax(clause_probs))
            if self.categories[i] in roomy and clause_probs[i] >= SECONDARY_CLAUSE_PROBABILITY:
                return self.categories[i]
        return None


def review_reason_in_chinese(reason: str) -> str:
    """A review reason for the operator, in Chinese with its figures; others shown as they are."""
    if found := _POSSIBLE_REASON.fullmatch(reason):
        return f"疑似紧急，请立即核实（紧急可能 {found['p']}，未到 {found['threshold']}）"
    if found := _DOUBTED_REASON.fullmatch(reason):
        return f"疑似紧急，请立即核实（听到紧急说法，模型判断可能 {found['p']}）"
    if found := _MARGIN_REASON.fullmatch(reason):
        return f"类别把握不足（第一、第二类别相差 {found['margin']}，低于 {found['threshold']}）"
    return reason
