"""The words of delivery, one vocabulary for every page: ratings, the states without one, the overdue flag.

A commitment is rated on the Procurement Act 2023 KPI scale (Good, Approaching target, Requires
improvement, Inadequate), the words of contract performance notices; "Not yet due" and "No returns
yet" say why it has no rating. An overdue return is not a rating: it is a flag of its own, shown
beside the rating, and it puts the contract among those needing attention. Lists count commitments
"rated Good"; the methodology page and each contract page explain every word in one plain line.
"""

from __future__ import annotations

from . import model
from .formatting import percent
from .settings import Thresholds

STATUS_COLOURS = {  # GOV.UK tag colours
    model.GOOD: "green",
    model.APPROACHING: "yellow",
    model.REQUIRES_IMPROVEMENT: "orange",
    model.INADEQUATE: "red",
    model.NO_RETURNS: "grey",
    model.NOT_YET_DUE: "blue",
}
MEANINGS = {
    model.GOOD: "The supplier has delivered what was expected by now, or nearly all of it.",
    model.APPROACHING: "The supplier is a little behind what was expected by now.",
    model.REQUIRES_IMPROVEMENT: "The supplier is well behind what was expected by now and needs to catch up.",
    model.INADEQUATE: "The supplier has delivered far less than was expected by now.",
    model.NOT_YET_DUE: "No return was due yet: the contract had not completed its first quarter.",
    model.NO_RETURNS: "A return was due, but none has been published, so there is nothing to rate yet.",
}
OVERDUE = "Return overdue"
OVERDUE_COLOUR = "pink"
OVERDUE_MEANING = (
    "The return for the latest complete quarter has not been published. It is shown beside the rating, "
    "which is worked out from the returns published so far."
)
VERIFIED = "Verified"  # a quarter's return, as its row of a chart's table says
REPORTED = "Reported by the supplier"
NO_RETURN = "No return"
RETURN_MEANINGS = {
    VERIFIED: "The commissioner has checked the return against the supplier's evidence.",
    REPORTED: "The figure is as the supplier reported it; the commissioner has not checked it yet.",
}


def scale(thresholds: Thresholds) -> list[dict]:
    """The four ratings, best first: ``name``, ``colour``, ``band`` (share of the expected amount), ``meaning``."""
    shares = (thresholds.good, thresholds.approaching, thresholds.requires_improvement)
    good, approaching, low = (percent(share * 100) for share in shares)
    bands = {
        model.GOOD: f"{good} or more",
        model.APPROACHING: f"{approaching} to {good}",
        model.REQUIRES_IMPROVEMENT: f"{low} to {approaching}",
        model.INADEQUATE: f"less than {low}",
    }
    return [_word(status, band=bands[status]) for status in model.KPI_SCALE]


def states() -> list[dict]:
    """The statuses that are not ratings (No returns yet, Not yet due), as :func:`scale` gives the ratings."""
    return [_word(status) for status in (model.NO_RETURNS, model.NOT_YET_DUE)]


def overdue_flag() -> dict:
    """The overdue flag, as :func:`scale` gives a rating."""
    return {"name": OVERDUE, "colour": OVERDUE_COLOUR, "band": None, "meaning": OVERDUE_MEANING}


def returns() -> list[dict]:
    """What a return's row says about it: ``name`` (Verified, Reported by the supplier) and ``meaning``."""
    return [{"name": name, "meaning": meaning} for name, meaning in RETURN_MEANINGS.items()]


def vocabulary(thresholds: Thresholds) -> dict:
    """Every word of delivery with its plain-English line, for "What the ratings mean" and the methodology page:
    ``ratings`` (the KPI scale), ``states`` (no rating yet), ``overdue`` (the flag) and ``returns`` (verified or not).
    """
    return {"ratings": scale(thresholds), "states": states(), "overdue": overdue_flag(), "returns": returns()}


def _word(status: str, band: str | None = None) -> dict:
    return {"name": status, "colour": STATUS_COLOURS[status], "band": band, "meaning": MEANINGS[status]}


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def rated_good_text(row: dict) -> str:
    """``2 of 3``: of a row's commitments rated on the scale, how many are rated Good; or ``Not assessed yet``."""
    return f"{row['on_track']} of {row['assessed']}" if row.get("assessed") else "Not assessed yet"


def attention_text(row: dict) -> str | None:
    """Why a contract needs attention: ``2 commitments rated Inadequate; 1 return overdue``; None when nothing does.

    ``row`` has the counts of model.contract_summary (``inadequate``, ``requires_improvement``, ``overdue_returns``).
    """
    reasons = []
    if row.get("inadequate"):
        reasons.append(f"{_count(row['inadequate'], 'commitment', 'commitments')} rated {model.INADEQUATE}")
    if row.get("requires_improvement"):
        count = _count(row["requires_improvement"], "commitment", "commitments")
        reasons.append(f"{count} rated {model.REQUIRES_IMPROVEMENT}")
    if row.get("overdue_returns"):
        reasons.append(f"{_count(row['overdue_returns'], 'return', 'returns')} overdue")
    return "; ".join(reasons) or None


def verified_text(returns: int, verified: int) -> str | None:
    """Whether a commitment's returns were checked: ``All 8 returns verified``, ``3 of 8 returns verified``,
    ``Reported by the supplier, none verified``; None when it has no returns."""
    if not returns:
        return None
    if verified >= returns:
        return "Return verified" if returns == 1 else f"All {returns} returns verified"
    if not verified:
        return f"Reported by the supplier, {'not' if returns == 1 else 'none'} verified"
    return f"{verified} of {returns} returns verified"


def quarter_verified_text(returns: int, verified: int) -> str:
    """Whether a quarter's return was checked: ``Verified``, ``Reported by the supplier``, ``1 of 2 verified``
    (a quarter of several returns) or ``No return``."""
    if not returns:
        return NO_RETURN
    if verified >= returns:
        return VERIFIED
    return REPORTED if not verified else f"{verified} of {returns} verified"
