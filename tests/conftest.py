"""Shared fixtures: the sample corpus, two ways to run the `dedup` command, generated articles.

`run_dedup` runs the real command in a child process (`python -m dedup …`), so its exit
code, stdout and stderr are exactly what a shell or a CI job sees. `dedup_cli` calls
`dedup.cli.main(argv)` in this process for speed; it is used where many small runs would
otherwise pay the start-up of a new interpreter each time.

Generated articles are German news-like sentences assembled from word lists with a
seeded random generator: the same seed gives the same text, and two different seeds give
texts that share next to no five-word sequence, so they are never copies of each other.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLES_DIR = REPO_ROOT / "samples"
# The sample reports the story tests use, as ids relative to samples/.
DW = "seeds/dw-2021-12-31-biden-warnt-putin.txt"
APA = "seeds/derstandard-apa-2021-12-30-biden-putin-telefonat.txt"
SUMMIT = "stories/de-videogipfel-2021-12-07.txt"
QUAKE_A = "stories/en-quake-wire-a.txt"
QUAKE_B = "stories/en-quake-wire-b.txt"
OTHER_QUAKE = "stories/en-quake-other.txt"
# Rich sizes and colours its output by these; runs must not depend on the caller's terminal.
RICH_ENVIRONMENT = ("COLUMNS", "LINES", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")


@dataclass(frozen=True)
class Run:
    """What one run of the command left behind."""

    code: int
    stdout: str
    stderr: str

    def json(self) -> dict:
        return json.loads(self.stdout)

    @property
    def stderr_lines(self) -> list[str]:
        return self.stderr.splitlines()


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH", "")]))
    env["PYTHONIOENCODING"] = "utf-8"
    for name in RICH_ENVIRONMENT:
        env.pop(name, None)
    return env


def run_dedup_process(*args: str | os.PathLike, stdin_bytes: bytes | None = None, cwd: Path | None = None,
                      env_extra: dict[str, str] | None = None) -> Run:
    env = _child_env()
    env.update(env_extra or {})
    completed = subprocess.run(
        [sys.executable, "-m", "dedup", *map(str, args)],
        input=stdin_bytes if stdin_bytes is not None else b"",
        capture_output=True,
        cwd=cwd or REPO_ROOT,
        env=env,
        timeout=120,
    )
    return Run(completed.returncode, completed.stdout.decode("utf-8"), completed.stderr.decode("utf-8"))


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES_DIR


@pytest.fixture
def run_dedup():
    """run_dedup(*args, stdin_bytes=None) -> Run(code, stdout, stderr), in a child process."""
    return run_dedup_process


@pytest.fixture
def dedup_cli(capsys, monkeypatch):
    """dedup_cli(*args, stdin_bytes=None) -> Run(code, stdout, stderr), in this process."""
    from dedup.cli import main

    for name in RICH_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)

    def run(*args: str | os.PathLike, stdin_bytes: bytes | None = None) -> Run:
        capsys.readouterr()  # drop anything printed before this run
        if stdin_bytes is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin_bytes), encoding="utf-8"))
        code = main([str(arg) for arg in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


# --- generated articles ---------------------------------------------------------------

_SUBJECTS = [
    "Der Bürgermeister", "Die Landesregierung", "Ein Sprecher der Polizei", "Die Feuerwehr",
    "Der Gemeinderat", "Eine Sprecherin des Ministeriums", "Der Verkehrsverbund", "Die Bäckerinnung",
    "Der Sportverein", "Die Stadtwerke", "Ein Anwohner", "Die Schulleiterin", "Der Tourismusverband",
    "Die Bergrettung", "Der Landwirt", "Die Bibliothek", "Ein Gutachter", "Die Gewerkschaft",
]
_VERBS = [
    "kündigte", "bestätigte", "verschob", "kritisierte", "plante", "eröffnete", "prüfte",
    "verteidigte", "lobte", "meldete", "beantragte", "bezahlte", "untersuchte", "feierte",
]
_TIMES = [
    "am Montag", "am Dienstagabend", "in der Nacht auf Mittwoch", "am Donnerstagvormittag",
    "am Freitag", "am Wochenende", "vergangene Woche", "im Frühjahr", "seit Jänner", "im Herbst",
    "kurz vor Mitternacht", "nach langer Debatte",
]
_OBJECTS = [
    "den Umbau des Bahnhofs", "eine neue Buslinie", "die Sanierung der Turnhalle", "das Hochwasserbecken",
    "den Radweg am Fluss", "die Erweiterung des Kindergartens", "ein Konzert im Park", "die Brückenprüfung",
    "den Winterdienst", "die Gebühren für Parkplätze", "einen Zuschuss für Vereine", "das Stadtfest",
    "die Ausschreibung für Solaranlagen", "den Bau von Wohnungen", "die Schließung des Hallenbads",
]
_PLACES = [
    "in Grünau", "in Steinach", "im Bezirk Kufstein", "am Stadtrand", "in der Altstadt", "im Nachbarort",
    "entlang der Ache", "im Gewerbegebiet", "auf dem Marktplatz", "im Landtag", "in Oberdorf", "bei Salzburg",
]
_REASONS = [
    "weil die Kosten gestiegen seien", "nachdem Anrainer Beschwerden eingereicht hatten",
    "obwohl das Geld noch fehle", "damit Pendler schneller ans Ziel kommen", "wie die Zeitung berichtete",
    "nach Angaben der Behörde", "trotz heftiger Kritik der Opposition", "um Energie zu sparen",
]


def _facts(rng: random.Random) -> tuple[str, str, str, str, str, str, int]:
    return (rng.choice(_SUBJECTS), rng.choice(_VERBS), rng.choice(_TIMES), rng.choice(_OBJECTS),
            rng.choice(_PLACES), rng.choice(_REASONS), rng.randint(2, 99999))


def _sentence(rng: random.Random) -> str:
    subject, verb, time, thing, place, reason, amount = _facts(rng)
    return f"{subject} {verb} {time} {thing} {place}, {reason}; die Rede ist von {amount} Euro."


def _retold_sentence(rng: random.Random) -> str:
    """The facts `_sentence` would state for the same generator state, in other words."""
    subject, verb, time, thing, place, reason, amount = _facts(rng)
    return f"Es geht um {amount} Euro {place}: Es war {time}, als es um {thing} ging. {subject} {verb} es so, {reason}."


class Articles:
    """Generated German articles, written where a test wants them."""

    @staticmethod
    def text(seed: int, sentences: int = 8) -> str:
        """A paragraph of `sentences` sentences; the same seed always gives the same text."""
        rng = random.Random(seed)
        return " ".join(_sentence(rng) for _ in range(sentences))

    @staticmethod
    def retold(seed: int, sentences: int = 8) -> str:
        """Another report of what `text(seed)` says: the same facts, none of its sentences."""
        rng = random.Random(seed)
        return " ".join(_retold_sentence(rng) for _ in range(sentences))

    @staticmethod
    def title(seed: int) -> str:
        rng = random.Random(seed * 7919 + 1)
        return f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}"

    @staticmethod
    def edited_copy(text: str, seed: int = 0) -> str:
        """A lightly edited copy: one word in the middle replaced, as a sub-editor would."""
        words = text.split()
        words[len(words) // 2 + seed % 5] = "außerdem"
        return " ".join(words)

    def write(self, path: Path, seed: int = 0, title: str | None = None, sentences: int = 8,
              text: str | None = None) -> Path:
        """An article file: an optional title line, a blank line, then the body."""
        path.parent.mkdir(parents=True, exist_ok=True)
        body = text if text is not None else self.text(seed, sentences)
        path.write_text(f"{title}\n\n{body}\n" if title else f"{body}\n", encoding="utf-8")
        return path

    @staticmethod
    def write_jsonl(path: Path, records: list[dict]) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records),
                        encoding="utf-8")
        return path

    @staticmethod
    def cluster_sets(document: dict) -> set[frozenset[str]]:
        """The clusters of a dedup.scan/1 object as a set of member sets, order ignored."""
        return {frozenset(cluster["members"]) for cluster in document["clusters"]}


@pytest.fixture(scope="session")
def articles() -> Articles:
    return Articles()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A real Redis server (`redis-server` from the system's packages) on a free port for the
    session. Skipped only where none is installed, as on a laptop without it; .ci/run
    installs it and sets DEDUP_REQUIRE_REDIS, under which a missing server fails."""
    server = shutil.which("redis-server")
    if server is None:
        if os.environ.get("DEDUP_REQUIRE_REDIS"):
            pytest.fail("redis-server is not installed, and DEDUP_REQUIRE_REDIS says these tests must run")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    directory = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                "--dir", str(directory)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def local_ray():
    """A local Ray with two CPUs, started once for the module that asks for it and stopped
    after it. Skipped only where Ray is not installed, as on a laptop without the extra;
    .ci/run installs it and sets DEDUP_REQUIRE_RAY, under which a missing Ray fails."""
    try:
        import ray
    except ImportError:
        if os.environ.get("DEDUP_REQUIRE_RAY"):
            pytest.fail("Ray is not installed, and DEDUP_REQUIRE_RAY says these tests must run")
        pytest.skip("Ray is not installed (pip install 'dedup[ray]')")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
    yield ray
    ray.shutdown()


_databases = itertools.cycle(range(1, 16))  # each is emptied before use


@pytest.fixture(params=["sqlite", "redis"])
def index_location(request, tmp_path):
    """A fresh index location: an SQLite file, or an empty Redis database."""
    if request.param == "sqlite":
        return str(tmp_path / "corpus.index")
    url = f"{request.getfixturevalue('redis_url')}/{next(_databases)}"
    import redis

    redis.Redis.from_url(url).flushdb()
    return url
