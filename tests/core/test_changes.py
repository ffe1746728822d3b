from ctip.core.changes import changed_fields


def test_only_changed_fields_are_listed_with_before_and_after():
    assert changed_fields({"a": 1, "b": "x"}, {"a": 2, "b": "x"}) == {"a": [1, 2]}


def test_creation_and_deletion():
    assert changed_fields({}, {"role": "admin"}) == {"role": [None, "admin"]}
    assert changed_fields({"role": "admin"}, {}) == {"role": ["admin", None]}


def test_no_change_gives_nothing():
    assert changed_fields({"languages": ["en"]}, {"languages": ["en"]}) == {}
