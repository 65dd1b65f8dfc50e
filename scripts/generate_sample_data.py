#!/usr/bin/env python3
"""Generate ILLUSTRATIVE sample data for the social value transparency portal.

Everything written by this script is invented. The commissioners are modelled on Manchester's
(Manchester City Council, Manchester Health and Care Commissioning, Manchester Local Care
Organisation) but every supplier, contract, figure and identifier number is fictional. The
measures follow the six priorities of the Greater Manchester Social Value Framework; proxy values
are illustrative round figures, not copied from any licensed source (never the National TOMs).

Usage:
    python scripts/generate_sample_data.py [--out DIR] [--contracts N] [--seed S]

Output: contracts.csv, measures.csv, commitments.csv, outcomes.csv, opportunities.csv,
indicators.csv, indicator_values.csv, wards.csv, grants.csv, organisations.csv and payments.csv in
DIR, UTF-8 without a byte-order mark, `\\n` line endings, columns in the canonical order of the data
dictionary (docs: DATA.md).

Deterministic: one seeded `random.Random` drives everything and the reference date is fixed
(BUILD_DATE below, never the clock), so the same arguments give byte-identical files.
Standard library only. `--contracts 5000` runs in a few seconds.

The sample deliberately includes, on a FEW rows only, the spreadsheet forms the loader must accept
(`£1,234,567.50` money, `DD/MM/YYYY` dates, `Yes`/`No` and `true`/`false` booleans) and hostile
text (`<script>`, `&`, quotes) in one contract description, to prove that the site escapes it. See
SPECIAL_ROWS. The opportunities are all realistic: hostile opportunity text is tested with the
fixtures in tests/fixtures/hostile, not shown in the public sample.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import random
from pathlib import Path

# --------------------------------------------------------------------------------------------
# Reference dates: the sample is written as if published on BUILD_DATE.
# --------------------------------------------------------------------------------------------
BUILD_DATE = dt.date(2026, 11, 23)
LATEST_Q_START = dt.date(2026, 7, 1)  # latest complete UK financial quarter at BUILD_DATE
LATEST_Q_END = dt.date(2026, 9, 30)
VERIFIED_BEFORE = dt.date(2026, 4, 1)  # returns for periods ending before this are mostly verified

# Canonical column order (DATA.md).
COLUMNS = {
    "contracts": [
        "contract_id",
        "title",
        "description",
        "buyer_name",
        "buyer_id",
        "department",
        "supplier_name",
        "supplier_id",
        "supplier_size",
        "supplier_vcse",
        "supplier_locality",
        "procurement_route",
        "start_date",
        "end_date",
        "review_date",
        "value_gbp",
        "sv_weighting_pct",
        "real_living_wage",
        "ethical_care_charter",
        "cquin_linked",
        "cqc_rating",
        "cpv_code",
        "wards",
        "ocid",
        "notice_url",
        "last_updated",
    ],
    "measures": [
        "measure_id",
        "priority",
        "title",
        "unit",
        "direction",
        "aggregation",
        "proxy_value_gbp",
        "proxy_source",
        "description",
    ],
    "commitments": ["contract_id", "measure_id", "target", "due_date", "notes"],
    "outcomes": [
        "contract_id",
        "measure_id",
        "period_start",
        "period_end",
        "delivered",
        "status",
        "evidence",
    ],
    "opportunities": [
        "opportunity_id",
        "title",
        "description",
        "buyer_name",
        "department",
        "stage",
        "route",
        "value_min_gbp",
        "value_max_gbp",
        "suitable_for_vcse",
        "suitable_for_sme",
        "priorities",
        "published_date",
        "closing_date",
        "expected_start",
        "event_title",
        "event_date",
        "contact_email",
        "notice_url",
        "ocid",
    ],
    "indicators": ["indicator_id", "title", "unit", "direction", "source", "description"],
    "indicator_values": ["indicator_id", "period_start", "period_end", "value"],
    "wards": ["ward_code", "name", "other_names", "local_authority_code"],
    "grants": [
        "grant_id",
        "title",
        "description",
        "currency",
        "amount_applied_for",
        "amount_awarded",
        "amount_disbursed",
        "award_date",
        "url",
        "planned_start_date",
        "planned_end_date",
        "planned_duration_months",
        "recipient_org_id",
        "recipient_org_name",
        "recipient_charity_number",
        "recipient_company_number",
        "recipient_postcode",
        "beneficiary_location_name",
        "beneficiary_location_code",
        "beneficiary_location_code_type",
        "funding_org_id",
        "funding_org_name",
        "funding_org_department",
        "programme_code",
        "programme_title",
        "programme_url",
        "from_an_open_call",
        "last_modified",
        "data_source",
    ],
    "organisations": [
        "org_id",
        "name",
        "other_names",
        "postcode",
        "vat_number",
        "size",
        "vcse",
        "local_respend_pct",
        "respend_survey_date",
    ],
    "payments": [
        "organisation_label",
        "organisation_uri",
        "effective_date",
        "organisational_unit",
        "beneficiary_name",
        "beneficiary_other_id",
        "payment_date",
        "transaction_number",
        "amount_gbp",
        "irrecoverable_vat_gbp",
        "purpose",
        "proclass_label",
        "proclass_code",
        "invoice_number",
        "profit_centre",
        "vat_number",
        "redacted",
        "source",
        "source_line",
    ],
}

# Rows (0-based contract index) that carry the accepted-but-unusual forms. Only a few, on purpose.
SPECIAL_ROWS = {
    "money_pound_commas": (3, 17),  # value_gbp written £1,234,567.50
    "dates_day_first": (8, 29),  # start/end/review/last_updated written DD/MM/YYYY
    "bool_title_case": (5, 12, 21, 40),  # Yes / No
    "bool_true_false": (33, 50),  # true / false
    "hostile_description": (11,),
}
HOSTILE = '<script>alert("x")</script> & "quotes" <b>bold</b>'

# --------------------------------------------------------------------------------------------
# Greater Manchester Social Value Framework priorities and the measure catalogue.
# --------------------------------------------------------------------------------------------
P_EMP = "Provide the best employment that you can"
P_SKL = "Create employment and skills opportunities"
P_COM = "Be part of a strong local community"
P_SUP = "Develop a locally based and resilient supply chain"
P_AIR = "Keep the air clean"
P_GRN = "Make your organisation greener"
PRIORITIES = [P_EMP, P_SKL, P_COM, P_SUP, P_AIR, P_GRN]

PROXY_SOURCE = "Illustrative figure derived from the GMCA Unit Cost Database (2024)"

# measure_id, priority, title, unit, direction, aggregation, proxy_value_gbp, description
MEASURES = [
    (
        "EMP-01",
        P_EMP,
        "Staff on this contract paid at least the Real Living Wage",
        "people",
        "increase",
        "latest",
        "",
        "The **number of people** working on this contract who are paid at least the Real Living "
        "Wage at the end of the quarter.\n\n- Count headcount, not FTE.\n- Include agency and "
        "subcontracted staff working on the contract.\n- Report the level at quarter end, not a "
        "running total.",
    ),
    (
        "EMP-02",
        P_EMP,
        "Staff trained as mental health first aiders",
        "people",
        "increase",
        "sum",
        "",
        "People on the contract workforce who **completed** an accredited mental health first aid "
        "course in the quarter.\n\nCount each person once, in the quarter they qualified.",
    ),
    (
        "EMP-03",
        P_EMP,
        "Care workers on guaranteed-hours contracts",
        "percent",
        "increase",
        "latest",
        "",
        "The percentage of front-line care workers on this contract who have **guaranteed hours** "
        "(no zero-hours contracts), at the end of the quarter.\n\nThis supports the Unison Ethical "
        "Care Charter.",
    ),
    (
        "SKL-01",
        P_SKL,
        "Local people hired",
        "FTE",
        "increase",
        "sum",
        "14500",
        "New hires who live in Manchester, in **full-time equivalents**, starting in the quarter.\n\n"
        "- Count only roles lasting at least 26 weeks.\n- Include hires by subcontractors on this "
        "contract.",
    ),
    (
        "SKL-02",
        P_SKL,
        "Apprenticeship weeks completed",
        "weeks",
        "increase",
        "sum",
        "310",
        "Weeks of apprenticeship **completed** on this contract in the quarter, at any level "
        "(Level 2 to degree apprenticeships).\n\nOne apprentice for a full quarter counts as "
        "13 weeks.",
    ),
    (
        "SKL-03",
        P_SKL,
        "Work placement hours for young people and care leavers",
        "hours",
        "increase",
        "sum",
        "",
        "Hours of meaningful, **paid or supervised** work placement offered to Manchester residents "
        "aged 16-24, prioritising care leavers.",
    ),
    (
        "SKL-04",
        P_SKL,
        "Residents who are long-term unemployed supported into work",
        "people",
        "increase",
        "sum",
        "11000",
        "Manchester residents unemployed for 12 months or more who **started work** in the quarter "
        "with support from the supplier.\n\n- Count each person once.\n- The job need not be on "
        "this contract.",
    ),
    (
        "SKL-05",
        P_SKL,
        "Care leavers employed",
        "people",
        "increase",
        "sum",
        "",
        "Care leavers (aged up to 25) who started a job with the supplier in the quarter.",
    ),
    (
        "COM-01",
        P_COM,
        "Staff volunteering hours in Manchester communities",
        "hours",
        "increase",
        "sum",
        "16.50",
        "Hours staff spent **volunteering** with Manchester community groups during paid time.\n\n"
        "Record the activity and the group in your evidence.",
    ),
    (
        "COM-02",
        P_COM,
        "Donations and in-kind support to Manchester VCSE groups",
        "GBP",
        "increase",
        "sum",
        "",
        "Money, goods and services given to Manchester **voluntary, community and social "
        "enterprise** organisations, valued at cost.",
    ),
    (
        "COM-03",
        P_COM,
        "Residents taking part in community health and wellbeing activities",
        "people",
        "increase",
        "sum",
        "",
        "Residents who took part in a community activity run or funded by the supplier in the "
        "quarter (for example walking groups, lunch clubs, peer support).\n\nCount each person once "
        "per quarter.",
    ),
    (
        "SUP-01",
        P_SUP,
        "Share of contract spend with Manchester-based suppliers",
        "percent",
        "increase",
        "latest",
        "",
        "The percentage of the supplier's **third-party spend** on this contract, year to date, "
        "that went to organisations based in Manchester.\n\nReport the year-to-date level each "
        "quarter.",
    ),
    (
        "SUP-02",
        P_SUP,
        "Spend with local SMEs and VCSE organisations in the supply chain",
        "GBP",
        "increase",
        "sum",
        "",
        "Pounds spent on this contract with **small and medium-sized enterprises** and VCSE "
        "organisations based in Greater Manchester, in the quarter.",
    ),
    (
        "SUP-03",
        P_SUP,
        "Hours of support and mentoring for local small businesses",
        "hours",
        "increase",
        "sum",
        "",
        "Hours of expert time given to Manchester small businesses and social enterprises "
        "(bid-writing, finance, digital skills).",
    ),
    (
        "AIR-01",
        P_AIR,
        "Contract fleet that is zero-emission",
        "percent",
        "increase",
        "latest",
        "",
        "The percentage of vehicles used on this contract that are **zero-emission at the tailpipe** "
        "(battery electric or hydrogen), at the end of the quarter.",
    ),
    (
        "AIR-02",
        P_AIR,
        "Vehicle emissions avoided through active and sustainable travel",
        "tCO2e",
        "increase",
        "sum",
        "",
        "Tonnes of CO2 equivalent **avoided** by staff walking, cycling or using public transport "
        "for work journeys instead of driving, using the government's greenhouse gas conversion "
        "factors.",
    ),
    (
        "GRN-01",
        P_GRN,
        "Carbon emitted in delivering the contract (scopes 1 and 2)",
        "tCO2e",
        "decrease",
        "sum",
        "",
        "Tonnes of CO2 equivalent **emitted** in delivering the contract in the quarter: fuel, "
        "heating and electricity.\n\nThe target is a **ceiling** over the life of the contract: "
        "delivering at or below it is good.",
    ),
    (
        "GRN-02",
        P_GRN,
        "Staff certified in carbon literacy",
        "people",
        "increase",
        "sum",
        "",
        "Staff who gained **Carbon Literacy** certification in the quarter.",
    ),
    (
        "GRN-03",
        P_GRN,
        "Hours of environmental volunteering",
        "hours",
        "increase",
        "sum",
        "",
        "Hours staff spent on tree planting, litter picks and green-space improvement in Manchester.",
    ),
]
MEASURE_BY_ID = {m[0]: m for m in MEASURES}

# Measure pools by contract category: which measures a supplier of that kind may commit to.
POOLS = {
    "care": ["EMP-01", "EMP-03", "SKL-01", "SKL-02", "SKL-05", "COM-01", "AIR-01", "GRN-01", "GRN-02"],
    "vcse": ["EMP-01", "SKL-03", "SKL-04", "COM-01", "COM-03", "SUP-01", "GRN-02", "GRN-03"],
    "construction": ["SKL-01", "SKL-02", "SKL-03", "COM-01", "SUP-01", "SUP-02", "AIR-01", "AIR-02", "GRN-01"],
    "facilities": ["EMP-01", "SKL-01", "SKL-02", "COM-02", "SUP-01", "AIR-01", "GRN-01", "GRN-03"],
    "ict": ["SKL-02", "SKL-03", "COM-01", "COM-02", "SUP-03", "GRN-02"],
    "health": ["EMP-01", "EMP-02", "SKL-01", "SKL-04", "COM-03", "SUP-01", "AIR-02", "GRN-01"],
    "transport": ["EMP-01", "SKL-01", "AIR-01", "AIR-02", "GRN-01", "SUP-01"],
    "catering": ["SKL-03", "COM-02", "SUP-01", "SUP-02", "GRN-01", "GRN-03"],
}

# --------------------------------------------------------------------------------------------
# Commissioners and the kinds of contract they let.
# --------------------------------------------------------------------------------------------
MCC = ("Manchester City Council", "GB-LAE-MAN")
MHCC = ("Manchester Health and Care Commissioning", "GB-NHS-14L")
MLCO = ("Manchester Local Care Organisation", "")

AREAS = ["North", "Central", "South"]
SCHEMES = ["Ancoats", "Gorton", "Wythenshawe", "Didsbury", "Harpurhey", "Moston", "Chorlton"]
CORRIDORS = [
    "Hyde Road",
    "Stockport Road",
    "Rochdale Road",
    "Wilmslow Road",
    "Oldham Road",
    "Princess Road",
    "Chorlton Road",
]
CENTRES = ["Abraham Moss", "Hough End", "Arcadia", "Moss Side", "North City", "Wythenshawe Forum"]

# Manchester's 32 electoral wards.
WARDS = [
    "Ancoats and Beswick",
    "Ardwick",
    "Baguley",
    "Brooklands",
    "Burnage",
    "Charlestown",
    "Cheetham",
    "Chorlton",
    "Chorlton Park",
    "Clayton and Openshaw",
    "Crumpsall",
    "Deansgate",
    "Didsbury East",
    "Didsbury West",
    "Fallowfield",
    "Gorton and Abbey Hey",
    "Harpurhey",
    "Higher Blackley",
    "Hulme",
    "Levenshulme",
    "Longsight",
    "Miles Platting and Newton Heath",
    "Moss Side",
    "Moston",
    "Northenden",
    "Old Moat",
    "Piccadilly",
    "Rusholme",
    "Sharston",
    "Whalley Range",
    "Withington",
    "Woodhouse Park",
]
# Their ONS codes and names (Wards (May 2023), as in data/wards.geojson): not made up. The ONS writes "&" where
# the sample's contracts write "and"; wards.csv gives that spelling as an other name.
MANCHESTER = "E08000003"
WARD_CODES = {name: f"E0501{1350 + number}" for number, name in enumerate(WARDS)}


def ward_rows() -> list[dict]:
    """wards.csv: Manchester's 32 wards, by code (no random choice: the other tables do not change with it)."""
    rows = []
    for name, code in WARD_CODES.items():
        official = name.replace(" and ", " & ")
        other = name if official != name else ""
        rows.append({"ward_code": code, "name": official, "other_names": other, "local_authority_code": MANCHESTER})
    return rows


