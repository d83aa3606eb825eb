"""Config stage: the `sources:` section, each entry checked against its format's declaration.

The formats, their options and which options name input files are declared
once in `briefing.formats`; this module only applies those declarations.
"""

from __future__ import annotations

from typing import Any

from briefing.config.fields import ENV_NAME, FieldChecker, kind_of, shorten
from briefing.config.values import SourceEntry, Sources
from briefing.config.warehouse import check_database_url, check_duckdb_path
from briefing.formats import (
    KINDS,
    MAPPED_FIELDS,
    find_format,
    format_from_extension,
    formats_of,
)


class SourceChecks(FieldChecker):
    """The checks of `sources:` (mixed into the config checker)."""

    def sources(self, value: Any) -> Sources:
        data = self.mapping(value, "sources")
        self.keys(data, set(KINDS), "sources")
        lists: dict[str, tuple[SourceEntry, ...]] = {}
        for kind in KINDS:
            raw = data.get(kind)
            if raw is None:
                lists[kind] = ()
                continue
            if not isinstance(raw, list):
                self.problem(f"sources.{kind}", f"expected a list of entries, got {kind_of(raw)}")
                lists[kind] = ()
                continue
            entries = []
            for index, item in enumerate(raw):
                entry = self.source_entry(kind, item, f"sources.{kind}[{index}]")
                if entry is not None:
                    entries.append(entry)
            lists[kind] = tuple(entries)
        return Sources(**lists)

    def source_entry(self, kind: str, raw: Any, keypath: str) -> SourceEntry | None:
        """One entry, checked against its format's declaration in `briefing.formats`."""
        if isinstance(raw, str):
            raw = {"path": raw}
        item = self.mapping(raw, keypath)
        if not item:
            return None
        names = ", ".join(f.name for f in formats_of(kind))
        fmt = self.string(item.get("format"), f"{keypath}.format")
        if fmt is None:
            path_text = item.get("path")
            fmt = format_from_extension(kind, path_text if isinstance(path_text, str) else None)
            if fmt is None:
                self.problem(
                    keypath,
                    f"cannot tell the format of {path_text!r}; add format: (one of {names})",
                )
                return None
        declared = find_format(kind, fmt)
        if declared is None:
            self.problem(f"{keypath}.format", f"unknown format {fmt!r}; expected one of {names}")
            return None
        self.keys(item, {"format", *declared.option_names}, keypath)
        given = [name for name in declared.one_of if item.get(name) is not None]
        if declared.one_of and len(given) != 1:
            either = " or ".join(f"{name}:" for name in declared.one_of)
            self.problem(keypath, f"a {fmt} source needs exactly one of {either}")
        options: dict[str, Any] = {}
        for option in declared.options:
            value = item.get(option.name)
            if value is None:
                if option.required:
                    self.problem(f"{keypath}.{option.name}", "is required")
                continue
            checked = self.option(option.check, value, f"{keypath}.{option.name}")
            if checked is not None:
                options[option.name] = checked
        if any(item.get(o.name) is not None and o.name not in options for o in declared.options):
            return None
        self.mapped_fields(kind, options.get("mapping"), f"{keypath}.mapping")
        path = options.pop("path", None)
        return SourceEntry(
            kind=kind, format=fmt, path=path, options=options, location=self.where(keypath)
        )

    def mapped_fields(self, kind: str, mapping: dict[str, str] | None, keypath: str) -> None:
        """A `mapping:` names our fields (ours: theirs); an unknown one would be ignored."""
        ours = MAPPED_FIELDS.get(kind, ())
        for name in mapping or {}:
            if name not in ours:
                self.problem(
                    f"{keypath}.{name}",
                    f"unknown field; a mapping gives, for each of our fields "
                    f"({', '.join(ours)}), the name of your column: {{ours: yours}}",
                )

    def option(self, check: str, value: Any, keypath: str) -> Any:
        """The checked value of one source option (see `briefing.formats.CHECKS`), or None."""
        if check == "file":
            return self.existing_file(value, keypath)
        if check == "files":
            return check_duckdb_path(self, value, keypath)
        if check == "database":
            return check_database_url(self, value, keypath)
        if check == "timezone":
            return self.timezone(value, keypath)
        if check == "timestamp_format":
            return self.timestamp_format(value, keypath)
        if check == "names":
            names = self.string_list(value, keypath)
            return list(names) if names else None
        if check == "mapping":
            if not isinstance(value, dict) or not all(
                isinstance(v, str | int | float) and not isinstance(v, bool) for v in value.values()
            ):
                self.problem(keypath, f"expected a mapping of names, got {kind_of(value)}")
                return None
            return {str(k): str(v) for k, v in value.items()}
        if check == "bool":
            if not isinstance(value, bool):
                self.problem(keypath, f"expected true or false, got {kind_of(value)}")
                return None
            return value
        if check == "seconds":
            return self.number(value, keypath, low=0, low_open=True, high=3600)
        if check == "count":
            count = self.number(value, keypath, low=0, high=20, whole=True)
            return None if count is None else int(count)
        text = self.string(value, keypath, required=check in ("query", "url"))
        if not text:
            return None
        if check == "env" and not ENV_NAME.match(text):
            self.problem(keypath, "expected the NAME of an environment variable")
            return None
        if check == "url" and not text.startswith(("http://", "https://")):
            self.problem(keypath, f"expected an http:// or https:// address, got {shorten(text)!r}")
            return None
        return text
