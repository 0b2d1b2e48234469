"""Semantic evidence: what two texts mean, as vectors, across wording and across languages.

`encoder.py` is the one interface the rest of dedup sees (`Encoder`, `shared_encoder`);
`use.py` is the encoder shipped today; `cache.py` keeps the vectors of texts already seen.
"""
