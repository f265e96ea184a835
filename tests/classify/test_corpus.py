"""The held-out sets stay apart from training and are labelled in the register's terms, so
their figures measure messages the model never saw."""
import pytest

from classify.corpus_writer import CORPUS_DIR, read_jsonl
from classify.evaluation import LEVELS, location_grids
from classify.training import default_examples

HELD_OUT = sorted(path.name for path in CORPUS_DIR.glob("heldout*.jsonl"))  # every held-out set, as sets are added


@pytest.fixture(scope="module")
def training_texts():
    return {e["text"] for e in default_examples()}


@pytest.mark.parametrize("name", HELD_OUT)
def test_held_out_sets_never_meet_training(name, training_texts, register):
    examples = read_jsonl(CORPUS_DIR / name)
    assert len(examples) >= 400
    assert not training_texts & {e["text"] for e in examples}
    codes = set(register.category_codes)
    assert {e["category"] for e in examples} == codes  # every need is tested
    assert all(e["urgency"] in LEVELS for e in examples)
    assert all(location_grids(e["location"], register) for e in examples if e["location"])  # places of the register
