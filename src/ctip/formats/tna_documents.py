"""Paper tools of the TNA, built from the same instrument as the online survey.

* :func:`questionnaire_report`: the survey on paper (consent, profile, one rating table per pillar with a
  box for each point of the importance and competence scales, institutional and open questions);
* :func:`interview_guide_report`: a semi-structured key-informant interview guide (introduction script,
  consent, questions per pillar drawn from the stages of the response chain its competencies cover, with
  the competencies as probes, questions on the institution, closing);
* :func:`focus_group_guide_report`: a focus-group discussion guide (facilitator notes, ground rules,
  warm-up, one discussion block per pillar with probes, closing).

Each is a :class:`~ctip.formats.documents.model.Report` for ``write_docx``, written in English or French
from the wording kept in this module.
"""

from __future__ import annotations

from collections.abc import Sequence

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.stakeholders import ChainStage
from ctip.core.tna.instrument import (
    CHAIN_STAGE_TEXT,
    CONSENT_QUESTION,
    PILLAR_TEXT,
    RATING_INSTRUCTIONS,
    competencies_by_pillar,
)
from ctip.core.tna.model import Competency, Instrument, Question, Text
from ctip.formats.documents.model import Block, BulletList, Heading, Paragraph, Report, Table

BOX = "☐"
ANSWER_LINE = "_" * 70
LANGUAGES = ("en", "fr")
TEXT_WIDTH_CM = 16.0
_COLON = {"en": ":", "fr": " :"}
_SEMICOLON = {"en": "; ", "fr": " ; "}
_QUESTION_MARK = {"en": "?", "fr": " ?"}

