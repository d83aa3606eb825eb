"""Reading YAML and JSON files with positions, for every stage that reads them.

This is the one reader of YAML and JSON text, and it guards the classes of
hostile input rather than single cases:

- bytes that are not UTF-8 are one error naming the file, line and byte;
- YAML is composed by a loader that bounds what aliases may add (a "billion
  laughs" document is refused at the alias that crosses the bound, before any
  value is built), refuses an alias to the collection that contains it, limits
  nesting depth, and refuses a key written twice in one mapping, naming both
  lines;
- JSON refuses a key written twice in one object (naming both lines), and
  nesting too deep or a number too long becomes one error instead of a
  traceback.

A problem becomes one `BriefingError` naming the file, line and column.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from briefing.errors import BriefingError, Location

MAX_INPUT_BYTES = 2_000_000_000
# What aliases may add to a YAML document, in nodes plus characters of text: far
# above any honest reuse (a shared block of settings), far below a "billion laughs".
MAX_ALIAS_EXPANSION = 1_000_000
# Nesting of YAML collections and JSON arrays/objects; no briefing input needs 20.
MAX_DEPTH = 100
_YAML_HINT = "check indentation and quoting"
_ALIAS_HINT = "write the values out instead of repeating them with YAML aliases (*name)"
_DEPTH_HINT = "check the brackets: briefing's files nest only a few levels"
_MERGE_TAG = "tag:yaml.org,2002:merge"


def check_size(path: Path, limit: int = MAX_INPUT_BYTES) -> None:
    size = path.stat().st_size
    if size > limit:
        raise BriefingError(
            f"file is {size:,} bytes, over the {limit:,}-byte limit",
            where=Location(path),
            hint="export a shorter time range, or use Parquet or the Prometheus API for large metrics",
        )


def read_text(path: Path, limit: int = MAX_INPUT_BYTES) -> str:
    """A UTF-8 text file (a byte-order mark is dropped); other bytes are one clear error."""
    check_size(path, limit)
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        raise BriefingError(
            f"not UTF-8 text (byte {err.start:,} is 0x{data[err.start]:02x})",
            where=Location(path, line, column),
            hint="save the file as UTF-8",
        ) from None


def not_utf8(path: Path) -> BriefingError:
    """The error for a text file (plain or .gz) a reader found not to be UTF-8, naming the
    line and column of its first bad byte: read again line by line, as only errors do."""
    import gzip

    opener = gzip.open if path.name.lower().endswith(".gz") else open
    offset = 0
    with contextlib.suppress(OSError, EOFError), opener(path, "rb") as handle:
        for number, line in enumerate(handle, 1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as err:
                return BriefingError(
                    f"not UTF-8 text (byte {offset + err.start:,} is 0x{line[err.start]:02x})",
                    where=Location(path, number, err.start + 1),
                    hint="save the file as UTF-8",
                )
            offset += len(line)
    return BriefingError("not UTF-8 text", where=Location(path), hint="save the file as UTF-8")


# --------------------------------------------------------------------------- YAML


class _LimitError(yaml.MarkedYAMLError):
    """A document refused by the loader's limits, at the node where the limit was crossed."""

    def __init__(self, problem: str, mark: Any, hint: str) -> None:
        super().__init__(problem=problem, problem_mark=mark)
        self.hint = hint


