"""Every condition key reads in words: a key added to `Condition` without an entry in
`CONDITION_WORDS` would make a flag read "contraindicated if always"."""

from __future__ import annotations

from typing import Any

import pytest

from workbench.engine.conditions import CONDITION_WORDS, describe_condition, unknown_facts
from workbench.engine.context import PatientContext
from workbench.profiles.records import Condition


def _sample(annotation: str) -> Any:
    """A value of the key's type (records check nothing on construction)."""
    if "bool" in annotation:
        return True
    if annotation.startswith("tuple["):
        return ("x",)
    if annotation.startswith("list["):
        return ["x"]
    return 2


def test_every_condition_key_has_words_and_no_words_name_a_missing_key() -> None:
    assert set(CONDITION_WORDS) == set(Condition._fields)


@pytest.mark.parametrize("key", Condition._fields)
def test_a_condition_of_one_key_reads_as_that_key(key: str) -> None:
    value = _sample(str(Condition.__annotations__[key]))
    words = describe_condition(Condition(**{key: value}))
    assert words != "always"
    assert words.startswith(CONDITION_WORDS[key])


def test_no_condition_reads_always_and_two_keys_read_as_both() -> None:
    assert describe_condition(Condition()) == "always"
    both = describe_condition(Condition(min_prior_dmts=1, jcv_status=("positive",)))
    assert both == "prior DMTs ≥ 1 and anti-JCV positive"
    assert unknown_facts([Condition(jcv_status=("positive",))], PatientContext()) == ("anti-JCV",)