_W: dict[str, Text] = {
    "questionnaire": Text(
        "Training needs assessment questionnaire", "Questionnaire d’évaluation des besoins de formation"
    ),
    "interview_guide": Text("Key-informant interview guide", "Guide d’entretien avec des informateurs clés"),
    "focus_group_guide": Text("Focus-group discussion guide", "Guide de discussion de groupe"),
    "version": Text("Form version %(version)s", "Version du formulaire %(version)s"),
    "how_to": Text("How to fill in this questionnaire", "Comment remplir ce questionnaire"),
    "how_to_text": Text(
        "Tick one box (☐) for each question unless told otherwise, and write your answers on the lines. "
        "Do not write your name anywhere on the questionnaire.",
        "Cochez une case (☐) par question sauf indication contraire, et écrivez vos réponses sur les lignes. "
        "N’inscrivez votre nom nulle part sur le questionnaire.",
    ),
    "consent": Text("Consent", "Consentement"),
    "consent_stop": Text(
        "If you answered “No”, please stop here and hand the questionnaire back. Thank you.",
        "Si vous avez répondu « Non », arrêtez-vous ici et rendez le questionnaire. Merci.",
    ),
    "about_you": Text("About you", "À propos de vous"),
    "ratings": Text("Rating the competencies", "Notation des compétences"),
    "legend": Text(
        "**I1 to I%(max)s**: how important the competency is for your job; **C1 to C%(max)s**: how well you "
        "can do it today (1 = not at all, %(max)s = very high). Tick one I box and one C box on each row.",
        "**I1 à I%(max)s** : importance de la compétence pour votre travail ; **M1 à M%(max)s** : votre "
        "niveau de maîtrise aujourd’hui (1 = pas du tout, %(max)s = très élevé). Cochez une case I et une "
        "case M sur chaque ligne.",
    ),
    "competency": Text("Competency", "Compétence"),
    "imp": Text("I", "I"),
    "comp": Text("C", "M"),
    "table_caption": Text("%(pillar)s: importance and competence", "%(pillar)s : importance et maîtrise"),
    "your_organisation": Text("Your organisation", "Votre organisation"),
    "your_views": Text("Your views", "Votre avis"),
    "if_applicable": Text("(only if it applies)", "(seulement si c’est le cas)"),
    "thanks": Text("Thank you for completing this questionnaire.", "Merci d’avoir rempli ce questionnaire."),
    # Interview guide
    "about_guide": Text("About this guide", "À propos de ce guide"),
    "about_interview": Text(
        "A semi-structured interview of 45 to 60 minutes with a person who knows how their institution "
        "handles trafficking. Ask the questions in your own words and in any order; the bullet points under a "
        "question are probes, to use only when the answer does not cover them. Take notes without names.",
        "Un entretien semi-directif de 45 à 60 minutes avec une personne qui connaît la manière dont son "
        "institution traite la traite. Posez les questions avec vos propres mots et dans l’ordre qui "
        "convient ; les puces sous une question sont des relances, à n’utiliser que si la réponse ne les "
        "couvre pas. Prenez des notes sans noms.",
    ),
    "interview_consent": Text(
        "This interview is part of a training needs assessment on trafficking in persons (%(title)s). Taking "
        "part is voluntary: you may decline any question or stop at any time, with no consequence for you or "
        "your work. You will not be named in any report, and we take notes only with your permission. What "
        "you tell us will be used only to plan training and support. The interview takes 45 to 60 minutes. "
        "Do you agree to take part?",
        "Cet entretien fait partie d’une évaluation des besoins de formation sur la traite des personnes "
        "(%(title)s). Votre participation est volontaire : vous pouvez refuser une question ou arrêter à tout "
        "moment, sans conséquence pour vous ni pour votre travail. Vous ne serez nommé dans aucun rapport, et "
        "nous ne prenons de notes qu’avec votre permission. Vos propos serviront uniquement à planifier la "
        "formation et l’appui. L’entretien dure de 45 à 60 minutes. Acceptez-vous d’y participer ?",
    ),
    "introduction": Text("Introduction", "Introduction"),
    "introduction_script": Text(
        "Thank you for meeting us. My name is … and I work with … on a training needs assessment on "
        "trafficking in persons. We want to understand how your institution works on trafficking, what "
        "works well and where training or other support would help. There are no right or wrong answers: "
        "your experience is what matters.",
        "Merci de nous recevoir. Je m’appelle … et je travaille avec … sur une évaluation des besoins de "
        "formation sur la traite des personnes. Nous voulons comprendre comment votre institution agit "
        "contre la traite, ce qui fonctionne bien et où une formation ou un autre appui serait utile. Il n’y "
        "a pas de bonne ou de mauvaise réponse : c’est votre expérience qui compte.",
    ),
    "consent_checks": Text(
        "Confirm that the person agrees to take part before you start.|Ask permission before taking notes; "
        "record only with explicit agreement.|Ask the person not to give names or details that could "
        "identify a victim, a suspect or a case.",
        "Vérifiez que la personne accepte de participer avant de commencer.|Demandez l’autorisation avant de "
        "prendre des notes ; n’enregistrez qu’avec un accord explicite.|Demandez à la personne de ne donner "
        "aucun nom ni détail permettant d’identifier une victime, un suspect ou une affaire.",
    ),
    "background": Text("The interviewee’s role", "La fonction de la personne interrogée"),
    "background_questions": Text(
        "What is your role, and how long have you held it?|How does your work touch on trafficking in "
        "persons?|Have you attended any training on trafficking? When, and what did you use from it?",
        "Quelle est votre fonction, et depuis combien de temps l’exercez-vous ?|En quoi votre travail "
        "touche-t-il à la traite des personnes ?|Avez-vous suivi une formation sur la traite ? Quand, et "
        "qu’en avez-vous retiré dans votre pratique ?",
    ),
    "by_pillar": Text("Questions by pillar", "Questions par pilier"),
    "main_question": Text("Main question", "Question principale"),
    "probes": Text("Probes", "Relances"),
    "probe_skills": Text(
        "How confident are you and your colleagues in these areas:",
        "Dans quelle mesure vous et vos collègues êtes-vous à l’aise dans ces domaines :",
    ),
    "probe_example": Text(
        "Can you give an example (without names)?", "Pouvez-vous donner un exemple (sans noms) ?"
    ),
    "probe_help": Text(
        "What would help you or your colleagues do this better?",
        "Qu’est-ce qui vous aiderait, vous ou vos collègues, à mieux le faire ?",
    ),
    "probe_gender": Text(
        "Is it different for women, men, girls and boys?",
        "Est-ce différent pour les femmes, les hommes, les filles et les garçons ?",
    ),
    "institution": Text("Your institution", "Votre institution"),
    "institution_probe": Text(
        "Ask for documents or examples where possible.",
        "Demandez des documents ou des exemples lorsque c’est possible.",
    ),
    "closing": Text("Closing", "Clôture"),
    "closing_interview": Text(
        "If your institution could get one training next year, what should it be, and for whom?|Is there "
        "anything we have not asked that we should know?|Who else should we talk to?",
        "Si votre institution pouvait bénéficier d’une formation l’an prochain, laquelle et pour qui ?|Y a-t-il "
        "quelque chose que nous n’avons pas demandé et que nous devrions savoir ?|Avec qui d’autre devrions-"
        "nous parler ?",
    ),
    "closing_script": Text(
        "Thank you for your time. What you told us will be combined with other interviews and the survey; "
        "nothing will be attributed to you by name. The findings will be presented at a validation workshop.",
        "Merci de votre temps. Vos propos seront combinés avec les autres entretiens et l’enquête ; rien ne "
        "vous sera attribué nommément. Les résultats seront présentés lors d’un atelier de validation.",
    ),
    # Focus-group guide
    "facilitator_notes": Text("Facilitator notes", "Notes pour l’animateur"),
    "facilitator_items": Text(
        "Invite 6 to 10 participants with similar roles; avoid putting staff with their own supervisors.|"
        "Plan about 90 minutes, with one facilitator and one note-taker.|Consider separate groups for "
        "women and men when that helps people speak freely.|Use a private, quiet room; first names or no "
        "names at all.|Do not record unless every participant agrees; notes never attribute statements to "
        "names.",
        "Invitez 6 à 10 participants aux fonctions similaires ; évitez de réunir des agents avec leurs "
        "supérieurs.|Prévoyez environ 90 minutes, avec un animateur et un preneur de notes.|Envisagez des "
        "groupes séparés pour les femmes et les hommes si cela aide chacun à s’exprimer.|Utilisez une salle "
        "calme et fermée ; prénoms seulement ou aucun nom.|N’enregistrez pas sans l’accord de tous ; les "
        "notes n’attribuent jamais de propos à un nom.",
    ),
    "ground_rules": Text("Ground rules", "Règles de base"),
    "ground_rule_items": Text(
        "What is said in this room stays in this room: it is confidential.|Do not mention the names or "
        "details of any case, victim or suspect.|One person speaks at a time, and everyone gets a turn.|"
        "All views are welcome; there are no right or wrong answers.|You may skip a question or leave at any "
        "time.|Please put phones on silent.",
        "Ce qui est dit dans cette salle reste dans cette salle : c’est confidentiel.|Ne mentionnez ni le nom "
        "ni les détails d’une affaire, d’une victime ou d’un suspect.|Une personne parle à la fois, et chacun "
        "a son tour.|Tous les avis sont bienvenus ; il n’y a pas de bonne ou de mauvaise réponse.|Vous "
        "pouvez passer une question ou partir à tout moment.|Merci de mettre les téléphones en silencieux.",
    ),
    "group_consent": Text(
        "This discussion is part of a training needs assessment on trafficking in persons (%(title)s). Taking "
        "part is voluntary: you may stay silent on any question or leave at any time, with no consequence for "
        "you or your work. No one will be named in any report, and we ask everyone to keep what is said here "
        "confidential. We take notes, and record only if everyone agrees. What you say will be used only to "
        "plan training and support. The discussion lasts about 90 minutes.",
        "Cette discussion fait partie d’une évaluation des besoins de formation sur la traite des personnes "
        "(%(title)s). Votre participation est volontaire : vous pouvez ne pas répondre à une question ou partir "
        "à tout moment, sans conséquence pour vous ni pour votre travail. Personne ne sera nommé dans un "
        "rapport, et nous demandons à chacun de garder confidentiel ce qui est dit ici. Nous prenons des notes "
        "et n’enregistrons que si tout le monde est d’accord. Vos propos serviront uniquement à planifier la "
        "formation et l’appui. La discussion dure environ 90 minutes.",
    ),
    "consent_group": Text(
        "Read the statement aloud and ask each participant to agree before starting.",
        "Lisez la déclaration à voix haute et demandez à chaque participant de donner son accord avant de "
        "commencer.",
    ),
    "warm_up": Text("Warm-up (10 minutes)", "Mise en route (10 minutes)"),
    "warm_up_items": Text(
        "Each person says their role (no name needed) and how long they have worked in it.|What comes to mind "
        "when you hear “trafficking in persons” in your work?",
        "Chaque personne indique sa fonction (sans son nom) et depuis combien de temps elle l’exerce.|Qu’est-ce "
        "qui vous vient à l’esprit lorsque vous entendez « traite des personnes » dans votre travail ?",
    ),
    "discussion": Text("Discussion", "Discussion"),
    "minutes": Text("%(pillar)s (about %(minutes)s minutes)", "%(pillar)s (environ %(minutes)s minutes)"),
    "group_institutions": Text("Institutions (10 minutes)", "Institutions (10 minutes)"),
    "closing_group": Text("Closing (10 minutes)", "Clôture (10 minutes)"),
    "closing_group_items": Text(
        "If your team could get one training next year, what should it be?|Is there anything we have not "
        "discussed that matters?|Summarise the main points back to the group and check them.|Thank everyone, "
        "explain what happens next and remind them that what was said stays confidential.",
        "Si votre équipe pouvait suivre une formation l’an prochain, laquelle serait-ce ?|Y a-t-il un point "
        "important que nous n’avons pas abordé ?|Résumez les principaux points au groupe et vérifiez-les.|"
        "Remerciez chacun, expliquez la suite et rappelez que ce qui a été dit reste confidentiel.",
    ),
}

