"""Copy detection: fingerprints of each document's own text (fingerprint.py), the copy rule
on two shingle sets (verify.py), and the copy stage of a scan (finder.py: exact keys, LSH
bands, verification)."""
