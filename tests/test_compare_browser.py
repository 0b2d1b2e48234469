"""The HTML report of `dedup compare`, looked at in a real browser (issue 13, acceptance 5).

Headless Chromium renders the seeds' report; the test reads the screenshot's pixels and
asks what a reader would: is anything drawn, are the rows' colours there, is a word only
one report has highlighted (in a sentence, not only in the legend). The colours are not
written here: they are read from the report's own CSS, so a change of palette needs no
change of test, while a colour that never reaches the screen fails. The rendered DOM
(`--dump-dom`) shows that the legend and highlighted words survive the browser's parser.

The PNG is decoded here (zlib and NumPy; no imaging library is a dependency). The tests are
skipped only where no Chromium is installed, as on a laptop without it; .ci/run installs it
and sets DEDUP_REQUIRE_CHROMIUM, under which a missing browser fails.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from conftest import APA, DW, SAMPLES_DIR, run_dedup_process

from dedup.io.compare_render import KIND_LABELS
from dedup.model import RowKind

CHROMIUM_NAMES = ("chromium", "chromium-browser")
CHROMIUM_TIMEOUT = 120  # seconds; a cold start on a CI machine takes a few
WINDOW = (1400, 3200)  # two readable columns, and tall enough for the whole rows table of the seeds
# Colours match within this many steps per channel (the browser draws the CSS colours exactly;
# the margin only spares the test a colour-managed build).
TOLERANCE = 3
# "Visible": a row colour covers at least one cell of one line (≈ 100 × 20 pixels), a
# highlight at least a short word's box, a legend swatch at least a 10 × 10 square.
ROW_PIXELS = 2000
WORD_PIXELS = 300
SWATCH_PIXELS = 100


# --- Chromium ----------------------------------------------------------------------------


def _chromium_binary() -> str:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("DEDUP_REQUIRE_CHROMIUM"):
        pytest.fail("Chromium is not installed (looked for chromium, chromium-browser), "
                    "and DEDUP_REQUIRE_CHROMIUM says these tests must run")
    pytest.skip("Chromium is not installed (apt-get install chromium, or chromium-browser on Ubuntu)")


def _run_chromium(binary: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    """Headless Chromium with a throw-away profile. --no-sandbox because CI runs as root,
    where Chromium's sandbox refuses to start; the page is one the test wrote itself."""
    command = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--no-first-run", "--hide-scrollbars", f"--user-data-dir={profile}", *args]
    try:
        return subprocess.run(command, capture_output=True, timeout=CHROMIUM_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"Chromium did not finish within {CHROMIUM_TIMEOUT} s: {' '.join(command)}")


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> tuple[Path, str]:
    """The seeds' HTML report, written by the real command, as (file, text)."""
    run = run_dedup_process("compare", SAMPLES_DIR / APA, SAMPLES_DIR / DW, "--format", "html")
    assert run.code == 0, run.stderr
    path = tmp_path_factory.mktemp("report") / "compare-seeds.html"
    path.write_text(run.stdout, encoding="utf-8")
    return path, run.stdout


@pytest.fixture(scope="module")
def chromium() -> str:
    return _chromium_binary()


@pytest.fixture(scope="module")
def screenshot(chromium, report, tmp_path_factory) -> tuple[Path, np.ndarray]:
    """The report as Chromium draws it: the PNG's path (named in failures) and its pixels."""
    directory = tmp_path_factory.mktemp("screenshot")
    png = directory / "compare-seeds.png"
    done = _run_chromium(chromium, directory / "profile", f"--window-size={WINDOW[0]},{WINDOW[1]}",
                         f"--screenshot={png}", report[0].as_uri())
    assert done.returncode == 0 and png.exists(), (
        f"Chromium made no screenshot (exit {done.returncode}): {_tail(done.stderr)}")
    return png, read_png(png)


