"""A demonstration stakeholder registry for a Mauritius programme — with FICTIONAL data.

The public bodies are named after the real agencies of the Mauritian counter-trafficking response, so that
the demo reads like a real programme; the NGOs and companies have generic, invented names. Everything else
is fictional: staff figures (all flagged ``figures_fictional``), influence and interest scores, relations,
focal points (obviously invented names and example.org addresses) and prior trainings. None of it describes
the real organisations.

The registry is loaded through the import service (so the audit log shows an ordinary import) and the
create services; running :func:`demo_stakeholders` again changes nothing.
"""

from __future__ import annotations

from ctip.core.stakeholders import STAKEHOLDER_COLUMN_NAMES
from ctip.formats.tabular import csv_text
from ctip.web.accounts.models import User, Workspace
from ctip.web.stakeholders import services
from ctip.web.stakeholders.models import FocalPoint, Organisation, OrganisationRelation, PriorTraining

STAFF_AS_OF = "2025-06-30"

# id, name, acronym, type, sector, level, location, parent, pillars, chain stages, mandate,
# staff women, staff men, frontline women, frontline men, influence, interest — all figures fictional.
# fmt: off
ORGANISATIONS: tuple[tuple[str, ...], ...] = (
    ("PMO", "Prime Minister's Office (Home Affairs Division)", "PMO", "central_government", "government", "national", "Port Louis", "", "partnership; prevention", "coordination; prevention", "Leads the national response and chairs the inter-ministerial committee on trafficking in persons.", "14", "11", "0", "0", "5", "5"),
    ("IMC-TIP", "Inter-Ministerial Committee on Trafficking in Persons", "IMC-TIP", "central_government", "government", "national", "Port Louis", "PMO", "partnership", "coordination", "Coordinates ministries and agencies and follows the National Action Plan.", "", "", "", "", "5", "5"),
    ("MPF", "Mauritius Police Force", "MPF", "law_enforcement", "government", "national", "Port Louis", "", "prosecution; protection; prevention", "identification; referral; investigation", "Identifies victims, investigates offences and refers victims to protection services.", "1650", "10900", "900", "7300", "5", "4"),
    ("MPF-ATU", "Anti-Trafficking Unit (Mauritius Police Force)", "ATU", "law_enforcement", "government", "national", "Port Louis", "MPF", "prosecution; protection", "identification; referral; investigation", "Specialised police unit for trafficking cases.", "7", "15", "6", "13", "4", "5"),
    ("PIO", "Passport and Immigration Office", "PIO", "immigration_service", "government", "national", "Port Louis", "MPF", "prevention; protection", "identification; referral", "Border control and immigration; screens arrivals for trafficking indicators.", "120", "260", "95", "210", "4", "3"),
    ("MPF-BPM", "Brigade pour la Protection des Mineurs", "BPM", "law_enforcement", "government", "national", "Rose Hill", "MPF", "protection; prosecution", "identification; referral; investigation", "Police brigade for the protection of minors.", "28", "19", "25", "16", "3", "5"),
    ("MPF-ROD", "Rodrigues Police Division", "", "law_enforcement", "government", "regional", "Rodrigues", "MPF", "prosecution; protection", "identification; referral; investigation", "Policing on Rodrigues island.", "35", "140", "30", "120", "2", "3"),
    ("ODPP", "Office of the Director of Public Prosecutions", "ODPP", "judiciary", "government", "national", "Port Louis", "", "prosecution", "prosecution", "Prosecutes trafficking offences and advises the police on investigations.", "48", "31", "30", "20", "4", "4"),
    ("AGO", "Attorney General's Office", "AGO", "legal_service", "government", "national", "Port Louis", "", "prosecution; partnership", "coordination; prosecution", "Drafts legislation and handles mutual legal assistance and extradition.", "60", "42", "0", "0", "4", "3"),
    ("JUD", "Judiciary of Mauritius", "", "judiciary", "government", "national", "Port Louis", "", "prosecution", "adjudication", "Courts that try trafficking cases and order compensation.", "190", "160", "60", "55", "5", "2"),
    ("MGEFW", "Ministry of Gender Equality and Family Welfare", "MGEFW", "central_government", "government", "national", "Port Louis", "", "protection; prevention", "protection_assistance; referral; prevention", "Protection of women and children, shelters and family welfare.", "410", "150", "220", "60", "4", "5"),
    ("CDU", "Child Development Unit", "CDU", "social_child_protection", "government", "national", "Port Louis", "MGEFW", "protection", "identification; referral; protection_assistance", "Child protection services: emergency placement, case management and referral of child victims.", "85", "30", "70", "22", "3", "5"),
    ("MOL", "Ministry of Labour, Human Resource Development and Training", "MOL", "central_government", "government", "national", "Port Louis", "", "prevention; protection", "prevention; identification", "Labour law, work permits and the protection of migrant workers.", "260", "240", "0", "0", "4", "3"),
    ("MOL-SMWU", "Special Migrant Workers Unit (labour inspection)", "SMWU", "labour_inspection", "government", "national", "Port Louis", "MOL", "prevention; protection", "identification; referral; prevention", "Inspects migrant workers' worksites and dormitories; flags passport retention and recruitment debt.", "9", "17", "8", "15", "3", "4"),
    ("MOH", "Ministry of Health and Wellness", "MOH", "health_service", "government", "national", "Port Louis", "", "protection", "identification; protection_assistance", "Medical care and forensic examination of victims.", "6200", "3800", "4100", "2300", "3", "3"),
    ("MOE", "Ministry of Education", "MOE", "central_government", "government", "national", "Phoenix", "", "prevention", "prevention", "Awareness in schools and the detection of children at risk.", "9800", "4100", "8500", "3500", "3", "2"),
    ("MFA", "Ministry of Foreign Affairs, Regional Integration and International Trade", "MFA", "central_government", "government", "national", "Port Louis", "", "partnership; protection", "coordination; protection_assistance", "Repatriation, consular assistance and international cooperation.", "140", "120", "20", "15", "3", "3"),
    ("MPS", "Mauritius Prison Service", "MPS", "law_enforcement", "government", "national", "Beau Bassin", "", "prosecution; protection", "identification", "Detention; screening of detainees who may be victims.", "210", "1100", "150", "900", "2", "2"),
    ("RRA", "Rodrigues Regional Assembly", "RRA", "local_government", "government", "regional", "Rodrigues", "", "prevention; protection; partnership", "coordination; protection_assistance; prevention", "Regional government of Rodrigues, including child and family services on the island.", "700", "650", "120", "80", "3", "4"),
    ("OCO", "Ombudsperson for Children's Office", "OCO", "social_child_protection", "government", "national", "Port Louis", "", "protection; prevention", "identification; referral; prevention", "Independent office that investigates complaints about children's rights.", "12", "6", "9", "4", "3", "4"),
    ("NHRC", "National Human Rights Commission", "NHRC", "legal_service", "government", "national", "Port Louis", "", "partnership; prevention", "prevention; coordination", "Human rights oversight, including of places of detention.", "16", "12", "6", "5", "3", "3"),
    ("FIU", "Financial Intelligence Unit", "FIU", "law_enforcement", "government", "national", "Ebène", "", "prosecution", "investigation", "Analyses suspicious transactions, including proceeds of trafficking.", "22", "26", "0", "0", "3", "2"),
    ("MRA-CUS", "Mauritius Revenue Authority (Customs Department)", "MRA Customs", "immigration_service", "government", "national", "Port Louis", "", "prevention", "identification", "Customs control at the port and the airport.", "240", "480", "180", "400", "2", "2"),
    ("MCPL", "Municipal Council of Port Louis", "", "local_government", "government", "local", "Port Louis", "", "prevention", "prevention", "Local services and licensing of premises.", "420", "980", "60", "150", "1", "2"),
    ("MCBBRH", "Municipal Council of Beau Bassin-Rose Hill", "", "local_government", "government", "local", "Rose Hill", "", "prevention", "prevention", "Local services and community centres.", "310", "720", "40", "90", "1", "2"),
    ("IOM", "International Organization for Migration", "IOM", "international_organisation", "international", "national", "Port Louis", "", "partnership; protection; prevention", "coordination; protection_assistance; referral", "Supports the government's response: capacity building, victim assistance and return.", "9", "5", "4", "2", "4", "5"),
    ("UNODC", "United Nations Office on Drugs and Crime", "UNODC", "international_organisation", "international", "national", "Pretoria (regional office)", "", "partnership; prosecution", "coordination; prosecution", "Technical assistance to investigators, prosecutors and judges.", "", "", "", "", "3", "4"),
    ("US-EMB", "Embassy of the United States of America", "US Embassy", "international_organisation", "international", "national", "Port Louis", "", "partnership", "coordination", "Funds counter-trafficking projects; reports on the response each year.", "", "", "", "", "4", "4"),
    ("EU-DEL", "Delegation of the European Union to the Republic of Mauritius", "EU Delegation", "international_organisation", "international", "national", "Ebène", "", "partnership", "coordination", "Funds civil-society projects on migration and human rights.", "", "", "", "", "3", "3"),
    ("NGO-SHELTER", "Safe Haven Women's and Children's Shelter", "SHWCS", "ngo", "civil_society", "local", "Curepipe", "", "protection", "protection_assistance", "Runs a shelter for women and child victims, with psychosocial support.", "14", "3", "12", "2", "2", "5"),
    ("NGO-CHILD", "Child Protection Action Network", "CPAN", "ngo", "civil_society", "national", "Rose Hill", "", "protection; prevention", "identification; referral; protection_assistance; prevention", "Outreach to children at risk of sexual exploitation; case support.", "18", "6", "15", "4", "2", "5"),
    ("NGO-MIGRANT", "Migrant Workers' Support Centre", "MWSC", "ngo", "civil_society", "national", "Port Louis", "", "protection; prevention", "identification; referral; prevention", "Advice and helpline for migrant workers; accompanies complaints to the labour inspectorate.", "5", "4", "4", "3", "2", "5"),
    ("NGO-WOMEN", "Women's Rights Collective", "WRC", "ngo", "civil_society", "national", "Quatre Bornes", "", "prevention; partnership", "prevention", "Advocacy and awareness on gender-based violence and exploitation.", "8", "1", "5", "0", "2", "4"),
    ("NGO-ROD", "Rodrigues Youth and Family Association", "RYFA", "ngo", "civil_society", "local", "Rodrigues", "", "prevention; protection", "prevention; identification; referral", "Youth clubs and family support on Rodrigues.", "6", "3", "5", "2", "1", "4"),
    ("EMP-FED", "National Employers' Federation", "NEF", "corporate_business", "private", "national", "Ebène", "", "prevention; partnership", "prevention", "Represents employers; guidance on ethical recruitment.", "20", "15", "0", "0", "4", "2"),
    ("TEXTILE", "Textile and Apparel Manufacturers' Association", "TAMA", "corporate_business", "private", "national", "Coromandel", "EMP-FED", "prevention", "prevention", "Manufacturers employing many migrant workers.", "6", "4", "0", "0", "3", "2"),
    ("CONSTRUCT", "Island Construction Ltd", "", "corporate_business", "private", "national", "Pailles", "", "prevention", "prevention", "Construction company employing migrant workers on large sites.", "45", "610", "10", "400", "2", "1"),
    ("HOTELS", "Hotels and Restaurants Association", "HRA", "corporate_business", "private", "national", "Grand Baie", "EMP-FED", "prevention", "prevention; identification", "Hospitality employers; staff may notice exploitation of guests or workers.", "7", "5", "0", "0", "3", "2"),
    ("RECRUIT", "Association of Licensed Recruitment Agencies", "ALRA", "corporate_business", "private", "national", "Port Louis", "", "prevention", "prevention", "Recruitment agencies placing migrant workers.", "3", "4", "0", "0", "2", "2"),
    ("UNIONS", "Confederation of Workers' Unions", "CWU", "ngo", "civil_society", "national", "Port Louis", "", "prevention; protection", "identification; prevention", "Trade unions organising migrant and domestic workers.", "12", "18", "8", "12", "3", "4"),
    ("MEDIA", "Mauritius Broadcasting Corporation", "MBC", "media", "private", "national", "Moka", "", "prevention", "prevention", "Public broadcaster: awareness campaigns.", "250", "380", "0", "0", "3", "2"),
    ("UOM", "University of Mauritius", "UoM", "academia", "civil_society", "national", "Réduit", "", "prevention; partnership", "prevention", "Research on migration, labour and exploitation.", "420", "380", "0", "0", "2", "3"),
)
# fmt: on

