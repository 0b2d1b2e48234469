"""Build the news document frequencies that story mode ships (dedup/story/data/).

General word lists (wordfreq) know how often a word is written; they do not know what is
*news*: "Putin", "Kreml" or "Sanktionen" are rare in books and subtitles and everyday in
a newspaper, so two reports that share them share a topic, not yet an event. This script
counts, for each content stem, in how many news reports it occurs, and writes one table
for German, from ../shared/data/insm_de_press (13,518 press articles, January to July 2021).

English has no table: the only English news text outside the labelled story corpora is
MSRP's 10,000 news sentences, and a table from them (cut into pseudo-reports of 25
sentences) made the pair model worse on basil, ecbplus and pac (ARI 0.993/0.864/0.850
without it, 0.986/0.861/0.816 with it; benchmarks/fit_story_model.py). English rarity is
wordfreq's alone.

Only stems in at least MIN_DOCUMENTS reports are kept: rarer ones are left to wordfreq. The
tables hold word statistics (a stem and a count), never text. The labelled story corpora
(basil, ecbplus, pac) are left out on purpose: the pair model is fitted and measured on
them, and their own topics must not look common to it.

    python benchmarks/build_reference.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from dedup.model import Article  # noqa: E402
from dedup.story.features import story_features  # noqa: E402
from dedup.story.reference import NEWS_TABLES  # noqa: E402
from dedup.text.page import clean_article  # noqa: E402

DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data"
MIN_DOCUMENTS = 3


def german_reports(data: Path) -> Iterator[Article]:
    with (data / "insm_de_press" / "articles.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            yield Article(id=record["id"], text=record["text"], title=record.get("title"), lang="de")


def document_frequencies(reports: Iterator[Article]) -> tuple[Counter[str], int]:
    counts: Counter[str] = Counter()
    total = 0
    for article in reports:
        counts.update(set(story_features(clean_article(article)).stems))
        total += 1
    return counts, total


def write_table(path: Path, counts: Counter[str], total: int) -> int:
    kept = sorted((stem, count) for stem, count in counts.items() if count >= MIN_DOCUMENTS)
    path.parent.mkdir(parents=True, exist_ok=True)
    # mtime 0: the same counts always give the same bytes.
    with gzip.GzipFile(path, "wb", mtime=0) as raw:
        raw.write(f"documents\t{total}\n".encode())
        raw.write("".join(f"{stem}\t{count}\n" for stem, count in kept).encode())
    return len(kept)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    arguments = parser.parse_args()
    for lang, reports in (("de", german_reports(arguments.data)),):
        counts, total = document_frequencies(reports)
        kept = write_table(NEWS_TABLES[lang], counts, total)
        print(f"{lang}: {total:,} reports, {len(counts):,} stems, {kept:,} kept (in at least {MIN_DOCUMENTS}) "
              f"-> {NEWS_TABLES[lang].relative_to(REPO_ROOT)} ({NEWS_TABLES[lang].stat().st_size / 1024:,.0f} KiB)")


if __name__ == "__main__":
    main()
