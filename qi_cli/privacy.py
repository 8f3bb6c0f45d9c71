"""Likely patient-identifiable text in what a project would publish (coaching code Q901).

Everything a project's files say can end up on the trust's site (`visibility`), in a
report or a poster, and in git's history for good. `find_identifiable` looks at one piece
of text for what identifies a patient in the words people actually type on a ward:

- an **NHS number**: ten digits, written `9434765919`, `943 476 5919` or
  `943-476-5919`, whose tenth digit is the right modulus 11 check digit (`nhs_number_ok`;
  a number with a wrong check digit is no NHS number and is left alone);
- a **date of birth**: a full date after `DOB`, `D.O.B.`, `date of birth` or `born`
  ("DOB 12/03/1941", "born 3 March 1941"), or a date at least 16 years old within a few
  words after a title and surname ("Mrs Jones, 12/03/1941"): a QI project's own dates
  (cycles, meetings, data) are recent;
- a **bed or bay with a title and surname**: "bed 4 Mrs Patel", "bay 2 bed 3 Mr O'Neill",
  "Mr O'Neill in bed 3" (titles Mr, Mrs, Ms, Miss, Mx, Master; not Dr or Prof, who on a
  ward are mostly staff);
- a **hospital number**: `MRN`, `hospital number`, `hosp no`, `unit number`, `case
  number` or `patient ID` followed by an identifier with at least five digits ("MRN
  1234567", "hospital no: RX1234567"); the format differs from trust to trust, so the
  words in front are what is looked for.

What stays quiet: dates of cycles and data (recent, and next to no DOB word), "Ward 7",
"bed days", "Mr Liu" without a bed or a date of birth, and the names of staff: fields
that hold staff (`team`, `sponsor`, `coach`, a cycle's `person` and `who`, a process
step's `role`, a stakeholder's `name` and `role`) are checked for numbers and dates of
birth only. Every pattern needs a digit, so text without one is passed over at once.

A finding is never echoed in full: its excerpt keeps the words around it and masks the
rest ("943 *** ****", "DOB **/**/****", "bed 4 Mrs P****").
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from qi_cli.checks import warning_at
from qi_cli.coaching import CODES
from qi_cli.errors import Issue, excerpt
from qi_cli.files.csv_cells import MeasureRows
from qi_cli.files.layout import (
    CYCLES_DIR,
    MEASURES_DIR,
    PROCESS_FILE,
    PROJECT_FILE,
    STAKEHOLDERS_FILE,
)
from qi_cli.files.loaded import LoadedProject
from qi_cli.patterns import LazyPattern

CODE = "Q901"
DOB_MIN_AGE = 16
"""A date this many years old or more, next to a name, is read as a date of birth."""


@dataclass(frozen=True)
class Finding:
    """Likely identifiable text: what it looks like, where it is in the text, and an
    excerpt that can be shown (the identifying part masked)."""

    kind: str
    start: int
    end: int
    masked: str


# --- NHS numbers ------------------------------------------------------------------------

# ten digits, in one group or 3-3-4 with the same separator; not part of a longer number
_NHS = LazyPattern(r"(?<![\d.,])(\d{3})([ -]?)(\d{3})\2(\d{4})(?![\d]|[.,]\d)")


def nhs_number_ok(digits: str) -> bool:
    """Whether ten digits are a valid NHS number: the modulus 11 check digit of the NHS
    Data Dictionary ("NHS number"). The first nine digits are weighted 10, 9, … 2 and
    summed; the check digit is 11 minus the sum's remainder on division by 11, 0 when
    that is 11; a remainder of 1 (check 10) means no valid number. Ten equal digits
    pass the check but are never issued (placeholders such as 0000000000): refused.

    Worked by hand for 943 476 5919: 9×10 + 4×9 + 3×8 + 4×7 + 7×6 + 6×5 + 5×4 + 9×3 +
    1×2 = 90 + 36 + 24 + 28 + 42 + 30 + 20 + 27 + 2 = 299; 299 = 27×11 + 2, so the
    check digit is 11 − 2 = 9, the tenth digit: valid. For 485 777 3456 the sum is 312,
    remainder 4, check digit 7, not 6: not an NHS number.

    >>> nhs_number_ok("9434765919"), nhs_number_ok("4857773456"), nhs_number_ok("4857773457")
    (True, False, True)
    """
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return False
    if len(set(digits)) == 1:
        return False
    total = sum(int(d) * weight for d, weight in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


# --- dates, names and beds --------------------------------------------------------------

# The patterns run on text whose white space is one space (`find_identifiable`), and
# every repeat is bounded: a field is free text of any length, and a pattern that can
# backtrack over a long run of spaces or words takes minutes (tests/test_privacy.py).
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = (
    r"(?:\d{4}-\d{1,2}-\d{1,2}"  # 1941-03-12
    r"|\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})"  # 12/03/1941, 12.03.41
    rf"|{_DAY} (?:of )?{_MONTH},? \d{{4}}"  # 12 March 1941, 3rd of Mar 1941
    rf"|{_MONTH} {_DAY},? \d{{4}})"  # March 12, 1941
    r"(?!\d)"
)
_DOB = LazyPattern(
    r"\b(?P<keep>DOB|D\.O\.B\.?|date of birth|(?<![-\w])born(?: on)?)"
    rf" ?[:=\-–]? ?(?:(?:is|was) )?(?P<mask>{_DATE})",
    re.IGNORECASE,
)
# a date range after a DOB word is a population ("babies born 1 April 2025 to …")
_RANGE = LazyPattern(rf" ?(?:to|until|till|–|-) ?{_DATE}", re.IGNORECASE)
# a title as written before a surname (not Dr or Prof: on a ward, mostly staff), then a
# surname with a capital (O'Neill, McDonald, Smith-Jones) or an initial, maybe after one
_TITLE = r"(?-i:Mrs|Mr|Ms|Miss|Mx|Master|MRS|MR|MS|MISS)\.?"
_SURNAME = (
    r"(?-i:(?:[A-Z]\.? )?[A-Z][A-Za-z]{0,30}(?:['’][A-Za-z]{1,30}){0,2}"
    r"(?:-[A-Z][A-Za-z'’]{0,30})?)\b"
)
_SEPARATOR = r"[ ,;:()–-]{1,3}"
_NAME_DATE = LazyPattern(
    rf"\b(?P<keep>{_TITLE} )(?P<name>{_SURNAME})"
    rf"(?P<gap>(?:{_SEPARATOR}[\w'’]{{1,20}}){{0,3}}?{_SEPARATOR})(?P<date>{_DATE})",
    re.IGNORECASE,
)
_FULL_YEAR = re.compile(r"\d{4}")
_BED = (
    r"(?:(?:bay|ward) ?\d{1,2}[a-z]?[ ,/-]{0,3})?"
    r"(?:bed|bay|side ?room|cubicle) ?(?:no\.? ?)?\d{1,3}[a-z]?\b"
)
_BED_NAME = LazyPattern(
    rf"\b(?P<keep>{_BED} ?[,:;(–-]? ?{_TITLE} )(?P<name>{_SURNAME})",
    re.IGNORECASE,
)
_NAME_BED = LazyPattern(
    rf"\b(?P<keep>{_TITLE} )(?P<name>{_SURNAME})(?P<bed> ?[,(–-]? ?(?:in )?{_BED})",
    re.IGNORECASE,
)
_HOSPITAL_NUMBER = LazyPattern(
    r"\b(?P<keep>MRN|hospital (?:number|no\b\.?|num\b)|hosp\.? ?no\b\.?|"
    r"(?:unit|case|patient) (?:number|no\b\.?|id\b))"
    r" ?[:#=.]? ?(?P<mask>[A-Z]{0,4} ?\d(?: ?\d){4,15}[A-Z]?)\b",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_SHORTEST = len("MRN12345")
"""No pattern finds text shorter than this hospital number: ids, numbers and short
words (`m1`, `8`, `Test 2`), a third of the fields with a digit, are passed over."""
_A_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TEN_DIGITS = re.compile(r"\d{3}[ -]?\d{3}")
_A_TITLE = re.compile(r"\bM(?:rs?|s|iss|x|aster|RS?|S|ISS)\b")
# the words each pattern needs, looked for in the text in lower case
_DOB_WORDS = re.compile(r"dob|d\.o\.b|birth|born")
_NUMBER_WORDS = re.compile(r"mrn|hosp|number| no| id")
_BED_WORDS = re.compile(r"bed|bay|room|cubicle")


def _masked(text: str, keep: int = 0) -> str:
    """`text` with its letters and digits after the first `keep` of them starred."""
    out: list[str] = []
    seen = 0
    for ch in text:
        if ch.isalnum():
            seen += 1
            out.append(ch if seen <= keep else "*")
        else:
            out.append(ch)
    return "".join(out)


def _old_enough(date_text: str, today: dt.date) -> bool:
    """Whether a date's year is at least `DOB_MIN_AGE` years before `today` (a year
    of two digits is of the last century when it is after this year's two digits)."""
    full = _FULL_YEAR.search(date_text)  # 1941-03-12, 12/03/1941, 12 March 1941
    if full:
        year = int(full.group(0))
    else:  # 12/03/41
        year = int(date_text[-2:])
        year += 2000 if year <= today.year % 100 else 1900
    return year <= today.year - DOB_MIN_AGE