_PILLAR_QUESTIONS: dict[str, Text] = {
    "prevention": Text(
        "What are the main risks of trafficking here, who is most at risk, and what is done to prevent it?",
        "Quels sont les principaux risques de traite ici, qui est le plus exposé, et que fait-on pour la "
        "prévenir ?",
    ),
    "protection": Text(
        "What is your institution’s part in finding and protecting victims, and how does it go in practice?",
        "Quel est le rôle de votre institution pour repérer et protéger les victimes, et comment cela se "
        "passe-t-il en pratique ?",
    ),
    "prosecution": Text(
        "What is your institution’s part in bringing traffickers to justice, and where do cases get stuck?",
        "Quel est le rôle de votre institution pour traduire les trafiquants en justice, et où les affaires "
        "se bloquent-elles ?",
    ),
    "partnership": Text(
        "How do the institutions of the national response work together, and what would make it work better?",
        "Comment les institutions de la réponse nationale travaillent-elles ensemble, et qu’est-ce qui "
        "l’améliorerait ?",
    ),
}

_STAGE_QUESTIONS: dict[str, Text] = {
    "identification": Text(
        "How do you find out that someone may be a victim of trafficking? Think of the last time it happened.",
        "Comment découvrez-vous qu’une personne peut être victime de traite ? Pensez à la dernière fois.",
    ),
    "referral": Text(
        "What happens once a possible victim is identified: who is contacted, how, and how quickly?",
        "Que se passe-t-il une fois une victime potentielle identifiée : qui est contacté, comment et en "
        "combien de temps ?",
    ),
    "protection_assistance": Text(
        "What support can victims get, from whom, and what is missing?",
        "Quel soutien les victimes peuvent-elles obtenir, auprès de qui, et que manque-t-il ?",
    ),
    "investigation": Text(
        "How are trafficking cases investigated? Which evidence is easy to obtain, and which is hard?",
        "Comment les affaires de traite font-elles l’objet d’enquêtes ? Quelles preuves sont faciles à "
        "obtenir, et lesquelles sont difficiles ?",
    ),
    "prosecution": Text(
        "How do cases move from investigation to charges and trial, and how are victim-witnesses supported?",
        "Comment les affaires passent-elles de l’enquête à l’inculpation et au procès, et comment les "
        "victimes-témoins sont-elles soutenues ?",
    ),
    "adjudication": Text(
        "How do courts decide trafficking cases, and what happens to victims during and after the trial?",
        "Comment les tribunaux jugent-ils les affaires de traite, et qu’advient-il des victimes pendant et "
        "après le procès ?",
    ),
    "prevention": Text(
        "What is done to stop trafficking before it happens, for whom, and does it reach them?",
        "Que fait-on pour empêcher la traite avant qu’elle ne se produise, pour qui, et cela les atteint-il ?",
    ),
    "coordination": Text(
        "How do you share information and work with other institutions? What works and what does not?",
        "Comment partagez-vous l’information et travaillez-vous avec les autres institutions ? Qu’est-ce qui "
        "fonctionne, et qu’est-ce qui ne fonctionne pas ?",
    ),
}

