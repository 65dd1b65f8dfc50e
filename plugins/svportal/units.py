"""The catalogue of count units: what is counted in whole things (people, jobs, weeks), and their words.

A measure's unit is the publisher's text (``measures.csv`` column ``unit``). A unit of this catalogue
counts whole things: its amounts read as whole numbers where they are estimates (an expected amount
of 29.98 people reads "30 people"), its chart axes step by whole units, and its word agrees with the
number ("1 person", "2 people"). Any other unit (FTE, tCO2e, GBP, percent) is a measurement: it keeps
its decimals and is written as the publisher gives it, never made plural or singular.
"""

from __future__ import annotations

# (singular, plural): either form of a unit, in any case, is a count unit
COUNT_UNITS = (
    ("person", "people"),
    ("job", "jobs"),
    ("apprenticeship", "apprenticeships"),
    ("apprentice", "apprentices"),
    ("placement", "placements"),
    ("volunteer", "volunteers"),
    ("resident", "residents"),
    ("learner", "learners"),
    ("household", "households"),
    ("organisation", "organisations"),
    ("business", "businesses"),
    ("visit", "visits"),
    ("session", "sessions"),
    ("event", "events"),
    ("hour", "hours"),
    ("day", "days"),
    ("week", "weeks"),
)
_FORMS = {form: pair for pair in COUNT_UNITS for form in pair}


def count_forms(unit) -> tuple[str, str] | None:
    """The (singular, plural) words of a count unit, or None for any other unit (or none)."""
    if not isinstance(unit, str):
        return None
    return _FORMS.get(unit.strip().casefold())


def is_count(unit) -> bool:
    """Whether ``unit`` counts whole things (people, jobs, weeks...)."""
    return count_forms(unit) is not None


def agreeing(unit, number_text: str) -> str:
    """The unit's word for an amount written ``number_text``: ``person`` for "1", ``people`` otherwise.

    A unit outside the catalogue is returned as given. The word takes the case of the unit's first
    letter as the publisher wrote it ("People" gives "Person").
    """
    forms = count_forms(unit)
    if forms is None:
        return unit
    word = forms[0] if number_text in ("1", "-1") else forms[1]
    return word[0].upper() + word[1:] if unit.strip()[:1].isupper() else word