def find_identifiable(
    text: str, *, staff: bool = False, today: dt.date | None = None
) -> list[Finding]:
    """Likely patient-identifiable text in `text`, in the order it appears (see the
    module's doc for what is looked for), with places in `text` as one line (each run
    of white space one space). With `staff`, the text names staff (a project's team, a
    cycle's person): names next to a bed or a date are not looked for.

    >>> [f.masked for f in find_identifiable("Seen: Mrs Jones, DOB 12/03/1941, bed 4")]
    ['Mrs J****, DOB **/**/****']
    >>> [f.masked for f in find_identifiable("bay 2 bed 3 Mr O'Neill; NHS no 943 476 5919")]
    ["bay 2 bed 3 Mr O'*****", '943 *** ****']
    >>> find_identifiable("Ward 7 bed days fell on 12/03/2026 (Mr Liu, team lead)")
    []
    """
    if len(text) < _SHORTEST or not _DIGIT.search(text):
        return []
    text = " ".join(text.split())
    low = text.lower()
    today = today or dt.date.today()
    found: list[Finding] = []
    # each pattern runs only where its words are: `qi validate` of a portfolio looks at
    # thousands of fields, and a scan with no fixed first letters is slow
    if _TEN_DIGITS.search(text):
        for m in _NHS.finditer(text):
            if nhs_number_ok(m.group(1) + m.group(3) + m.group(4)):
                masked = _masked(m.group(0), 3)
                found.append(Finding("an NHS number", m.start(), m.end(), masked))
    if _DOB_WORDS.search(low):
        for m in _DOB.finditer(text):
            if _RANGE.match(text, m.end()):
                continue
            shown = m["keep"] + text[m.end("keep") : m.start("mask")] + _masked(m["mask"])
            found.append(Finding("a date of birth", m.start(), m.end(), shown))
    if _NUMBER_WORDS.search(low):
        for m in _HOSPITAL_NUMBER.finditer(text):
            shown = m["keep"] + text[m.end("keep") : m.start("mask")] + _masked(m["mask"])
            found.append(Finding("a hospital number", m.start(), m.end(), shown))
    if not staff and _A_TITLE.search(text):
        for m in _NAME_DATE.finditer(text):
            if _old_enough(m["date"], today):
                shown = m["keep"] + _masked(m["name"], 1) + m["gap"] + _masked(m["date"])
                found.append(Finding("a name with a date of birth", m.start(), m.end(), shown))
        if _BED_WORDS.search(low):
            for m in _BED_NAME.finditer(text):
                shown = m["keep"] + _masked(m["name"], 1)
                found.append(Finding("a bed with a patient's name", m.start(), m.end(), shown))
            for m in _NAME_BED.finditer(text):
                shown = m["keep"] + _masked(m["name"], 1) + m["bed"]
                found.append(Finding("a bed with a patient's name", m.start(), m.end(), shown))
    return _without_overlaps(found)


