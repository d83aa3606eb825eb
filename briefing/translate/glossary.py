"""Translate stage: the shared lexicon (load, validate, look up).

The default lexicon is the packaged `briefing/glossary.yaml`; a workspace layers
its own files on top (`glossary:` in briefing.yaml): an entry with the same term
replaces the default one, a new term extends the lexicon. Every problem is
reported with file, line and column (YAML marks) and the entry's term, then
`load_glossary` fails once with a `ConfigError`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from briefing.errors import BriefingError, ConfigError, Location
from briefing.textfiles import parse_yaml

MAX_FILE_BYTES = 2_000_000
MAX_NAME_CHARS = 60
MAX_WORDS = {"definition": 40, "say_instead": 8, "metaphor": 60, "why_it_matters": 60}
TEXT_FIELDS = ("definition", "say_instead", "metaphor", "why_it_matters")
FIELDS = ("term", "aliases", *TEXT_FIELDS, "related", "jargon")
_HINT = "fix the entry, or see `briefing glossary --help` for the format"


@dataclass(frozen=True, slots=True)
class Entry:
    """One idea of the shared lexicon, explained for a business reader."""

    term: str
    aliases: tuple[str, ...]
    definition: str
    say_instead: str
    metaphor: str
    why_it_matters: str
    related: tuple[str, ...]
    jargon: bool

    @property
    def names(self) -> tuple[str, ...]:
        """The term and its aliases, in file order."""
        return (self.term, *self.aliases)


def normalize_term(word: str) -> str:
    """Case- and punctuation-insensitive key: `On-Call`, `on call`, `oncall` are one."""
    return "".join(ch for ch in word.casefold() if ch.isalnum())


def _variants(key: str) -> Iterator[str]:
    """The key, then singular and plural forms (`SLOs` finds `SLO`, `metric` finds `metrics`)."""
    yield key
    if key.endswith("ies") and len(key) > 4:
        yield key[:-3] + "y"
    if key.endswith("es") and len(key) > 3:
        yield key[:-2]
    if key.endswith("s") and len(key) > 2:
        yield key[:-1]
    yield key + "s"


class Glossary:
    """The merged lexicon: entries in file order, looked up by term or alias."""

    __slots__ = ("_index", "cache", "entries", "sources")

    def __init__(self, entries: Iterable[Entry], sources: Sequence[Path] = ()) -> None:
        self.entries: tuple[Entry, ...] = tuple(entries)
        self.sources: tuple[Path, ...] = tuple(sources)
        self._index: dict[str, Entry] = {}
        for entry in self.entries:
            for name in entry.names:
                self._index.setdefault(normalize_term(name), entry)
        self.cache: dict[str, Any] = {}  # derived data of other modules (lint patterns)

    def lookup(self, word: str) -> Entry | None:
        """The entry whose term or alias is `word`, ignoring case and punctuation."""
        key = normalize_term(word)
        if not key:
            return None
        for variant in _variants(key):
            if variant in self._index:
                return self._index[variant]
        return None

    def suggest(self, word: str, n: int = 3) -> list[str]:
        """Up to `n` terms that look like `word`, best first (for "did you mean")."""
        key = normalize_term(word)
        if not key or len(key) > 4 * MAX_NAME_CHARS:  # no term is that long; keep this linear
            return []
        scored: dict[str, float] = {}
        for entry in self.entries:
            for name in entry.names:
                name_key = normalize_term(name)
                whole = difflib.SequenceMatcher(None, key, name_key).ratio()
                parts = [normalize_term(p) for p in name.split()]
                best = max(difflib.SequenceMatcher(None, key, p).ratio() for p in parts if p)
                if len(key) >= 3 and (key in name_key or name_key in key):
                    best = 1.0
                score = max(whole, best - 0.05) + 0.1 * whole  # closer whole names first
                if score >= 0.7:
                    scored[entry.term] = max(scored.get(entry.term, 0.0), score)
        ranked = sorted(scored.items(), key=lambda item: (-item[1], item[0].casefold()))
        return [term for term, _ in ranked[:n]]

    def __getitem__(self, word: str) -> Entry:
        entry = self.lookup(word)
        if entry is None:
            raise KeyError(word)
        return entry

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.lookup(word) is not None

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


def default_glossary_path() -> Path:
    """The packaged default lexicon, `briefing/glossary.yaml`."""
    return Path(__file__).resolve().parent.parent / "glossary.yaml"


def load_glossary(extra: Sequence[Path] = ()) -> Glossary:
    """The default lexicon with the workspace files `extra` layered on top, in order.

    Raises `ConfigError` listing every problem (file:line:column, entry, what).
    """
    items, problems = _merge([default_glossary_path(), *extra])
    if problems:
        raise ConfigError(problems, hint=_HINT)
    glossary = Glossary((i.entry for i in items), sources=[default_glossary_path(), *extra])
    problems = _check_say_instead(glossary, items)
    if problems:
        raise ConfigError(problems, hint=_HINT)
    return glossary


def validate_glossary_files(
    paths: Sequence[Path], *, include_default: bool = True
) -> list[tuple[Location, str]]:
    """Every problem of `paths` layered on the default lexicon; empty when all is well."""
    default = default_glossary_path()
    files = [default] if include_default else []
    files += [p for p in paths if not (include_default and _same_file(p, default))]
    items, problems = _merge(files)
    if not problems:
        problems = _check_say_instead(Glossary(i.entry for i in items), items)
    return problems


# --------------------------------------------------------------------------- reading


@dataclass(slots=True)
class _Parsed:
    """An entry as read, with where each of its fields is."""

    entry: Entry
    where: Location
    marks: dict[str, Location] = field(default_factory=dict)
    alias_marks: tuple[Location, ...] = ()
    related_marks: tuple[Location, ...] = ()


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _loc(path: Path, node: yaml.Node) -> Location:
    return Location(path, node.start_mark.line + 1, node.start_mark.column + 1)


def _read(path: Path) -> tuple[list[_Parsed], list[tuple[Location, str]]]:
    """Parse one glossary file into entries and the problems found in it."""
    if not path.is_file():
        return [], [(Location(path), "glossary file not found")]
    if path.stat().st_size > MAX_FILE_BYTES:
        return [], [(Location(path), f"glossary file is larger than {MAX_FILE_BYTES:,} bytes")]
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        return [], [(Location(path), f"not UTF-8 text (byte {err.start}); save it as UTF-8")]
    try:
        node, data = parse_yaml(text, path)
    except BriefingError as err:
        return [], [(err.where or Location(path), err.message)]
    if node is None:
        return [], [
            (Location(path, 1), "the file is empty; expected `terms:` with a list of entries")
        ]
    items_node: yaml.Node = node
    items: Any = data
    if isinstance(node, yaml.MappingNode) and isinstance(data, dict):
        unknown = [
            (_loc(path, k), f"unknown key {k.value!r}; expected `terms:`")
            for k, _ in node.value
            if k.value != "terms"
        ]
        if unknown:
            return [], unknown
        pair = next(((k, v) for k, v in node.value if k.value == "terms"), None)
        if pair is None:
            return [], [(_loc(path, node), "missing `terms:` (a list of entries)")]
        items_node, items = pair[1], data["terms"]
    if not isinstance(items_node, yaml.SequenceNode) or not isinstance(items, list):
        return [], [(_loc(path, items_node), "expected a list of entries under `terms:`")]
    parsed: list[_Parsed] = []
    problems: list[tuple[Location, str]] = []
    for item_node, item in zip(items_node.value, items, strict=True):
        result = _entry(path, item_node, item, problems)
        if result is not None:
            parsed.append(result)
    return parsed, problems


def _entry(
    path: Path, node: yaml.Node, data: Any, problems: list[tuple[Location, str]]
) -> _Parsed | None:
    where = _loc(path, node)
    if not isinstance(node, yaml.MappingNode) or not isinstance(data, dict):
        problems.append((where, "each entry must be a mapping with `term:`, `definition:` ..."))
        return None
    values = {str(k.value): v for k, v in node.value}
    marks = {str(k.value): _loc(path, k) for k, _ in node.value}
    raw_term = data.get("term")
    label = (
        f"entry {raw_term.strip()!r}" if isinstance(raw_term, str) and raw_term.strip() else "entry"
    )
    count = len(problems)

    def problem(key: str | None, message: str) -> None:
        problems.append((marks.get(key, where) if key else where, f"{label}: {message}"))

    for key in data:
        if key not in FIELDS:
            close = difflib.get_close_matches(str(key), FIELDS, n=1)
            problem(
                str(key),
                f"unknown field {key!r}" + (f"; did you mean {close[0]!r}?" if close else ""),
            )
    texts: dict[str, str] = {}
    for key in ("term", *TEXT_FIELDS):
        value = data.get(key)
        if key not in data:
            problem(None, f"missing `{key}`")
        elif not isinstance(value, str) or not value.strip():
            problem(
                key,
                f"`{key}` is empty"
                if value in (None, "") or isinstance(value, str)
                else f"`{key}` must be text",
            )
        else:
            texts[key] = " ".join(value.split())
            limit = MAX_WORDS.get(key)
            if limit is not None and len(texts[key].split()) > limit:
                problem(
                    key, f"`{key}` has {len(texts[key].split())} words; keep it to at most {limit}"
                )
            if key == "term" and len(texts[key]) > MAX_NAME_CHARS:
                problem(key, f"`term` is longer than {MAX_NAME_CHARS} characters")
    lists: dict[str, tuple[str, ...]] = {}
    list_marks: dict[str, tuple[Location, ...]] = {}
    for key in ("aliases", "related"):
        value = data.get(key, [])
        value_node = values.get(key)
        if value is None:
            value = []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            problem(key, f"`{key}` must be a list of non-empty names")
            continue
        lists[key] = tuple(" ".join(v.split()) for v in value)
        if isinstance(value_node, yaml.SequenceNode):
            list_marks[key] = tuple(_loc(path, n) for n in value_node.value)
        too_long = [v for v in lists[key] if len(v) > MAX_NAME_CHARS]
        if too_long:
            problem(key, f"{too_long[0]!r} in `{key}` is longer than {MAX_NAME_CHARS} characters")
    jargon = data.get("jargon")
    if "jargon" not in data:
        problem(None, "missing `jargon` (true or false)")
    elif not isinstance(jargon, bool):
        problem("jargon", "`jargon` must be true or false")
    if len(problems) > count:
        return None
    entry = Entry(
        term=texts["term"],
        aliases=lists["aliases"],
        definition=texts["definition"],
        say_instead=texts["say_instead"],
        metaphor=texts["metaphor"],
        why_it_matters=texts["why_it_matters"],
        related=lists["related"],
        jargon=bool(jargon),
    )
    return _Parsed(
        entry,
        where,
        marks,
        alias_marks=list_marks.get("aliases", ()),
        related_marks=list_marks.get("related", ()),
    )


# --------------------------------------------------------------------------- merging


def _merge(paths: Sequence[Path]) -> tuple[list[_Parsed], list[tuple[Location, str]]]:
    """Layer the files in order; check names across entries and `related` links."""
    merged: dict[str, _Parsed] = {}
    problems: list[tuple[Location, str]] = []
    for path in paths:
        parsed, file_problems = _read(path)
        problems += file_problems
        seen_here: dict[str, _Parsed] = {}
        for item in parsed:
            key = normalize_term(item.entry.term)
            if key in seen_here:
                first = seen_here[key]
                problems.append(
                    (
                        item.marks.get("term", item.where),
                        f"entry {item.entry.term!r}: duplicate term; {first.entry.term!r} is "
                        f"already defined at line {first.where.line}",
                    )
                )
                continue
            seen_here[key] = item
            merged[key] = item  # a later file replaces an earlier entry of the same term
    owners: dict[str, _Parsed] = {}
    for item in merged.values():
        entry = item.entry
        for index, name in enumerate(entry.names):
            key = normalize_term(name)
            where = (
                item.marks.get("term", item.where)
                if index == 0
                else _at(item.alias_marks, index - 1, item)
            )
            if not key:
                problems.append((where, f"entry {entry.term!r}: {name!r} has no letters or digits"))
                continue
            owner = owners.get(key)
            if owner is None:
                owners[key] = item
            elif owner is item:
                if " ".join(name.casefold().split()) not in {
                    " ".join(n.casefold().split()) for n in entry.names[:index]
                }:
                    continue  # a spelling of the same name (on-call, oncall): lint needs it
                problems.append(
                    (
                        where,
                        f"entry {entry.term!r}: alias {name!r} repeats a name of the same entry",
                    )
                )
            else:
                kind = "term" if index == 0 else "alias"
                problems.append(
                    (
                        where,
                        f"entry {entry.term!r}: duplicate {kind} {name!r}; it already names "
                        f"{owner.entry.term!r} ({owner.where})",
                    )
                )
    for item in merged.values():
        for index, name in enumerate(item.entry.related):
            target = owners.get(normalize_term(name))
            if target is None:
                hint = difflib.get_close_matches(name, [i.entry.term for i in merged.values()], n=1)
                problems.append(
                    (
                        _at(item.related_marks, index, item),
                        f"entry {item.entry.term!r}: related term {name!r} does not exist"
                        + (f"; did you mean {hint[0]!r}?" if hint else ""),
                    )
                )
            elif target is item:
                problems.append(
                    (
                        _at(item.related_marks, index, item),
                        f"entry {item.entry.term!r}: related to itself",
                    )
                )
    return list(merged.values()), problems


def _at(marks: tuple[Location, ...], index: int, item: _Parsed) -> Location:
    return marks[index] if index < len(marks) else item.where


def _check_say_instead(glossary: Glossary, items: Sequence[_Parsed]) -> list[tuple[Location, str]]:
    """A `say_instead` phrase is printed as is, so it must hold no jargon itself."""
    from briefing.translate.lint import find_jargon  # lint builds on this module

    problems: list[tuple[Location, str]] = []
    for item in items:
        for finding in find_jargon(item.entry.say_instead, glossary):
            what = "jargon" if finding.kind == "bare_jargon" else "a technical word with no entry"
            problems.append(
                (
                    item.marks.get("say_instead", item.where),
                    f"entry {item.entry.term!r}: say_instead {item.entry.say_instead!r} "
                    f"uses {finding.word!r}, which is {what}; the briefing prints it as is",
                )
            )
    return problems
