"""The one reader of YAML and JSON: hostile documents end in one error with a position."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.errors import BriefingError
from briefing.textfiles import (
    MAX_ALIAS_EXPANSION,
    MAX_DEPTH,
    load_json,
    parse_json,
    parse_yaml,
    parse_yaml_documents,
    read_text,
)

PATH = Path("input.yaml")


def billion_laughs(levels: int = 9, last_key: str = "organization") -> str:
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    previous = "a"
    for name in "bcdefghijk"[: levels - 1]:
        text += f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]\n"
        previous = name
    return text + f"{last_key}: *{previous}\n"


def error_of(text: str, parse=parse_yaml) -> BriefingError:  # type: ignore[no-untyped-def]
    with pytest.raises(BriefingError) as caught:
        parse(text, PATH)
    return caught.value


def test_billion_laughs_is_refused_at_the_alias_that_crosses_the_bound() -> None:
    err = error_of(billion_laughs())
    # a = 1 + 9 * (1 + 3) = 37 nodes and characters; b = 1 + 9 * 37 = 334; c = 3,007;
    # d = 27,064; e = 243,577. Aliases add 9 * 37 (line b) + 9 * 334 (c) + 9 * 3,007 (d)
    # + 9 * 27,064 (e) = 273,978; line f (6) adds 243,577 per alias of *e: its third
    # alias brings 273,978 + 3 * 243,577 = 1,004,709 past 1,000,000.
    assert err.where is not None
    assert err.where.line == 6
    assert "*e" in err.message
    assert "aliases" in err.message
    assert f"{MAX_ALIAS_EXPANSION:,}" in err.message
    assert "hint" in str(err)


def test_the_alias_bomb_of_a_risk_title_is_refused_in_every_document_of_a_stream() -> None:
    text = "kind: SLO\n---\n" + billion_laughs(8, "title")
    with pytest.raises(BriefingError) as caught:
        parse_yaml_documents(text, PATH)
    assert "aliases" in caught.value.message
    assert caught.value.where is not None
    assert caught.value.where.line == 2 + 6


def test_honest_aliases_and_merge_keys_still_load() -> None:
    text = "defaults: &d {owner: Ops, cost: 10}\na: *d\nb: {<<: *d, cost: 20}\n"
    _, data = parse_yaml(text, PATH)
    assert data["a"] == {"owner": "Ops", "cost": 10}
    assert data["b"] == {"owner": "Ops", "cost": 20}


def test_an_alias_to_the_collection_holding_it_is_refused() -> None:
    err = error_of("a: &loop [1, *loop]\n")
    assert err.where is not None
    assert (err.where.line, err.where.column) == (1, 14)
    assert "contains it" in err.message


def test_fifty_thousand_deep_nesting_is_one_error_not_a_recursion_error() -> None:
    err = error_of("organization: " + "[" * 50_000 + "]" * 50_000 + "\n")
    # the root mapping is level 1, the value list level 2: the 100th '[' is level 101
    assert err.where is not None
    assert err.where.line == 1
    assert err.where.column == len("organization: ") + MAX_DEPTH
    assert f"more than {MAX_DEPTH} levels" in err.message


def test_aliases_cannot_stack_nesting_past_the_limit() -> None:
    deep = "[" * 60 + "]" * 60
    err = error_of(
        f"a: &a {deep}\nb: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[*a]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n"
    )
    assert err.where is not None
    assert err.where.line == 2
    assert "*a" in err.message


def test_a_key_written_twice_names_both_lines() -> None:
    err = error_of("organization: A\nlocale: en_GB\norganization: B\n")
    assert err.where is not None
    assert (err.where.line, err.where.column) == (3, 1)
    assert "'organization'" in err.message
    assert "line 1" in err.message


def test_a_key_written_twice_in_a_nested_flow_mapping_is_found() -> None:
    err = error_of("services:\n  - {id: a, id: b}\n")
    assert err.where is not None
    assert err.where.line == 2
    assert "'id'" in err.message
    assert "line 2" in err.message


def test_json_key_written_twice_names_both_lines() -> None:
    text = '{\n  "incidents": [\n    {"id": "A",\n     "id": "B"}\n  ]\n}\n'
    err = error_of(text, parse_json)
    assert err.where is not None
    assert (err.where.line, err.where.column) == (4, 6)
    assert "'id'" in err.message
    assert "line 3" in err.message


def test_json_keys_repeated_in_different_objects_are_fine() -> None:
    assert parse_json('[{"id": 1}, {"id": 2}]', PATH) == [{"id": 1}, {"id": 2}]


@pytest.mark.parametrize(
    "text", ["[" * 50_000 + "]" * 50_000, "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)]
)
def test_json_nested_too_deep_is_one_error(text: str) -> None:
    err = error_of(text, parse_json)
    assert f"more than {MAX_DEPTH} levels" in err.message


def test_json_with_an_integer_of_five_thousand_digits_is_one_error() -> None:
    err = error_of('{"good": ' + "9" * 5000 + "}", parse_json)
    assert err.where is not None
    assert err.where.path == PATH


def test_latin1_text_names_the_line_and_byte(tmp_path: Path) -> None:
    path = tmp_path / "briefing.yaml"
    path.write_bytes("locale: en_GB\norganization: Nörthwind\n".encode("latin-1"))
    with pytest.raises(BriefingError) as caught:
        read_text(path)
    # "ö" is byte 0xf6 at offset 14 + 15 = 29: line 2, column 16
    assert caught.value.where is not None
    assert (caught.value.where.line, caught.value.where.column) == (2, 16)
    assert "not UTF-8" in caught.value.message
    assert "0xf6" in caught.value.message
    assert "UTF-8" in caught.value.hint


def test_load_json_drops_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(b'\xef\xbb\xbf{"a": 1}')
    assert load_json(path) == {"a": 1}


@pytest.mark.parametrize(
    ("text", "line"),
    [("period: 2026-13-45\n", 1), ("a: 1\ngood: " + "9" * 5000 + "\n", 2)],
)
def test_a_value_yaml_cannot_build_is_one_error_at_its_line(text: str, line: int) -> None:
    err = error_of(text)
    assert err.where is not None
    assert err.where.line == line
    assert "cannot read the value" in err.message


def test_a_control_character_is_one_error_at_its_line() -> None:
    err = error_of("organization: A\nlocale: \x00en\n")
    assert err.where is not None
    assert (err.where.line, err.where.column) == (2, 9)
    assert "U+0000" in err.message