RELATIONS: tuple[tuple[str, str, str], ...] = (
    ("MPF-ATU", "NGO-SHELTER", "refers_cases_to"),
    ("MPF-ATU", "CDU", "refers_cases_to"),
    ("MPF-ATU", "ODPP", "refers_cases_to"),
    ("CDU", "NGO-SHELTER", "refers_cases_to"),
    ("CDU", "NGO-CHILD", "refers_cases_to"),
    ("MOL-SMWU", "MPF-ATU", "refers_cases_to"),
    ("PIO", "MPF-ATU", "refers_cases_to"),
    ("MPF-BPM", "CDU", "refers_cases_to"),
    ("OCO", "CDU", "refers_cases_to"),
    ("MOH", "CDU", "refers_cases_to"),
    ("NGO-MIGRANT", "MOL-SMWU", "refers_cases_to"),
    ("MPF-ROD", "RRA", "refers_cases_to"),
    ("NGO-ROD", "MPF-ROD", "refers_cases_to"),
    ("IOM", "NGO-SHELTER", "refers_cases_to"),
    ("FIU", "MPF-ATU", "coordinates_with"),
    ("PMO", "MGEFW", "coordinates_with"),
    ("PMO", "MPF", "coordinates_with"),
    ("PMO", "MOL", "coordinates_with"),
    ("PMO", "MFA", "coordinates_with"),
    ("IOM", "PMO", "coordinates_with"),
    ("US-EMB", "IOM", "funds"),
    ("EU-DEL", "NGO-WOMEN", "funds"),
    ("IOM", "NGO-SHELTER", "funds"),
)