@pytest.fixture(scope="module")
def dom(chromium, report, tmp_path_factory) -> str:
    """The report's DOM after Chromium parsed and laid it out, serialised."""
    directory = tmp_path_factory.mktemp("dom")
    done = _run_chromium(chromium, directory / "profile", "--dump-dom", report[0].as_uri())
    assert done.returncode == 0 and done.stdout.strip(), (
        f"Chromium dumped no DOM (exit {done.returncode}): {_tail(done.stderr)}")
    return done.stdout.decode("utf-8")


def _tail(stderr: bytes, lines: int = 5) -> str:
    return " | ".join(stderr.decode("utf-8", "replace").strip().splitlines()[-lines:])


# --- PNG ---------------------------------------------------------------------------------

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def read_png(path: Path) -> np.ndarray:
    """An 8-bit RGB or RGBA, non-interlaced PNG (what Chromium writes) as a (height, width, 3)
    array of RGB. The scanline filters are undone row by row: None, Sub and Up with NumPy,
    Average and Paeth (each byte depends on the one just decoded to its left) in Python."""
    data = path.read_bytes()
    if not data.startswith(_PNG_SIGNATURE):
        raise ValueError(f"{path}: not a PNG file")
    position, header, compressed = len(_PNG_SIGNATURE), None, []
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        position += 12 + length  # length, type, body, CRC
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            compressed.append(body)
        elif kind == b"IEND":
            break
    if header is None:
        raise ValueError(f"{path}: PNG without a header")
    width, height, depth, colour_type, _compression, _filter, interlace = header
    if depth != 8 or colour_type not in (2, 6) or interlace:
        raise ValueError(f"{path}: only 8-bit, non-interlaced RGB or RGBA PNGs are read here "
                         f"(depth {depth}, colour type {colour_type}, interlace {interlace})")
    channels = 3 if colour_type == 2 else 4
    stride = width * channels
    raw = zlib.decompress(b"".join(compressed))
    if len(raw) != height * (stride + 1):
        raise ValueError(f"{path}: image data is {len(raw)} bytes, expected {height * (stride + 1)}")
    pixels = np.empty((height, stride), dtype=np.uint8)
    previous = np.zeros(stride, dtype=np.uint8)
    for y in range(height):
        start = y * (stride + 1)
        line = np.frombuffer(raw, dtype=np.uint8, count=stride, offset=start + 1)
        pixels[y] = previous = _unfilter(raw[start], line, previous, channels)
    return pixels.reshape(height, width, channels)[:, :, :3]


def _unfilter(kind: int, line: np.ndarray, previous: np.ndarray, channels: int) -> np.ndarray:
    if kind == 0:
        return line
    if kind == 1:  # Sub: a running sum along the row, per channel, modulo 256
        return np.cumsum(line.reshape(-1, channels), axis=0, dtype=np.uint8).reshape(-1)
    if kind == 2:  # Up
        return line + previous
    if kind not in (3, 4):
        raise ValueError(f"unknown PNG filter type {kind}")
    row, above = bytearray(line.tobytes()), previous.tobytes()
    for i in range(len(row)):
        left = row[i - channels] if i >= channels else 0
        if kind == 3:  # Average
            row[i] = (row[i] + ((left + above[i]) >> 1)) & 0xFF
            continue
        upper_left = above[i - channels] if i >= channels else 0
        estimate = left + above[i] - upper_left  # Paeth: the neighbour nearest the estimate
        to_left, to_above, to_upper_left = abs(estimate - left), abs(estimate - above[i]), abs(estimate - upper_left)
        if to_left <= to_above and to_left <= to_upper_left:
            nearest = left
        elif to_above <= to_upper_left:
            nearest = above[i]
        else:
            nearest = upper_left
        row[i] = (row[i] + nearest) & 0xFF
    return np.frombuffer(bytes(row), dtype=np.uint8)


# --- what the report's CSS says ---------------------------------------------------------------

_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S | re.I)
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_HEX_COLOUR = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")


