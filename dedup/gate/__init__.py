"""The CI gate: a persistent index filled by `dedup index add` (indexing.py), incoming
documents checked against it and against each other (check.py; story findings in
stories.py), and the decisions that a baseline accepts (decisions.py)."""