def _without_overlaps(found: list[Finding]) -> list[Finding]:
    """The findings in text order, each piece of text named once (the longest finding
    at a place wins: "Mrs Jones, DOB 12/03/1941" is one date of birth)."""
    if len(found) < 2:  # most texts: nothing to sort out
        return found
    kept: list[Finding] = []
    for f in sorted(found, key=lambda f: (f.start, -f.end)):
        if kept and f.start < kept[-1].end:
            continue
        kept.append(f)
    return kept


# --- the check over a project -----------------------------------------------------------

ANY = "*"
# fields that hold staff, by file (a path of keys; ANY stands for any id or position)
_STAFF: dict[str, tuple[tuple[str, ...], ...]] = {
    PROJECT_FILE: (("team", ANY, "name"), ("team", ANY, "role"), ("sponsor",), ("coach",)),
    CYCLES_DIR: (("person",), ("plan", "test", "who"), ("plan", "data_collection", "who")),
    PROCESS_FILE: ((ANY, "steps", ANY, "role"),),
    STAKEHOLDERS_FILE: (("stakeholders", ANY, "name"), ("stakeholders", ANY, "role")),
}
_UNPUBLISHED: dict[str, tuple[tuple[str, ...], ...]] = {
    PROJECT_FILE: (("settings",),),  # silenced codes and how dates are typed
}
_MAX_SHOWN = 2