# Obviously invented people; example.org addresses.
FOCAL_POINTS: tuple[tuple[str, str, str, str], ...] = (
    ("PMO", "Demo Coordinator One", "Principal Assistant Secretary (fictional)", "female"),
    ("MPF-ATU", "Inspector Example Sample", "Officer in charge (fictional)", "male"),
    ("CDU", "Placeholder Case Manager", "Senior Family Welfare Officer (fictional)", "female"),
    ("MOL-SMWU", "Test Labour Inspector", "Labour inspector (fictional)", "male"),
    ("ODPP", "Counsel Demo Person", "Senior State Counsel (fictional)", "female"),
    ("IOM", "Demo Programme Officer", "Project officer (fictional)", "female"),
    ("NGO-SHELTER", "Shelter Manager Example", "Shelter manager (fictional)", "female"),
    ("RRA", "Rodrigues Focal Point Demo", "Commission officer (fictional)", "male"),
)

PRIOR_TRAININGS: tuple[tuple[str, int, str, str, int, int], ...] = (
    ("MPF-ATU", 2023, "Victim identification and the national referral mechanism", "IOM", 6, 14),
    ("MPF-ATU", 2024, "Financial investigations of trafficking cases", "UNODC", 3, 9),
    ("PIO", 2024, "Trafficking indicators and document fraud at the border", "IOM", 11, 19),
    ("CDU", 2022, "Child-sensitive interviewing", "Ministry of Gender Equality", 17, 4),
    ("ODPP", 2023, "Prosecuting trafficking in persons", "UNODC", 8, 5),
    ("MOL-SMWU", 2024, "Forced labour indicators in migrant worksites", "IOM", 4, 7),
    ("NGO-SHELTER", 2023, "Trauma-informed care for survivors", "IOM", 9, 1),
)


