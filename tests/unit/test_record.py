"""The immutable record base: construction checks, immutability, equality, replace."""

from __future__ import annotations

from typing import ClassVar

import pytest

from workbench.record import Record


class Point(Record):
    x: int
    label: str | None = None
    ORIGIN_NAME: ClassVar[str] = "origin"


class Tagged(Point):
    tags: tuple[str, ...] = ()


def test_fields_come_from_annotations_in_order_without_class_vars() -> None:
    assert Tagged._fields == ("x", "label", "tags")
    assert Tagged._required == frozenset({"x"})


def test_defaults_and_equality() -> None:
    assert Tagged(x=1) == Tagged(x=1, label=None, tags=())
    assert Tagged(x=1) != Tagged(x=2)
    assert Point(x=1) != Tagged(x=1)  # different record types never compare equal
    assert hash(Tagged(x=1, tags=("a",))) == hash(Tagged(x=1, tags=("a",)))


def test_every_field_is_stored_so_equality_compares_all_of_them() -> None:
    assert Tagged(x=1).__dict__ == {"x": 1, "label": None, "tags": ()}
    assert Tagged(x=1, tags=("a",)) != Tagged(x=1)
    assert Tagged(x=1, label="a") != Tagged(x=1, label="b")
    assert Tagged(x=1).replace(label="a") == Tagged(x=1, label="a")


def test_missing_and_unknown_fields_are_errors() -> None:
    with pytest.raises(TypeError, match="missing field\\(s\\): x"):
        Point()  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unknown field\\(s\\): y"):
        Point(x=1, y=2)  # type: ignore[call-arg]


def test_records_are_immutable() -> None:
    point = Point(x=1)
    with pytest.raises(AttributeError, match="immutable"):
        point.x = 2  # type: ignore[misc]
    with pytest.raises(AttributeError, match="immutable"):
        del point.x


def test_replace_copies_with_changes() -> None:
    point = Tagged(x=1, tags=("a",))
    moved = point.replace(x=5)
    assert moved == Tagged(x=5, tags=("a",))
    assert point.x == 1
    with pytest.raises(TypeError):
        point.replace(z=1)
    assert point.as_dict() == {"x": 1, "label": None, "tags": ("a",)}
