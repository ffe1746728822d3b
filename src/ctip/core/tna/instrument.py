"""The TNA survey instrument: what a respondent is asked, in English and French.

:func:`build_instrument` assembles one :class:`~ctip.core.tna.model.Instrument` from a set of competencies:
a consent statement, a profile block (sex, age band, organisation, role, location, years of service, earlier
training on trafficking), two ratings per competency (importance to the job and own competence today, on a
1–5 or 1–7 scale), questions about the respondent's institution, and three open questions. The XLSForm
writer (``ctip.formats.xlsform``), the printable questionnaire and the interview and focus-group guides
(``ctip.formats.tna_documents``) all build on it, so every channel asks the same questions under the same
field names.

:func:`segment_competencies` picks the competencies for one stakeholder segment: the foundational ones,
which everyone is asked about, and the specialised ones meant for that organisation type.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.stakeholders import ChainStage, Pillar
from ctip.core.tna.framework import CODE
from ctip.core.tna.model import Choice, Competency, CompetencyLevel, Instrument, Question, Text

SCALE_MAXIMA: tuple[int, ...] = (5, 7)
FIRST_TRAINING_YEAR = 1990
"""The earliest year accepted for an earlier training on trafficking (the Palermo Protocol is from 2000)."""
MAX_YEARS_OF_SERVICE = 50
OTHER = "other"
"""The choice name of “Other (please specify)” in the organisation list (not usable as an organisation
key)."""

_FORM_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_CHOICE_NAME = re.compile(r"[A-Za-z0-9_.-]+")
_RANGE = re.compile(r"\.\s*>=\s*(-?\d+)\s+and\s+\.\s*<=\s*(-?\d+)")

# --- Shared wording ----------------------------------------------------------------------------------------

PILLAR_TEXT: dict[str, Text] = {
    Pillar.PREVENTION.value: Text("Prevention", "Prévention"),
    Pillar.PROTECTION.value: Text("Protection", "Protection"),
    Pillar.PROSECUTION.value: Text("Prosecution", "Poursuites"),
    Pillar.PARTNERSHIP.value: Text("Partnership", "Partenariat"),
}
CHAIN_STAGE_TEXT: dict[str, Text] = {
    ChainStage.IDENTIFICATION.value: Text("Identification", "Identification"),
    ChainStage.REFERRAL.value: Text("Referral", "Orientation"),
    ChainStage.PROTECTION_ASSISTANCE.value: Text("Protection and assistance", "Protection et assistance"),
    ChainStage.INVESTIGATION.value: Text("Investigation", "Enquête"),
    ChainStage.PROSECUTION.value: Text("Prosecution", "Poursuites"),
    ChainStage.ADJUDICATION.value: Text("Adjudication", "Jugement"),
    ChainStage.PREVENTION.value: Text("Prevention", "Prévention"),
    ChainStage.COORDINATION.value: Text("Coordination", "Coordination"),
}

YES_NO: tuple[Choice, ...] = (Choice("yes", Text("Yes", "Oui")), Choice("no", Text("No", "Non")))
YES_NO_DONT_KNOW: tuple[Choice, ...] = (*YES_NO, Choice("dont_know", Text("Don’t know", "Ne sais pas")))

CONSENT_QUESTION = Question(
    name="consent",
    label=Text("Do you agree to take part in this survey?", "Acceptez-vous de participer à cette enquête ?"),
    kind="select_one",
    choices=YES_NO,
    required=True,
)
CONSENT_DECLINED = Text(
    "Thank you for your time. The survey ends here; you may close the form.",
    "Merci de votre temps. L’enquête s’arrête ici ; vous pouvez fermer le formulaire.",
)
RATING_INSTRUCTIONS = Text(
    "Each skill below is rated twice: first how important it is for your job, then how well you can do it "
    "today. Use the whole scale, from 1 (not at all) to the highest number (very high). There are no right "
    "or wrong answers.",
    "Chaque compétence ci-dessous est notée deux fois : d’abord son importance pour votre travail, puis "
    "votre niveau de maîtrise aujourd’hui. Utilisez toute l’échelle, de 1 (pas du tout) au chiffre le plus "
    "élevé (très élevé). Il n’y a pas de bonne ou de mauvaise réponse.",
)


def consent_statement(title: Text, contact: str = "") -> Text:
    """The consent statement read or shown before the survey: purpose, voluntary, anonymous, use of the data
    and whom to contact (``contact``: a name, e-mail or phone; the survey team when empty)."""
    contact_en = contact.strip() or "the person who gave you this survey"
    contact_fr = contact.strip() or "la personne qui vous a remis cette enquête"
    return Text(
        f"This survey is part of a training needs assessment on trafficking in persons ({title.en}). "
        "Taking part is voluntary: you may stop at any time, with no consequence for you or your work. "
        "It is anonymous: we do not ask for your name, and results are only reported for groups of at "
        "least five people. Your answers will be used only to plan training and support for the "
        "institutions concerned. It takes about 20 minutes. "
        f"If you have questions, please contact {contact_en}.",
        f"Cette enquête fait partie d’une évaluation des besoins de formation sur la traite des personnes "
        f"({title.get('fr')}). Votre participation est volontaire : vous pouvez arrêter à tout moment, "
        "sans conséquence pour vous ni pour votre travail. Elle est anonyme : nous ne "
        "demandons pas votre nom, et les résultats ne sont présentés que pour des groupes d’au moins cinq "
        "personnes. Vos réponses serviront uniquement à planifier la formation et l’appui aux institutions "
        "concernées. Comptez environ 20 minutes. "
        f"Pour toute question, veuillez contacter {contact_fr}.",
    )


def scale_choices(scale_max: int) -> tuple[Choice, ...]:
    """The rating scale 1..``scale_max``; the two ends carry words (“1 – not at all”, “5 – very high”)."""
    _check_scale(scale_max)
    choices = []
    for value in range(1, scale_max + 1):
        if value == 1:
            label = Text("1 – not at all", "1 – pas du tout")
        elif value == scale_max:
            label = Text(f"{value} – very high", f"{value} – très élevé")
        else:
            label = Text(str(value), str(value))
        choices.append(Choice(str(value), label))
    return tuple(choices)


def importance_label(competency: Competency) -> Text:
    """The question for the importance rating of ``competency`` (field ``imp_<code>``)."""
    return Text(
        f"{competency.title.en}: how important is this for your job?",
        f"{competency.title.get('fr')} : quelle importance pour votre travail ?",
    )


def competence_label(competency: Competency) -> Text:
    """The question for the self-assessed competence of ``competency`` (field ``comp_<code>``)."""
    return Text(
        f"{competency.title.en}: how well can you do this today?",
        f"{competency.title.get('fr')} : quel est votre niveau de maîtrise aujourd’hui ?",
    )


def constraint_message(question: Question) -> Text:
    """What to tell the respondent when ``question``'s constraint fails (empty without a constraint)."""
    if not question.constraint:
        return Text("")
    match = _RANGE.fullmatch(question.constraint.strip())
    if match:
        low, high = match.groups()
        return Text(
            f"Enter a whole number from {low} to {high}.",
            f"Saisissez un nombre entier de {low} à {high}.",
        )
    return Text("This answer is not allowed.", "Cette réponse n’est pas acceptée.")


