"""The catalogue of SMART rules, in English and French (documented at length in docs/indicators.md).

The findings' messages are gettext templates in :mod:`.smart`; this catalogue is data for pages that list
the rules (a legend, a help panel), so its texts are carried in both languages here, like the legal
checklist's, rather than in the translation catalogue.
"""

from __future__ import annotations

from ctip.core.indicators.model import Criterion, Rule, Severity
from ctip.core.tna.model import Text

# A statement shorter than this cannot say what is counted and for whom ("Training", "Victims assisted").
MIN_WORDS = 4
# Achievable: a count target above this multiple of a non-zero baseline, or a percentage moving by more
# than this many points, is flagged for a second look (see docs/indicators.md for the reasoning).
MAX_COUNT_MULTIPLE = 3.0
MAX_PERCENT_POINTS = 50.0

S, M, A, R, T = (
    Criterion.SPECIFIC,
    Criterion.MEASURABLE,
    Criterion.ACHIEVABLE,
    Criterion.RELEVANT,
    Criterion.TIME_BOUND,
)
E, W = Severity.ERROR, Severity.WARNING


def _rule(rule_id: str, criterion: Criterion, severity: Severity, *texts: tuple[str, str]) -> Rule:
    title, description, fix = (Text(en, fr) for en, fr in texts)
    return Rule(rule_id, criterion, severity, title, description, fix)


