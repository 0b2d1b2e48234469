"""Decisions a person made about pairs and clusters: the review UI writes them, the CI gate
reads them as its baseline (`dedup check --baseline`).

The file (schema `dedup.decisions/1`) is one JSON object:

    {"schema": "dedup.decisions/1",
     "decisions": [
       {"members": ["a.txt", "b.txt"], "decision": "duplicate", "relation": "copy",
        "at": "2026-11-21T07:30:00+00:00", "by": "dedup check --update-baseline"},
       {"members": ["x.txt", "y.txt", "z.txt"], "decision": "same_story", ...}
     ]}

`members` are document ids: two for a pair, more for a whole cluster. `decision` is one of
`duplicate`, `same_story`, `different` or `ignore`. A pair is decided when some decision
lists both its documents; the latest such decision counts. Any decision accepts the pair:
the person has seen it, whether they agreed with dedup or not.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone

from dedup.io import output_file
from dedup.io.decoding import ReadFailure, parse_json
from dedup.io.safe_text import json_text
from dedup.model import UserProblem

DECISIONS_SCHEMA = "dedup.decisions/1"
KINDS = ("duplicate", "same_story", "different", "ignore")


class DecisionsProblem(UserProblem):
    """A decisions file that cannot be read; the message names it and the fix."""


@dataclass(frozen=True, slots=True)
class Decision:
    members: tuple[str, ...]
    decision: str
    relation: str | None = None  # what dedup had called the pair or cluster
    at: str = ""
    by: str = ""


class Decisions:
    def __init__(self, decisions: list[Decision] | None = None) -> None:
        self.decisions: list[Decision] = list(decisions or [])

    @classmethod
    def load(cls, path: str) -> Decisions:
        """The decisions in `path`; none if the file does not exist yet."""
        if not os.path.exists(path):
            return cls()
        fix = "fix it or give another decisions file"
        try:
            with open(path, encoding="utf-8") as handle:
                document = parse_json(handle.read(), fix)
        except (OSError, UnicodeDecodeError) as error:
            raise DecisionsProblem(f"{path}: cannot read the decisions file ({error}): {fix}") from None
        except ReadFailure as failure:
            where = f"{path}:{failure.line}" if failure.line else path
            raise DecisionsProblem(f"{where}: {failure.message}") from None
        if not isinstance(document, dict) or document.get("schema") != DECISIONS_SCHEMA:
            raise DecisionsProblem(f"{path}: not a decisions file (no \"schema\": \"{DECISIONS_SCHEMA}\"): give another decisions file")
        entries = document.get("decisions", [])
        if not isinstance(entries, list):
            raise DecisionsProblem(f"{path}: \"decisions\" must be a list of decisions, not {type(entries).__name__}: {fix}")
        decisions = []
        for number, entry in enumerate(entries, start=1):
            members = entry.get("members") if isinstance(entry, dict) else None
            if not (isinstance(members, list) and len(members) >= 2 and all(isinstance(member, str) for member in members)
                    and entry.get("decision") in KINDS):
                raise DecisionsProblem(f"{path}: decision {number} needs two or more \"members\" (ids) and a \"decision\" "
                                       f"({', '.join(KINDS)}): fix or remove it")
            decisions.append(Decision(tuple(members), entry["decision"], entry.get("relation"), entry.get("at", ""), entry.get("by", "")))
        return cls(decisions)

    def about(self, a: str, b: str) -> Decision | None:
        """The latest decision that covers documents a and b together."""
        for decision in reversed(self.decisions):
            if a in decision.members and b in decision.members:
                return decision
        return None

    def pair_decisions(self, members: list[str]) -> dict[frozenset[str], Decision]:
        """For each pair of `members` that some decision covers, the latest such decision; one
        pass over the decisions, so a cluster's row can say how many of its pairs are decided."""
        wanted = set(members)
        found: dict[frozenset[str], Decision] = {}
        for decision in self.decisions:
            covered = [member for member in decision.members if member in wanted]
            for position, a in enumerate(covered):
                for b in covered[position + 1:]:
                    if a != b:
                        found[frozenset((a, b))] = decision
        return found

    def within(self, members: list[str]) -> list[Decision]:
        """The decisions about `members` alone (every document they list is one of them)."""
        wanted = set(members)
        return [decision for decision in self.decisions if set(decision.members) <= wanted]

    def withdraw(self, withdrawn: list[Decision]) -> None:
        """Take these decisions back (clearing a cluster's decisions)."""
        gone = {id(decision) for decision in withdrawn}
        self.decisions = [decision for decision in self.decisions if id(decision) not in gone]

    def decide(self, members: tuple[str, ...], decision: str, relation: str | None, by: str) -> Decision:
        if decision not in KINDS:
            raise ValueError(f"unknown decision {decision!r}: use one of {', '.join(KINDS)}")
        made = Decision(tuple(members), decision, relation, datetime.now(timezone.utc).isoformat(timespec="seconds"), by)
        self.decisions.append(made)
        return made

    def to_json(self) -> str:
        entries = [
            {"members": list(d.members), "decision": d.decision, "relation": d.relation, "at": d.at, "by": d.by}
            for d in self.decisions
        ]
        return json_text({"schema": DECISIONS_SCHEMA, "decisions": entries}, indent=2) + "\n"

    def save(self, path: str) -> None:
        """Write atomically (dedup.io.output_file: a temporary file beside `path`, then a rename)."""
        try:
            output_file.write_text(path, self.to_json())
        except OSError as error:
            raise DecisionsProblem(f"cannot write {path}: {error.strerror}: choose a writable path") from None