_INSTITUTIONAL_OPEN: dict[str, Text] = {
    "sop_in_place": Text(
        "Are there written procedures (SOPs) for trafficking cases? Who uses them, and are they followed?",
        "Existe-t-il des procédures écrites (PON) pour les cas de traite ? Qui les utilise, et sont-elles "
        "appliquées ?",
    ),
    "data_system": Text(
        "How are trafficking cases recorded and counted in your institution?",
        "Comment les cas de traite sont-ils enregistrés et comptabilisés dans votre institution ?",
    ),
    "budget_line": Text(
        "Which resources (budget, staff, equipment) are set aside for this work?",
        "Quelles ressources (budget, personnel, équipement) sont consacrées à ce travail ?",
    ),
    "referral_practice": Text(
        "When a possible victim is met, how often is the national referral mechanism actually used, and why?",
        "Lorsqu’une victime potentielle est rencontrée, à quelle fréquence le mécanisme national "
        "d’orientation est-il réellement utilisé, et pourquoi ?",
    ),
    "focal_point": Text(
        "Is there a focal point for trafficking? What do they do, and do colleagues know who it is?",
        "Existe-t-il un point focal pour la traite ? Que fait-il, et les collègues savent-ils qui c’est ?",
    ),
}


# --- The three documents ---------------------------------------------------------------------------------