def _matches(loc: tuple[str | int, ...], patterns: tuple[tuple[str, ...], ...]) -> bool:
    """Whether `loc` is, or is inside, a field that one of `patterns` names."""
    for pattern in patterns:
        if len(loc) < len(pattern):
            continue
        for want, key in zip(pattern, loc, strict=False):
            if want != ANY and want != key:
                break
        else:
            return True
    return False


def _texts(data: Any) -> list[tuple[tuple[str | int, ...], str]]:
    """Every text value in a file's data that a pattern could match, with its path of
    keys: each pattern needs a digit, and a date alone (a cycle's `start`) matches none.
    A whole number is text too (a text field takes `note: 9434765919` as text).

    A list built by one walk, not a generator of generators, with text values looked at
    in the loop: `qi validate` of 1,000 projects walks 450,000 values (bench/bench.py)."""
    found: list[tuple[tuple[str | int, ...], str]] = []

    def add(value: Any, loc: tuple[str | int, ...]) -> None:
        if isinstance(value, bool) or not isinstance(value, str | int):
            return
        text = str(value)
        if len(text) >= _SHORTEST and _DIGIT.search(text) and not _A_DATE.fullmatch(text):
            found.append((loc, text))

    def walk(value: Any, loc: tuple[str | int, ...]) -> None:
        for key, item in value.items() if isinstance(value, dict) else enumerate(value):
            if isinstance(item, str):  # most values: looked at here, without a call
                # too short for any pattern (ids, `m1`, `Test 2`): passed over first
                if len(item) >= _SHORTEST and _DIGIT.search(item) and not _A_DATE.fullmatch(item):
                    found.append(((*loc, key), item))
            elif isinstance(item, (dict, list)):  # a tuple: isinstance is slower on a union
                walk(item, (*loc, key))
            else:
                add(item, (*loc, key))

    if isinstance(data, (dict, list)):
        walk(data, ())
    else:
        add(data, ())
    return found


def _message(findings: list[Finding]) -> str:
    shown = ", ".join(f"{f.kind} {excerpt(f.masked)}" for f in findings[:_MAX_SHOWN])
    more = len(findings) - _MAX_SHOWN
    return "likely patient-identifiable text: " + shown + (f" and {more} more" if more > 0 else "")


def _kind_of(p: LoadedProject, path: str) -> str:
    """Which of qi's files `path` (as the project shows it) is: its name, or its folder."""
    folder, name = os.path.split(path)
    for directory in (CYCLES_DIR, MEASURES_DIR):
        if folder == p.display(directory):
            return directory
    return name


def _rows_with_text(rows: MeasureRows) -> list[int]:
    """The positions of the rows with a note or an exclude cell, in order (a column of
    empty cells is passed over at once: most rows have neither)."""
    written: set[int] = set()
    for column in (rows.notes, rows.exclusions):
        if column.count(None) != len(column):
            written.update(k for k, cell in enumerate(column) if cell)
    return sorted(written)


def check_privacy(p: LoadedProject) -> Iterator[Issue]:
    """Q901: likely patient-identifiable text in any field of any file that is published
    (every YAML file, a measure's `note` and `exclude` cells), one warning per field.

    A private project is checked too: its files are in the repository, and git keeps
    every version of them for everyone who can clone it."""
    today = dt.date.today()
    for path, doc in p.documents.items():
        kind = _kind_of(p, path)
        staff, unpublished = _STAFF.get(kind, ()), _UNPUBLISHED.get(kind, ())
        for loc, text in _texts(doc.data):
            if unpublished and _matches(loc, unpublished):
                continue
            findings = find_identifiable(text, staff=_matches(loc, staff), today=today)
            if findings:
                yield warning_at(p, path, loc, CODE, _message(findings))
    for mid, rows in p.data.items():
        for k in _rows_with_text(rows):
            for cell in (rows.notes[k], rows.exclusions[k]):
                findings = find_identifiable(cell, today=today) if cell else []
                if findings:
                    yield Issue(
                        path=p.display(MEASURES_DIR, f"{mid}.csv"),
                        message=_message(findings),
                        line=rows.lines[k],
                        column=1,
                        severity="warning",
                        hint=f"{CODES[CODE].fix} (qi explain {CODE})",
                        code=CODE,
                    )
