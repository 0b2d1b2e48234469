"""How far the atoms of `dedup.compare(a, b)` agree with a hand-annotated gold standard.

The gold is tests/data/facts_gold.json (its "about" field documents the schema): pairs of
reports of one event, the two seeds, the quake sample pair and pairs from ../shared/data
(basil, pac), each with the fact atoms a person read in them, their surface forms as
written on each side and their status (shared / left_only / right_only / conflict).
Shared-data reports are read from the data folder, never copied; a pair whose corpus file
or record is missing is skipped with a note.

Matching a predicted atom to a gold atom. Two atoms can match only when their types are
equal and their surface forms overlap on one side: some left form of one equals a left form
of the other, or is contained in it as whole words (case-insensitive; "10" is in
"10 kilometres", "Cantor" in "Eric Cantor"), or the same on the right. The pairing is
one-to-one: of all overlapping (gold, predicted) pairs, the one with the most equal forms
wins first (then the most overlapping forms, then document order), and each atom is used
once. So a gold atom a report splits in two ("10" left-only, "10 km" right-only for the one
depth "10 kilometres" / "10 km") matches one part, and the other part is an unmatched
prediction, which is what a reader sees: a fact shown twice with the wrong status.

Scores, per status S and per pair, then summed over pairs (micro-averaged):
  predicted  predicted atoms with status S;     gold  gold atoms with status S;
  correct    predicted atoms with status S paired with a gold atom of status S;
  precision  correct / predicted;                recall  correct / gold;
  false conflicts  predicted `conflict` atoms not paired with a gold `conflict`.
Targets (issue 13, acceptance 1): precision >= 0.95 for shared, >= 0.90 for left_only and
right_only, zero false conflicts. A status nobody predicted has no precision ("-") and
passes its precision target vacuously; recall still shows what was missed.

Per pair, the ten worst predictions follow the table, worst first: a false conflict, then a
prediction paired with a gold atom of another status, then a prediction with no gold atom
at all (not a fact a reader would list, or a fact cut up), each with its surface forms;
then up to ten gold atoms no prediction pairs with (what recall misses).

    python benchmarks/facts.py
    python benchmarks/facts.py --data /path/to/shared/data --gold tests/data/facts_gold.json

Exits 0 unless the gold file cannot be read; a missed target prints FAIL but is not an error.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

import dedup
from dedup.io.inputs import read_inputs
from dedup.model import Article

DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data"
DEFAULT_GOLD = REPO_ROOT / "tests" / "data" / "facts_gold.json"
STATUSES = ("shared", "left_only", "right_only", "conflict")
TARGET_PRECISION = {"shared": 0.95, "left_only": 0.90, "right_only": 0.90}
TARGET_FALSE_CONFLICTS = 0
WORST_SHOWN = 10
SIDES = ("left", "right")


@dataclass(frozen=True)
class FactAtom:
    """A gold or predicted atom as the benchmark sees it: type, forms per side, status."""

    type: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    status: str
    note: str = ""

    def forms(self, side: str) -> tuple[str, ...]:
        return self.left if side == "left" else self.right


@dataclass
class Tally:
    predicted: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    gold: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    correct: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    false_conflicts: int = 0

    def add(self, other: Tally) -> None:
        for status in STATUSES:
            self.predicted[status] += other.predicted[status]
            self.gold[status] += other.gold[status]
            self.correct[status] += other.correct[status]
        self.false_conflicts += other.false_conflicts


# ---------------------------------------------------------------- reading


def read_sample(relative_path: str) -> Article | None:
    """A sample report read the way `dedup compare FILE` reads it."""
    path = REPO_ROOT / relative_path
    if not path.is_file():
        return None
    for item in read_inputs([str(path)]):
        for entry in item.load() if hasattr(item, "load") else [item]:
            if isinstance(entry, Article):
                return entry
    return None


def read_corpus_records(data: Path, corpus: str, wanted: set[str]) -> dict[str, Article]:
    path = data / corpus / "articles.jsonl"
    if not path.is_file():
        return {}
    found = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if record["id"] in wanted:
                found[record["id"]] = Article(id=record["id"], text=record["text"], title=record.get("title"),
                                              source=record.get("source"), date=record.get("date"),
                                              lang=record.get("lang"))
    return found


def read_source(source: dict, data: Path) -> tuple[Article | None, str]:
    """The article a gold source names, or None and why it is missing."""
    if "path" in source:
        article = read_sample(source["path"])
        return article, "" if article else f"{source['path']} not found"
    path = data / source["corpus"] / "articles.jsonl"
    if not path.is_file():
        return None, f"{path} not found (pass the data folder with --data)"
    article = read_corpus_records(data, source["corpus"], {source["id"]}).get(source["id"])
    return article, "" if article else f"{path} has no record {source['id']}"


def gold_atoms(pair: dict) -> list[FactAtom]:
    return [FactAtom(atom["type"], tuple(atom["left"]), tuple(atom["right"]), atom["status"], atom.get("note", ""))
            for atom in pair["atoms"]]


def predicted_atoms(left: Article, right: Article) -> list[FactAtom]:
    diff = dedup.compare(left, right)
    return [FactAtom(atom.type, tuple(atom.left), tuple(atom.right), getattr(atom.status, "value", str(atom.status)))
            for atom in diff.atoms]


# ---------------------------------------------------------------- matching


def _contains_words(longer: str, shorter: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(shorter) + r"(?!\w)", longer) is not None


def form_overlap(one: FactAtom, other: FactAtom) -> tuple[int, int]:
    """(equal forms, overlapping forms) of two atoms, side by side, case-insensitive."""
    equal = overlapping = 0
    for side in SIDES:
        for mine in (form.casefold() for form in one.forms(side)):
            for theirs in (form.casefold() for form in other.forms(side)):
                if mine == theirs:
                    equal += 1
                    overlapping += 1
                elif _contains_words(mine, theirs) or _contains_words(theirs, mine):
                    overlapping += 1
    return equal, overlapping


def match(gold: list[FactAtom], predicted: list[FactAtom]) -> dict[int, int]:
    """Predicted index -> gold index, one-to-one, most equal forms first (module docstring)."""
    candidates = []
    for gold_index, gold_atom in enumerate(gold):
        for predicted_index, predicted_atom in enumerate(predicted):
            if gold_atom.type != predicted_atom.type:
                continue
            equal, overlapping = form_overlap(gold_atom, predicted_atom)
            if overlapping:
                candidates.append((-equal, -overlapping, gold_index, predicted_index))
    pairing, used_gold = {}, set()
    for _, _, gold_index, predicted_index in sorted(candidates):
        if gold_index in used_gold or predicted_index in pairing:
            continue
        pairing[predicted_index] = gold_index
        used_gold.add(gold_index)
    return pairing


def score(gold: list[FactAtom], predicted: list[FactAtom]
          ) -> tuple[Tally, list[tuple[int, FactAtom, FactAtom | None]], list[FactAtom]]:
    """The pair's tally, its wrong predictions with a severity (higher is worse), and the
    gold atoms no prediction pairs with."""
    pairing = match(gold, predicted)
    tally = Tally()
    for atom in gold:
        tally.gold[atom.status] += 1
    errors = []
    for index, atom in enumerate(predicted):
        tally.predicted[atom.status] += 1
        paired = gold[pairing[index]] if index in pairing else None
        if paired is not None and paired.status == atom.status:
            tally.correct[atom.status] += 1
            continue
        if atom.status == "conflict":
            tally.false_conflicts += 1
            errors.append((3, atom, paired))
        else:
            errors.append((2 if paired is not None else 1, atom, paired))
    errors.sort(key=lambda error: -error[0])
    paired_gold = set(pairing.values())
    missed = [atom for index, atom in enumerate(gold) if index not in paired_gold]
    return tally, errors, missed


# ---------------------------------------------------------------- report


def _ratio(numerator: int, denominator: int) -> str:
    return f"{numerator / denominator:.2f}" if denominator else "-"


def status_rows(label: str, tally: Tally) -> list[str]:
    rows = []
    for status in STATUSES:
        predicted, gold, correct = tally.predicted[status], tally.gold[status], tally.correct[status]
        rows.append(f"| {label} | {status} | {predicted} | {gold} | {correct} | {_ratio(correct, predicted)} | "
                    f"{_ratio(correct, gold)} |")
    return rows


def _forms(forms: tuple[str, ...]) -> str:
    shown = ", ".join(json.dumps(form, ensure_ascii=False) for form in forms[:4])
    return (shown + (", …" if len(forms) > 4 else "")) or "—"


def worst_lines(errors: list[tuple[int, FactAtom, FactAtom | None]]) -> list[str]:
    reason = {3: "false conflict", 2: "wrong status", 1: "no gold atom"}
    lines = []
    for severity, atom, paired in errors[:WORST_SHOWN]:
        gold_note = f"; gold {paired.status}: ◀ {_forms(paired.left)} ▶ {_forms(paired.right)}" if paired else ""
        lines.append(f"- {reason[severity]}: {atom.status} {atom.type} ◀ {_forms(atom.left)} ▶ {_forms(atom.right)}"
                     f"{gold_note}")
    return lines


def targets(total: Tally) -> list[str]:
    lines = []
    for status, target in TARGET_PRECISION.items():
        predicted, correct = total.predicted[status], total.correct[status]
        precision = correct / predicted if predicted else None
        verdict = "pass" if precision is None or precision >= target else "FAIL"
        shown = "-" if precision is None else f"{precision:.2f}"
        lines.append(f"| {status} precision | >= {target:.2f} | {shown} | {verdict} |")
    verdict = "pass" if total.false_conflicts <= TARGET_FALSE_CONFLICTS else "FAIL"
    lines.append(f"| false conflicts | {TARGET_FALSE_CONFLICTS} | {total.false_conflicts} | {verdict} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder (default ../shared/data)")
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="the gold file")
    args = parser.parse_args(argv)
    try:
        gold_file = json.loads(args.gold.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        print(f"{args.gold}: cannot read the gold file ({error}); pass one with --gold", file=sys.stderr)
        return 2

    total, table, details, skipped = Tally(), [], [], []
    for pair in gold_file["pairs"]:
        left, left_missing = read_source(pair["left"], args.data)
        right, right_missing = read_source(pair["right"], args.data)
        if left is None or right is None:
            skipped.append(f"- skipped {pair['name']}: {left_missing or right_missing}")
            continue
        tally, errors, missed = score(gold_atoms(pair), predicted_atoms(left, right))
        total.add(tally)
        table += status_rows(pair["name"], tally)
        details.append(f"\n### {pair['name']}: {tally.false_conflicts} false conflicts, "
                       f"{len(errors)} wrong predictions of {sum(tally.predicted.values())}")
        details += worst_lines(errors) or ["- none"]
        if missed:
            shown = "; ".join(f"{atom.type} ◀ {_forms(atom.left)} ▶ {_forms(atom.right)}" for atom in missed[:WORST_SHOWN])
            details.append(f"- missed {len(missed)} gold atoms, e.g. {shown}")

    print("## Fact atoms against the gold standard\n")
    print(f"Gold: {args.gold.relative_to(REPO_ROOT) if args.gold.is_relative_to(REPO_ROOT) else args.gold}; "
          f"data: {args.data}\n")
    print("| pair | status | predicted | gold | correct | precision | recall |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for line in table + status_rows("**all pairs**", total):
        print(line)
    print(f"\nFalse conflicts: {total.false_conflicts}")
    print("\n| target | wanted | got | |\n|---|---|---:|---|")
    for line in targets(total):
        print(line)
    if skipped:
        print()
        print("\n".join(skipped))
    print("\n## Worst predictions per pair")
    print("\n".join(details))
    return 0


if __name__ == "__main__":
    sys.exit(main())
