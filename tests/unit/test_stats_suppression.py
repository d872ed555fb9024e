"""Small-cell protection, as pure functions: what is hidden, and why nothing can be recovered."""

import itertools
import random

import pytest

from dropin.stats.suppression import (
    CHANGE,
    COUNT,
    PERCENT,
    POINTS,
    Cell,
    Relation,
    change,
    hidden_keys,
    is_small,
    protect,
    rate,
    shown,
)


@pytest.mark.parametrize(("value", "small"), [(None, False), (0, False), (1, True), (4, True), (5, False), (50, False)])
def test_small_means_one_to_four_people(value, small):
    assert is_small(value) is small


def test_the_threshold_is_a_setting():
    assert is_small(9, threshold=10)
    assert not is_small(10, threshold=10)
    assert not is_small(1, threshold=1)  # a threshold of 1 turns suppression off


def test_counts_without_relations_hide_only_small_cells():
    cells = protect({"a": 0, "b": 3, "c": 12})
    assert cells["a"] == Cell(0)
    assert cells["c"] == Cell(12)
    assert cells["b"] == Cell(None, COUNT, hidden=True, small=True)


def test_a_hidden_cell_never_carries_its_value():
    assert protect({"b": 3})["b"].value is None


def test_only_small_counts_are_marked_small():
    # The 10 is hidden to protect the 3: it must not claim to be "<5".
    cells = protect({"a": 3, "b": 10, "c": 20, "total": 33}, [Relation(("a", "b", "c"), "total")])
    assert cells["a"].hidden
    assert cells["a"].small
    assert cells["b"].hidden
    assert not cells["b"].small
    assert not rate(cells["a"], cells["total"]).small
    assert not change(cells["a"], cells["c"]).small


def test_one_hidden_part_of_a_shown_total_takes_the_next_smallest_part_with_it():
    # 20 = 3 + 7 + 10: with only the 3 hidden, 20 - 7 - 10 would give it away.
    values = {"a": 3, "b": 7, "c": 10, "total": 20}
    assert hidden_keys(values, [Relation(("a", "b", "c"), "total")]) == {"a", "b"}


def test_zero_parts_are_not_chosen_for_secondary_suppression():
    # A hidden zero would show "<5" for nobody; the 9 is the smallest part that protects the 2.
    values = {"a": 2, "zero": 0, "b": 9, "c": 30, "total": 41}
    assert hidden_keys(values, [Relation(("a", "zero", "b", "c"), "total")]) == {"a", "b"}


def test_ties_go_to_the_first_part_in_order():
    values = {"a": 1, "b": 8, "c": 8, "total": 17}
    assert hidden_keys(values, [Relation(("a", "b", "c"), "total")]) == {"a", "b"}


def test_two_hidden_parts_need_nothing_more():
    values = {"a": 2, "b": 3, "c": 40, "total": 45}
    assert hidden_keys(values, [Relation(("a", "b", "c"), "total")]) == {"a", "b"}


def test_a_small_total_is_hidden_with_its_parts():
    values = {"a": 3, "b": 0, "total": 3}
    assert hidden_keys(values, [Relation(("a", "b"), "total")]) == {"a", "total"}
    values = {"a": 2, "b": 2, "total": 4}
    assert hidden_keys(values, [Relation(("a", "b"), "total")]) == {"a", "b", "total"}


def test_when_no_other_part_can_be_hidden_the_total_is():
    # x is hidden to protect the 2; in its own sum x + 0 = t, t would give x back.
    values = {"small": 2, "x": 30, "sum": 32, "zero": 0, "t": 30}
    relations = [Relation(("small", "x"), "sum"), Relation(("x", "zero"), "t")]
    assert hidden_keys(values, relations) == {"small", "x", "t"}


def test_secondary_suppression_spreads_across_relations_until_stable():
    # claims = kept + released + cancelled, and the walk-in column shares "kept"...
    values = {"kept": 30, "released": 2, "cancelled": 0, "claims": 32, "kept_kiosk": 24, "kept_desk": 6}
    relations = [Relation(("kept", "released", "cancelled"), "claims"), Relation(("kept_kiosk", "kept_desk"), "kept")]
    hidden = hidden_keys(values, relations)
    # released (primary) pulls kept (secondary), which pulls the smaller of its own parts.
    assert hidden == {"released", "kept", "kept_desk"}


def test_a_breakdown_column_and_a_feedback_row_share_the_same_rule():
    partners = {("p", 1): 14, ("p", 2): 4, ("p", None): 0, "claims": 18}
    assert hidden_keys(partners, [Relation((("p", 1), ("p", 2), ("p", None)), "claims")]) == {("p", 1), ("p", 2)}
    # 1 + 6 hidden would leave 7: the reader could tell the 1 is 1 or 2. The 12 goes too.
    answers = {3: 12, 2: 6, 1: 1, "answered": 19}
    assert hidden_keys(answers, [Relation((3, 2, 1), "answered")]) == {1, 2, 3}


def test_two_small_counts_that_pin_each_other_down_take_a_third_cell():
    # 1 + 1 hidden in a sum that leaves 2: both are exactly 1.
    values = {"released": 1, "cancelled": 1, "kept": 22, "claims": 24}
    assert hidden_keys(values, [Relation(("kept", "released", "cancelled"), "claims")]) == {
        "released",
        "cancelled",
        "kept",
    }
    # 2 + 3 leave 5: either could be anything from 1 to 4.
    values = {"released": 2, "cancelled": 3, "kept": 19, "claims": 24}
    assert hidden_keys(values, [Relation(("kept", "released", "cancelled"), "claims")]) == {"released", "cancelled"}