def competencies_by_pillar(competencies: Iterable[Competency]) -> list[tuple[str, tuple[Competency, ...]]]:
    """The competencies grouped by pillar, in the order of the 4Ps (prevention, protection, prosecution,
    partnership), keeping their order within each pillar; pillars without competencies are left out."""
    groups: dict[str, list[Competency]] = {pillar.value: [] for pillar in Pillar}
    for competency in competencies:
        groups.setdefault(competency.pillar, []).append(competency)
    return [(pillar, tuple(items)) for pillar, items in groups.items() if items]


def segment_competencies(framework: Sequence[Competency], organisation_type: str) -> tuple[Competency, ...]:
    """The competencies to ask one segment about, in framework order: every foundational competency, and
    the specialised ones whose organisation types include ``organisation_type`` (or that name no type,
    which means everyone)."""
    return tuple(
        competency
        for competency in framework
        if competency.level == CompetencyLevel.FOUNDATIONAL
        or not competency.target_types
        or organisation_type in competency.target_types
    )


# --- Building the instrument -------------------------------------------------------------------------------


def build_instrument(
    *,
    competencies: Sequence[Competency],
    title: Text,
    form_id: str,
    version: str,
    current_year: int,
    organisations: Sequence[tuple[str, str]],
    locations: Sequence[str] = (),
    scale_max: int = 5,
    contact: str = "",
) -> Instrument:
    """The survey instrument for ``competencies`` (in pillar order).

    ``organisations`` are ``(key, label)`` pairs offered in the organisation question, followed by “Other
    (please specify)”; ``locations`` become a list to pick from (free text when empty). ``current_year``
    is the upper bound for the year of an earlier training (the core does not read the clock).
    ``scale_max`` is 5 or 7. Raises one :class:`DomainError` listing every problem."""
    problems = _instrument_problems(
        competencies=competencies,
        title=title,
        form_id=form_id,
        version=version,
        current_year=current_year,
        organisations=organisations,
        locations=locations,
        scale_max=scale_max,
    )
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The survey instrument cannot be built: %(count)s problem(s) to correct."),
            {"count": len(problems)},
            problems=problems,
        )
    ordered = tuple(item for _pillar, items in competencies_by_pillar(competencies) for item in items)
    return Instrument(
        title=title,
        form_id=form_id,
        version=version,
        scale_max=scale_max,
        competencies=ordered,
        profile_questions=_profile_questions(organisations, locations, current_year),
        institutional_questions=INSTITUTIONAL_QUESTIONS,
        open_questions=OPEN_QUESTIONS,
        consent=consent_statement(title, contact),
    )


