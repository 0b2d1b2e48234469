"""`dedup review`: the Textual application for reviewing clusters and comparing reports.

It imports dedup and renders its results; it computes nothing of its own. Nothing in
dedup imports it, except the `dedup review` command, lazily.
"""