AREA_WARDS = {
    "North": [
        "Charlestown",
        "Cheetham",
        "Crumpsall",
        "Harpurhey",
        "Higher Blackley",
        "Moston",
        "Miles Platting and Newton Heath",
        "Ancoats and Beswick",
    ],
    "Central": [
        "Ardwick",
        "Hulme",
        "Moss Side",
        "Longsight",
        "Rusholme",
        "Gorton and Abbey Hey",
        "Levenshulme",
        "Clayton and Openshaw",
        "Whalley Range",
        "Piccadilly",
    ],
    "South": [
        "Baguley",
        "Brooklands",
        "Northenden",
        "Sharston",
        "Woodhouse Park",
        "Didsbury East",
        "Didsbury West",
        "Withington",
        "Chorlton",
        "Burnage",
    ],
}


class Kind:
    """A kind of contract: who buys it, what it is, who supplies it, how big it tends to be."""

    def __init__(self, buyer, dept, code, title, cpv, cat, tag, vlo, vhi, flags="", bullets=()):
        self.buyer, self.dept, self.code, self.title = buyer, dept, code, title
        self.cpv, self.cat, self.tag, self.vlo, self.vhi = cpv, cat, tag, vlo, vhi
        self.flags = set(flags.split())
        self.bullets = bullets


K = Kind
KINDS = [
    # Manchester City Council: Adult Social Care
    K(
        MCC,
        "Adult Social Care",
        "ASC",
        "Homecare (Home Support): {area} Manchester",
        "85310000",
        "care",
        "homecare",
        3e6,
        1.8e7,
        "homecare care",
        (
            "personal care and support at home, seven days a week",
            "visits of at least 30 minutes, planned around the person",
            "care workers paid for travel time between visits",
            "a named key worker for every person supported",
        ),
    ),
    K(
        MCC,
        "Adult Social Care",
        "ASC",
        "Extra Care Housing Support: {scheme}",
        "85311100",
        "care",
        "care",
        8e5,
        4e6,
        "care",
        (
            "24-hour on-site care team",
            "wellbeing activities open to the neighbourhood",
            "support to move in from hospital",
        ),
    ),
    K(
        MCC,
        "Adult Social Care",
        "ASC",
        "Supported Living for Adults with Learning Disabilities: Lot {lot}",
        "85311200",
        "care",
        "care",
        2e6,
        1.2e7,
        "care",
        ("support tailored to each tenant's plan", "help to find work and volunteering", "positive behaviour support"),
    ),
    K(
        MCC,
        "Adult Social Care",
        "ASC",
        "Carers' Support and Short Breaks Service",
        "85312000",
        "vcse",
        "vcse",
        3e5,
        1.5e6,
        "",
        (
            "carers' assessments and advice",
            "short breaks and sitting services",
            "peer support groups in every neighbourhood",
        ),
    ),
    K(
        MCC,
        "Adult Social Care",
        "ASC",
        "Community Day Opportunities: {area} Manchester",
        "85312000",
        "vcse",
        "vcse",
        1.5e5,
        9e5,
        "",
        ("daytime activities in community venues", "transport for people who need it", "links to local groups"),
    ),
    K(
        MCC,
        "Adult Social Care",
        "ASC",
        "Home Adaptations and Handyperson Service",
        "50700000",
        "construction",
        "handyperson",
        2e5,
        1.2e6,
        "",
        (
            "grab rails, ramps and minor adaptations",
            "small repairs for older residents",
            "falls-risk checks while on site",
        ),
    ),
    # Children's Services
    K(
        MCC,
        "Children's Services",
        "CHS",
        "Early Help and Family Support: {area} Manchester",
        "85312000",
        "vcse",
        "vcse",
        4e5,
        2.5e6,
        "",
        ("whole-family key work", "parenting programmes", "drop-in sessions in family hubs"),
    ),
    K(
        MCC,
        "Children's Services",
        "CHS",
        "Young Carers Service",
        "85312000",
        "vcse",
        "vcse",
        6e4,
        3e5,
        "",
        ("one-to-one support for young carers", "school awareness sessions", "respite activities"),
    ),
    K(
        MCC,
        "Children's Services",
        "CHS",
        "Care Leavers Employment and Training Support",
        "80530000",
        "vcse",
        "employability",
        1.2e5,
        6e5,
        "",
        ("careers coaching", "paid work tasters", "help with interviews and travel costs"),
    ),
    K(
        MCC,
        "Children's Services",
        "CHS",
        "Residential Placements for Children Looked After: Lot {lot}",
        "85311300",
        "care",
        "care",
        1.5e6,
        9e6,
        "",
        ("placements close to home, school and friends", "therapeutic support", "planned transitions to leaving care"),
    ),
    # Neighbourhoods
    K(
        MCC,
        "Neighbourhoods",
        "NBH",
        "Parks and Green Space Maintenance: {area} Manchester",
        "77310000",
        "facilities",
        "grounds",
        1e6,
        6e6,
        "",
        ("grass cutting, shrub and tree maintenance", "play area inspections", "support for Friends of Parks groups"),
    ),
    K(
        MCC,
        "Neighbourhoods",
        "NBH",
        "Community Events and Small Grants Programme",
        "98000000",
        "vcse",
        "vcse",
        2e4,
        3.5e4,
        "",
        ("small grants of up to £2,000", "help for first-time event organisers", "an annual celebration event"),
    ),
    K(
        MCC,
        "Neighbourhoods",
        "NBH",
        "Waste Collection, Recycling and Street Cleansing",
        "90511000",
        "facilities",
        "environment",
        2.5e7,
        4e7,
        "",
        ("weekly residual and recycling collections", "street cleansing and litter bins", "bulky waste collections"),
    ),
    K(
        MCC,
        "Neighbourhoods",
        "NBH",
        "Leisure Centre Management: {centre}",
        "92610000",
        "facilities",
        "leisure",
        5e6,
        2e7,
        "",
        ("pool and gym operation", "free swimming for under-18s", "community sports sessions"),
    ),
    K(
        MCC,
        "Neighbourhoods",
        "NBH",
        "Libraries Digital Inclusion Outreach",
        "92511000",
        "vcse",
        "vcse",
        5e4,
        2.5e5,
        "",
        ("device lending", "digital skills drop-ins", "help with online forms"),
    ),
    # Highways
    K(
        MCC,
        "Highways",
        "HWY",
        "Carriageway Resurfacing Programme {year}",
        "45233141",
        "construction",
        "civils",
        3e6,
        1.5e7,
        "",
        ("resurfacing of priority roads", "footway repairs", "minimising disruption to residents"),
    ),
    K(
        MCC,
        "Highways",
        "HWY",
        "Street Lighting Maintenance and LED Upgrade",
        "50232100",
        "construction",
        "lighting",
        2e6,
        1e7,
        "",
        ("routine and emergency repairs", "LED lantern replacement", "night-time inspections"),
    ),
    K(
        MCC,
        "Highways",
        "HWY",
        "Active Travel Corridor Works: {corridor}",
        "45233162",
        "construction",
        "civils",
        1e6,
        8e6,
        "",
        ("segregated cycle lanes", "improved crossings", "bus stop bypasses"),
    ),
    K(
        MCC,
        "Highways",
        "HWY",
        "Gully Cleansing and Highway Drainage",
        "90640000",
        "construction",
        "civils",
        4e5,
        2e6,
        "",
        ("cyclical gully cleansing", "drainage repairs", "flood-risk hotspot visits"),
    ),
    # Public Health
    K(
        MCC,
        "Public Health",
        "PH",
        "Integrated Drug and Alcohol Treatment Service",
        "85323000",
        "health",
        "health_vcse",
        8e6,
        2.5e7,
        "",
        ("assessment and treatment", "recovery communities", "harm reduction outreach"),
    ),
    K(
        MCC,
        "Public Health",
        "PH",
        "Healthy Weight and Physical Activity Programme",
        "85323000",
        "vcse",
        "vcse",
        2e5,
        9e5,
        "",
        ("family healthy-weight courses", "free activity sessions", "cooking on a budget"),
    ),
    K(
        MCC,
        "Public Health",
        "PH",
        "Stop Smoking and Tobacco Control Service",
        "85140000",
        "health",
        "health",
        4e5,
        1.8e6,
        "",
        ("specialist stop smoking advice", "support in pregnancy", "work with local retailers"),
    ),
    K(
        MCC,
        "Public Health",
        "PH",
        "Infant Feeding Peer Support",
        "85140000",
        "vcse",
        "vcse",
        6e4,
        2.5e5,
        "",
        ("trained peer supporters", "home visits and groups", "support in several languages"),
    ),
    # Homelessness
    K(
        MCC,
        "Homelessness",
        "HOM",
        "Rough Sleeper Outreach and Accommodation Support",
        "85311000",
        "vcse",
        "vcse",
        5e5,
        3e6,
        "",
        ("street outreach seven days a week", "supported accommodation", "help to keep a tenancy"),
    ),
    K(
        MCC,
        "Homelessness",
        "HOM",
        "Temporary Accommodation Floating Support",
        "70333000",
        "vcse",
        "vcse",
        6e5,
        3e6,
        "",
        ("support for families in temporary accommodation", "school and GP registration", "move-on planning"),
    ),
    # Education
    K(
        MCC,
        "Education",
        "EDU",
        "Home to School Transport: Route Package {lot}",
        "60130000",
        "transport",
        "transport",
        3e5,
        2.5e6,
        "",
        ("trained passenger assistants", "accessible vehicles", "consistent drivers and routes"),
    ),
    K(
        MCC,
        "Education",
        "EDU",
        "School Catering Ingredients and Meals",
        "55524000",
        "catering",
        "catering",
        2e6,
        9e6,
        "",
        ("fresh, seasonal menus", "Manchester-grown produce where possible", "allergy-safe preparation"),
    ),
    # Corporate Core
    K(
        MCC,
        "Corporate Core",
        "COR",
        "ICT Service Desk and End User Support",
        "72253000",
        "ict",
        "ict",
        1.5e6,
        6e6,
        "",
        ("a 24/7 service desk", "device refresh", "accessibility support for staff"),
    ),
    K(
        MCC,
        "Corporate Core",
        "COR",
        "Managed Print and Mailroom Service",
        "79800000",
        "ict",
        "ict",
        3e5,
        1.5e6,
        "",
        ("print and scan devices", "hybrid mail", "secure mailroom"),
    ),
    # Manchester Health and Care Commissioning (NHS)
    K(
        MHCC,
        "Mental Health",
        "",
        "Community Mental Health Support: {year} Agreement",
        "85323000",
        "health",
        "nhs_health",
        2e6,
        1.4e7,
        "nhs",
        ("community mental health teams", "crisis cafés", "peer support workers"),
    ),
    K(
        MHCC,
        "Primary Care",
        "",
        "GP Out-of-Hours and Extended Access Service",
        "85121000",
        "health",
        "gp",
        4e6,
        1.6e7,
        "nhs",
        ("evening and weekend appointments", "home visits out of hours", "NHS 111 referrals"),
    ),
    K(
        MHCC,
        "Urgent and Emergency Care",
        "",
        "Non-Emergency Patient Transport Service",
        "60130000",
        "transport",
        "patient_transport",
        5e6,
        2e7,
        "nhs",
        ("journeys to and from hospital appointments", "discharge transport", "eligibility checks"),
    ),
    K(
        MHCC,
        "Mental Health",
        "",
        "NHS Talking Therapies Service",
        "85121270",
        "health",
        "nhs_health",
        3e6,
        1.2e7,
        "nhs",
        ("talking therapies for anxiety and depression", "employment advisers", "self-referral online"),
    ),
    K(
        MHCC,
        "Community Health",
        "",
        "Social Prescribing Link Worker Service",
        "85312000",
        "vcse",
        "vcse",
        3e5,
        1.5e6,
        "",
        ("link workers in every primary care network", "referrals to community groups", "follow-up at 12 weeks"),
    ),
    # Manchester Local Care Organisation
    K(
        MLCO,
        "Community Health",
        "CH",
        "Community Equipment and Telecare Service",
        "85140000",
        "health",
        "equipment",
        4e6,
        1.5e7,
        "nhs",
        ("delivery and collection of equipment", "telecare alarms and response", "recycling of returned equipment"),
    ),
    K(
        MLCO,
        "Community Health",
        "CH",
        "Community Physiotherapy Support: {area} Manchester",
        "85142100",
        "health",
        "health",
        5e5,
        3e6,
        "nhs",
        ("home-based physiotherapy", "clinics in neighbourhood hubs", "self-management advice"),
    ),
    K(
        MLCO,
        "Integrated Neighbourhood Teams",
        "INT",
        "Falls Prevention and Strength and Balance Programme",
        "85323000",
        "vcse",
        "vcse",
        1e5,
        6e5,
        "",
        ("strength and balance classes", "home hazard checks", "follow-up after a fall"),
    ),
    K(
        MLCO,
        "Integrated Neighbourhood Teams",
        "INT",
        "Hospital Discharge to Assess Support",
        "85312000",
        "care",
        "homecare",
        2e6,
        8e6,
        "nhs care",
        ("support at home within 24 hours of discharge", "assessment at home", "links to reablement"),
    ),
    K(
        MLCO,
        "Adult Social Care",
        "ASC",
        "Reablement Service: {area} Manchester",
        "85312000",
        "care",
        "homecare",
        3e6,
        1e7,
        "homecare care",
        ("up to six weeks of reablement", "goal-based support plans", "equipment and telecare"),
    ),
    K(
        MLCO,
        "Integrated Neighbourhood Teams",
        "INT",
        "Community Health Checks Outreach",
        "85323000",
        "vcse",
        "health_vcse",
        1.5e5,
        7e5,
        "",
        ("health checks in community venues", "blood pressure and diabetes screening", "referral to local services"),
    ),
]

