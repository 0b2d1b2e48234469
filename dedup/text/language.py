"""Language per document, stop words and stems, for German and English.

The language is the one whose function words make up more of the text: news prose is
a third function words, and German and English share almost none of them, so a few
dozen words decide reliably. Unknown or other languages fall back to English rules
(stemming then changes little). Stems come from the Snowball stemmers (BSD), the
reference algorithms for both languages.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

import snowballstemmer

LANGUAGES = ("de", "en")
_SNOWBALL_NAMES = {"de": "german", "en": "english"}

# Short function-word lists (the Snowball lists, trimmed): a long list such as the
# 1,300 words of the stop-words package removes content ("said", "new") and matched worse.
STOP_WORDS = {
    "en": frozenset(
        """a an the and or but if of at by for with about against between into through during before after
        above below to from up down in out on off over under again further then once here there when where why how
        all any both each few more most other some such no nor not only own same so than too very s t can will just
        don should now i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she
        her hers herself it its itself they them their theirs themselves what which who whom this that these those am
        is are was were be been being have has had having do does did doing would could ought said says say""".split()
    ),
    "de": frozenset(
        """aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes anderm
        andern anders auch auf aus bei bin bis bist da damit dann der den des dem die das dass daß derselbe derselben
        denselben desselben demselben dieselbe dieselben dasselbe dazu dein deine deinem deinen deiner deines denn
        derer dessen dich dir du dies diese diesem diesen dieser dieses doch dort durch ein eine einem einen einer
        eines einig einige einigem einigen einiger einiges einmal er ihn ihm es etwas euer eure eurem euren eurer
        eures für gegen gewesen hab habe haben hat hatte hatten hier hin hinter ich mich mir ihr ihre ihrem ihren
        ihrer ihres euch im in indem ins ist jede jedem jeden jeder jedes jene jenem jenen jener jenes jetzt kann
        kein keine keinem keinen keiner keines können könnte machen man manche manchem manchen mancher manches mein
        meine meinem meinen meiner meines mit muss musste nach nicht nichts noch nun nur ob oder ohne sehr sein seine
        seinem seinen seiner seines selbst sich sie ihnen sind so solche solchem solchen solcher solches soll sollte
        sondern sonst über um und uns unsere unserem unseren unser unseres unter viel vom von vor während war waren
        warst was weg weil weiter welche welchem welchen welcher welches wenn werde werden wie wieder will wir wird
        wirst wo wollen wollte würde würden zu zum zur zwar zwischen""".split()
    ),
}
# Words that are function words in one language and content in the other ("die" is
# English too, "an" and "so" are both) decide nothing.
_DECISIVE_DE = STOP_WORDS["de"] - STOP_WORDS["en"]
_DECISIVE_EN = STOP_WORDS["en"] - STOP_WORDS["de"]


def detect_language(tokens: list[str]) -> str:
    """"de" or "en" for a document's words, in any case (other tokens count for neither):
    the larger share of function words wins. A token with an apostrophe or a hyphen in it
    counts as its words ("it's" as "it" and "s", "Nicht-Terrorismus" as "nicht" and
    "terrorismus"), as dedup.text.tokens.words reads them (a story token is letters, digits,
    apostrophes and hyphens: dedup.story.features)."""
    counted = {"de": 0, "en": 0}
    # Counted in C, then each distinct token case-folded and looked up once. No function
    # word holds an apostrophe or a hyphen, so a token that does is looked up by its pieces.
    for token, count in Counter(tokens).items():
        folded = token.casefold()
        for word in folded.replace("'", "-").split("-") if "-" in folded or "'" in folded else (folded,):
            if word in _DECISIVE_DE:
                counted["de"] += count
            elif word in _DECISIVE_EN:
                counted["en"] += count
    return "de" if counted["de"] > counted["en"] else "en"


@lru_cache(maxsize=4)
def _stemmer(lang: str):
    return snowballstemmer.stemmer(_SNOWBALL_NAMES.get(lang, "english"))


def content_stems(tokens: list[str], lang: str) -> list[str]:
    """The stems of the words that are not function words, in order."""
    stop = STOP_WORDS.get(lang, STOP_WORDS["en"])
    return _stemmer(lang).stemWords([token for token in tokens if token not in stop])


def stem_all(words: list[str], lang: str) -> list[str]:
    """The stems of many words in one call (no cache: for word lists read once)."""
    return _stemmer(lang).stemWords(words)


# A corpus repeats its words; each is stemmed once per process (2^18 words is a large
# corpus's vocabulary, some tens of MB).
@lru_cache(maxsize=1 << 18)
def stem(word: str, lang: str) -> str:
    return _stemmer(lang).stemWord(word)