def _check_scale(scale_max: int) -> None:
    if scale_max not in SCALE_MAXIMA:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The rating scale must run from 1 to 5 or from 1 to 7, not to %(value)s."),
            {"value": scale_max},
            problems=[FieldProblem("scale_max", _("Choose 5 or 7."))],
        )


def _instrument_problems(
    *,
    competencies: Sequence[Competency],
    title: Text,
    form_id: str,
    version: str,
    current_year: int,
    organisations: Sequence[tuple[str, str]],
    locations: Sequence[str],
    scale_max: int,
) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    if scale_max not in SCALE_MAXIMA:
        problems.append(
            FieldProblem(
                "scale_max",
                _("The rating scale must run from 1 to 5 or from 1 to 7, not to %(value)s."),
                {"value": scale_max},
            )
        )
    if not title.en.strip():
        problems.append(FieldProblem("title", _("Give the survey a title in English.")))
    if not _FORM_ID.fullmatch(form_id) or len(form_id) > 100:
        problems.append(
            FieldProblem(
                "form_id",
                _(
                    "“%(value)s” cannot be a form id: start with a letter and use letters, digits, “_”, “-” "
                    "or “.” (at most 100 characters), e.g. “ctip_tna_2026”."
                ),
                {"value": form_id},
            )
        )
    if not version.strip() or any(char.isspace() for char in version) or len(version) > 20:
        problems.append(
            FieldProblem(
                "version",
                _("Give a form version without spaces (at most 20 characters), e.g. “2026112401”."),
            )
        )
    if not FIRST_TRAINING_YEAR <= current_year <= 2200:
        problems.append(
            FieldProblem(
                "current_year",
                _("%(value)s is not a plausible current year."),
                {"value": current_year},
            )
        )
    if not competencies:
        problems.append(FieldProblem("competencies", _("Choose at least one competency to rate.")))
    seen: set[str] = set()
    for competency in competencies:
        if not CODE.fullmatch(competency.code):
            problems.append(
                FieldProblem(
                    "competencies",
                    _("“%(code)s” cannot be used in field names: use letters, digits and “_” only."),
                    {"code": competency.code},
                )
            )
        elif competency.code in seen:
            problems.append(
                FieldProblem(
                    "competencies",
                    _("The competency “%(code)s” is listed twice."),
                    {"code": competency.code},
                )
            )
        seen.add(competency.code)
    keys: set[str] = set()
    for index, (key, label) in enumerate(organisations, start=1):
        where = f"organisations[{index}]"
        if not _CHOICE_NAME.fullmatch(key) or key == OTHER:
            problems.append(
                FieldProblem(
                    where,
                    _(
                        "“%(key)s” cannot be an organisation key: use letters, digits, “_”, “-” or “.”, "
                        "without spaces, and not “other”."
                    ),
                    {"key": key},
                )
            )
        elif key in keys:
            problems.append(
                FieldProblem(where, _("The organisation key “%(key)s” is used twice."), {"key": key})
            )
        keys.add(key)
        if not label.strip():
            problems.append(FieldProblem(where, _("Give organisation “%(key)s” a name."), {"key": key}))
    names: set[str] = set()
    for index, location in enumerate(locations, start=1):
        if not location.strip():
            problems.append(FieldProblem(f"locations[{index}]", _("A location name is empty.")))
        elif location.strip().casefold() in names:
            problems.append(
                FieldProblem(
                    f"locations[{index}]",
                    _("The location “%(value)s” is listed twice."),
                    {"value": location.strip()},
                )
            )
        names.add(location.strip().casefold())
    return problems


