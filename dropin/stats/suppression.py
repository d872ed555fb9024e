"""Small-cell protection: no published figure may let a reader work out a count of 1–4 people.

Pure functions, no database and no Flask, so every rule is unit-tested on its own.

The rules:
1. Primary: a count of people (claims, participations, meals, answers...) from 1 to
   threshold - 1 is hidden and shown as "<5". Zero is shown: it says nobody, not who.
2. Secondary: where figures add up (parts and their total: claims = kept + released +
   cancelled; the partners' rows of a column = the column's total), a reader can subtract.
   Assume the reader knows these rules: a "<5" is 1 to threshold - 1, any other hidden cell
   is at least the threshold. Then, in every sum with a shown total,
     - no hidden part may be alone (it would be the total minus the rest), and
     - every hidden small count must still be able to be anything from 1 to threshold - 1
       (2 + 2 hidden in a sum that leaves 4 are fine; 1 + 5 leaving 6 pins both down).
   A hidden total needs a hidden part, or the parts would add up to it. While a sum falls
   short, its smallest non-zero part still shown is hidden too (its total when none is left).
   This repeats until nothing changes, since hiding a cell can open another sum.
3. Rates and changes are hidden when any figure they come from is hidden. A share of a
   whole also reveals its complement, so both belong to one sum (first-timers + returning
   = answered), and rule 2 protects them together.
Only rule 1 hides small numbers, so only those cells say "<5" (`small`); cells hidden by rules
2 and 3 are usually large and are shown as "..", as Statistics Finland marks withheld data.
Counts of the project's own offer (days, tasks, places) and outcome amounts (sacks of
litter, portions) are not about people and are never hidden.

Each sum is checked on its own: the rules do not solve all sums jointly, and they cannot
stop someone who compares the figures of two overlapping periods.
"""

import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

DEFAULT_THRESHOLD = 5

COUNT, AMOUNT, PERCENT, CHANGE, POINTS = "count", "amount", "percent", "change", "points"


@dataclass(frozen=True)
class Relation:
    """`total` is the sum of `parts`: hiding exactly one of them would not hide anything."""

    parts: tuple
    total: Hashable


@dataclass(frozen=True)
class Cell:
    """A figure as published. A hidden cell never carries its value, so no template can leak it.

    `value` is None either because the cell is hidden or because there is nothing to show
    (a rate of nothing, a change against an empty period): `hidden` tells them apart.
    """

    value: int | float | None
    kind: str = COUNT
    hidden: bool = False
    small: bool = False  # hidden because it is 1 to threshold - 1 itself, not to protect another cell

    @property
    def missing(self) -> bool:
        return self.value is None and not self.hidden


def is_small(value: int | float | None, threshold: int = DEFAULT_THRESHOLD) -> bool:
    """A count that could point at a person: at least one and below the threshold."""
    return value is not None and 0 < value < threshold


def _protected(relation: Relation, values: Mapping, hidden: set, small: set, threshold: int) -> bool:
    """Whether this sum keeps its hidden cells hidden from a reader who subtracts (rule 2)."""
    hidden_parts = [key for key in relation.parts if key in hidden]
    if relation.total in hidden:
        return bool(hidden_parts) or not any(values[key] for key in relation.parts)
    if not hidden_parts:
        return True
    if len(hidden_parts) == 1:
        return False
    rest = values[relation.total] - sum(values[key] for key in relation.parts if key not in hidden)
    lows = {key: 1 if key in small else threshold for key in hidden_parts}
    highs = {key: threshold - 1 if key in small else math.inf for key in hidden_parts}
    low_sum, high_sum = sum(lows.values()), sum(highs.values())
    for key in hidden_parts:
        if key in small:
            # What the reader can tell about this count: the rest of the sum, less the others' bounds.
            lowest = max(1, rest - (high_sum - highs[key]))
            highest = min(threshold - 1, rest - (low_sum - lows[key]))
            if lowest > 1 or highest < threshold - 1:
                return False
    return True


def hidden_keys(values: Mapping[K, int], relations: Iterable[Relation], threshold: int = DEFAULT_THRESHOLD) -> set[K]:
    """The keys whose values must be hidden: primary small cells plus secondary suppression.

    Every key of every relation must be in `values`, and each relation's total must be the
    sum of its parts. Ties between equally small candidates go to the first part in the
    relation's order, so the result is deterministic.
    """
    small = {key for key, value in values.items() if is_small(value, threshold)}
    hidden = set(small)
    relations = list(relations)
    changed = True
    while changed:
        changed = False
        for relation in relations:
            if _protected(relation, values, hidden, small, threshold):
                continue
            candidates = [key for key in relation.parts if key not in hidden and values[key] > 0]
            if candidates:
                hidden.add(min(candidates, key=lambda key: values[key]))
            elif relation.total not in hidden:
                hidden.add(relation.total)
            else:
                continue
            changed = True
    return hidden


def protect(
    values: Mapping[K, int], relations: Iterable[Relation] = (), threshold: int = DEFAULT_THRESHOLD
) -> dict[K, Cell]:
    """Counts of people as published cells, with primary and secondary suppression."""
    hidden = hidden_keys(values, relations, threshold)
    return {
        key: Cell(None, COUNT, True, is_small(value, threshold)) if key in hidden else Cell(value, COUNT)
        for key, value in values.items()
    }


def shown(value: int | float | None, kind: str = COUNT) -> Cell:
    """A figure that is not about people (places, tasks, outcome amounts): never hidden."""
    return Cell(value, kind)


def rate(numerator: Cell, denominator: Cell) -> Cell:
    """numerator / denominator in per cent; hidden when either is, missing when dividing by zero."""
    if numerator.hidden or denominator.hidden:
        return Cell(None, PERCENT, True)
    if numerator.value is None or not denominator.value:
        return Cell(None, PERCENT)
    return Cell(100.0 * numerator.value / denominator.value, PERCENT)


def change(current: Cell, previous: Cell) -> Cell:
    """current - previous; a change of a rate is in percentage points. Hidden when either is:
    with the current figure shown, the change would give the previous one away."""
    kind = POINTS if current.kind == PERCENT else CHANGE
    if current.hidden or previous.hidden:
        return Cell(None, kind, True)
    if current.value is None or previous.value is None:
        return Cell(None, kind)
    return Cell(current.value - previous.value, kind)