# --------------------------------------------------------------------------------------------
# Fictional suppliers. (name, id, size, vcse, locality, cqc_rating, tags)
# Any resemblance of a name or identifier number to a real organisation is accidental.
# --------------------------------------------------------------------------------------------
SUPPLIERS = [
    ("Copperbeech Home Support Ltd", "GB-COH-09418273", "sme", False, "local", "good", "homecare"),
    (
        "Ardenvale Care Services Ltd",
        "GB-COH-04827155",
        "large",
        False,
        "elsewhere",
        "requires-improvement",
        "homecare care",
    ),
    ("Brightwater Homecare CIC", "GB-COH-08830412", "sme", True, "local", "outstanding", "homecare"),
    ("Harbour Light Care Partnership Ltd", "GB-COH-07712094", "sme", False, "regional", "good", "homecare care"),
    ("Kestrel Court Care Group plc", "GB-COH-03391806", "large", False, "regional", "good", "care"),
    ("Millbrook Lane Supported Living", "GB-CHC-1142087", "sme", True, "local", "good", "care"),
    ("Quillfield Care Homes Ltd", "GB-COH-06150937", "sme", False, "regional", "inadequate", "care"),
    ("Larkwell Neighbourhood Trust", "GB-CHC-1163391", "sme", True, "local", "", "vcse"),
    ("Bramblegate Carers Collective", "GB-CHC-1107426", "sme", True, "local", "", "vcse"),
    ("Stepping Stile Youth Futures", "360G-MCC-ORG-00417", "sme", True, "local", "", "vcse employability"),
    ("Kettle and Crumb Community Kitchen", "360G-MCC-ORG-00582", "sme", True, "local", "", "vcse"),
    ("Tallow Lane Families Network", "GB-CHC-1179354", "sme", True, "local", "", "vcse"),
    ("Sundial Wellbeing Circle", "GB-CHC-1150628", "sme", True, "local", "", "vcse health_vcse"),
    ("Pantry Row Food Co-operative", "GB-MPR-RS008214", "sme", True, "local", "", "catering"),
    ("Workbench Men's Shed Collective", "360G-MCC-ORG-00631", "sme", True, "local", "", "handyperson"),
    ("Lantern Yard Hands Together", "GB-CHC-1188265", "sme", True, "local", "", "vcse"),
    ("Ladderway Futures in Work", "GB-CHC-1125870", "sme", True, "regional", "", "employability vcse"),
    ("Waymark Recovery Alliance", "GB-CHC-1098734", "large", True, "regional", "", "health_vcse"),
    ("Alderglen Community Health CIC", "GB-COH-10293847", "sme", True, "local", "", "health_vcse health"),
    ("Thornleigh Therapies Ltd", "GB-COH-05528816", "sme", False, "regional", "", "health nhs_health"),
    ("Merebrook GP Federation Ltd", "GB-COH-09965120", "sme", False, "local", "", "gp"),
    ("Wardle Brook Health Partnership Ltd", "GB-COH-02846613", "large", False, "regional", "", "nhs_health gp"),
    (
        "Cedarline Patient Transport Ltd",
        "GB-COH-04410298",
        "large",
        False,
        "elsewhere",
        "",
        "patient_transport transport",
    ),
    ("Brightmoor Community Equipment Ltd", "GB-COH-06731450", "large", False, "elsewhere", "", "equipment"),
    ("Greenhollow Grounds Maintenance Ltd", "GB-COH-07289346", "sme", False, "local", "", "grounds"),
    ("Tidemark Environmental Services Ltd", "GB-COH-01938475", "large", False, "elsewhere", "", "environment grounds"),
    ("Fernleigh Waste and Recycling Ltd", "GB-COH-03817264", "large", False, "regional", "", "environment"),
    ("Thistlecombe Leisure Trust", "GB-CHC-1116582", "large", True, "elsewhere", "", "leisure"),
    ("Northfold Active CIC", "GB-COH-11047392", "sme", True, "local", "", "leisure"),
    ("Pennine Roadways Ltd", "GB-COH-02275519", "large", False, "regional", "", "civils"),
    ("Kerbline Civils Ltd", "GB-COH-08164227", "sme", False, "local", "", "civils handyperson"),
    ("Granary Lane Surfacing Ltd", "GB-COH-05093318", "sme", False, "regional", "", "civils"),
    ("Lumenway Street Lighting Ltd", "GB-COH-03650281", "large", False, "elsewhere", "", "lighting"),
    ("Redwick Transport Services Ltd", "GB-COH-06682013", "sme", False, "local", "", "transport"),
    ("Kingfold Minibus Co-operative", "GB-MPR-RS007745", "sme", True, "local", "", "transport"),
    ("Sixteen Acres Catering Ltd", "GB-COH-07405516", "sme", False, "regional", "", "catering"),
    ("Brookhaven Fresh Foods Ltd", "GB-COH-02517730", "large", False, "elsewhere", "", "catering"),
    ("Quaystone Digital Ltd", "GB-COH-04962281", "large", False, "elsewhere", "", "ict"),
    ("Bramlow IT Services Ltd", "GB-COH-09120586", "sme", False, "regional", "", "ict"),
    ("Spindlepoint Print Solutions Ltd", "", "sme", False, "regional", "", "ict"),
]

