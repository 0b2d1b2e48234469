"""A synthetic news corpus of any size, grown from insm_de_press, with planted copies.

Each synthetic document is built from a random INSM article (the base, at least
MIN_BASE_WORDS words long): its sentences are shuffled, a share of its words
(REPLACED_WORD_SHARE) is replaced by words drawn from the whole corpus, and the sentences
are laid out in paragraphs of PARAGRAPH_SENTENCES. Two documents from one base then share
only the 5-word sequences that kept all their words in both, about 0.75^10 (6%) of them:
they are distinct, copies neither of each other nor of their base (though in story mode,
siblings of one base are reports of one event: they keep its names, numbers and date).

A share of the documents (COPY_RATE) gets a planted copy: the same text with light edits
(COPY_WORD_EDITS words changed, then a sentence dropped or a paragraph moved), placed at
a random position among the next COPY_LAG documents, under its own id and another
outlet's name, as a republication. A copy's id names its original:

    syn0000042                       a synthetic document
    syn0000057-copy-of-syn0000042    a planted copy of it

so a scan's recall of the planted copies can be read from the ids alone (`planted_pairs`).

The generator is deterministic (one seeded random stream, SEED) and streams: it keeps the
bases and the pending copies (about COPY_RATE * COPY_LAG texts), never the corpus; the
document of size N is the first N lines of any larger one. Articles are JSONL records with
the fields id, source, title, text, date, as dedup reads them. A file is written as
`.partial` and renamed when complete, with a `.meta.json` beside it that names its
parameters: `synthetic_corpus` reuses a file whose parameters match.

    python benchmarks/synthetic.py --size 10000          # writes it, prints its path and stats
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data"
ARTICLES = Path("insm_de_press") / "articles.jsonl"
DEFAULT_WORK_DIR = Path(tempfile.gettempdir()) / "dedup-bench-scale"

# Bump when the generator changes what it writes, so cached files are not reused.
GENERATOR_VERSION = 1
SEED = 17  # the one random stream; another seed gives another corpus of the same shape
# Bases shorter than this are left out: a few shorter INSM pages are teasers or stubs,
# which a scan rightly judges by their exact text only, and with fewer words the copy
# edits below would change too large a share of a text for it to stay a copy. 13,331 of
# the 13,518 articles are this long (median 454 words).
MIN_BASE_WORDS = 200
# Share of a document's words replaced by random corpus words, drawn as often as the
# corpus uses them (so the text keeps German's mix of function and content words). A
# 5-word sequence survives in one document with p = 0.75^5 (24%), in two siblings 6%.
REPLACED_WORD_SHARE = 0.25
PARAGRAPH_SENTENCES = 4  # sentences per paragraph: the INSM texts are one line each
# Share of the (non-copy) documents that get a planted copy: a tenth of them, so about
# 9% of all documents are copies (0.10 / 1.10).
COPY_RATE = 0.10
# A copy appears at a random place among the next COPY_LAG documents, as a republication
# follows its original within days; only these pending copies are held in memory.
COPY_LAG = 1000
COPY_WORD_EDITS = 3  # words changed in every copy: a typo fixed, a name spelt out
# Then one more edit, each with this probability: a sentence dropped (shortened copy), or
# a paragraph moved (re-ordered copy). The two cover the kinds of light edits a scan must
# see through; neither changes more than about a tenth of a 200-word text's sequences.
COPY_DROP_SENTENCE = 0.5  # else a paragraph moved (or, with one paragraph, a sentence)

# Sentence ends: ., !, ? or … followed by space and what starts a sentence.
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"„“»«(A-ZÄÖÜ0-9])")
# A whitespace token as punctuation before, a word of letters, punctuation after; only
# such tokens have their word replaced (numbers, URLs, "HU/AU" stay).
TOKEN = re.compile(r"^(\W*)([^\W\d_]+)(\W*)$")
WORD = re.compile(r"\w+")
# For the generator's own check of its planted copies: 5-word sequences of the lowercased
# words, and the copy rule's defaults (Jaccard 0.5, or containment 0.8 of at least 40).
CHECK_SHINGLE_WORDS = 5
CHECK_THRESHOLD, CHECK_CONTAINMENT, CHECK_MIN_CONTAINED = 0.5, 0.8, 40

COPY_MARK = "-copy-of-"


@dataclass(frozen=True, slots=True)
class Base:
    source: str
    title: str
    date: str
    tokens: tuple[str, ...]
    sentences: tuple[tuple[int, int], ...]  # (start, end) token spans
    replaceable: tuple[int, ...]  # positions of tokens whose word can be replaced
    affixes: dict[int, tuple[str, str]]  # their punctuation before and after


def read_bases(articles: Path) -> tuple[list[Base], list[str]]:
    """The bases, in file order, and the corpus's words (one entry per use, all articles)."""
    bases: list[Base] = []
    vocabulary: list[str] = []
    with open(articles, encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            record = json.loads(line)
            tokens: list[str] = []
            spans: list[tuple[int, int]] = []
            for sentence in SENTENCE_END.split(record["text"].strip()):
                words = [sys.intern(token) for token in sentence.split()]
                if words:
                    spans.append((len(tokens), len(tokens) + len(words)))
                    tokens.extend(words)
            affixes = {}
            for position, token in enumerate(tokens):
                match = TOKEN.match(token)
                if match:
                    affixes[position] = (match.group(1), match.group(3))
                    vocabulary.append(sys.intern(match.group(2)))
            if len(tokens) >= MIN_BASE_WORDS:
                bases.append(Base(record.get("source") or "", record.get("title") or "", record.get("date") or "",
                                  tuple(tokens), tuple(spans), tuple(affixes), affixes))
    return bases, vocabulary


def replace_word(token: str, word: str) -> str:
    match = TOKEN.match(token)
    return match.group(1) + word + match.group(3) if match else token


def paragraphs_of(sentences: list[str]) -> list[list[str]]:
    return [sentences[start:start + PARAGRAPH_SENTENCES] for start in range(0, len(sentences), PARAGRAPH_SENTENCES)]


def text_of(paragraphs: list[list[str]]) -> str:
    return "\n\n".join(" ".join(paragraph) for paragraph in paragraphs)


def new_document(base: Base, vocabulary: list[str], rng: random.Random) -> list[list[str]]:
    """A distinct document from the base: words replaced, sentences shuffled, in paragraphs."""
    tokens = list(base.tokens)
    positions = rng.sample(base.replaceable, round(REPLACED_WORD_SHARE * len(base.replaceable)))
    for position, word in zip(positions, rng.choices(vocabulary, k=len(positions))):
        before, after = base.affixes[position]
        tokens[position] = before + word + after
    order = list(base.sentences)
    rng.shuffle(order)
    return paragraphs_of([" ".join(tokens[start:end]) for start, end in order])


def copy_of(paragraphs: list[list[str]], vocabulary: list[str], rng: random.Random) -> list[list[str]]:
    """A lightly edited copy: COPY_WORD_EDITS words changed, then a sentence dropped or a paragraph moved."""
    paragraphs = [list(paragraph) for paragraph in paragraphs]
    for _ in range(COPY_WORD_EDITS):
        paragraph = rng.choice(paragraphs)
        index = rng.randrange(len(paragraph))
        words = paragraph[index].split()
        position = rng.randrange(len(words))
        words[position] = replace_word(words[position], rng.choice(vocabulary))
        paragraph[index] = " ".join(words)
    if rng.random() < COPY_DROP_SENTENCE:
        paragraph = rng.choice([paragraph for paragraph in paragraphs if len(paragraph) > 1] or paragraphs)
        del paragraph[rng.randrange(len(paragraph))]
        paragraphs = [paragraph for paragraph in paragraphs if paragraph]
    elif len(paragraphs) > 1:
        moved = paragraphs.pop(rng.randrange(len(paragraphs)))
        paragraphs.insert(rng.randrange(len(paragraphs) + 1), moved)
    else:
        sentences = paragraphs[0]
        sentences.insert(rng.randrange(len(sentences)), sentences.pop())
    return paragraphs


def shingles(text: str) -> set[str]:
    words = WORD.findall(text.lower())
    n = CHECK_SHINGLE_WORDS
    return {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}


def clears_copy_rule(a: str, b: str) -> tuple[float, bool]:
    """Jaccard of the two texts' 5-word sequences, and whether the copy rule's defaults hold."""
    first, second = shingles(a), shingles(b)
    common = len(first & second)
    jaccard = common / len(first | second) if first or second else 0.0
    shorter = min(len(first), len(second))
    contained = common / shorter if shorter else 0.0
    return jaccard, jaccard >= CHECK_THRESHOLD or (contained >= CHECK_CONTAINMENT and shorter >= CHECK_MIN_CONTAINED)


def parameters(size: int, articles: Path) -> dict[str, object]:
    """What a file's content depends on; a cached file is reused only if all of it matches."""
    stat = articles.stat()
    return {
        "generator_version": GENERATOR_VERSION, "size": size, "seed": SEED, "base": str(articles.resolve()),
        "base_bytes": stat.st_size, "base_mtime_ns": stat.st_mtime_ns, "min_base_words": MIN_BASE_WORDS,
        "replaced_word_share": REPLACED_WORD_SHARE, "paragraph_sentences": PARAGRAPH_SENTENCES,
        "copy_rate": COPY_RATE, "copy_lag": COPY_LAG, "copy_word_edits": COPY_WORD_EDITS,
        "copy_drop_sentence": COPY_DROP_SENTENCE,
    }


def synthetic_corpus(size: int, articles: Path, work_dir: Path, log=lambda message: None) -> tuple[Path, dict[str, object]]:
    """The path of the synthetic corpus of `size` documents, written unless a complete one
    with the same parameters is there, and its metadata (parameters and what was planted)."""
    wanted = parameters(size, articles)
    key = hashlib.sha256(json.dumps(wanted, sort_keys=True).encode()).hexdigest()[:12]
    path = work_dir / f"synthetic-{size}-{key}.jsonl"
    meta_path = path.with_suffix(".meta.json")
    if path.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("parameters") == wanted and meta.get("bytes") == path.stat().st_size:
            return path, meta
    work_dir.mkdir(parents=True, exist_ok=True)
    log(f"generating {size:,} synthetic documents into {path} ...")
    started = time.perf_counter()
    partial = path.with_suffix(".partial")
    stats = write_corpus(size, articles, partial)
    os.replace(partial, path)
    meta = {"parameters": wanted, "bytes": path.stat().st_size, "seconds": round(time.perf_counter() - started, 1), **stats}
    meta_path.write_text(json.dumps(meta, indent=1), encoding="utf-8")
    return path, meta


def write_corpus(size: int, articles: Path, output: Path) -> dict[str, object]:
    bases, vocabulary = read_bases(articles)
    sources = sorted({base.source for base in bases if base.source})
    rng = random.Random(SEED)
    pending: deque = deque()  # (position due, id, base, title, paragraphs of the original), by position
    written = originals = copies = 0
    jaccards: list[float] = []
    clearing = 0
    with open(output, "w", encoding="utf-8") as file:
        while written < size:
            if pending and pending[0][0] <= written:
                _, original_id, base, title, paragraphs = pending.popleft()
                doc_id = f"syn{written:07d}{COPY_MARK}{original_id}"
                text = text_of(copy_of(paragraphs, vocabulary, rng))
                # Another outlet republishes it: a random other source, the original's title and date.
                source = rng.choice([source for source in sources if source != base.source] or sources)
                jaccard, clears = clears_copy_rule(text_of(paragraphs), text)
                jaccards.append(jaccard)
                clearing += clears
                copies += 1
            else:
                base = rng.choice(bases)
                doc_id = f"syn{written:07d}"
                paragraphs = new_document(base, vocabulary, rng)
                text = text_of(paragraphs)
                title = f"{base.title} [{doc_id}]"
                source = base.source
                originals += 1
                if rng.random() < COPY_RATE:
                    due = written + 1 + rng.randrange(COPY_LAG)
                    # Keep `pending` ordered by due position (insertion near the end: few pending).
                    index = len(pending)
                    while index and pending[index - 1][0] > due:
                        index -= 1
                    pending.insert(index, (due, doc_id, base, title, paragraphs))
            file.write(json.dumps({"id": doc_id, "source": source, "title": title, "text": text, "date": base.date},
                                  ensure_ascii=False) + "\n")
            written += 1
    return {
        "documents": written, "originals": originals, "planted_copies": copies,
        "copies_not_placed": len(pending),  # due after the end of the file: left out
        "bases": len(bases), "vocabulary_uses": len(vocabulary),
        "planted_jaccard_min": round(min(jaccards), 3) if jaccards else None,
        "planted_jaccard_median": round(statistics.median(jaccards), 3) if jaccards else None,
        # Planted copies that clear the copy rule's defaults by this file's own 5-word measure
        # (the scan's normalisation and furniture removal may differ a little).
        "planted_clearing_rule": clearing,
    }


def planted_pairs(ids) -> list[tuple[str, str]]:
    """(copy, original) for every planted copy among the ids."""
    pairs = []
    for doc_id in ids:
        _, mark, original = doc_id.partition(COPY_MARK)
        if mark:
            pairs.append((doc_id, original))
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with insm_de_press/ (default: %(default)s)")
    parser.add_argument("--size", type=int, required=True, help="documents to write")
    parser.add_argument("--work-dir", type=Path, default=DEFAULT_WORK_DIR, help="where the file goes (default: %(default)s)")
    arguments = parser.parse_args()
    path, meta = synthetic_corpus(arguments.size, arguments.data / ARTICLES, arguments.work_dir,
                                  lambda message: print(message, file=sys.stderr))
    print(path)
    print(json.dumps(meta, indent=1))


if __name__ == "__main__":
    main()