def location_choices(locations: Sequence[str]) -> tuple[Choice, ...]:
    """One choice per location: the name as label, a lower-case ASCII name (“Port Louis” → ``port_louis``,
    made unique with a number when two names reduce to the same)."""
    choices: list[Choice] = []
    taken: set[str] = set()
    for location in locations:
        label = location.strip()
        base = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode("ascii")
        base = re.sub(r"[^a-z0-9]+", "_", base.lower()).strip("_") or "location"
        name, number = base, 2
        while name in taken or name == OTHER:
            name, number = f"{base}_{number}", number + 1
        taken.add(name)
        choices.append(Choice(name, Text(label, label)))
    return tuple(choices)


def _profile_questions(
    organisations: Sequence[tuple[str, str]], locations: Sequence[str], current_year: int
) -> tuple[Question, ...]:
    has_training = "${prior_training} = 'yes'"
    organisation = (
        Question(
            "organisation",
            Text("Which organisation do you work for?", "Pour quelle organisation travaillez-vous ?"),
            "select_one",
            choices=(
                *(Choice(key, Text(label.strip(), label.strip())) for key, label in organisations),
                Choice(OTHER, Text("Other (please specify)", "Autre (veuillez préciser)")),
            ),
            required=True,
        )
        if organisations
        else Question(
            "organisation",
            Text("Which organisation do you work for?", "Pour quelle organisation travaillez-vous ?"),
            "text",
            required=True,
        )
    )
    location_question = Question(
        "location",
        Text("Where do you mainly work?", "Où travaillez-vous principalement ?"),
        "select_one" if locations else "text",
        choices=location_choices(locations),
        required=True,
        hint=Text("") if locations else Text("Town, district or island.", "Ville, district ou île."),
    )
    return (
        Question(
            "sex",
            Text("What is your sex?", "Quel est votre sexe ?"),
            "select_one",
            choices=(
                Choice("female", Text("Female", "Femme")),
                Choice("male", Text("Male", "Homme")),
                Choice("other", Text("Other", "Autre")),
                Choice("prefer_not_to_say", Text("Prefer not to say", "Je préfère ne pas répondre")),
            ),
            required=True,
        ),
        Question(
            "age_band",
            Text("How old are you?", "Quel âge avez-vous ?"),
            "select_one",
            choices=(
                Choice("18_24", Text("18–24", "18–24 ans")),
                Choice("25_34", Text("25–34", "25–34 ans")),
                Choice("35_44", Text("35–44", "35–44 ans")),
                Choice("45_54", Text("45–54", "45–54 ans")),
                Choice("55_plus", Text("55 or over", "55 ans ou plus")),
            ),
            required=True,
        ),
        organisation,
        *(
            (
                Question(
                    "organisation_other",
                    Text("Please name your organisation.", "Veuillez indiquer le nom de votre organisation."),
                    "text",
                    required=True,
                    relevant=f"${{organisation}} = '{OTHER}'",
                ),
            )
            if organisations
            else ()
        ),
        Question(
            "role_rank",
            Text("What is your role or rank?", "Quel est votre poste ou votre grade ?"),
            "text",
            hint=Text(
                "For example: inspector, social worker, state prosecutor.",
                "Par exemple : inspecteur, travailleur social, procureur.",
            ),
        ),
        location_question,
        Question(
            "years_of_service",
            Text(
                "How many years have you worked in your current field?",
                "Depuis combien d’années travaillez-vous dans votre domaine actuel ?",
            ),
            "integer",
            required=True,
            hint=Text("Whole years; 0 if less than one year.", "En années entières ; 0 si moins d’un an."),
            constraint=f". >= 0 and . <= {MAX_YEARS_OF_SERVICE}",
        ),
        Question(
            "prior_training",
            Text(
                "Have you ever attended a training on trafficking in persons?",
                "Avez-vous déjà suivi une formation sur la traite des personnes ?",
            ),
            "select_one",
            choices=YES_NO,
            required=True,
        ),
        Question(
            "prior_training_year",
            Text(
                "In which year was your most recent training on trafficking?",
                "En quelle année avez-vous suivi votre dernière formation sur la traite ?",
            ),
            "integer",
            hint=Text("Only if you have attended one.", "Seulement si vous en avez suivi une."),
            relevant=has_training,
            constraint=f". >= {FIRST_TRAINING_YEAR} and . <= {current_year}",
        ),
        Question(
            "prior_training_topic",
            Text("What was that training about?", "Sur quoi portait cette formation ?"),
            "text",
            hint=Text("Only if you have attended one.", "Seulement si vous en avez suivi une."),
            relevant=has_training,
        ),
    )


