"""People in news text: who a name refers to, however a report writes it.

News names a person in full once ("Representative Joe Sestak", "Juri Uschakow") and then
by surname ("Mr. Sestak", "Uschakows"); German and English reports transliterate Russian
and Ukrainian names differently ("Wladimir"/"Vladimir", "Uschakow"/"Ushakov",
"Selenskyj"/"Zelensky"). `person_key` folds those spellings into one key, so the two
reports' mentions meet; the key is for matching only, people see the names as written.

English capitalises only names, so a run of two or three capitalised words inside a
sentence is a name unless it is a title, an institution or a place ("Supreme Court",
"Red Cross", "Port Arlen": a word of INSTITUTION_WORDS in it). German capitalises every
noun, so there a person is only recognised after a role word (dedup.facts.atoms).
"""

from __future__ import annotations

import re
import unicodedata

# Titles before a surname alone: "Mr. Sestak", "Sen. Specter", "Frau Merkel".
HONORIFICS = frozenset(
    "mr mrs ms miss dr sen rep gov gen representative senator governor president herr frau".split()
)
# Words that make a capitalised run an institution or a place, not a person.
INSTITUTION_WORDS = frozenset(
    """port mount mt lake river bay gulf sea ocean island islands hill valley cross court party house senate
    congress parliament department ministry university college school academy council committee commission agency
    institute bank company corporation group times post journal news network television radio tv street avenue road
    square city county state states province republic union nations airport station hospital church fund foundation
    association office army navy force forces police service guard north south east west northern southern eastern
    western national international federal central united new great royal democratic republican democrats
    republicans party's center centre museum club league cup prize award act bill law treaty war board seminary
    initiative elementary campaign project program programme society trust coalition alliance movement caucus
    magazine show media press inc llc ltd studios airlines systems labs partners capital holdings morning evening
    daily weekly tonight festival games olympics summit conference democrat republican conservative liberal labour
    tory green former vice deputy acting chief senior junior first lady sir dame lord saint st attorney minority
    majority whip speaker""".split()
)

# Words that end an organisation's name after a place: "New York Times", "Ohio State University".
ORGANISATION_HEADS = frozenset(
    """times post journal news tribune herald gazette chronicle observer telegraph guardian review magazine
    university college school institute academy seminary hospital police department court council committee
    commission agency bank company corporation airlines airport station state tech""".split()
)

# Words that make a capitalised English run an organisation's name ("National Rifle
# Association", "Red Cross", "Clinton Global Initiative").
ORGANISATION_WORDS = ORGANISATION_HEADS | frozenset(
    """cross party ministry network foundation association office army navy service club league board initiative
    campaign project program programme society trust coalition alliance movement caucus fund church union nations
    congress senate parliament federation organization organisation institute council group""".split()
)

_FOLDS = (  # German transliteration to English, applied to a case-folded name
    ("tsch", "ch"), ("sch", "sh"), ("w", "v"), ("z", "s"),
)
# "Juri"/"Yuri", "Jewgeni"/"Yevgeny"; not "Joe" or "Jen", which English writes with a J too.
_WORD_START_J = re.compile(r"\bj(?=u|ev)")
_ENDINGS = re.compile(r"(?:yj|ij|iy|yi)\b")


def person_key(name: str) -> str:
    """One key for the spellings of one name: "Wladimir Putin" and "Vladimir Putin",
    "Juri Uschakow" and "Yuri Ushakov", "Selenskyj" and "Zelensky"."""
    folded = "".join(char for char in unicodedata.normalize("NFD", name.casefold()) if not unicodedata.combining(char))
    folded = re.sub(r"['’]s\b", "", folded)
    for german, english in _FOLDS:
        folded = folded.replace(german, english)
    folded = _WORD_START_J.sub("y", folded)
    folded = _ENDINGS.sub("y", folded)
    return " ".join(folded.split())


def surname_of(key: str) -> str:
    return key.rsplit(" ", 1)[-1]
