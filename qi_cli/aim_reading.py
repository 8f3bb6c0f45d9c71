"""Reading the aim sentence: does it say by when and for whom, and the aim's hints.

The checks of Q101 (how much), Q102 (by when) and Q103 (for whom) in `qi_cli.validate`
read the aim's statement with these patterns, and word their hints with the project's
own title, measure and numbers.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from qi_cli.patterns import LazyPattern

if TYPE_CHECKING:  # types only
    from qi_cli.measure_model import Measure
    from qi_cli.project_model import Project


# --- reading the aim sentence -----------------------------------------------------------

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:\d{4}|'\d{2})"
_COUNT = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen)"
_WHEN = LazyPattern(
    "|".join(
        (
            r"\b\d{4}-\d{1,2}-\d{1,2}\b",  # 2026-07-31
            r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b",  # 31/07/2026, 31.07.26
            rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b",  # 31 July 2026, 1st of Jan 2027
            rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b",  # July 31, 2026
            rf"\b{_MONTH},?\s+{_YEAR}\b",  # July 2026, end of March 2027
            r"\bq[1-4]\s*(?:of\s+)?\d{4}(?:/\d{2,4})?\b",  # Q2 2026
            rf"\b(?:spring|summer|autumn|fall|winter)\s+(?:of\s+)?{_YEAR}\b",
            # by 2027, by the end of 2026, before 2026/27, by the end of the financial year
            r"\b(?:by|before|until|till|in|during|end\s+of)\s+(?:the\s+)?(?:end\s+of\s+)?"
            r"(?:(?:financial|calendar)\s+year\s+)?\d{4}(?:/\d{2,4})?\b(?![-/.]\d)",
            r"\bby\s+(?:the\s+)?(?:end\s+of\s+(?:the\s+)?)?(?:financial\s+)?(?:year|month|quarter)"
            r"(?:[\s-]end)?\b",
            # by 31 July, by March, by the end of March (the year left to the target date)
            rf"\b(?:by|before|until|till)\s+(?:the\s+)?(?:end\s+of\s+)?(?:{_DAY}\s+(?:of\s+)?)?"
            rf"{_MONTH}(?!\w)(?!,?\s+'?\d)",
            rf"\b(?:within|in|over|after)\s+(?:the\s+)?(?:next\s+)?{_COUNT}\s+(?:weeks?|months?|years?)\b",
        )
    ),
    re.IGNORECASE,
)

_PEOPLE = (
    r"(?:patients?|inpatients?|outpatients?|people|persons?|adults?|children|child|kids|"
    r"infants?|babies|baby|neonates?|newborns?|adolescents?|teenagers?|young\s+people|"
    r"residents?|women|woman|men|man|mothers?|fathers?|parents?|families|carers?|"
    r"caregivers?|clients?|service\s+users?|users?|admissions?|attendances?|referrals?|"
    r"staff|nurses?|doctors?|clinicians?|midwives|students?|pupils?|veterans?|"
    r"individuals?|survivors?|smokers?|pregnancies|births|those|anyone|everyone)"
)
# words that say which people: "patients with dementia", "adults admitted to …"
_QUALIFIER = (
    r"(?:with|without|who|whose|aged|over|under|admitted|attending|on|in|at|of|from|across|"
    r"having|undergoing|receiving|living|presenting|discharged|referred|seen|treated|born|"
    r"diagnosed|registered|cared|managed|awaiting|waiting|taking|using|needing|requiring|"
    r"\w+ed|\d+)"
)
# words that, before a plural such as "patients", do not say which ones
_NOT_A_QUALIFIER = {
    "a", "all", "an", "and", "any", "by", "each", "every", "few", "fewer", "for", "in",
    "less", "many", "more", "most", "no", "number", "of", "or", "our", "per", "percentage",
    "proportion", "rate", "share", "some", "than", "that", "the", "their", "these", "to",
    "which", "with", "increase", "reduce", "decrease", "improve", "ensure", "help", "get",
    "give", "make", "keep", "enable", "support", "see", "allow",
}  # fmt: skip
_PEOPLE_QUALIFIED = LazyPattern(rf"\b{_PEOPLE}\s+{_QUALIFIER}\b", re.IGNORECASE)
_PLURAL_PEOPLE = LazyPattern(
    r"\b([\w'&-]+)\s+(patients|inpatients|outpatients|people|adults|children|infants|babies|"
    r"residents|women|men|mothers|parents|families|carers|clients|users|admissions|"
    r"attendances|referrals|staff|nurses|students|pupils|veterans|smokers)\b",
    re.IGNORECASE,
)
_PLACE = LazyPattern(
    r"\b(?:on|in|at|across|within|throughout|for)\s+(?:the\s+|our\s+|all\s+|each\s+)?"
    r"(?:(?:wards?|units?|bays?)\s+[\w-]+|(?:[\w'&-]+\s+){0,4}?"
    r"(?:wards?|units?|departments?|clinics?|practices?|surger(?:y|ies)|hospitals?|"
    r"homes?|hospices?|centres?|centers?|theatres?|trusts?|schools?|prisons?|"
    r"ED|AMU|ICU|ITU|A&E|NICU|SCBU|CCU|HDU|MAU|ICB))\b",
    re.IGNORECASE,
)


def when_in_aim(statement: str) -> str | None:
    """The words of an aim that say by when, or None: a date in any usual form, a
    month, a year after "by", a quarter or season, or a span ("within 6 months").

    >>> when_in_aim("Increase X from 40% to 80% by 31 July 2026")
    '31 July 2026'
    >>> when_in_aim("Cut waits by end of March 2027"), when_in_aim("by 31/07/2026")
    ('March 2027', '31/07/2026')
    >>> when_in_aim("Reduce falls from 8 to 4 per 1,000 bed days") is None
    True
    """
    found = _WHEN.search(statement)
    return found.group(0).strip() if found else None


def who_in_aim(statement: str) -> str | None:
    """The words of an aim that say for whom, or None: people with a word that says
    which ("patients with dementia", "older people", "adults admitted …") or a place
    ("on Ward 10", "in the emergency department").

    >>> who_in_aim("Increase the share of patients with dementia who find the toilet")
    'patients with'
    >>> who_in_aim("Reduce falls on Ward 10 by half")
    'on Ward 10'
    >>> who_in_aim("Increase the proportion of patients by 20%") is None
    True
    """
    found = _PEOPLE_QUALIFIED.search(statement) or _PLACE.search(statement)
    if found:
        return found.group(0)
    for match in _PLURAL_PEOPLE.finditer(statement):
        if match.group(1).lower() not in _NOT_A_QUALIFIER:
            return match.group(0)
    return None


# --- hints about the user's own project -------------------------------------------------


def _quoted(text: str, limit: int = 60) -> str:
    """`text` on one line, cut at a word boundary to about `limit` characters."""
    words = " ".join(text.split())
    if len(words) <= limit:
        return words
    return words[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def _number(value: float) -> str:
    return f"{value:g}"


def number_hint(project: Project, outcome: Measure | None) -> str:
    """Q101's hint: by how much, in the words of the project's outcome measure."""
    aim = project.aim
    now = "<now>" if aim is None or aim.baseline is None else _number(aim.baseline)
    if outcome is not None and outcome.fixed_target is not None:
        goal = _number(outcome.fixed_target)
        return (
            f"say by how much '{_quoted(outcome.name)}' should change, e.g. 'from {now} to "
            f"{goal}', and set `target: {goal}` under aim"
        )
    return (
        f"say by how much '{_quoted(project.title)}' should improve, e.g. 'from {now} to "
        "<goal>', and set `target:` under aim"
    )


def date_hint(project: Project) -> str:
    """Q102's hint: by when, with the project's end date when it has one."""
    end = project.end_date
    if end is not None:
        return (
            f"say by when at the end of the aim, e.g. 'by {end.day} {end:%B %Y}' (the "
            f"project's end date), or add `target_date: {end.isoformat()}` under aim"
        )
    statement = project.aim.statement if project.aim else project.title
    return (
        f"say by when at the end of the aim ('{_quoted(statement, 50)} by <date>'), "
        "or add `target_date: YYYY-MM-DD` under aim"
    )


def population_hint(project: Project, outcome: Measure | None) -> str:
    """Q103's hint: for whom, from the words the project already uses for its people."""
    definition = outcome.definition if outcome is not None else None
    counts_people = outcome is not None and outcome.data_type == "proportion"
    sources = (
        (definition.inclusions if definition else None, "who the outcome measure includes"),
        (project.scope.included if project.scope else None, "the project's scope"),
        # a proportion's denominator is people; a rate's is exposure, such as bed days
        (
            definition.denominator if definition and counts_people else None,
            "the outcome measure's denominator",
        ),
    )
    for words, source in sources:
        if words and words.strip():
            return (
                f"name them in the aim, or add `population: {_quoted(words)}` under aim ({source})"
            )
    named = who_in_aim(project.title)
    if named:
        return (
            f"the title says '{named}': say for whom in the aim too, or add `population:` under aim"
        )
    return (
        f"say whom '{_quoted(project.title)}' is for in the aim (e.g. patients with …, "
        "residents of …, on Ward …), or add `population:` under aim"
    )