def questionnaire_report(
    instrument: Instrument, *, language: str, organisation: str = "", date_text: str = ""
) -> Report:
    """The survey on paper, in ``language`` (``"en"`` or ``"fr"``)."""
    lang = _language(language)
    blocks: list[Block] = [
        Heading(_t("how_to", lang), 1),
        Paragraph(_t("how_to_text", lang)),
        Heading(_t("consent", lang), 1),
        Paragraph(instrument.consent.get(lang)),
        *_question_blocks(CONSENT_QUESTION, lang, None),
        Paragraph(_t("consent_stop", lang)),
        Heading(_t("about_you", lang), 1),
    ]
    number = 0
    for question in instrument.profile_questions:
        number += 1
        blocks.extend(_question_blocks(question, lang, number))
    blocks += [
        Heading(_t("ratings", lang), 1),
        Paragraph(RATING_INSTRUCTIONS.get(lang)),
        Paragraph(_t("legend", lang) % {"max": instrument.scale_max}),
    ]
    for pillar, competencies in competencies_by_pillar(instrument.competencies):
        blocks.append(Heading(_pillar(pillar, lang), 2))
        blocks.append(_rating_table(pillar, competencies, instrument.scale_max, lang))
    blocks.append(Heading(_t("your_organisation", lang), 1))
    for question in instrument.institutional_questions:
        number += 1
        blocks.extend(_question_blocks(question, lang, number))
    blocks.append(Heading(_t("your_views", lang), 1))
    for question in instrument.open_questions:
        number += 1
        blocks.extend(_question_blocks(question, lang, number, lines=3))
    blocks.append(Paragraph(_t("thanks", lang)))
    return _report(instrument, "questionnaire", lang, blocks, organisation, date_text)


