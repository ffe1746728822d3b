"""The words the SMART rules look for, in English and French.

Indicator statements come in both languages, and bilingual plans mix them, so every rule applies both
word lists whatever the row's language (the English and French lists do not collide). Texts are folded
(:func:`fold`) before matching: lower case, NFKC, typographic apostrophes made plain.
"""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Lower-case, NFKC-normalised text with plain apostrophes and single spaces, for matching."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.split())


def _words(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


# Placeholders left from a template: "[specify number]", "[préciser]", "XX", "___", "<number>", "TBD".
PLACEHOLDER = re.compile(
    r"\[[^\]]*\]"
    r"|<[^<>]{1,40}>"
    r"|_{3,}"
    r"|(?<!\w)(?:x{2,}|tbd|tbc|to be (?:determined|confirmed|defined)|à (?:déterminer|définir|préciser|compléter|confirmer))(?!\w)"
)

# What an indicator can measure. A statement naming one of these has a measure.
_MEASURES_EN = (
    r"numbers?",
    r"percent(?:age)?s?",
    r"proportions?",
    r"shares?",
    r"rates?",
    r"ratios?",
    r"counts?",
    r"scores?",
    r"average",
    r"mean",
    r"totals?",
    r"amounts?",
    r"levels?",
    r"frequency",
    r"time taken",
    r"duration",
)
_MEASURES_FR = (
    r"nombres?",
    r"pourcentages?",
    r"proportions?",
    r"parts?",
    r"taux",
    r"ratios?",
    r"scores?",
    r"moyennes?",
    r"totals?",
    r"totaux",
    r"montants?",
    r"niveaux?",
    r"fréquence",
    r"délais?",
    r"durée",
)
MEASURE = re.compile(r"(?<!\w)(?:" + "|".join(_MEASURES_EN + _MEASURES_FR) + r")(?!\w)|%|#|\bno\. of\b")

# Two measures joined in one statement: "number and percentage of", "# and % of", "nombre et/ou taux de".
_BUNDLE_MEASURE = (
    r"(?:numbers?|percent(?:age)?s?|proportions?|shares?|rates?|ratios?|#|%"
    r"|nombres?|pourcentages?|taux|parts?)"
)
BUNDLED_MEASURES = re.compile(
    r"(?<!\w)" + _BUNDLE_MEASURE + r"\s*\(?\s*(?:and/or|and|or|&|/|et/ou|et|ou)\s*\(?\s*" + _BUNDLE_MEASURE
)
AND_OR = re.compile(r"(?<!\w)(?:and/or|et/ou)(?!\w)")

# Verbs that describe a wish rather than a measure ("strengthened coordination", « renforcer … »).
VAGUE_VERB = _words(
    r"strengthen(?:s|ed|ing)?",
    r"improve(?:s|d|ment)?",
    r"improving",
    r"enhance(?:s|d|ment)?",
    r"enhancing",
    r"reinforce(?:s|d|ment)?",
    r"promot(?:e|es|ed|ing|ion)",
    r"foster(?:s|ed|ing)?",
    r"support(?:s|ed|ing)?",
    r"ensur(?:e|es|ed|ing)",
    r"build(?:s|ing)? (?:the )?capacit(?:y|ies)",
    r"capacity[- ]building",
    r"raise(?:s|d)? awareness",
    r"awareness[- ]raising",
    r"increase(?:s|d)?",
    r"reduce(?:s|d)?",
    r"renforc(?:er|é|ée|és|ées|ement|ements)",
    r"amélior(?:er|é|ée|és|ées|ation|ations)",
    r"accro(?:ître|itre|issement)",
    r"accru(?:e|s|es)?",
    r"promouvoir",
    r"promu(?:e|s|es)?",
    r"soutenir",
    r"soutenu(?:e|s|es)?",
    r"appu(?:yer|i|yé|yée)",
    r"assurer",
    r"garantir",
    r"sensibilis(?:er|é|ée|és|ées|ation)",
    r"favoris(?:er|é|ée)",
    r"consolid(?:er|é|ée|és|ées|ation)",
    r"augment(?:er|é|ée|és|ées|ation)",
    r"rédui(?:re|t|te|ts|tes)",
    r"réduction",
)

# Absolute targets ("all victims", « tous les agents », "zero cases", "100 %"). A quantifier right after
# "of"/"de"/"among" names the denominator ("percentage of all officers trained"), not the target.
ABSOLUTE = re.compile(
    r"(?<!\bof )(?<!\bde )(?<!\bdes )(?<!\bamong )(?<!\bparmi )"
    r"(?<!\w)(?:all|every|entire|universal|zero|no (?:cases?|victims?|child(?:ren)?)|none"
    r"|tous|toutes|tout le|toute la|l'ensemble des|la totalité des|l'intégralité des|zéro|aucune?)(?!\w)"
    r"|(?<![\d.,])100\s?%"
)

# People-counting statements: these need at least a sex breakdown.
PEOPLE = _words(
    r"persons?",
    r"people",
    r"individuals?",
    r"victims?",
    r"survivors?",
    r"officers?",
    r"officials?",
    r"staff",
    r"personnel",
    r"participants?",
    r"trainees?",
    r"trainers?",
    r"respondents?",
    r"children",
    r"child",
    r"girls?",
    r"boys?",
    r"women",
    r"men",
    r"judges?",
    r"magistrates?",
    r"prosecutors?",
    r"inspectors?",
    r"workers?",
    r"migrants?",
    r"employees?",
    r"police(?:men|women)?",
    r"personnes?",
    r"individus?",
    r"victimes?",
    r"survivant(?:e|s|es)?",
    r"agents?",
    r"fonctionnaires?",
    r"employé(?:e|s|es)?",
    r"enfants?",
    r"filles?",
    r"garçons?",
    r"femmes?",
    r"hommes?",
    r"juges?",
    r"magistrat(?:e|s|es)?",
    r"procureur(?:e|s|es)?",
    r"inspect(?:eur|eurs|rice|rices)",
    r"travailleu(?:r|rs|se|ses)",
    r"migrant(?:e|s|es)?",
    r"formateur(?:s)?",
    r"formatrices?",
    r"stagiaires?",
    r"répondant(?:e|s|es)?",
)

SEX_BREAKDOWN = _words(r"sex", r"gender", r"sexe", r"genre", r"female/male", r"women/men", r"femmes/hommes")

# Baselines people write when there is legitimately none.
NOT_APPLICABLE = re.compile(
    r"^(?:n/?a|not applicable|none yet|no baseline|new indicator|sans objet|non applicable|s\.?o\.?"
    r"|pas de (?:valeur de )?référence|nouvel indicateur)$"
)

YES_NO = re.compile(r"^(?:yes|no|oui|non|true|false|achieved|not achieved|atteint|non atteint|done|fait)$")

# Unit synonyms → the four kinds the rules know.
UNIT_KINDS: dict[str, str] = {
    "number": "number",
    "count": "number",
    "#": "number",
    "nombre": "number",
    "percent": "percent",
    "percentage": "percent",
    "%": "percent",
    "pourcentage": "percent",
    "proportion": "percent",
    "rate (%)": "percent",
    "taux (%)": "percent",
    "milestone": "milestone",
    "yes/no": "milestone",
    "yes_no": "milestone",
    "oui/non": "milestone",
    "jalon": "milestone",
    "binary": "milestone",
    "scale": "scale",
    "qualitative": "scale",
    "rating": "scale",
    "échelle": "scale",
    "qualitatif": "scale",
}

PERCENT_STATEMENT = re.compile(r"(?<!\w)(?:percent(?:age)?|proportion|share|pourcentage|part)(?!\w)|%")
NUMBER_STATEMENT = re.compile(r"^(?:the )?(?:number|no\.|#|nombre)(?!\w)")

YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