# Word parts for extra fictional suppliers when --contracts is large.
NAME_PREFIXES = [
    "Alderbank",
    "Ashworth Vale",
    "Beckside",
    "Birchcroft",
    "Bramblegate",
    "Calderwood",
    "Cloverfield",
    "Copperhill",
    "Dunmore",
    "Elmstead",
    "Fernlea",
    "Foxglove",
    "Garside",
    "Hazelmere",
    "Hollinwood Vale",
    "Ivybridge Lane",
    "Juniper",
    "Kestrelmoor",
    "Larkspur",
    "Lindenfold",
    "Marlowe",
    "Meadowsweet",
    "Netherby",
    "Oakhollow",
    "Orchard Row",
    "Penfold",
    "Quarrybank",
    "Rowanlea",
    "Saltcote",
    "Sandbrook",
    "Thornbury Mill",
    "Tillwood",
    "Umberfield",
    "Valewood",
    "Willowgate",
    "Wrenfield",
    "Yewcroft",
    "Ashgrove",
    "Bellhouse",
    "Coldwell",
]
TAG_WORDS = {
    "homecare": ("Home Support", "Homecare"),
    "care": ("Care", "Supported Living"),
    "vcse": ("Community Trust", "Neighbourhood Network"),
    "employability": ("Futures", "Work Clubs"),
    "handyperson": ("Home Repairs", "Handyperson"),
    "health_vcse": ("Wellbeing", "Health Collective"),
    "health": ("Therapies", "Health Services"),
    "nhs_health": ("Health Partnership", "Clinical Services"),
    "gp": ("GP Federation", "Medical"),
    "patient_transport": ("Patient Transport", "Ambulance Services"),
    "equipment": ("Equipment Services", "Telecare"),
    "grounds": ("Grounds", "Landscapes"),
    "environment": ("Environmental", "Recycling"),
    "leisure": ("Leisure", "Active"),
    "civils": ("Civils", "Surfacing"),
    "lighting": ("Lighting", "Electrical"),
    "transport": ("Travel", "Minibus"),
    "catering": ("Catering", "Fresh Foods"),
    "ict": ("Digital", "IT Services"),
}
VCSE_TAGS = {"vcse", "employability", "health_vcse"}
CARE_RATINGS = ["good"] * 6 + ["outstanding", "requires-improvement", "requires-improvement", "inadequate"]