class _BoundedLoader(yaml.SafeLoader):
    """`SafeLoader` whose composer bounds aliases and depth and refuses duplicate keys.

    Everything is checked on the node tree, before a value is constructed.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._parents: list[Node | None] = []
        self._expansion = 0
        self._measured: dict[int, tuple[int, int]] = {}

    def compose_document(self) -> Node | None:
        self._expansion = 0
        self._measured = {}
        return super().compose_document()

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        self._parents.append(parent)
        try:
            if len(self._parents) > MAX_DEPTH:
                raise _LimitError(
                    f"nested more than {MAX_DEPTH} levels deep", event.start_mark, _DEPTH_HINT
                )
            node: Node | None = super().compose_node(parent, index)
            if isinstance(event, yaml.AliasEvent) and node is not None:
                self._check_alias(node, event)
            return node
        finally:
            self._parents.pop()

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        """A value YAML's own constructors cannot build (a date 2026-13-45, an integer of
        5,000 digits) becomes an error at its node instead of a Python exception."""
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as err:
            raise _LimitError(
                f"cannot read the value {shorten(str(node.value))!r}: {shorten(str(err))}",
                node.start_mark,
                "quote it to keep it as text, or write a valid value",
            ) from None

    def compose_mapping_node(self, anchor: Any) -> MappingNode:
        node: MappingNode = super().compose_mapping_node(anchor)
        _refuse_duplicate_keys(node)
        return node

    def _check_alias(self, node: Node, event: yaml.AliasEvent) -> None:
        if any(parent is node for parent in self._parents):
            raise _LimitError(
                f"the alias *{event.anchor} refers to a collection that contains it",
                event.start_mark,
                _ALIAS_HINT,
            )
        size, height = self._measure(node)
        if len(self._parents) + height > MAX_DEPTH:
            raise _LimitError(
                f"the alias *{event.anchor} nests values more than {MAX_DEPTH} levels deep",
                event.start_mark,
                _DEPTH_HINT,
            )
        self._expansion += size
        if self._expansion > MAX_ALIAS_EXPANSION:
            raise _LimitError(
                f"aliases (*{event.anchor} and those before it) would repeat more than "
                f"{MAX_ALIAS_EXPANSION:,} values and characters",
                event.start_mark,
                _ALIAS_HINT,
            )

    def _measure(self, node: Node) -> tuple[int, int]:
        """(nodes plus characters of text, levels) under `node`, aliases counted at every use.

        Memoized: each alias measured its target when it was composed, so the
        recursion stays within the written nesting.
        """
        known = self._measured.get(id(node))
        if known is not None:
            return known
        children: list[Node] = []
        if isinstance(node, SequenceNode):
            children = list(node.value)
        elif isinstance(node, MappingNode):
            children = [part for pair in node.value for part in pair]
        measured = [self._measure(child) for child in children]
        text = len(str(node.value)) if isinstance(node, ScalarNode) else 0
        result = (
            1 + text + sum(size for size, _ in measured),
            1 + max((height for _, height in measured), default=0),
        )
        self._measured[id(node)] = result
        return result


def _refuse_duplicate_keys(node: MappingNode) -> None:
    seen: dict[tuple[str, str], yaml.Mark] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, ScalarNode) or key_node.tag == _MERGE_TAG:
            continue
        key = (key_node.tag, str(key_node.value))
        first = seen.get(key)
        if first is not None:
            raise _LimitError(
                f"the key {shorten(key_node.value)!r} is written twice in one mapping "
                f"(first on line {first.line + 1}); a later one would silently win",
                key_node.start_mark,
                "keep one of the two",
            )
        seen[key] = key_node.start_mark


def shorten(text: Any, limit: int = 60) -> str:
    value = str(text)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _yaml_error(err: yaml.YAMLError, path: Path, text: str) -> BriefingError:
    if isinstance(err, yaml.reader.ReaderError):
        line, column = _position(text, err.position)
        return BriefingError(
            f"not valid YAML: character U+{err.character:04X} is not allowed in YAML",
            where=Location(path, line, column),
            hint="remove the control character, or save the file as plain UTF-8 text",
        )
    if isinstance(err, yaml.MarkedYAMLError) and err.problem_mark is not None:
        mark = err.problem_mark
        if isinstance(err, _LimitError):
            return BriefingError(
                str(err.problem),
                where=Location(path, mark.line + 1, mark.column + 1),
                hint=err.hint,
            )
        return BriefingError(
            f"not valid YAML: {err.problem}",
            where=Location(path, mark.line + 1, mark.column + 1),
            hint=_YAML_HINT,
        )
    return BriefingError(f"not valid YAML: {err}", where=Location(path), hint=_YAML_HINT)


def parse_yaml(text: str, path: Path) -> tuple[yaml.Node | None, Any]:
    """One YAML document: its node tree (marks) and its safe-loaded data."""
    try:
        loader = _BoundedLoader(text)
    except yaml.YAMLError as err:  # the reader refuses control characters at once
        raise _yaml_error(err, path, text) from None
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as err:
        raise _yaml_error(err, path, text) from None
    finally:
        loader.dispose()
    return node, data


def parse_yaml_documents(text: str, path: Path) -> list[tuple[yaml.Node, Any]]:
    """Every document of a YAML stream (`---`), each as (node tree, data)."""
    try:
        loader = _BoundedLoader(text)
    except yaml.YAMLError as err:
        raise _yaml_error(err, path, text) from None
    documents = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is not None:
                documents.append((node, loader.construct_document(node)))
    except yaml.YAMLError as err:
        raise _yaml_error(err, path, text) from None
    finally:
        loader.dispose()
    return documents


def load_yaml(path: Path, limit: int = MAX_INPUT_BYTES) -> tuple[yaml.Node | None, Any]:
    """A YAML file's node tree and data (UTF-8, size-limited, bounded)."""
    return parse_yaml(read_text(path, limit), path)