def interview_guide_report(
    instrument: Instrument, *, language: str, organisation: str = "", date_text: str = ""
) -> Report:
    """A semi-structured key-informant interview guide covering the instrument's pillars."""
    lang = _language(language)
    blocks: list[Block] = [
        Heading(_t("about_guide", lang), 1),
        Paragraph(_t("about_interview", lang)),
        Heading(_t("introduction", lang), 1),
        Paragraph(_t("introduction_script", lang), style="Quote"),
        Heading(_t("consent", lang), 1),
        Paragraph(_t("interview_consent", lang) % {"title": instrument.title.get(lang)}, style="Quote"),
        BulletList(_items("consent_checks", lang)),
        Heading(_t("background", lang), 1),
        *_numbered(_items("background_questions", lang)),
        Heading(_t("by_pillar", lang), 1),
    ]
    for pillar, competencies in competencies_by_pillar(instrument.competencies):
        blocks.append(Heading(_pillar(pillar, lang), 2))
        blocks.extend(_pillar_questions(pillar, competencies, lang))
    blocks += [
        Heading(_t("institution", lang), 1),
        *_numbered(_institutional_prompts(instrument.institutional_questions, lang)),
        Paragraph(f"{_colon('probes', lang)} {_t('institution_probe', lang)}"),
        Heading(_t("closing", lang), 1),
        *_numbered(_items("closing_interview", lang)),
        Paragraph(_t("closing_script", lang), style="Quote"),
    ]
    return _report(instrument, "interview_guide", lang, blocks, organisation, date_text)


def focus_group_guide_report(
    instrument: Instrument, *, language: str, organisation: str = "", date_text: str = ""
) -> Report:
    """A focus-group discussion guide covering the instrument's pillars (about 90 minutes)."""
    lang = _language(language)
    pillars = competencies_by_pillar(instrument.competencies)
    minutes = max(10, 60 // max(len(pillars), 1) // 5 * 5)
    blocks: list[Block] = [
        Heading(_t("facilitator_notes", lang), 1),
        BulletList(_items("facilitator_items", lang)),
        Heading(_t("ground_rules", lang), 1),
        BulletList(_items("ground_rule_items", lang)),
        Heading(_t("consent", lang), 1),
        Paragraph(_t("group_consent", lang) % {"title": instrument.title.get(lang)}, style="Quote"),
        Paragraph(_t("consent_group", lang)),
        Heading(_t("warm_up", lang), 1),
        BulletList(_items("warm_up_items", lang)),
        Heading(_t("discussion", lang), 1),
    ]
    for pillar, competencies in pillars:
        blocks.append(Heading(_t("minutes", lang) % {"pillar": _pillar(pillar, lang), "minutes": minutes}, 2))
        blocks.extend(_pillar_questions(pillar, competencies, lang))
    blocks += [
        Heading(_t("group_institutions", lang), 1),
        BulletList(_institutional_prompts(instrument.institutional_questions, lang)),
        Heading(_t("closing_group", lang), 1),
        BulletList(_items("closing_group_items", lang)),
    ]
    return _report(instrument, "focus_group_guide", lang, blocks, organisation, date_text)


# --- Pieces ----------------------------------------------------------------------------------------------


def _language(language: str) -> str:
    code = language.strip().lower()[:2]
    if code not in LANGUAGES:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The TNA documents are written in English or French, not “%(language)s”."),
            {"language": language},
            problems=[FieldProblem("language", _("Choose “en” or “fr”."))],
        )
    return code


def _t(key: str, lang: str) -> str:
    return _W[key].get(lang)


def _colon(key: str, lang: str) -> str:
    """A label followed by a colon, with the space French typography puts before it."""
    return _t(key, lang) + _COLON[lang]


def _items(key: str, lang: str) -> tuple[str, ...]:
    return tuple(_t(key, lang).split("|"))


def _pillar(pillar: str, lang: str) -> str:
    return PILLAR_TEXT.get(pillar, Text(pillar)).get(lang)