def test_a_sum_that_cannot_be_protected_hides_its_total():
    # 3 first-timers and 5 returning of 8: with the 5 hidden, 8 - 5 (at least) leaves at most 3.
    values = {"first": 3, "returning": 5, "answered": 8}
    assert hidden_keys(values, [Relation(("first", "returning"), "answered")]) == {"first", "returning", "answered"}


def test_a_hidden_total_needs_a_hidden_part():
    # 6 claims = 5 kept + 1 released can only be protected by hiding the 6; then the weeks,
    # which add up to the same 6, must not show it either.
    values = {"w1": 6, "w2": 0, "claims": 6, "released": 1, "kept": 5}
    relations = [Relation(("w1", "w2"), "claims"), Relation(("kept", "released"), "claims")]
    assert hidden_keys(values, relations) == {"released", "kept", "claims", "w1"}


def _what_a_reader_can_tell(values: dict, relation: Relation, hidden: set, threshold: int = 5) -> dict:
    """Every value each hidden part can take, found by trying them all: "<5" cells 1..4, others
    at least 5, all adding up to the shown total. An independent check of the rules."""
    hidden_parts = [k for k in relation.parts if k in hidden]
    rest = values[relation.total] - sum(values[k] for k in relation.parts if k not in hidden)
    ranges = [
        range(1, threshold) if is_small(values[k], threshold) else range(threshold, rest + 1) for k in hidden_parts
    ]
    seen = {k: set() for k in hidden_parts}
    if not hidden_parts:
        return seen
    # The last part is what the others leave of the total: trying only those is the same search, much sooner.
    *others, last = ranges
    for combo in itertools.product(*others):
        remainder = rest - sum(combo)
        if remainder in last:
            for k, v in zip(hidden_parts, (*combo, remainder), strict=True):
                seen[k].add(v)
    return seen


def assert_nothing_recoverable(values: dict, relations: list[Relation], hidden: set) -> None:
    assert {k for k, v in values.items() if is_small(v)} <= hidden
    for relation in relations:
        if relation.total in hidden:
            continue
        for key, possible in _what_a_reader_can_tell(values, relation, hidden).items():
            if is_small(values[key]):
                assert possible == {1, 2, 3, 4}, (key, possible)
            assert len(possible) > 1, (key, possible)


@pytest.mark.parametrize(
    "values",
    [
        (0, 1, 2, 3, 4),
        (1, 5, 5, 5, 5),
        (4, 0, 0, 0, 30),
        (6, 7, 8, 9, 1),
        (0, 0, 0, 0, 3),
        (2, 50, 0, 0, 0),
        (1, 1, 9, 0, 0),
        (4, 4, 20, 0, 0),
        (1, 5, 0, 0, 0),
        (1, 5, 6, 7, 0),
        (3, 5, 5, 5, 40),
        (2, 2, 1, 6, 9),
    ],
)
def test_no_hidden_cell_can_be_recovered_by_subtraction(values):
    cells = {f"c{i}": v for i, v in enumerate(values)}
    cells["total"] = sum(values)
    relations = [Relation(tuple(f"c{i}" for i in range(len(values))), "total")]
    assert_nothing_recoverable(cells, relations, hidden_keys(cells, relations))


def test_no_recovery_in_a_two_way_table_either():
    # Rows are questions with answers 3/2/1 adding up to each row's "answered".
    grid = {(q, a): n for (q, a), n in zip(itertools.product("xyz", (3, 2, 1)), (9, 3, 0, 7, 7, 1, 20, 0, 0))}
    relations = []
    for q in "xyz":
        grid[(q, "n")] = sum(grid[(q, a)] for a in (3, 2, 1))
        relations.append(Relation(tuple((q, a) for a in (3, 2, 1)), (q, "n")))
    hidden = hidden_keys(grid, relations)
    # x: 3 + 9 hidden leave 12. y: 1 + 7 would leave 8 (the 1 could only be 1 to 3): all three go.
    assert hidden == {("x", 2), ("x", 3), ("y", 1), ("y", 2), ("y", 3)}
    assert_nothing_recoverable(grid, relations, hidden)


def test_rates_are_hidden_with_their_numerator_or_denominator():
    assert rate(Cell(19), shown(21)).value == pytest.approx(100 * 19 / 21)
    assert rate(Cell(19), shown(21)).kind == PERCENT
    assert rate(Cell(None, COUNT, True), shown(21)).hidden
    assert rate(Cell(7), Cell(None, COUNT, True)).hidden


def test_a_rate_of_nothing_is_missing_not_hidden():
    nothing = rate(Cell(0), shown(0))
    assert nothing.value is None
    assert not nothing.hidden
    assert nothing.missing


def test_changes_are_hidden_when_either_period_is():
    assert change(Cell(24), Cell(6)) == Cell(18, CHANGE)
    assert change(Cell(24), Cell(None, COUNT, True)).hidden  # 24 shown: the change would reveal the 1-4
    assert change(Cell(None, COUNT, True), Cell(6)).hidden
    assert change(Cell(None, PERCENT), Cell(50.0, PERCENT)).missing


def test_a_change_of_a_rate_is_in_percentage_points():
    points = change(Cell(90.0, PERCENT), Cell(80.0, PERCENT))
    assert points.kind == POINTS
    assert points.value == pytest.approx(10.0)


def test_no_recovery_in_random_sums():
    rng = random.Random(5)
    for _ in range(150):
        parts = [rng.choice((0, 0, 1, 2, 3, 4, 5, 6, 8, 11)) for _ in range(3)]
        values = {f"c{i}": v for i, v in enumerate(parts)} | {"total": sum(parts)}
        relations = [Relation(("c0", "c1", "c2"), "total")]
        assert_nothing_recoverable(values, relations, hidden_keys(values, relations))
