"""Finding the patient and the kind of a calendar event that carries none of our own fields.

A Google Calendar or Outlook export names the patient the way a receptionist typed it ("Ketamine – Ana Ruiz",
"Infusion MRN 00123") and may invite them by e-mail. An event is matched, in this order, by an attendee's e-mail,
by the clinic's record number (MRN) anywhere in its summary or description, or by a patient's name in its summary;
the kind by the kind's name, its labels or the admin's keywords in the summary. Pure: the caller gives the roster.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

V = TypeVar("V")

_WORD = re.compile(r"\w+")
# A record number is whole when no letter or digit touches it: "MRN:00123" and "(00123)" hold 00123.
_AROUND = r"(?<![^\W_]){}(?![^\W_])"


class NoMatch(ValueError):
    """Why an event's patient or kind could not be told; the message is shown beside the row."""


class NoPatient(NoMatch):
    """The patient could not be told: a person may choose one for the row."""


@dataclass(frozen=True, slots=True)
class Known:
    id: int
    name: str
    external_id: str | None = None
    email: str | None = None

    def __str__(self) -> str:
        return f"{self.name} (#{self.id})"


def words(text: str) -> tuple[str, ...]:
    """Lower-case words without accents: "Müller, José" and "muller jose" read the same."""
    decomposed = unicodedata.normalize("NFKD", text)
    return tuple(_WORD.findall("".join(c for c in decomposed if not unicodedata.combining(c)).casefold()))


class _Phrases(Generic[V]):
    """Phrases of one or more words, each standing for a value; finds the longest ones a text holds."""

    def __init__(self) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], V]]] = defaultdict(list)

    def add(self, phrase: str, value: V) -> None:
        folded = words(phrase)
        if folded:
            self._by_first[folded[0]].append((folded, value))

    def longest(self, text: str) -> list[V]:
        """The values of the longest phrases found in `text`, without repeats, in the order found."""
        said = words(text)
        best, found = 0, []
        for start, word in enumerate(said):
            for phrase, value in self._by_first.get(word, ()):
                if said[start : start + len(phrase)] != phrase or len(phrase) < best:
                    continue
                if len(phrase) > best:
                    best, found = len(phrase), []
                if value not in found:
                    found.append(value)
        return found


class PatientMatcher:
    def __init__(self, patients: Iterable[Known]) -> None:
        self._by_email: dict[str, list[Known]] = defaultdict(list)
        self._by_record: dict[str, Known] = {}
        self._names: _Phrases[Known] = _Phrases()
        for patient in patients:
            if patient.email:
                self._by_email[patient.email.lower()].append(patient)
            if patient.external_id:
                self._by_record[patient.external_id.casefold()] = patient
            self._names.add(patient.name, patient)
        records = sorted(self._by_record, key=len, reverse=True)  # the longest first: "A-1" must not take "A-12"
        self._records = (
            re.compile(_AROUND.format("(" + "|".join(map(re.escape, records)) + ")"), re.IGNORECASE)
            if records
            else None
        )

    def find(self, text: str, *, emails: Sequence[str] = (), more: str = "") -> int:
        """The patient's id: by an attendee's e-mail, else a record number in `text` or `more`, else a name in
        `text`. NoMatch when none is found or when the clue fits more than one patient."""
        by_email = _unique(k for address in emails for k in self._by_email.get(address.lower(), ()))
        if by_email:
            return _one(by_email, f"the e-mail {', '.join(emails)}")
        if self._records is not None:
            hits = self._records.findall(f"{text}\n{more}")
            by_record = _unique(self._by_record[hit.casefold()] for hit in hits)
            if by_record:
                return _one(by_record, f"the record numbers in {text!r}")
        by_name = self._names.longest(text)
        if by_name:
            return _one(by_name, f"{text!r}")
        raise NoPatient(f"no patient's name, record number or e-mail in {_shown(text)}")


def _unique(found: Iterable[Known]) -> list[Known]:
    return list(dict.fromkeys(found))


def _one(found: list[Known], clue: str) -> int:
    if len(found) > 1:
        raise NoPatient(
            f"{clue} fits more than one patient ({', '.join(map(str, found))}); "
            "give the record number or e-mail to tell them apart"
        )
    return found[0].id


def _shown(text: str) -> str:
    return repr(text) if text.strip() else "the event (no summary)"


class KindMatcher:
    def __init__(self, phrases: Mapping[str, Iterable[str]]) -> None:
        """`phrases`: for each kind, the words that name it (its own name, labels, keywords)."""
        self._phrases: _Phrases[str] = _Phrases()
        for kind, said in phrases.items():
            self._phrases.add(kind.replace("_", " ").replace("-", " "), kind)
            for phrase in said:
                self._phrases.add(phrase, kind)

    def find(self, text: str) -> str:
        found = self._phrases.longest(text)
        if not found:
            raise NoMatch(f"no kind named in {_shown(text)}; add a keyword to the kind in the clinic file")
        if len(found) > 1:
            raise NoMatch(f"{text!r} names more than one kind ({', '.join(sorted(found))})")
        return found[0]


@dataclass(frozen=True, slots=True)
class Matching:
    """What an import uses to read events and rows that carry no patient id or known kind. `assigned`: patients a
    person chose for rows by line (in the console's preview); `booked`: the patient of each event imported before,
    by UID, for an event whose words name no one (so a re-import keeps what was assigned)."""

    patients: PatientMatcher
    kinds: KindMatcher
    assigned: Mapping[int, int] = field(default_factory=dict)
    booked: Mapping[str, int] = field(default_factory=dict)

    def patient(self, line: int, text: str, *, emails: Sequence[str] = (), more: str = "", uid: str = "") -> int:
        if line in self.assigned:
            return self.assigned[line]
        try:
            return self.patients.find(text, emails=emails, more=more)
        except NoMatch:
            if uid in self.booked:
                return self.booked[uid]
            raise
