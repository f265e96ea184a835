"""Understanding what a caller needs and where they live, from a voicemail transcript.

    classifier = Classifier.load(model_dir, register)   # review_threshold: a category margin
    classification = classifier.classify(text, phone)   # → records.Classification

Training: `classify.training.train(examples, register, model_dir, extra_examples=())`.
Evaluation: `classify.evaluation.evaluate(examples, predictions, register)`.
This package reads text and the registers only; it never imports hotline/, asr/ or routing/.
"""
from classify.model import Classifier
from classify.records import CategoryGuess, Classification, KnownCaller, Placement

__all__ = ["Classifier", "Classification", "CategoryGuess", "KnownCaller", "Placement"]