def css_colours(page: str, property_name: str) -> dict[str, tuple[int, int, int]]:
    """selector → the colour its `property_name` declaration names (a hex colour; the
    shorthand `border: 1px solid #ddd` counts for "border"), from the page's <style>."""
    colours = {}
    for style in _STYLE.findall(page):
        for selectors, declarations in _RULE.findall(style):
            for declaration in declarations.split(";"):
                name, _, value = declaration.partition(":")
                colour = _HEX_COLOUR.search(value)
                if name.strip() == property_name and colour:
                    for selector in selectors.split(","):
                        colours[" ".join(selector.split())] = _rgb(colour.group(1))
    return colours


def _rgb(hex_digits: str) -> tuple[int, int, int]:
    if len(hex_digits) == 3:
        hex_digits = "".join(digit * 2 for digit in hex_digits)
    return tuple(int(hex_digits[i:i + 2], 16) for i in (0, 2, 4))


def row_kinds(page: str) -> list[str]:
    """The kinds of the rows the report has (the classes of its <tr>s), in first-seen order."""
    kinds = [kind.value for kind in RowKind]
    return list(dict.fromkeys(kind for kind in re.findall(r'<tr class="([a-z_]+)"', page) if kind in kinds))


def row_background(page: str, kind: str) -> tuple[int, int, int]:
    """The background the CSS gives a row of `kind` (any of its cells)."""
    backgrounds = css_colours(page, "background")
    for selector, colour in backgrounds.items():
        if selector.split()[0] == f"tr.{kind}":
            return colour
    pytest.fail(f"the report's CSS gives rows of kind {kind!r} no background colour (no `tr.{kind} …` rule)")


def highlight_background(page: str, side: str) -> tuple[int, int, int]:
    backgrounds = css_colours(page, "background")
    selector = f"mark.only-{side}"
    if selector not in backgrounds:
        pytest.fail(f"the report's CSS has no background for {selector} (words only the {side} report has)")
    return backgrounds[selector]


# --- what the screenshot shows -------------------------------------------------------------


def pixels_of(image: np.ndarray, colour: tuple[int, int, int]) -> np.ndarray:
    """A (height, width) mask of the pixels within TOLERANCE of `colour`."""
    return np.all(np.abs(image.astype(np.int16) - np.array(colour, dtype=np.int16)) <= TOLERANCE, axis=2)


def rows_table_top(image: np.ndarray, page: str) -> int:
    """The y of the rows table's top border, the first line drawn across nearly the full
    width in the cells' border colour: above it are the title and the legend."""
    borders = css_colours(page, "border")
    border = borders.get("td") or borders.get("th")
    assert border, "the report's CSS gives table cells no border colour (`td, th { border: … }`)"
    across = pixels_of(image, border).mean(axis=1) > 0.8
    lines = np.flatnonzero(across)
    assert lines.size, "no table border across the page in the screenshot: the rows table was not drawn"
    return int(lines[0])


def _hex(colour: tuple[int, int, int]) -> str:
    return "#" + "".join(f"{channel:02x}" for channel in colour)


# --- the tests -----------------------------------------------------------------------------


def test_the_page_is_drawn(screenshot):
    png, image = screenshot
    height, width, _ = image.shape
    assert (width, height) == WINDOW, f"{png}: {width}×{height}, expected the window's {WINDOW}"
    white = pixels_of(image, (255, 255, 255)).mean()
    assert white < 0.9, f"{png} is {white:.0%} white: the page is (nearly) blank"
    dark = (image.astype(np.int16).sum(axis=2) < 3 * 100).sum()
    assert dark >= 10_000, f"{png} has {dark} dark pixels: no text was drawn"
    colours = len(np.unique(image.reshape(-1, 3)[::7], axis=0))
    assert colours >= 50, f"{png} has only {colours} colours: nothing but flat fills was drawn"