RULES: tuple[Rule, ...] = (
    _rule(
        "specific.empty",
        S,
        E,
        ("No statement", "Aucun énoncé"),
        ("The indicator has no text.", "L’indicateur n’a pas de texte."),
        ("Write what is counted and for whom.", "Écrire ce qui est compté et pour qui."),
    ),
    _rule(
        "specific.placeholder",
        S,
        E,
        ("Placeholder in the statement", "Espace réservé dans l’énoncé"),
        (
            "The statement still holds a template gap such as “[specify number]”, “XX” or “TBD”.",
            "L’énoncé contient encore un blanc de modèle comme « [préciser] », « XX » ou « à déterminer ».",
        ),
        (
            "Replace the placeholder with the real population, place or value.",
            "Remplacer l’espace réservé par la population, le lieu ou la valeur réels.",
        ),
    ),
    _rule(
        "specific.bundled_measures",
        S,
        E,
        ("Two measures in one indicator", "Deux mesures dans un indicateur"),
        (
            "The statement asks for two measures at once, e.g. “number and percentage”.",
            "L’énoncé demande deux mesures à la fois, p. ex. « nombre et pourcentage ».",
        ),
        (
            "Keep one measure, or split the row into two indicators.",
            "Garder une seule mesure, ou scinder la ligne en deux indicateurs.",
        ),
    ),
    _rule(
        "specific.and_or",
        S,
        W,
        ("“and/or” in the statement", "« et/ou » dans l’énoncé"),
        ("“and/or” leaves open what is counted.", "« et/ou » laisse ouvert ce qui est compté."),
        (
            "Say whether both or either condition counts, or split the indicator.",
            "Préciser si les deux conditions ou l’une d’elles comptent, ou scinder l’indicateur.",
        ),
    ),
    _rule(
        "specific.vague_verb",
        S,
        E,
        ("Verb without a measure", "Verbe sans mesure"),
        (
            "A verb such as “strengthen”, “improve” or “raise awareness” with no number, percentage, rate or "
            "score to observe it.",
            "Un verbe comme « renforcer », « améliorer » ou « sensibiliser » sans nombre, pourcentage, taux ou "
            "score pour l’observer.",
        ),
        (
            "Name what will be counted: “Number of … that …”, “Percentage of … who …”.",
            "Nommer ce qui sera compté : « Nombre de … qui … », « Pourcentage de … qui … ».",
        ),
    ),
    _rule(
        "specific.too_short",
        S,
        W,
        ("Statement too short", "Énoncé trop court"),
        (
            "Fewer than four words rarely say what is counted and among whom.",
            "Moins de quatre mots disent rarement ce qui est compté et parmi qui.",
        ),
        (
            "Name the measure, the population and the condition.",
            "Nommer la mesure, la population et la condition.",
        ),
    ),
    _rule(
        "measurable.no_unit",
        M,
        E,
        ("No unit", "Pas d’unité"),
        (
            "The unit (number, percentage, yes/no milestone or scale) is missing.",
            "L’unité (nombre, pourcentage, jalon oui/non ou échelle) manque.",
        ),
        ("Choose one unit.", "Choisir une unité."),
    ),
    _rule(
        "measurable.placeholder_value",
        M,
        E,
        ("Placeholder value", "Valeur fictive"),
        (
            "The baseline or target is a template gap such as “[X]” or “TBD”.",
            "La référence ou la cible est un blanc de modèle comme « [X] » ou « à déterminer ».",
        ),
        (
            "Enter the value, or “not applicable” for a baseline that cannot exist.",
            "Saisir la valeur, ou « sans objet » pour une référence qui ne peut exister.",
        ),
    ),
    _rule(
        "measurable.no_target",
        M,
        E,
        ("No target", "Pas de cible"),
        ("The target value is missing.", "La valeur cible manque."),
        ("Enter the value to reach by the target date.", "Saisir la valeur à atteindre à l’échéance."),
    ),
    _rule(
        "measurable.no_baseline",
        M,
        E,
        ("No baseline", "Pas de valeur de référence"),
        (
            "The baseline is empty; “not applicable” must be said explicitly.",
            "La valeur de référence est vide ; « sans objet » doit être dit explicitement.",
        ),
        (
            "Enter the baseline (the TNA often provides it) or “not applicable”.",
            "Saisir la référence (l’ETB la fournit souvent) ou « sans objet ».",
        ),
    ),
    _rule(
        "measurable.not_numeric",
        M,
        E,
        ("Value is not a quantity", "Valeur non quantitative"),
        (
            "A number or percentage indicator has a baseline or target that is not a number (a milestone "
            "needs yes/no).",
            "Un indicateur en nombre ou pourcentage a une référence ou une cible qui n’est pas un nombre (un "
            "jalon demande oui/non).",
        ),
        (
            "Enter a number, or change the unit to a scale and describe it.",
            "Saisir un nombre, ou passer l’unité à une échelle et la décrire.",
        ),
    ),
    _rule(
        "measurable.scale_undefined",
        M,
        E,
        ("Scale not described", "Échelle non décrite"),
        (
            "A qualitative indicator has no scale saying what each level means.",
            "Un indicateur qualitatif n’a pas d’échelle disant ce que signifie chaque niveau.",
        ),
        (
            "Describe the scale, e.g. “1 = no SOP … 4 = SOP applied and reviewed”.",
            "Décrire l’échelle, p. ex. « 1 = pas de POS … 4 = POS appliquées et revues ».",
        ),
    ),
    _rule(
        "measurable.percent_out_of_range",
        M,
        E,
        ("Percentage outside 0–100", "Pourcentage hors de 0–100"),
        (
            "A percentage baseline or target is below 0 or above 100.",
            "Une référence ou une cible en pourcentage est inférieure à 0 ou supérieure à 100.",
        ),
        (
            "Correct the value, or change the unit to a number.",
            "Corriger la valeur, ou passer l’unité à nombre.",
        ),
    ),
    _rule(
        "measurable.negative_count",
        M,
        E,
        ("Negative count", "Nombre négatif"),
        ("A count cannot be below zero.", "Un dénombrement ne peut pas être négatif."),
        ("Correct the value.", "Corriger la valeur."),
    ),
    _rule(
        "measurable.target_equals_baseline",
        M,
        W,
        ("Target equals baseline", "Cible égale à la référence"),
        (
            "The target is the baseline: no change is expected.",
            "La cible égale la référence : aucun changement attendu.",
        ),
        (
            "Set the change you expect, or say in the definition that the aim is to maintain the level.",
            "Fixer le changement attendu, ou dire dans la définition que le but est de maintenir le niveau.",
        ),
    ),
    _rule(
        "measurable.unit_mismatch",
        M,
        W,
        ("Statement and unit disagree", "Énoncé et unité discordants"),
        (
            "The statement says “percentage” but the unit is a number, or “number of” but the unit is a "
            "percentage.",
            "L’énoncé dit « pourcentage » mais l’unité est un nombre, ou « nombre de » mais l’unité est un "
            "pourcentage.",
        ),
        ("Align the unit with the statement.", "Aligner l’unité sur l’énoncé."),
    ),
    _rule(
        "achievable.absolute_target",
        A,
        W,
        ("Absolute target", "Cible absolue"),
        (
            "“All”, “every”, “zero” or 100 % is rarely reachable within a plan’s period.",
            "« Tous », « chaque », « zéro » ou 100 % est rarement atteignable pendant la durée d’un plan.",
        ),
        (
            "Set a target the programme can reach and influence.",
            "Fixer une cible que le programme peut atteindre et influencer.",
        ),
    ),
    _rule(
        "achievable.implausible_change",
        A,
        W,
        ("Very large change", "Changement très important"),
        (
            "A count target more than three times a non-zero baseline, or a percentage moving by more than "
            "50 points.",
            "Une cible en nombre de plus de trois fois une référence non nulle, ou un pourcentage qui varie de "
            "plus de 50 points.",
        ),
        (
            "Check the value against past trends and resources.",
            "Vérifier la valeur au regard des tendances passées et des moyens.",
        ),
    ),
    _rule(
        "relevant.no_data_source",
        R,
        E,
        ("No data source", "Pas de source de données"),
        (
            "Nobody can verify the indicator without a data source.",
            "Personne ne peut vérifier l’indicateur sans source de données.",
        ),
        (
            "Name the register, report or survey the value comes from.",
            "Nommer le registre, le rapport ou l’enquête d’où vient la valeur.",
        ),
    ),
    _rule(
        "relevant.no_responsible",
        R,
        E,
        ("No responsible agency", "Pas d’organisme responsable"),
        (
            "No agency is answerable for reporting the indicator.",
            "Aucun organisme ne répond du suivi de l’indicateur.",
        ),
        (
            "Name the agency that collects and reports the value.",
            "Nommer l’organisme qui collecte et rapporte la valeur.",
        ),
    ),
    _rule(
        "relevant.no_sex_disaggregation",
        R,
        E,
        ("People counted without a sex breakdown", "Personnes comptées sans ventilation par sexe"),
        (
            "The indicator counts people but is not disaggregated by sex.",
            "L’indicateur compte des personnes mais n’est pas ventilé par sexe.",
        ),
        (
            "Add sex (and, where useful, age band and location) to the disaggregation.",
            "Ajouter le sexe (et, si utile, la tranche d’âge et le lieu) à la ventilation.",
        ),
    ),
    _rule(
        "time_bound.no_target_date",
        T,
        E,
        ("No target date", "Pas d’échéance"),
        (
            "Neither a target year nor a period with a year is given.",
            "Ni année cible ni période comportant une année.",
        ),
        (
            "Enter the target year or the period, e.g. “2026–2028”.",
            "Saisir l’année cible ou la période, p. ex. « 2026–2028 ».",
        ),
    ),
    _rule(
        "time_bound.target_in_past",
        T,
        E,
        ("Target date passed", "Échéance dépassée"),
        ("The target year is before the current year.", "L’année cible est antérieure à l’année en cours."),
        (
            "Move the target date forward, or record the result as an actual.",
            "Reporter l’échéance, ou enregistrer le résultat comme réalisation.",
        ),
    ),
    _rule(
        "time_bound.baseline_not_before_target",
        T,
        E,
        ("Baseline year not before target year", "Année de référence non antérieure à l’échéance"),
        (
            "The baseline year must come before the target year.",
            "L’année de référence doit précéder l’année cible.",
        ),
        ("Correct one of the two years.", "Corriger l’une des deux années."),
    ),
    _rule(
        "time_bound.no_baseline_year",
        T,
        W,
        ("Baseline without a year", "Référence sans année"),
        (
            "A baseline value without the year it was measured cannot be compared.",
            "Une valeur de référence sans l’année de sa mesure ne peut pas être comparée.",
        ),
        ("Enter the year of the baseline.", "Saisir l’année de la référence."),
    ),
    _rule(
        "time_bound.no_frequency",
        T,
        W,
        ("No reporting frequency", "Pas de fréquence de suivi"),
        ("How often the value is collected is not said.", "La fréquence de collecte n’est pas indiquée."),
        (
            "Enter the frequency, e.g. quarterly or yearly.",
            "Saisir la fréquence, p. ex. trimestrielle ou annuelle.",
        ),
    ),
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