def demo_registry_csv() -> bytes:
    """The demo organisations as an import file (CSV, template columns)."""
    rows = []
    for entry in ORGANISATIONS:
        (key, name, acronym, type_code, sector, level, location, parent, pillars, stages, mandate) = entry[
            :11
        ]
        women, men, frontline_women, frontline_men, influence, interest = entry[11:]
        values = {
            "id": key,
            "name": name,
            "acronym": acronym,
            "type": type_code,
            "sector": sector,
            "level": level,
            "location": location,
            "parent": parent,
            "pillars": pillars,
            "chain_stages": stages,
            "mandate": mandate,
            "staff_women": women,
            "staff_men": men,
            "staff_total": "",
            "frontline_women": frontline_women,
            "frontline_men": frontline_men,
            "staff_as_of": STAFF_AS_OF if women else "",
            "influence": influence,
            "interest": interest,
            "figures_fictional": "yes" if women else "no",
        }
        rows.append([values[column] for column in STAKEHOLDER_COLUMN_NAMES])
    return csv_text(STAKEHOLDER_COLUMN_NAMES, rows).encode("utf-8")


def demo_stakeholders(*, workspace: Workspace, acting_user: User | None) -> None:
    """Load the fictional Mauritius registry into ``workspace`` (idempotent: a second run changes nothing)."""
    services.stakeholder_import_apply(
        workspace=workspace,
        data=demo_registry_csv(),
        filename="demo-stakeholders.csv",
        acting_user=acting_user,
    )
    by_key = {o.key: o for o in Organisation.objects.filter(workspace=workspace)}
    for source, target, kind in RELATIONS:
        if not OrganisationRelation.objects.filter(
            source=by_key[source], target=by_key[target], kind=kind
        ).exists():
            services.relation_create(
                workspace=workspace,
                source=by_key[source],
                target=by_key[target],
                kind=kind,
                acting_user=acting_user,
            )
    for key, name, title, sex in FOCAL_POINTS:
        organisation = by_key[key]
        if not FocalPoint.objects.filter(organisation=organisation, name=name).exists():
            email = name.lower().replace(" ", ".") + "@example.org"
            services.focal_point_create(
                workspace=workspace,
                organisation=organisation,
                name=name,
                title=title,
                sex=sex,
                email=email,
                acting_user=acting_user,
            )
    for key, year, topic, provider, women, men in PRIOR_TRAININGS:
        organisation = by_key[key]
        if not PriorTraining.objects.filter(organisation=organisation, year=year, topic=topic).exists():
            services.prior_training_create(
                workspace=workspace,
                organisation=organisation,
                year=year,
                topic=topic,
                provider=provider,
                participants_women=women,
                participants_men=men,
                acting_user=acting_user,
            )