# --------------------------------------------------------------------------- JSON


class _DuplicateKey(Exception):
    pass


def _pairs_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def parse_json(text: str, path: Path) -> Any:
    """JSON text's data; a syntax error, a repeated key or deep nesting names the line."""
    try:
        data = json.loads(text, object_pairs_hook=_pairs_without_duplicates)
    except json.JSONDecodeError as err:
        raise BriefingError(
            f"not valid JSON: {err.msg}", where=Location(path, err.lineno, err.colno)
        ) from None
    except _DuplicateKey:
        raise _json_duplicate(text, path) from None
    except RecursionError:
        raise BriefingError(
            f"arrays and objects are nested more than {MAX_DEPTH} levels deep",
            where=Location(path),
            hint="this is not an export briefing reads",
        ) from None
    except ValueError as err:  # e.g. an integer of more digits than Python converts
        raise BriefingError(f"not valid JSON here: {err}", where=Location(path)) from None
    if _depth(data) > MAX_DEPTH:
        raise BriefingError(
            f"arrays and objects are nested more than {MAX_DEPTH} levels deep",
            where=Location(path),
            hint="this is not an export briefing reads",
        )
    return data


def _depth(data: Any) -> int:
    """How deeply lists and mappings nest in `data` (without recursion)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            deepest = max(deepest, level)
            if level <= MAX_DEPTH:
                stack.extend((item, level + 1) for item in value)
    return deepest


def load_json(path: Path) -> Any:
    """A JSON file's data; a syntax error names its line and column."""
    return parse_json(read_text(path), path)


def _json_duplicate(text: str, path: Path) -> BriefingError:
    """Find the first key written twice in one object, with both positions (the slow path)."""
    from json import scanner

    decoder = json.JSONDecoder()
    found: list[tuple[str, int, int]] = []

    def parse_object(
        s_and_end: tuple[str, int], strict: bool, scan_once: Any, *rest: Any
    ) -> tuple[dict[str, Any], int]:
        s, end = s_and_end
        keys: dict[str, int] = {}
        result: dict[str, Any] = {}
        end = _skip_space(s, end)
        if s[end : end + 1] == "}":
            return result, end + 1
        while True:
            if s[end : end + 1] != '"':
                raise ValueError("expected a key")
            start = end
            key, end = json.decoder.scanstring(s, end + 1, strict)  # type: ignore[attr-defined]
            if key in keys and not found:
                found.append((key, keys[key], start))
            keys.setdefault(key, start)
            end = _skip_space(s, end)
            end = _skip_space(s, end + 1)  # the ':'
            value, end = scan_once(s, end)
            result[key] = value
            end = _skip_space(s, end)
            if s[end : end + 1] == "}":
                return result, end + 1
            end = _skip_space(s, end + 1)  # the ','

    decoder.parse_object = parse_object  # type: ignore[attr-defined]
    decoder.scan_once = scanner.py_make_scanner(decoder)  # type: ignore[attr-defined]
    with contextlib.suppress(ValueError, RecursionError):
        decoder.decode(text)
    if not found:
        return BriefingError("a key is written twice in one JSON object", where=Location(path))
    key, first, second = found[0]
    line, column = _position(text, second)
    return BriefingError(
        f"the key {shorten(key)!r} is written twice in one object "
        f"(first on line {_position(text, first)[0]}); a later one would silently win",
        where=Location(path, line, column),
        hint="remove the repeated key",
    )


def _skip_space(s: str, end: int) -> int:
    while end < len(s) and s[end] in " \t\n\r":
        end += 1
    return end


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