EVIDENCE = {
    "people": [
        "Payroll extract for the quarter",
        "Training certificates held by the supplier",
        "Attendance registers",
        "Anonymised case records checked by the contract manager",
    ],
    "percent": ["Year-to-date spend analysis", "Fleet register at quarter end", "HR system report at quarter end"],
    "FTE": ["Starter list with postcodes (anonymised)", "HR system report"],
    "weeks": ["Apprenticeship agreements and provider returns"],
    "hours": ["Volunteering log signed off by the contract manager", "Timesheets", "Placement agreements"],
    "GBP": ["Invoices and donation receipts", "Supply chain spend report"],
    "tCO2e": ["Fuel card and utility data with UK Government conversion factors", "Travel survey and mileage claims"],
}
NOTES = [
    "Target agreed at award; reviewed each year at the contract review.",
    "Includes delivery by subcontractors on this contract.",
    "Revised at the 2025 contract review.",
    "Counted as headcount at the end of each quarter.",
    "Supplier to prioritise residents of the wards served.",
    "Stretch target offered in the tender.",
]


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------
def quarter_start(d: dt.date) -> dt.date:
    return dt.date(d.year, (d.month - 1) // 3 * 3 + 1, 1)


def next_quarter(q: dt.date) -> dt.date:
    return dt.date(q.year + 1, 1, 1) if q.month == 10 else dt.date(q.year, q.month + 3, 1)


def quarter_end(q: dt.date) -> dt.date:
    return next_quarter(q) - dt.timedelta(days=1)


def add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    return dt.date(d.year + y, m + 1, min(d.day, 28))


def quarters_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """Quarter starts from the quarter containing `first` to the one containing `last`."""
    out, q, end = [], quarter_start(first), quarter_start(last)
    while q <= end:
        out.append(q)
        q = next_quarter(q)
    return out


def iso(d: dt.date | None) -> str:
    return d.isoformat() if d else ""


def dmy(d: dt.date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def num(x: float, dp: int) -> str:
    """A number with at most `dp` decimals, no trailing zeros."""
    s = f"{x:.{dp}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def money(x: float, pence: bool) -> str:
    return f"{x:.2f}" if pence else f"{x:.0f}"


def money_spreadsheet(x: float) -> str:
    return f"£{x:,.2f}"


def boolean(v: bool | None, style: str = "lower") -> str:
    if v is None:
        return ""
    if style == "title":
        return "Yes" if v else "No"
    if style == "truefalse":
        return "true" if v else "false"
    return "yes" if v else "no"


def uuid_like(rng: random.Random) -> str:
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[rng.randrange(4)]}{h[17:20]}-{h[20:]}"


def slug(s: str) -> str:
    out = "".join(c if c.isalnum() else "-" for c in s.lower())
    return out


def log_uniform(rng: random.Random, lo: float, hi: float) -> float:
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow([r.get(c, "") for c in columns])


# --------------------------------------------------------------------------------------------
# Suppliers
# --------------------------------------------------------------------------------------------
def build_suppliers(rng: random.Random, n_contracts: int) -> dict[str, list[dict]]:
    """Suppliers grouped by tag. Extra fictional suppliers are added for large samples so that
    each holds two or three contracts on average."""
    by_tag: dict[str, list[dict]] = {t: [] for t in TAG_WORDS}
    used_ids = set()
    for name, sid, size, vcse, loc, cqc, tags in SUPPLIERS:
        s = {"name": name, "id": sid, "size": size, "vcse": vcse, "locality": loc, "cqc": cqc}
        used_ids.add(sid)
        for t in tags.split():
            by_tag[t].append(s)
    extra = max(0, (n_contracts - 64) // 3)
    tags = list(TAG_WORDS)
    for i in range(extra):
        tag = tags[i % len(tags)]
        k = i // len(tags)
        prefix = NAME_PREFIXES[k % len(NAME_PREFIXES)]
        word = TAG_WORDS[tag][(k // len(NAME_PREFIXES)) % 2]
        series = k // (2 * len(NAME_PREFIXES))
        vcse = tag in VCSE_TAGS or rng.random() < 0.08
        suffix = "CIC" if vcse and tag not in VCSE_TAGS else ("" if vcse else "Ltd")
        name = " ".join(p for p in (prefix, word, f"{series + 2}" if series else "", suffix) if p)
        while True:
            if vcse and rng.random() < 0.6:
                sid = f"GB-CHC-{rng.randint(1_080_000, 1_199_999)}"
            elif vcse and rng.random() < 0.3:
                sid = f"360G-MCC-ORG-{rng.randint(1000, 99999):05d}"
            else:
                sid = f"GB-COH-0{rng.randint(1_000_000, 9_999_999)}"
            if sid not in used_ids:
                break
        used_ids.add(sid)
        size = "sme" if vcse or rng.random() < 0.6 else "large"
        loc = rng.choices(["local", "regional", "elsewhere"], [5, 3, 2])[0]
        cqc = rng.choice(CARE_RATINGS) if tag in ("homecare", "care") else ""
        by_tag[tag].append({"name": name, "id": sid, "size": size, "vcse": vcse, "locality": loc, "cqc": cqc})
    return by_tag


# --------------------------------------------------------------------------------------------
# Contracts
# --------------------------------------------------------------------------------------------
def plan_scenarios(rng: random.Random, n: int) -> list[str]:
    """How each contract's life relates to BUILD_DATE, shuffled."""
    nyd = round(n * 0.0625)  # starts 2026-10 or later: commitments, no returns yet
    ended = round(n * 0.16)  # ended before the latest complete quarter
    nocommit = round(n * 0.08)  # published without social value commitments
    active = max(0, n - nyd - ended - nocommit)
    plan = ["nyd"] * nyd + ["ended"] * ended + ["nocommit"] * nocommit + ["active"] * active
    plan = plan[:n]
    rng.shuffle(plan)
    return plan


def pick_dates(rng: random.Random, scenario: str) -> tuple[dt.date, dt.date]:
    def month_first(y0: int, m0: int, y1: int, m1: int) -> dt.date:
        while True:
            y = rng.randint(y0, y1)
            m = rng.choice([1, 4, 7, 10]) if rng.random() < 0.7 else rng.randint(1, 12)
            d = dt.date(y, m, 1)
            if dt.date(y0, m0, 1) <= d <= dt.date(y1, m1, 1):
                return d

    if scenario == "nyd":
        start = rng.choice(
            [dt.date(2026, 10, 1), dt.date(2026, 11, 1), dt.date(2026, 12, 1), dt.date(2027, 1, 1), dt.date(2027, 4, 1)]
        )
        return start, add_months(start, 12 * rng.randint(2, 5)) - dt.timedelta(days=1)
    if scenario == "ended":
        while True:
            start = month_first(2021, 1, 2023, 6)
            years = rng.randint(2, 3)
            end = add_months(start, 12 * years) - dt.timedelta(days=1)
            if end < LATEST_Q_START:
                return start, end
    # active (and nocommit, which uses the same spread): running at BUILD_DATE
    while True:
        y = rng.choices([2021, 2022, 2023, 2024, 2025, 2026], [3, 15, 25, 25, 22, 10])[0]
        start = month_first(y, 1, y, 12)
        if start > dt.date(2026, 6, 1):
            continue
        years = rng.randint(2, 5)
        end = add_months(start, 12 * years) - dt.timedelta(days=1)
        if end >= dt.date(2026, 10, 1):
            return start, end


class IdMaker:
    """Buyer-style reference numbers: MCC/ASC/2023/014, MHCC-2024-031, MLCO/CH/22/007."""

    def __init__(self, rng: random.Random):
        self.rng, self.last = rng, {}

    def make(self, kind: Kind, year: int) -> str:
        key = (kind.buyer[0], kind.code, year)
        n = self.last.get(key, self.rng.randint(0, 12)) + self.rng.randint(1, 6)
        self.last[key] = n
        if kind.buyer is MCC:
            return f"MCC/{kind.code}/{year}/{n:03d}"
        if kind.buyer is MHCC:
            return f"MHCC-{year}-{n:03d}"
        return f"MLCO/{kind.code}/{year % 100:02d}/{n:03d}"


def contract_description(rng: random.Random, kind: Kind, title: str, supplier: dict, hostile: bool) -> str:
    if not hostile and rng.random() < 0.12:
        return ""
    buyer = kind.buyer[0]
    lead = f"{supplier['name']} delivers {title} for {buyer}."
    bullets = "\n".join(f"- {b[0].upper() + b[1:]}" for b in rng.sample(kind.bullets, len(kind.bullets)))
    close = rng.choice(
        [
            "Social value commitments are monitored quarterly at contract review meetings.",
            "The supplier reports its social value returns each quarter; older returns are "
            "verified by the contract manager.",
            "Commitments were scored as part of the tender's social value question.",
            "Performance is reviewed with people who use the service.",
        ]
    )
    parts = [lead, "The service includes:\n\n" + bullets, close]
    if hostile:
        parts.insert(1, f"Supplier note pasted from a spreadsheet: {HOSTILE}")
    return "\n\n".join(parts)


def pick_wards(rng: random.Random, title: str) -> str:
    for area, wards in AREA_WARDS.items():
        if f"{area} Manchester" in title:
            return ";".join(sorted(rng.sample(wards, rng.randint(3, min(6, len(wards))))))
    if rng.random() < 0.45:
        return "All"
    if rng.random() < 0.15:
        return ""
    return ";".join(sorted(rng.sample(WARDS, rng.randint(1, 4))))


def build_contracts(rng: random.Random, n: int) -> list[dict]:
    by_tag = build_suppliers(rng, n)
    plan = plan_scenarios(rng, n)
    ids = IdMaker(rng)
    # Cycle through every kind in shuffled order so a default-sized sample shows them all;
    # weight NHS kinds down a little.
    order: list[Kind] = []
    contracts = []
    seen_slugs = set()
    for i in range(n):
        if not order:
            order = [k for k in KINDS if "nhs" not in k.flags or rng.random() < 0.8]
            rng.shuffle(order)
        kind = order.pop()
        scenario = plan[i]
        start, end = pick_dates(rng, scenario)
        title = kind.title.format(
            area=rng.choice(AREAS),
            scheme=rng.choice(SCHEMES),
            lot=rng.randint(1, 6),
            corridor=rng.choice(CORRIDORS),
            centre=rng.choice(CENTRES),
            year=f"{start.year}/{(start.year + 1) % 100:02d}",
        )
        years = max(1.0, (end - start).days / 365.25)
        value = log_uniform(rng, kind.vlo, kind.vhi)
        value = min(4e7, max(2e4, value))
        # Big contracts go to large suppliers, small ones to SMEs and VCSEs, where possible.
        pool = by_tag[kind.tag]
        fits = [s for s in pool if (s["size"] == "large") == (value >= 5e6)] if (value >= 5e6 or value < 3e5) else pool
        if value >= 5e5:  # unregistered groups only hold small contracts
            fits = [s for s in (fits or pool) if not s["id"].startswith("360G-")]
        supplier = rng.choice(fits or pool)
        pence = rng.random() < 0.25
        value = round(value, 2) if pence else round(value, -3 if value > 1e5 else -2)
        nhs = "nhs" in kind.flags
        if nhs:
            route = "annual-negotiation"
        elif value < 1e5:
            route = rng.choices(["open", "direct", "limited", "selective"], [4, 2, 1, 2])[0]
        else:
            route = rng.choices(["open", "selective", "framework", "limited"], [6, 2, 2, 1])[0]
        if route in ("annual-negotiation", "direct") and rng.random() < 0.6:
            sv = ""
        else:
            sv = str(rng.choice([20, 20, 20, 20, 25, 25, 30, 30, 22, 24, 27, 28]))
        rlw = rng.choices([True, False, None], [80, 8, 12])[0]
        if "homecare" in kind.flags:
            rlw = True
        contract_id = ids.make(kind, start.year)
        assert slug(contract_id) not in seen_slugs
        seen_slugs.add(slug(contract_id))
        if scenario == "nyd":
            last_updated = BUILD_DATE - dt.timedelta(days=rng.randint(2, 40))
        elif scenario == "ended":
            last_updated = end + dt.timedelta(days=rng.randint(20, 110))
        else:
            last_updated = dt.date(2026, 10, 1) + dt.timedelta(days=rng.randint(0, 50))
        review = None
        if rng.random() < 0.35 and scenario != "ended":
            review = max(start + dt.timedelta(days=180), dt.date(2026, 12, 1) + dt.timedelta(days=rng.randint(0, 400)))
            if review > end:
                review = None
        contracts.append(
            {
                "_scenario": scenario,
                "_kind": kind,
                "_start": start,
                "_end": end,
                "_years": years,
                "_value": value,
                "_pence": pence,
                "_review": review,
                "_last_updated": last_updated if rng.random() < 0.95 else None,
                "contract_id": contract_id,
                "title": title,
                "description": contract_description(
                    rng, kind, title, supplier, i in SPECIAL_ROWS["hostile_description"]
                ),
                "buyer_name": kind.buyer[0],
                "buyer_id": kind.buyer[1],
                "department": kind.dept,
                "supplier_name": supplier["name"],
                "supplier_id": supplier["id"],
                "supplier_size": supplier["size"],
                "_vcse": supplier["vcse"],
                "supplier_locality": supplier["locality"],
                "procurement_route": route,
                "sv_weighting_pct": sv,
                "_rlw": rlw,
                "_ecc": True if "homecare" in kind.flags else None,
                "_cquin": True if nhs else None,
                "cqc_rating": supplier["cqc"] if "care" in kind.flags else "",
                "cpv_code": kind.cpv,
                "wards": pick_wards(rng, title),
                "ocid": f"ocds-b5fd17-{uuid_like(rng)}" if rng.random() < 0.4 else "",
                "notice_url": (
                    f"https://www.contractsfinder.service.gov.uk/notice/{uuid_like(rng)}"
                    if not nhs or rng.random() < 0.3
                    else ""
                ),
            }
        )
    # A few rolling NHS agreements have no end date (prefer NHS ones that are running).
    running = [c for c in contracts if c["_scenario"] == "active"]
    rolling = [c for c in running if "nhs" in c["_kind"].flags][: max(1, round(n * 0.05))]
    for c in rolling:
        c["_end"] = None
        c["_review"] = c["_review"] or dt.date(2027, 3, 31)
    return contracts


def format_contracts(contracts: list[dict]) -> list[dict]:
    rows = []
    for i, c in enumerate(contracts):
        day_first = i in SPECIAL_ROWS["dates_day_first"]
        date = dmy if day_first else iso
        style = (
            "title"
            if i in SPECIAL_ROWS["bool_title_case"]
            else "truefalse"
            if i in SPECIAL_ROWS["bool_true_false"]
            else "lower"
        )
        if i in SPECIAL_ROWS["money_pound_commas"]:
            value = money_spreadsheet(c["_value"] if c["_pence"] else c["_value"] - 0.5)
        else:
            value = money(c["_value"], c["_pence"])
        row = {k: v for k, v in c.items() if not k.startswith("_")}
        row.update(
            {
                "supplier_vcse": boolean(c["_vcse"], style),
                "start_date": date(c["_start"]),
                "end_date": date(c["_end"]),
                "review_date": date(c["_review"]),
                "value_gbp": value,
                "real_living_wage": boolean(c["_rlw"], style),
                "ethical_care_charter": boolean(c["_ecc"], style),
                "cquin_linked": boolean(c["_cquin"], style),
                "last_updated": date(c["_last_updated"]),
            }
        )
        rows.append(row)
    return rows


# --------------------------------------------------------------------------------------------
# Commitments and outcomes
# --------------------------------------------------------------------------------------------
def target_for(rng: random.Random, mid: str, value: float, years: float) -> float:
    """A whole-contract target in the measure's unit, sized to the contract."""
    per_year = value / years
    workforce = min(600, max(3, per_year / 32000))
    if mid == "EMP-01":
        return round(workforce * rng.uniform(0.85, 1.0))
    if mid in ("EMP-02", "GRN-02"):
        return max(2, round(workforce * rng.uniform(0.1, 0.3)))
    if mid == "EMP-03":
        return rng.choice([80, 85, 90, 95, 100])
    if mid == "SKL-01":
        return round(min(120, max(1, value / 6e5 * rng.uniform(0.6, 1.4))), 1)
    if mid == "SKL-02":
        apprentices = min(60, max(1, round(value / 1.5e6 * rng.uniform(0.6, 1.4))))
        return round(apprentices * 52 * rng.uniform(1, 2))
    if mid == "SKL-03":
        return round(min(20000, max(40, value / 2e4 * rng.uniform(0.5, 1.5))), -1)
    if mid == "SKL-04":
        return round(min(300, max(2, value / 4e5 * rng.uniform(0.5, 1.5))))
    if mid == "SKL-05":
        return rng.randint(1, 10)
    if mid == "COM-01":
        return round(min(20000, max(20, value / 1.5e4 * rng.uniform(0.5, 1.5))), -1)
    if mid == "COM-02":
        return max(500, round(value * rng.uniform(0.001, 0.005), -1 if value < 1e6 else -2))
    if mid == "COM-03":
        return round(min(20000, max(20, value / 5e3 * rng.uniform(0.5, 1.5))), -1)
    if mid == "SUP-01":
        return rng.choice([30, 35, 40, 45, 50, 55, 60, 65, 70, 75])
    if mid == "SUP-02":
        return round(value * rng.uniform(0.02, 0.1), -2)
    if mid == "SUP-03":
        return round(rng.uniform(20, 400), -1)
    if mid == "AIR-01":
        return rng.choice([25, 30, 40, 50, 60, 75, 100])
    if mid == "AIR-02":
        return round(max(0.5, per_year / 1e6 * rng.uniform(1, 5) * years), 1)
    if mid == "GRN-01":
        return round(max(1.0, per_year / 1000 * rng.uniform(0.02, 0.08) * years), 1)
    if mid == "GRN-03":
        return round(rng.uniform(20, 500), -1)
    raise KeyError(mid)


UNIT_DP = {"FTE": 1, "weeks": 0, "hours": 0, "GBP": 2, "tCO2e": 1, "people": 0, "percent": 1}


def build_commitments_and_outcomes(rng: random.Random, contracts: list[dict]):
    commitments, outcomes = [], []
    stats = {"overdue": [], "gap": [], "nyd": [], "nocommit": [], "profiles": {}}

    # Choose which running contracts miss their latest return, and which have a gap mid-way.
    running = [c for c in contracts if c["_scenario"] == "active" and c["_start"] < dt.date(2026, 1, 1)]
    n_overdue = max(1, round(len(running) * 0.11)) if running else 0
    overdue_ids = {c["contract_id"] for c in rng.sample(running, min(n_overdue, len(running)))}
    long_enough = [c for c in contracts if c["_scenario"] in ("active", "ended") and c["_start"] < dt.date(2024, 1, 1)]
    n_gap = max(1, round(len(contracts) * 0.07)) if long_enough else 0
    gap_ids = {c["contract_id"] for c in rng.sample(long_enough, min(n_gap, len(long_enough)))}
    zero_targets_left = 2  # two carbon ceilings of zero: one met, one exceeded
    # Each contract's overall performance, in fixed proportions (shuffled): 30% ahead of a
    # pro-rata trajectory, 50% on track, 20% behind. A few commitments differ from their contract.
    n = len(contracts)
    profiles = ["ahead"] * round(n * 0.3) + ["behind"] * round(n * 0.2)
    profiles += ["on-track"] * (n - len(profiles))
    rng.shuffle(profiles)
    uses = {m[0]: 0 for m in MEASURES}  # prefer measures used least so far: all get used

    for c in contracts:
        cid, scenario = c["contract_id"], c["_scenario"]
        if scenario == "nocommit":
            stats["nocommit"].append(cid)
            continue
        start, end = c["_start"], c["_end"]
        pool = POOLS[c["_kind"].cat]
        left, chosen = list(pool), []
        for _ in range(rng.randint(2, min(5, len(pool)))):
            mid = rng.choices(left, [1 / (1 + uses[m]) for m in left])[0]
            left.remove(mid)
            chosen.append(mid)
            uses[mid] += 1
        chosen.sort()
        profile = profiles.pop()
        if scenario == "nyd":
            stats["nyd"].append(cid)
        # Reporting quarters: from the start quarter to the latest complete quarter, never past
        # the contract's end. Periods are clipped to the contract's own dates.
        last = min(LATEST_Q_START, quarter_start(end)) if end else LATEST_Q_START
        quarters = quarters_between(start, last) if start <= LATEST_Q_END else []
        dropped = set()
        if cid in overdue_ids and quarters and quarters[-1] == LATEST_Q_START:
            dropped.add(LATEST_Q_START)
            stats["overdue"].append(cid)
        if cid in gap_ids and len(quarters) >= 6:
            dropped.add(quarters[len(quarters) // 2])
            stats["gap"].append(cid)
        for mid in chosen:
            _, _, _, unit, direction, aggregation, _, _ = MEASURE_BY_ID[mid]
            target = target_for(rng, mid, c["_value"], c["_years"])
            due = None
            if end is None:
                due = dt.date(2027, 3, 31) if rng.random() < 0.7 else dt.date(2028, 3, 31)
            elif rng.random() < 0.12 and (end - start).days > 800:
                due = quarter_end(quarter_start(end - dt.timedelta(days=365)))
            notes = rng.choice(NOTES) if rng.random() < 0.2 else ""
            zero_mode = None
            if (
                mid == "GRN-01"
                and zero_targets_left
                and scenario in ("active", "ended")
                and len(quarters) >= 4
                and c["_value"] < 3e6
            ):
                zero_mode = "met" if zero_targets_left == 2 else "exceeded"
                zero_targets_left -= 1
                target = 0
                notes = "Zero-emission delivery promised at award: any emissions count against it."
            # Per-commitment performance: mostly the contract's profile, sometimes different.
            prof = profile if rng.random() < 0.85 else rng.choice(["ahead", "on-track", "behind"])
            stats["profiles"][(cid, mid)] = prof
            factor = {
                "ahead": rng.uniform(1.15, 1.5),
                "on-track": rng.uniform(1.0, 1.06),
                "behind": rng.uniform(0.35, 0.75),
            }[prof]
            commitments.append(
                {
                    "contract_id": cid,
                    "measure_id": mid,
                    "target": num(target, UNIT_DP[unit]),
                    "due_date": iso(due),
                    "notes": notes,
                }
            )
            if not quarters:
                continue
            horizon = due or end
            n_total = len(quarters_between(start, horizon))
            base = target / n_total
            level0 = rng.uniform(0.7, 0.95)
            final = target * (factor if prof != "ahead" else rng.uniform(1.03, 1.2))
            carry = 0.0  # whole-number flows: carry the fractions so small targets add up
            for qi, q in enumerate(quarters):
                if q in dropped:
                    continue
                p_start = max(q, start)
                p_end = min(quarter_end(q), end) if end else quarter_end(q)
                progress = (qi + 1) / n_total
                if aggregation == "latest":
                    v = target * level0 + (final - target * level0) * min(1.0, progress * 3)
                    v *= rng.uniform(0.97, 1.03)
                    if unit == "percent":
                        v = min(100.0, v)
                elif direction == "decrease":
                    if zero_mode == "met":
                        v = 0.0
                    elif zero_mode == "exceeded":
                        v = rng.uniform(0.2, 1.8)
                    else:
                        # Emissions: ahead = well under the ceiling, behind = over it.
                        dfac = {
                            "ahead": rng.uniform(0.65, 0.85),
                            "on-track": rng.uniform(0.9, 1.0),
                            "behind": rng.uniform(1.12, 1.35),
                        }[prof]
                        trend = 1.12 - 0.24 * min(1.0, progress)  # emissions fall over time
                        v = base * dfac * trend * rng.uniform(0.9, 1.1)
                else:
                    ramp = 0.85 if qi == 0 else 1.0
                    after_due = 0.5 if due and q > due else 1.0
                    v = base * factor * ramp * after_due * rng.uniform(0.7, 1.3)
                dp = UNIT_DP[unit]
                if dp == 0:
                    if aggregation == "sum":
                        whole = math.floor(carry + v + 0.5)
                        carry += v - whole
                        v = whole
                    else:
                        v = round(v)
                v = max(0.0, v)
                if p_end < VERIFIED_BEFORE:
                    status = "verified" if rng.random() < 0.9 else "reported"
                else:
                    status = "verified" if rng.random() < 0.15 else "reported"
                evidence = rng.choice(EVIDENCE[unit]) if rng.random() < 0.3 else ""
                outcomes.append(
                    {
                        "contract_id": cid,
                        "measure_id": mid,
                        "period_start": iso(p_start),
                        "period_end": iso(p_end),
                        "delivered": money(v, True) if unit == "GBP" else num(v, dp),
                        "status": status,
                        "evidence": evidence,
                    }
                )
    return commitments, outcomes, stats


# --------------------------------------------------------------------------------------------
# Opportunities
# --------------------------------------------------------------------------------------------
def d(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


# (id, title, buyer, department, stage, route, min, max, vcse, sme, priorities, published,
#  closing, expected_start, event_title, event_date, contact, ocid?, description)
OPPORTUNITIES = [
    (
        "OPP-2026-014",
        "Community Food Pantries Grant Programme 2027",
        MCC,
        "Neighbourhoods",
        "open",
        "grant",
        5000,
        25000,
        True,
        True,
        [P_COM, P_SUP],
        "2026-10-19",
        "2026-11-30",
        "2027-01-04",
        "",
        "",
        "grants@example.org",
        False,
        "Grants for community groups running food pantries and community fridges.\n\n"
        "- Grants of £5,000 to £25,000\n- Priority for wards with the highest food insecurity\n"
        "- Simple application form; help available",
    ),
    (
        "OPP-2026-016",
        "Carers' Breaks Innovation Fund",
        MLCO,
        "Integrated Neighbourhood Teams",
        "open",
        "co-design",
        20000,
        80000,
        True,
        False,
        [P_COM],
        "2026-10-26",
        "2026-12-04",
        "2027-02-01",
        "Co-design workshop for carers' organisations",
        "2026-11-12",
        "mlco.commissioning@example.org",
        False,
        "We want to co-design new kinds of short breaks with carers and the groups that "
        "support them.\n\nSmall organisations and unconstituted groups are welcome; we can help "
        "with the paperwork.",
    ),
    (
        "OPP-2026-017",
        "Highways Minor Works Framework (Lot 3: Footway Repairs)",
        MCC,
        "Highways",
        "open",
        "framework",
        500000,
        2500000,
        False,
        True,
        [P_SKL, P_SUP, P_AIR],
        "2026-10-30",
        "2026-12-01",
        "2027-04-01",
        "",
        "",
        "highways.procurement@example.org",
        True,
        "A four-year framework for footway repairs across the city.\n\n- Lots sized for SMEs\n"
        "- Social value weighting of 20%\n- Apprenticeship commitments expected",
    ),
    (
        "OPP-2026-024",
        "Winter Warm Spaces Grants",
        MCC,
        "Neighbourhoods",
        "open",
        "grant",
        1000,
        5000,
        True,
        True,
        [P_COM],
        "2026-11-05",
        "2026-11-27",
        "2026-12-07",
        "",
        "",
        "grants@example.org",
        False,
        "Quick grants so community venues can open as warm spaces this winter.\n\n"
        "Decisions within a week of the closing date.",
    ),
    (
        "OPP-2026-018",
        "Mental Health Peer Support in Neighbourhoods",
        MHCC,
        "Mental Health",
        "open",
        "tender",
        400000,
        1200000,
        True,
        True,
        [P_EMP, P_SKL, P_COM],
        "2026-11-09",
        "2027-01-15",
        "2027-04-01",
        "Market engagement event (online)",
        "2026-12-02",
        "mhcc.procurement@example.org",
        True,
        "Peer support workers with lived experience based in each neighbourhood.\n\n"
        "- Three-year contract with an option to extend\n- Consortium bids welcome\n"
        "- Real Living Wage required",
    ),
    (
        "OPP-2026-019",
        "Digital Inclusion Device Lending Scheme",
        MCC,
        "Neighbourhoods",
        "open",
        "quote",
        30000,
        75000,
        True,
        True,
        [P_COM, P_GRN],
        "2026-11-16",
        "2026-12-18",
        "2027-02-01",
        "",
        "",
        "procurement@example.org",
        False,
        "Refurbish and lend laptops and tablets through libraries.\n\n"
        "We will look for reuse of council devices and local volunteering.",
    ),
    (
        "OPP-2026-020",
        "Youth Voice and Participation Project",
        MCC,
        "Children's Services",
        "open",
        "grant",
        10000,
        40000,
        True,
        False,
        [P_COM],
        "2026-11-18",
        "2027-02-12",
        "2027-04-01",
        "",
        "",
        "childrens.commissioning@example.org",
        False,
        "A project giving young people a say in the services the council commissions for them, "
        "through a youth panel that reviews plans and helps to choose providers.\n\n"
        "- Led by young people\n- Paid youth advisers",
    ),
    (
        "OPP-2026-012",
        "Welfare Rights Advice in GP Practices",
        MHCC,
        "Primary Care",
        "open",
        "tender",
        250000,
        600000,
        True,
        True,
        [P_COM, P_SKL],
        "2026-09-28",
        "2026-11-10",
        "2027-01-04",
        "Supplier briefing",
        "2026-10-14",
        "mhcc.procurement@example.org",
        True,
        "Welfare rights advisers working in GP practices in north and central Manchester.\n\n"
        "- Benefits, debt and housing advice\n- Referrals from practice staff",
    ),
    (
        "OPP-2026-021",
        "Homecare (Home Support) Recommissioning 2027",
        MCC,
        "Adult Social Care",
        "pipeline",
        "tender",
        40000000,
        60000000,
        False,
        True,
        [P_EMP, P_SKL, P_GRN],
        "2026-11-02",
        "",
        "2027-10-01",
        "Provider market engagement event",
        "2026-12-09",
        "asc.commissioning@example.org",
        False,
        "Early notice of the recommissioning of homecare across Manchester.\n\n"
        "- Neighbourhood-based lots\n- Ethical Care Charter and Real Living Wage required\n"
        "- Come to the market engagement event to shape the specification",
    ),
    (
        "OPP-2026-022",
        "Healthy Homes Retrofit Innovation Lab",
        MCC,
        "Neighbourhoods",
        "pipeline",
        "co-design",
        150000,
        400000,
        True,
        True,
        [P_GRN, P_AIR, P_COM],
        "2026-11-12",
        "",
        "2027-06-01",
        "Innovation lab: warm, healthy homes",
        "2027-01-20",
        "procurement@example.org",
        False,
        "An innovation lab to design a retrofit advice service with residents, installers and health partners.",
    ),
    (
        "OPP-2026-023",
        "Community Health Checks in Neighbourhoods",
        MLCO,
        "Community Health",
        "pipeline",
        "tender",
        200000,
        700000,
        True,
        True,
        [P_COM, P_EMP],
        "2026-11-16",
        "",
        "2027-04-01",
        "",
        "",
        "mlco.commissioning@example.org",
        False,
        "Health checks in community venues for people who do not usually see a GP.\n\nTender expected in January 2027.",
    ),
    (
        "OPP-2026-004",
        "Short Breaks for Disabled Children: Provider List Refresh",
        MCC,
        "Children's Services",
        "closed",
        "framework",
        100000,
        1500000,
        True,
        True,
        [P_COM, P_EMP],
        "2026-05-11",
        "2026-06-30",
        "2026-10-01",
        "",
        "",
        "childrens.commissioning@example.org",
        True,
        "Refresh of the approved list of short breaks providers. Evaluation under way.",
    ),
    (
        "OPP-2026-009",
        "School Uniform Recycling Pilot",
        MCC,
        "Education",
        "closed",
        "quote",
        10000,
        30000,
        True,
        True,
        [P_GRN, P_COM],
        "2026-08-03",
        "2026-09-12",
        "2026-11-02",
        "",
        "",
        "procurement@example.org",
        False,
        "A pilot to collect, clean and redistribute school uniforms.",
    ),
    (
        "OPP-2026-002",
        "Falls Prevention and Strength and Balance Programme",
        MLCO,
        "Integrated Neighbourhood Teams",
        "awarded",
        "tender",
        300000,
        550000,
        True,
        True,
        [P_COM, P_SKL],
        "2026-01-19",
        "2026-03-06",
        "2026-07-01",
        "",
        "",
        "mlco.commissioning@example.org",
        True,
        "Strength and balance classes and home hazard checks. Awarded in May 2026.",
    ),
    (
        "OPP-2026-006",
        "Active Travel Corridor Works: Hyde Road",
        MCC,
        "Highways",
        "awarded",
        "tender",
        3000000,
        5500000,
        False,
        True,
        [P_AIR, P_SKL, P_SUP],
        "2026-03-30",
        "2026-05-22",
        "2026-10-05",
        "Meet the buyer",
        "2026-04-21",
        "highways.procurement@example.org",
        True,
        "Segregated cycle lanes and improved crossings on Hyde Road.",
    ),
    (
        "OPP-2026-007",
        "Electric Cargo Bike Delivery Trial",
        MCC,
        "Neighbourhoods",
        "cancelled",
        "quote",
        20000,
        60000,
        True,
        True,
        [P_AIR, P_GRN],
        "2026-06-01",
        "2026-07-17",
        "",
        "",
        "",
        "procurement@example.org",
        False,
        "Cancelled: the trial will be folded into the 2027 logistics review.",
    ),
]


def build_opportunities(rng: random.Random, n_contracts: int) -> list[dict]:
    rows = []
    for (
        oid,
        title,
        buyer,
        dept,
        stage,
        route,
        vmin,
        vmax,
        vcse,
        sme,
        prios,
        pub,
        closing,
        exp,
        ev_title,
        ev_date,
        email,
        has_ocid,
        desc,
    ) in OPPORTUNITIES:
        rows.append(
            {
                "opportunity_id": oid,
                "title": title,
                "description": desc,
                "buyer_name": buyer[0],
                "department": dept,
                "stage": stage,
                "route": route,
                "value_min_gbp": money(vmin, False),
                "value_max_gbp": money(vmax, False),
                "suitable_for_vcse": boolean(vcse),
                "suitable_for_sme": boolean(sme),
                "priorities": ";".join(prios),
                "published_date": pub,
                "closing_date": closing,
                "expected_start": exp,
                "event_title": ev_title,
                "event_date": ev_date,
                "contact_email": email,
                "notice_url": f"https://www.contractsfinder.service.gov.uk/notice/{uuid_like(rng)}",
                "ocid": f"ocds-b5fd17-{uuid_like(rng)}" if has_ocid else "",
            }
        )
    # Larger samples get proportionally more opportunities, made from the contract kinds.
    extra = max(0, (n_contracts - 64) // 8)
    seq = {}
    for _i in range(extra):
        kind = rng.choice(KINDS)
        stage = rng.choices(["pipeline", "open", "closed", "awarded", "cancelled"], [25, 25, 15, 30, 5])[0]
        if stage == "pipeline":
            pub = BUILD_DATE - dt.timedelta(days=rng.randint(1, 60))
            closing = None
            exp = dt.date(2027, rng.randint(1, 12), 1)
        elif stage == "open":
            pub = BUILD_DATE - dt.timedelta(days=rng.randint(1, 40))
            closing = max(pub + dt.timedelta(days=14), BUILD_DATE + dt.timedelta(days=rng.randint(-10, 90)))
            exp = add_months(closing, rng.randint(2, 5)).replace(day=1)
        else:
            pub = dt.date(2026, 1, 5) + dt.timedelta(days=rng.randint(0, 250))
            closing = pub + dt.timedelta(days=rng.randint(21, 60))
            exp = add_months(closing, rng.randint(2, 6)).replace(day=1)
        year = pub.year
        seq[year] = seq.get(year, 100) + 1
        vmax = round(log_uniform(rng, kind.vlo, kind.vhi), -3)
        vmin = round(vmax * rng.uniform(0.4, 0.8), -3)
        has_event = rng.random() < 0.25
        title = kind.title.format(
            area=rng.choice(AREAS),
            scheme=rng.choice(SCHEMES),
            lot=rng.randint(1, 6),
            corridor=rng.choice(CORRIDORS),
            centre=rng.choice(CENTRES),
            year=f"{exp.year}/{(exp.year + 1) % 100:02d}",
        )
        rows.append(
            {
                "opportunity_id": f"OPP-{year}-{seq[year]:03d}",
                "title": title,
                "description": (
                    f"Commissioning of the {title}.\n\n" + "\n".join(f"- {b[0].upper() + b[1:]}" for b in kind.bullets)
                ),
                "buyer_name": kind.buyer[0],
                "department": kind.dept,
                "stage": stage,
                "route": rng.choice(["tender", "quote", "grant", "co-design", "framework"]),
                "value_min_gbp": money(vmin, False),
                "value_max_gbp": money(vmax, False),
                "suitable_for_vcse": boolean(kind.cat == "vcse" or rng.random() < 0.3),
                "suitable_for_sme": boolean(rng.random() < 0.8),
                "priorities": ";".join(p for p in PRIORITIES if rng.random() < 0.4) or P_COM,
                "published_date": iso(pub),
                "closing_date": iso(closing),
                "expected_start": iso(exp),
                "event_title": "Market engagement event" if has_event else "",
                "event_date": iso(pub + dt.timedelta(days=14)) if has_event else "",
                "contact_email": "procurement@example.org",
                "notice_url": f"https://www.contractsfinder.service.gov.uk/notice/{uuid_like(rng)}",
                "ocid": f"ocds-b5fd17-{uuid_like(rng)}" if rng.random() < 0.3 else "",
            }
        )
    return rows


# --------------------------------------------------------------------------------------------
# Outcome-framework indicators (Manchester Local Care Organisation style), illustrative values.
# --------------------------------------------------------------------------------------------
INDICATORS = [
    (
        "LCO-01",
        "Residents aged 16-64 claiming health-related out-of-work benefits",
        "percent",
        "decrease",
        "Illustrative figures modelled on DWP benefit statistics (Stat-Xplore) and ONS mid-year population estimates",
        "The **proportion of Manchester residents aged 16-64** claiming an out-of-work benefit "
        "because of ill health or disability.\n\nLower is better. Quarterly.",
    ),
    (
        "LCO-02",
        "LCO employees who are Manchester residents",
        "percent",
        "increase",
        "Illustrative figures modelled on the LCO's workforce records",
        "The **proportion of Manchester Local Care Organisation employees** whose home address is "
        "in Manchester, at 31 March each year.\n\nHigher is better. Annual (financial year).",
    ),
    (
        "LCO-03",
        "Adults helped to stay in work",
        "people",
        "increase",
        "Illustrative figures modelled on Work and Health Programme and Fit for Work returns",
        "Adults with a health condition who were **helped to stay in work** by LCO services in the "
        "quarter.\n\nHigher is better. Quarterly.",
    ),
]


def build_indicator_values(rng: random.Random) -> list[dict]:
    rows = []
    quarters = quarters_between(dt.date(2022, 4, 1), LATEST_Q_START)
    v = 8.6
    for q in quarters:
        v = max(0.0, v - rng.uniform(-0.05, 0.1))
        rows.append(
            {"indicator_id": "LCO-01", "period_start": iso(q), "period_end": iso(quarter_end(q)), "value": num(v, 1)}
        )
    v = 51.8
    for y in range(2022, 2026):
        v += rng.uniform(0.6, 1.8)
        rows.append(
            {
                "indicator_id": "LCO-02",
                "period_start": iso(dt.date(y, 4, 1)),
                "period_end": iso(dt.date(y + 1, 3, 31)),
                "value": num(v, 1),
            }
        )
    v = 120.0
    for q in quarters:
        v = v * rng.uniform(1.0, 1.07)
        rows.append(
            {
                "indicator_id": "LCO-03",
                "period_start": iso(q),
                "period_end": iso(quarter_end(q)),
                "value": str(round(v)),
            }
        )
    return rows


# --------------------------------------------------------------------------------------------
# Grants (360Giving terms): a fixed, hand-written list, no random draws, so the other files are
# the same with or without it. Some recipients are suppliers of SUPPLIERS (same identifier), so
# the site shows their grants beside their contracts; two are known only by their name.
# --------------------------------------------------------------------------------------------
GRANT_PAGES = "https://www.example.org/manchester/grants"
GRANT_SOURCE = f"{GRANT_PAGES}/360giving.json"
GRANT_PROGRAMMES = {  # code: (title, web page, department, from an open call)
    "CSG": ("Community Spark Grants", f"{GRANT_PAGES}/community-spark", "Neighbourhoods", True),
    "WWS": ("Warm Welcome Spaces Fund", f"{GRANT_PAGES}/warm-welcome", "Neighbourhoods", True),
    "YPA": ("Young People's Activity Fund", "", "Children's Services", False),
    "": ("", "", "Neighbourhoods", False),  # a one-off grant, in no programme
}
CITY = ("Manchester", "E08000003", "MD")  # where the people who benefit live, when it is the whole city
# (id suffix, programme, title, recipient id, recipient name, charity number, company number, applied for,
#  awarded, paid so far, award date, planned start, planned end, months, ward or CITY)
# fmt: off
GRANTS = [
    ("2023-CSG-001", "CSG", "Knit and natter mornings", "360G-MCC-ORG-01022", "Crumpsall Knit and Natter", "", "",
     "", "750", "750", "2023-06-14", "2023-07-01", "2024-06-30", "12", "Crumpsall"),
    ("2023-CSG-002", "CSG", "Repair café tools and insurance", "", "Levenshulme Repair Café", "", "",
     "1500", "1200", "1200", "2023-09-05", "", "", "", "Levenshulme"),
    ("2023-WWS-003", "WWS", "Warm space at the Hub", "GB-CHC-1150628", "Sundial Wellbeing Circle", "1150628", "",
     "", "6500", "6500", "2023-11-02", "2023-11-15", "2024-03-31", "5", "Longsight"),
    ("2024-YPA-004", "YPA", "Holiday activities and food", "360G-MCC-ORG-00417", "Stepping Stile Youth Futures", "",
     "", "20000", "18000", "18000", "2024-03-20", "2024-04-01", "2025-03-31", "12", CITY),
    ("2024-CSG-005", "CSG", "A choir for new parents", "GB-CHC-1190112", "Ancoats Community Choir", "1190112", "",
     "", "2400", "2400", "2024-05-09", "2024-06-01", "2025-05-31", "12", "Ancoats and Beswick"),
    ("2024-Men's-Shed-006", "CSG", "Workshop tools for the Men's Shed", "GB-CHC-1187341", "Gorton Men's Shed",
     "1187341", "", "3500", "3250.50", "3250.50", "2024-07-18", "", "2025-07-31", "", "Gorton and Abbey Hey"),
    ("2024-WWS-007", "WWS", "Warm space and hot meals", "GB-CHC-1179354", "Tallow Lane Families Network", "1179354",
     "", "", "8000", "8000", "2024-10-21", "2024-11-01", "2025-03-31", "5", "Harpurhey"),
    ("2024-WWS-008", "WWS", "A warm room at the community pantry", "GB-MPR-RS008214", "Pantry Row Food Co-operative",
     "", "", "", "4500", "4500", "2024-11-04", "2024-11-15", "2025-03-31", "4.5", "Moston"),
    ("2025-YPA-009", "YPA", "Girls' cycling club", "GB-COH-11482209", "Wythenshawe Wheels CIC", "", "11482209",
     "15000", "12750", "12750", "2025-02-12", "2025-04-01", "2026-03-31", "12", "Woodhouse Park"),
    ("2025-CSG-010", "CSG", "Homework club snacks and books", "GB-CHC-1175520", "Moss Side Homework Club", "1175520",
     "", "", "1850", "1850", "2025-04-01", "2025-04-22", "2026-03-31", "11", "Moss Side"),
    ("2025-CSG-011", "CSG", "Clean-up days at the water park", "", "Friends of Chorlton Water Park", "", "",
     "", "600", "600", "2025-06-30", "", "", "", "Chorlton Park"),
    ("2025-WWS-012", "WWS", "Warm space at the Hub", "GB-CHC-1150628", "Sundial Wellbeing Circle", "1150628", "",
     "7500", "7000", "5250", "2025-10-15", "2025-11-01", "2026-03-31", "5", "Longsight"),
    ("2025-WWS-013", "WWS", "Warm welcome evenings", "GB-CHC-1163391", "Larkwell Neighbourhood Trust", "1163391", "",
     "", "5500", "4125", "2025-10-29", "2025-11-03", "2026-03-27", "5", "Cheetham"),
    ("2026-YPA-014", "YPA", "Youth mentoring pilot", "360G-MCC-ORG-00417", "Stepping Stile Youth Futures", "", "",
     "", "22000", "11000", "2026-01-20", "2026-02-01", "2027-01-31", "12", CITY),
    ("2026-015", "", "Emergency roof repair", "360G-MCC-ORG-01187", "Harpurhey Pantry Pals", "", "",
     "", "9800", "9800", "2026-02-27", "2026-03-02", "2026-03-20", "", "Harpurhey"),
    ("2026-CSG-016", "CSG", "Knit and natter mornings: a second year", "360G-MCC-ORG-01022",
     "Crumpsall Knit and Natter", "", "", "", "800", "400", "2026-05-14", "2026-07-01", "2027-06-30", "12",
     "Crumpsall"),
    ("2026-YPA-017", "YPA", "Summer sports camp", "GB-COH-11482209", "Wythenshawe Wheels CIC", "", "11482209",
     "18000", "15000", "15000", "2026-06-03", "2026-07-20", "2026-08-28", "1.5", "Woodhouse Park"),
    ("2026-CSG-018", "CSG", "Training for the repair café's volunteers", "", "Levenshulme Repair Café", "", "",
     "", "1450", "", "2026-09-10", "", "", "", "Levenshulme"),
    ("2026-WWS-019", "WWS", "Warm space and hot meals", "GB-CHC-1179354", "Tallow Lane Families Network", "1179354",
     "", "9000", "8250", "", "2026-10-12", "2026-11-02", "2027-03-31", "5", "Harpurhey"),
]
# fmt: on


def build_grants() -> list[dict]:
    """The sample's grants, one row each, in the columns of grants.csv (last modified two days after the award)."""
    rows = []
    for grant in GRANTS:
        key, code, title, rid, rname, chc, coh, asked, awarded, paid, award, start, end, months, place = grant
        programme, programme_url, department, open_call = GRANT_PROGRAMMES[code]
        name, geo_code, geo_type = place if isinstance(place, tuple) else (place, "", "WD")
        rows.append(
            {
                "grant_id": f"360G-MCC-{key}",
                "title": title,
                "description": f"{rname}: {title[0].lower() + title[1:]}." if code == "YPA" else "",
                "currency": "GBP",
                "amount_applied_for": asked,
                "amount_awarded": awarded,
                "amount_disbursed": paid,
                "award_date": award,
                "planned_start_date": start,
                "planned_end_date": end,
                "planned_duration_months": months,
                "recipient_org_id": rid,
                "recipient_org_name": rname,
                "recipient_charity_number": chc,
                "recipient_company_number": coh,
                "beneficiary_location_name": name,
                "beneficiary_location_code": geo_code,
                "beneficiary_location_code_type": geo_type,
                "funding_org_id": "GB-LAE-MAN",
                "funding_org_name": "Manchester City Council",
                "funding_org_department": department,
                "programme_code": code,
                "programme_title": programme,
                "programme_url": programme_url,
                "from_an_open_call": boolean(open_call),
                "last_modified": iso(d(award) + dt.timedelta(days=2)),
                "data_source": GRANT_SOURCE,
            }
        )
    return rows


# --------------------------------------------------------------------------------------------
# Payments (the Transparency Code spend file, as `make import-spend` writes payments.csv) and the
# organisations table that matches their payees. Drawn from a random stream of their own, so that
# the other files are the same as before they were added.
# --------------------------------------------------------------------------------------------
SPEND_FILES = {2025: "mcc-spend-2025-26.csv", 2026: "mcc-spend-2026-27.csv"}  # by financial year start
SPEND_FROM, SPEND_TO = dt.date(2025, 4, 1), LATEST_Q_END  # the payments cover these quarters
SPEND_CONTRACTS = 64  # the contracts paid (the first this many)
# Postcode districts by where a supplier is based (illustrative): the city's, elsewhere in Greater
# Manchester, and outside it. data/datapackage.json lists the first two as the area's and the region's.
DISTRICTS = {
    "local": ["M1", "M4", "M8", "M9", "M11", "M12", "M13", "M14", "M15", "M19", "M20", "M21", "M22", "M23", "M40"],
    "regional": ["M5", "M6", "M7", "M26", "M27", "M30", "M33", "M41", "BL1", "BL3", "OL1", "OL9", "SK1", "SK4", "WN1"],
    "elsewhere": ["B1", "L3", "LS1", "EX4", "NE1", "S1", "BS1", "WA1", "CH1", "PR1"],
}
PROCLASS = {  # a department's payments are classed under this Proclass category
    "Adult Social Care": ("SOCIAL CARE : Adult", "321100"),
    "Children's Services": ("SOCIAL CARE : Children", "321200"),
    "Highways": ("CONSTRUCTION : Highways", "131500"),
    "Homelessness": ("HOUSING : Temporary Accommodation", "251300"),
    "Public Health": ("HEALTHCARE : Public Health", "221400"),
    "Education": ("EDUCATION : Services", "171000"),
    "Neighbourhoods": ("COMMUNITY : Services", "121000"),
    "Corporate Core": ("FACILITIES MGT : Cleaning", "191100"),
}
OTHER_PAYEES = [  # payees that no organisation of organisations.csv or the contracts is: unknown suppliers
    ("Northern Office Supplies Ltd", "STATIONERY : Office Supplies", "441100"),
    ("Pennine Fleet Hire Ltd", "VEHICLES : Vehicle Hire", "481100"),
    ("Irwell Energy Services Ltd", "UTILITIES : Electricity", "471100"),
    ("Deansgate Legal LLP", "LEGAL SERVICES : Advice", "281100"),
    ("Bridgewater Training Partnership", "EDUCATION : Training", "171200"),
    ("Castlefield Catering Ltd", "CATERING : Food", "111100"),
]


def build_organisations_and_payments(seed: int, contracts: list[dict]) -> tuple[list[dict], list[dict]]:
    """organisations.csv (most of the contracts' suppliers, with a postcode where they are said to be based,
    their size and VCSE flag; a few VCSE ones with a local re-spend survey) and payments.csv (each running
    contract's supplier paid monthly from April 2025 to September 2026, with a few credit notes; payments to
    suppliers with no contract; payments to individuals, withheld). Only the first SPEND_CONTRACTS contracts (the
    bundled sample's) are paid, so that a big sample (--contracts 5000, bench/run.py) keeps its size; the spend
    benchmark is bench/import_spend.py's."""
    rng = random.Random(seed + 15)
    contracts = contracts[:SPEND_CONTRACTS]
    organisations: dict[str, dict] = {}
    for c in contracts:
        name = c["supplier_name"]
        if name in organisations or rng.random() < 0.2:  # some suppliers are left for the contracts to describe
            organisations.setdefault(name, None)
            continue
        district = rng.choice(DISTRICTS[c["supplier_locality"]])
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        postcode = f"{district} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"
        survey = c["_vcse"] and c["supplier_locality"] == "local" and rng.random() < 0.5
        organisations[name] = {
            "org_id": c["supplier_id"],
            "name": name,
            "postcode": postcode,
            "vat_number": f"GB{rng.randint(100_000_000, 999_999_999)}" if c["supplier_size"] == "large" else "",
            "size": c["supplier_size"],
            "vcse": boolean(c["_vcse"]),
            "local_respend_pct": str(rng.choice([35, 45, 55, 60, 70])) if survey else "",
            "respend_survey_date": "2025-11-30" if survey else "",
        }
    vat_of = {name: row["vat_number"] for name, row in organisations.items() if row}
    payments: list[dict] = []

    def pay(buyer: str, unit: str, payee: str, day: dt.date, amount: float, label: tuple[str, str], vat: str = ""):
        month_end = add_months(day.replace(day=1), 1) - dt.timedelta(days=1)
        payments.append(
            {
                "organisation_label": buyer,
                "effective_date": iso(month_end),
                "organisational_unit": unit,
                "beneficiary_name": payee,
                "payment_date": iso(day),
                "amount_gbp": f"{amount:.2f}",
                "irrecoverable_vat_gbp": "0",
                "proclass_label": label[0],
                "proclass_code": label[1],
                "vat_number": vat,
                "redacted": "no" if payee else "yes",
            }
        )

    for c in contracts:
        label = PROCLASS.get(c["department"], ("Not Classified", ""))
        monthly = c["_value"] / max(c["_years"], 0.25) / 12
        month = SPEND_FROM
        while month <= SPEND_TO:
            day = month + dt.timedelta(days=rng.randint(2, 26))
            if c["_start"] <= day and (c["_end"] is None or day <= c["_end"]):
                amount = round(monthly * rng.uniform(0.85, 1.15), 2)
                vat = vat_of.get(c["supplier_name"], "")
                pay(c["buyer_name"], c["department"], c["supplier_name"], day, amount, label, vat)
                if rng.random() < 0.04:  # a credit note: part of it returned a few days later
                    back = -round(amount * rng.uniform(0.05, 0.3), 2)
                    pay(c["buyer_name"], c["department"], c["supplier_name"], day + dt.timedelta(days=3), back, label)
            month = add_months(month, 1)
    for n, (payee, category, code) in enumerate(OTHER_PAYEES):
        for k in range(4 + n % 3):
            day = add_months(SPEND_FROM, (n * 3 + k * 4) % 18) + dt.timedelta(days=5 + k)
            amount = round(rng.uniform(600, 12_000), 2)
            pay(MCC[0], "Corporate Core", payee, day, amount, (category, code))
    for k in range(24):  # payments to individuals (direct payments, foster carers): the file withholds their names
        day = add_months(SPEND_FROM, k % 18) + dt.timedelta(days=10 + k % 7)
        amount = round(rng.uniform(550, 4_000), 2)
        pay(MCC[0], "Adult Social Care", "", day, amount, ("SOCIAL CARE : Direct Payments", "321900"))
    payments.sort(key=lambda p: (p["payment_date"], p["beneficiary_name"], p["amount_gbp"]))
    lines: dict[str, int] = {}
    for number, row in enumerate(payments):
        day = d(row["payment_date"])
        source = SPEND_FILES[day.year if day.month >= 4 else day.year - 1]
        lines[source] = lines.get(source, 1) + 1
        row.update(
            {
                "transaction_number": str(5_100_000_000 + number),
                "purpose": f"{row['organisational_unit']}: services" if row["beneficiary_name"] else "Payment",
                "invoice_number": f"INV{700_000 + number}" if row["beneficiary_name"] else "",
                "source": source,
                "source_line": str(lines[source]),
            }
        )
    payments.sort(key=lambda p: (p["source"], int(p["source_line"])))
    return [row for row in organisations.values() if row], payments


# --------------------------------------------------------------------------------------------
def generate(out: Path, n_contracts: int, seed: int) -> tuple[dict[str, int], dict[str, int]]:
    """Write the eight CSVs to `out`; return row counts per table and the built-in mix."""
    rng = random.Random(seed)
    contracts = build_contracts(rng, n_contracts)
    commitments, outcomes, stats = build_commitments_and_outcomes(rng, contracts)
    opportunities = build_opportunities(rng, n_contracts)
    measures = [
        dict(
            zip(
                COLUMNS["measures"],
                (mid, prio, title, unit, direction, agg, proxy, PROXY_SOURCE if proxy else "", desc),
            )
        )
        for mid, prio, title, unit, direction, agg, proxy, desc in MEASURES
    ]
    indicators = [dict(zip(COLUMNS["indicators"], row)) for row in INDICATORS]
    tables = {
        "contracts": format_contracts(contracts),
        "measures": measures,
        "commitments": commitments,
        "outcomes": outcomes,
        "opportunities": opportunities,
        "indicators": indicators,
        "indicator_values": build_indicator_values(rng),
        "wards": ward_rows(),
        "grants": build_grants(),
    }
    tables["organisations"], tables["payments"] = build_organisations_and_payments(seed, contracts)
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        write_csv(out / f"{name}.csv", COLUMNS[name], rows)
    profiles = list(stats["profiles"].values())
    mix = {
        "contracts overdue (no return for the latest complete quarter)": len(stats["overdue"]),
        "contracts with a missing return mid-way": len(stats["gap"]),
        "contracts not yet due a return (start 2026-10 or later)": len(stats["nyd"]),
        "contracts without commitments": len(stats["nocommit"]),
        "commitments generated ahead of trajectory": profiles.count("ahead"),
        "commitments generated on track": profiles.count("on-track"),
        "commitments generated behind": profiles.count("behind"),
    }
    return {name: len(rows) for name, rows in tables.items()}, mix


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", default="data", type=Path, help="output folder (default: data)")
    p.add_argument("--contracts", default=64, type=int, help="number of contracts (default: 64)")
    p.add_argument("--seed", default=20261123, type=int, help="random seed (default: 20261123)")
    args = p.parse_args(argv)
    if args.contracts < 1:
        p.error("--contracts must be at least 1")
    counts, mix = generate(args.out, args.contracts, args.seed)
    for name, n in counts.items():
        print(f"{args.out / (name + '.csv')}: {n} rows")
    for what, n in mix.items():
        print(f"  {what}: {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
