"""Names the atom extractor knows, in German and English, each with its canonical value.

A small hand-kept gazetteer (no model, nothing downloaded): countries and cities that
news reports name most, international organisations, and news agencies. A name not
listed here can still be found: people by their role words, organisations as acronyms.
"""

from __future__ import annotations

from dedup.text.page import AGENCIES


def _table(rows: str) -> dict[str, str]:
    """"canonical: alias, alias" lines -> {casefolded alias: canonical}."""
    table: dict[str, str] = {}
    for line in rows.strip().splitlines():
        canonical, _, aliases = line.partition(":")
        for alias in [canonical, *aliases.split(",")]:
            if alias.strip():
                table[alias.strip().casefold()] = canonical.strip()
    return table


PLACES = _table(
    """
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
)

ORGANISATIONS = _table(
    """
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
    """
)

# In-text mentions of agencies ("laut der Agentur Interfax") besides the credit codes.
AGENCY_NAMES = {**{code: name for code, name in AGENCIES.items() if len(code) > 2}, "interfax": "Interfax",
                "ria nowosti": "RIA Novosti", "ria novosti": "RIA Novosti", "associated press": "AP",
                "agence france-presse": "AFP", "deutsche presse-agentur": "dpa"}