def test_each_row_kind_shows_its_colour(screenshot, report):
    png, image = screenshot
    page = report[1]
    kinds = row_kinds(page)
    assert {"paraphrase", "left_only", "right_only"} <= set(kinds), (
        f"the seeds should give paraphrase and one-sided rows; the report has {kinds}")
    below_legend = image[rows_table_top(image, page):]
    for kind in kinds:
        colour = row_background(page, kind)
        seen = int(pixels_of(below_legend, colour).sum())
        assert seen >= ROW_PIXELS, (
            f"{png}: rows of kind {kind!r} should show {_hex(colour)}; {seen} pixels have it (want ≥ {ROW_PIXELS}; "
            f"if the rows table has grown past the window's {WINDOW[1]} pixels, make WINDOW taller)")


def test_words_only_one_report_has_are_highlighted_in_the_sentences_and_the_legend(screenshot, report):
    png, image = screenshot
    page = report[1]
    top = rows_table_top(image, page)
    for side in ("left", "right"):
        colour = highlight_background(page, side)
        mask = pixels_of(image, colour)
        in_legend, in_rows = int(mask[:top].sum()), int(mask[top:].sum())
        assert in_legend >= WORD_PIXELS, (
            f"{png}: the legend should show the {side}-only highlight {_hex(colour)}; {in_legend} pixels have it")
        assert in_rows >= WORD_PIXELS, (
            f"{png}: no word only the {side} report has is highlighted in {_hex(colour)} in the rows "
            f"({in_rows} pixels below the legend)")


def test_the_legend_shows_each_row_kind_colour(screenshot, report):
    png, image = screenshot
    page = report[1]
    legend = image[:rows_table_top(image, page)]
    for kind in row_kinds(page):
        colour = row_background(page, kind)
        seen = int(pixels_of(legend, colour).sum())
        assert seen >= SWATCH_PIXELS, f"{png}: the legend shows no {_hex(colour)} for rows of kind {kind!r}"


class _ReportDom(HTMLParser):
    """The legend's text and the highlighted words of the rows table, from a serialised DOM."""

    def __init__(self) -> None:
        super().__init__()
        self.legend_text: list[str] = []
        self.legend_marks: list[str] = []
        self.row_marks: list[tuple[str, str, str]] = []  # (row kind, mark class, word)
        self._open: list[tuple[str, str]] = []  # (tag, class) of the elements we are inside
        self._mark: tuple[str, str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if tag == "mark":
            row = next((cls for open_tag, cls in reversed(self._open) if open_tag == "tr"), "")
            self._mark = (row, classes, [])
            if self._inside("p", "legend"):
                self.legend_marks.append(classes)
        if tag not in ("br", "meta", "link", "img"):
            self._open.append((tag, classes))

    def handle_endtag(self, tag):
        if tag == "mark" and self._mark:
            row, classes, words = self._mark
            if row:
                self.row_marks.append((row, classes, "".join(words).strip()))
            self._mark = None
        for depth in range(len(self._open) - 1, -1, -1):
            if self._open[depth][0] == tag:
                del self._open[depth:]
                break

    def handle_data(self, data):
        if self._inside("p", "legend"):
            self.legend_text.append(data)
        if self._mark:
            self._mark[2].append(data)

    def _inside(self, tag: str, cls: str) -> bool:
        return any(open_tag == tag and cls in classes.split() for open_tag, classes in self._open)


def test_the_rendered_dom_has_the_legend_and_highlighted_words(dom):
    parsed = _ReportDom()
    parsed.feed(dom)
    legend = " ".join("".join(parsed.legend_text).split())
    assert legend, "the rendered DOM has no <p class=\"legend\">"
    for label in KIND_LABELS.values():
        assert label in legend, f"the legend does not name the row kind {label!r}: {legend!r}"
    assert {"only-left", "only-right"} <= set(parsed.legend_marks), (
        f"the legend should show both highlights; it has {parsed.legend_marks}")
    for side in ("left", "right"):
        words = [word for _, cls, word in parsed.row_marks if cls == f"only-{side}" and re.search(r"\w", word)]
        assert words, f"no <mark class=\"only-{side}\"> with a word in the rows table of the rendered DOM"
