"""Write the classifier's corpus: training messages, their ASR-noisy copy, and a held-out set.

    python -m classify.corpus_writer   # → classify/corpus/{train,train_noisy,heldout}.jsonl

The noisy copy also covers the hand-written `train_authored_*.jsonl`, which it reads.

Deterministic (fixed seeds), so the committed files can be rebuilt and reviewed; the noisy
copy is not committed (`make setup` and `make test` build it, as large as the rest). Messages
are assembled from the phrase banks the way callers talk after the beep: an opener, where
they live (or nothing), the problem with fillers and repetition, perhaps a second lesser
problem, a closing. The held-out set uses its own bank, so it tests generalisation.
"""
from __future__ import annotations

import json
import random
from pathlib import Path
from types import ModuleType

from classify import corpus_bank, corpus_heldout_bank
from classify.asr_noise import AsrNoise
from classify.places import place_names
from registry import Area, Register, load_register

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
AUTHORED_GLOB = "train_authored_*.jsonl"


def authored_files(corpus_dir: Path = CORPUS_DIR) -> list[Path]:
    """The hand-written training files (one per author, not generated: the variety templates
    cannot give), in name order so the noisy copy is reproducible as authors are added."""
    return sorted(Path(corpus_dir).glob(AUTHORED_GLOB))
TRAIN_SIZE = 2800
HELDOUT_SIZE = 448
SPOKEN_DIGITS = "零一二三四五六七八九"


def int_to_spoken(number: int) -> str:
    """12 → 十二, 108 → 一百零八, 150 → 一百五十: how a caller says a building or door number."""
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    out = SPOKEN_DIGITS[hundreds] + "百" if hundreds else ""
    if tens:
        out += ("" if tens == 1 and not hundreds else SPOKEN_DIGITS[tens]) + "十"
    elif hundreds and units:
        out += "零"
    if units:
        out += SPOKEN_DIGITS[units]
    return out or "零"


def room_spoken(floor: int, door: int, rng: random.Random) -> str:
    """Room 502 said digit by digit, 1 often as 幺: 五零二, 幺零二."""
    digits = f"{floor}0{door}"
    one = "幺" if rng.random() < 0.5 else "一"
    return "".join(one if d == "1" else SPOKEN_DIGITS[int(d)] for d in digits)


class MessageWriter:
    """Assembles labelled messages from one phrase bank and the register."""

    def __init__(self, bank: ModuleType, register: Register, seed: int) -> None:
        self.bank = bank
        self.rng = random.Random(seed)
        self.areas: list[Area] = [a for g in register.grids for a in g.areas]
        self.forms: dict[tuple[str, str], list[str]] = {}
        for p in place_names(register):
            self.forms.setdefault((p.kind, p.name), []).append(p.surface)
        self.phones = sorted(register.residents)

    def number(self, n: int) -> str:
        return str(n) if self.rng.random() < 0.15 else int_to_spoken(n)

    def place(self) -> tuple[str, dict, bool]:
        """(what the caller says, the location label, is a landmark)."""
        rng = self.rng
        area = rng.choice(self.areas)
        forms = self.forms[(area.kind, area.name)]
        name = area.name if rng.random() < 0.45 else rng.choice(forms)
        if area.kind == "compound":
            building = rng.randint(area.low, area.high)
            said = f"{name}{self.number(building)}{rng.choice(['号楼', '号楼', '号楼', '栋', '号'])}"
            roll = rng.random()
            if roll < 0.35:
                said += f"{int_to_spoken(rng.randint(1, 6))}单元"
                if rng.random() < 0.6:
                    said += room_spoken(rng.randint(1, 7), rng.randint(1, 4), rng)
            elif roll < 0.5:
                said += f"{int_to_spoken(rng.randint(1, 7))}楼"
            return said, {"kind": "compound", "name": area.name, "building": building}, False
        if area.kind == "street":
            door = rng.randint(area.low, area.high)
            said = f"{name}{self.number(door)}号" + ("院" if rng.random() < 0.2 else "")
            return said, {"kind": "street", "name": area.name, "number": door}, False
        return name, {"kind": area.kind, "name": area.name}, area.kind == "landmark"

    def spoken(self, clause: str) -> str:
        rng = self.rng
        if rng.random() < 0.45:
            for standard, dialect in self.bank.DIALECT:
                if standard in clause and rng.random() < 0.6:
                    clause = clause.replace(standard, dialect)
        if rng.random() < 0.25:
            clause = f"{rng.choice(self.bank.FILLERS)}，{clause}"
        return clause

    def message(self, code: str) -> dict:
        rng, bank = self.rng, self.bank
        urgency, problem = rng.choice(bank.PROBLEMS[code])
        clauses = [self.spoken(c) for c in problem.split("，")]
        if rng.random() < 0.15:  # the caller says the key clause twice
            i = rng.randrange(len(clauses))
            clauses.insert(i + 1, clauses[i] + rng.choice(["啊", "", "呀"]))
        if rng.random() < 0.14:
            other = rng.choice([c for c in bank.ASIDES if c != code])
            aside = rng.choice(bank.ASIDES[other])
            clauses.append(rng.choice(["还有就是", "另外", "对了，", "再一个"]) + aside)
        location, phone = None, None
        roll = rng.random()
        if roll < 0.72:
            said, location, landmark = self.place()
            templates = bank.LANDMARK_INTROS if landmark else bank.INTROS
            intro = rng.choice(templates).format(loc=said, rel=rng.choice(bank.LANDMARK_RELATIONS))
            if rng.random() < 0.8:
                clauses.insert(0, intro)
            else:
                clauses.append(intro.removesuffix("，"))
        if location is None and roll < 0.95:
            phone = rng.choice(self.phones)
        elif location is not None and rng.random() < 0.1:
            phone = rng.choice(self.phones)
        opener = rng.choice(bank.EMERGENCY_OPENERS if urgency == "emergency" and rng.random() < 0.5 else bank.OPENERS)
        closing = rng.choice(bank.URGENT_CLOSINGS if urgency != "normal" and rng.random() < 0.6 else bank.CLOSINGS)
        parts = [p for p in (opener, *clauses, closing) if p]
        text = "，".join(parts).replace("，，", "，")
        text += "！" if urgency == "emergency" else rng.choice(["。", "。", "？", ""])
        return {"text": text, "category": code, "urgency": urgency, "location": location, "phone": phone}

    def messages(self, count: int) -> list[dict]:
        codes = list(self.bank.PROBLEMS)
        return [self.message(codes[i % len(codes)]) for i in range(count)]


def write_jsonl(path: Path, records: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")


def read_jsonl(path: Path) -> list[dict]:
    with Path(path).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def main() -> None:
    register = load_register()
    train = MessageWriter(corpus_bank, register, seed=20241201).messages(TRAIN_SIZE)
    heldout = MessageWriter(corpus_heldout_bank, register, seed=20241202).messages(HELDOUT_SIZE)
    noise = AsrNoise(seed=20241203)
    authored = [r for path in authored_files() for r in read_jsonl(path)]
    noisy = [dict(r, text=noise.corrupt(r["text"])) for r in train + authored]
    write_jsonl(CORPUS_DIR / "train.jsonl", train)
    write_jsonl(CORPUS_DIR / "train_noisy.jsonl", noisy)
    write_jsonl(CORPUS_DIR / "heldout.jsonl", heldout)
    print(f"wrote {len(train)} train, {len(noisy)} noisy, {len(heldout)} held-out to {CORPUS_DIR}")


if __name__ == "__main__":
    main()