INSTITUTIONAL_QUESTIONS: tuple[Question, ...] = (
    Question(
        "sop_in_place",
        Text(
            "Does your organisation have written standard operating procedures (SOPs) for trafficking cases?",
            "Votre organisation dispose-t-elle de procédures opérationnelles normalisées (PON) écrites pour "
            "les cas de traite ?",
        ),
        "select_one",
        choices=YES_NO_DONT_KNOW,
        required=True,
    ),
    Question(
        "data_system",
        Text(
            "Does your organisation's data system record trafficking cases as such?",
            "Le système de données de votre organisation enregistre-t-il les cas de traite en tant que tels ?",
        ),
        "select_one",
        choices=YES_NO_DONT_KNOW,
        required=True,
    ),
    Question(
        "budget_line",
        Text(
            "Does your organisation have a dedicated budget line for counter-trafficking work?",
            "Votre organisation dispose-t-elle d’une ligne budgétaire consacrée à la lutte contre la traite ?",
        ),
        "select_one",
        choices=YES_NO_DONT_KNOW,
        required=True,
    ),
    Question(
        "referral_practice",
        Text(
            "When your organisation meets a possible victim, how often is the person referred through the "
            "national referral mechanism?",
            "Lorsque votre organisation rencontre une victime potentielle, à quelle fréquence la personne "
            "est-elle orientée par le mécanisme national d’orientation ?",
        ),
        "select_one",
        choices=(
            Choice("never", Text("Never", "Jamais")),
            Choice("sometimes", Text("Sometimes", "Parfois")),
            Choice("usually", Text("Usually", "Généralement")),
            Choice("always", Text("Always", "Toujours")),
        ),
        required=True,
    ),
    Question(
        "focal_point",
        Text(
            "Has your organisation named a focal point for trafficking in persons?",
            "Votre organisation a-t-elle désigné un point focal pour la traite des personnes ?",
        ),
        "select_one",
        choices=YES_NO,
        required=True,
    ),
)

OPEN_QUESTIONS: tuple[Question, ...] = (
    Question(
        "obstacle",
        Text(
            "What is the biggest obstacle to your work against trafficking?",
            "Quel est le principal obstacle à votre travail contre la traite ?",
        ),
        "text",
    ),
    Question(
        "training_wanted",
        Text(
            "Which training would help you most in your work?",
            "Quelle formation vous aiderait le plus dans votre travail ?",
        ),
        "text",
    ),
    Question(
        "other_comments",
        Text("Is there anything else you would like to tell us?", "Souhaitez-vous ajouter quelque chose ?"),
        "text",
    ),
)