def _report(
    instrument: Instrument, kind: str, lang: str, blocks: Sequence[Block], organisation: str, date_text: str
) -> Report:
    return Report(
        title=instrument.title.get(lang),
        subtitle=_t(kind, lang),
        organisation=organisation,
        date_text=date_text,
        version_text=_t("version", lang) % {"version": instrument.version},
        blocks=tuple(blocks),
        language=lang,
    )


def _question_blocks(question: Question, lang: str, number: int | None, *, lines: int = 1) -> list[Block]:
    label = question.label.get(lang)
    prefix = f"{number}. " if number is not None else ""
    note = question.hint.get(lang) if question.hint.en else ""
    if question.relevant and not note:
        note = _t("if_applicable", lang)
    blocks: list[Block] = [Paragraph(f"**{prefix}{label}**" + (f" {note}" if note else ""))]
    if question.choices:
        blocks.append(
            Paragraph("    ".join(f"{BOX} {choice.label.get(lang)}" for choice in question.choices))
        )
    else:
        blocks.extend(Paragraph(ANSWER_LINE) for _line in range(lines))
    return blocks


def _rating_table(pillar: str, competencies: Sequence[Competency], scale_max: int, lang: str) -> Table:
    points = range(1, scale_max + 1)
    header = (
        _t("competency", lang),
        *(f"{_t('imp', lang)}{point}" for point in points),
        *(f"{_t('comp', lang)}{point}" for point in points),
    )
    rows = tuple(
        (
            f"{competency.code} {competency.title.get(lang)}{_COLON[lang]} {competency.description.get(lang)}",
            *((BOX,) * (2 * scale_max)),
        )
        for competency in competencies
    )
    box_width = 0.85 if scale_max <= 5 else 0.8
    widths = (TEXT_WIDTH_CM - 2 * scale_max * box_width, *((box_width,) * (2 * scale_max)))
    return Table(
        caption=_t("table_caption", lang) % {"pillar": _pillar(pillar, lang)},
        header=header,
        rows=rows,
        column_widths_cm=widths,
    )


def _numbered(questions: Sequence[str]) -> list[Block]:
    return [Paragraph(f"**{number}. {text}**") for number, text in enumerate(questions, start=1)]


def _pillar_questions(pillar: str, competencies: Sequence[Competency], lang: str) -> list[Block]:
    """The main question of a pillar, one question per chain stage its competencies cover, and probes:
    the competencies themselves, an example, what would help, and the gender and age angle when the
    competencies carry one."""
    blocks: list[Block] = []
    main = _PILLAR_QUESTIONS.get(pillar)
    if main is not None:
        blocks.append(Paragraph(f"**{_colon('main_question', lang)}** {main.get(lang)}"))
    covered = {competency.chain_stage for competency in competencies}
    stages: list[str] = [stage.value for stage in ChainStage if stage.value in covered]
    stages += sorted(covered - set(stages))
    for number, stage in enumerate(stages, start=1):
        stage_name = CHAIN_STAGE_TEXT.get(stage, Text(stage)).get(lang)
        question = _STAGE_QUESTIONS.get(stage, Text(stage_name)).get(lang)
        blocks.append(Paragraph(f"**{number}. {stage_name}.** {question}"))
        in_stage = [competency for competency in competencies if competency.chain_stage == stage]
        probes = [
            f"{_t('probe_skills', lang)} "
            + _SEMICOLON[lang].join(c.title.get(lang) for c in in_stage)
            + _QUESTION_MARK[lang]
        ]
        probes.append(_t("probe_example", lang))
        if any(c.gender_sensitive or c.child_sensitive for c in in_stage):
            probes.append(_t("probe_gender", lang))
        probes.append(_t("probe_help", lang))
        blocks.append(BulletList(tuple(probes)))
    return blocks


def _institutional_prompts(questions: Sequence[Question], lang: str) -> tuple[str, ...]:
    return tuple(_INSTITUTIONAL_OPEN.get(question.name, question.label).get(lang) for question in questions)
