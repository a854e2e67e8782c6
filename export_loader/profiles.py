"""Export profiles: one YAML file per CRM or MA (export_profiles/*.yml) saying how each of its export
files maps onto our raw tables. Adding a CRM means writing one such file; a wrong one is refused by
the schema below with the file, the place and what is expected.

    source: hubspot
    description: HubSpot CRM exports
    exports:
      - name: hubspot_contacts              # unique over all profiles
        target: crm_leads                   # a raw table (export_loader/raw_exports.py)
        file_pattern: "hubspot-contacts*.csv"   # glob in the landing folder (case-insensitive)
        format: csv                         # csv, tsv, xlsx, parquet (default: from the file suffix)
        encoding: auto                      # auto (detected), utf-8(-sig), cp932, shift_jis, euc_jp, utf-16
        delimiter: ","                      # csv only; tsv is tab
        header_row: 1                       # the row holding the headers (1 = first)
        columns:                            # raw column: export header, or several (first found wins)
          lead_id: [Record ID, レコードID]
        constants: {lead_source: HubSpot}   # raw column: a fixed value
        values:                             # raw column: {export value: our value}
          status: {marketingqualifiedlead: MQL}
        first_of_list: {lead_id: ";"}       # raw column: keep the first of several ids
        null_values: ["", "-", "N/A", "なし"]   # values that mean "empty"
        timestamp_formats: ["%Y-%m-%d %H:%M"]   # parse timestamps with these, then write them in
        utc_offset_hours: 9                 # Japan time; the offset of the export's clock
        custom_attributes: {interested_product: [Interested Product, 関心製品]}
        known: {lead_quality: after_contact}   # when a column is filled: at_creation, before_decision
                                            # (the default) or after_contact (never used by the model)
        stack:                              # one output row per listed column that is filled
          into: [status, changed_date]      # (name -> first, the column's value -> second)
          from: {MQL: [Became a Marketing Qualified Lead Date]}
        rows_where: {activity_type: ["1", "2"]}  # keep rows whose export value is one of these
        salted_keys: {lead_id: [Email]}     # no id column: the key is a salted hash of this one
        date_fallback: [created_date]       # no such column in the file: the export's date stands in
        optional: true                      # a file without this export's required columns skips it

``columns: snake_case`` maps every header to its snake_case name (our generated exports).
"""

from fnmatch import fnmatch
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from export_loader.raw_exports import RAW_EXPORTS_BY_TABLE
from warehouse_core.yaml_files import read_yaml

Headers = str | list[str]
ENCODINGS = ("auto", "utf-8", "utf-8-sig", "cp932", "shift_jis", "euc_jp", "utf-16")
# When a column is filled, relative to the lead's decision moment (first handoff, or some days after
# creation): at_creation and before_decision may be used to predict; after_contact (a grade or tag
# sales sets after talking to the lead) never is.
KNOWN_AT = ("at_creation", "before_decision", "after_contact")


class ProfileError(Exception):
    """A profile file is unreadable or does not follow the schema; the message says where and why."""


class Stack(BaseModel):
    model_config = ConfigDict(extra="forbid")
    into: tuple[str, str]
    from_: dict[str, Headers] = Field(alias="from", min_length=1)


class ExportSpec(BaseModel):
    """How one export file maps onto one raw table."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9_]+$")
    target: str
    file_pattern: str
    format: Literal["csv", "tsv", "xlsx", "parquet"] | None = None
    encoding: Literal[ENCODINGS] = "auto"
    delimiter: str | None = Field(default=None, min_length=1, max_length=1)
    header_row: int = Field(default=1, ge=1)
    sheet: str | None = None
    columns: Literal["snake_case"] | dict[str, Headers]
    constants: dict[str, str] = {}
    values: dict[str, dict[str, str]] = {}
    first_of_list: dict[str, str] = {}
    null_values: list[str] = [""]
    timestamp_formats: list[str] | None = None
    utc_offset_hours: float = Field(default=9, ge=-12, le=14)
    custom_attributes: dict[str, Headers] = {}
    known: dict[str, Literal[KNOWN_AT]] = {}
    stack: Stack | None = None
    rows_where: dict[str, list[str]] = {}
    # A personal column never becomes a key: a list without ids gets "P" + a salted hash of it.
    salted_keys: dict[str, Headers] = {}
    # Date columns a file may lack: the export's date (from its name, else its modification day in
    # Japan) stands in, and the load says so. Time-based analyses then count from that date.
    date_fallback: list[str] = []
    # An export a file may not have (a lead list without an outcome column): skipped with a note.
    optional: bool = False

    @field_validator("target")
    @classmethod
    def _known_target(cls, target: str) -> str:
        if target not in RAW_EXPORTS_BY_TABLE:
            raise ValueError(f"unknown target {target!r}; use one of {', '.join(RAW_EXPORTS_BY_TABLE)}")
        return target

    @model_validator(mode="after")
    def _columns_exist_and_required_are_mapped(self) -> "ExportSpec":
        known = set(RAW_EXPORTS_BY_TABLE[self.target].column_names)
        if isinstance(self.columns, dict):
            mapped = (
                set(self.columns)
                | set(self.constants)
                | set(self.salted_keys)
                | set(self.date_fallback)
                | (set(self.stack.into) if self.stack else set())
            )
            unknown = sorted(
                (mapped | set(self.values) | set(self.first_of_list) | set(self.rows_where)) - known
            )
            if unknown:
                raise ValueError(
                    f"not column(s) of raw.{self.target}: {', '.join(unknown)} (columns: "
                    f"{', '.join(sorted(known))}); extra columns go in custom_attributes"
                )
            missing = [c for c in RAW_EXPORTS_BY_TABLE[self.target].required_columns if c not in mapped]
            if missing:
                raise ValueError(f"required column(s) of raw.{self.target} not mapped: {', '.join(missing)}")
        unmapped_timing = sorted(set(self.known) - set(self.custom_attributes))
        if unmapped_timing:
            raise ValueError(
                f"known: {', '.join(unmapped_timing)} not among this export's custom_attributes "
                "(built-in columns are known before the decision)"
            )
        clashes = sorted(set(self.custom_attributes) & known)
        if clashes:
            raise ValueError(
                f"custom attribute(s) {', '.join(clashes)} clash with columns of raw.{self.target}"
            )
        return self

    def matches(self, path: Path) -> bool:
        return fnmatch(path.name.lower(), self.file_pattern.lower())

    def file_format(self, path: Path) -> str:
        if self.format:
            return self.format
        suffix = path.suffix.lower().lstrip(".")
        return {"txt": "tsv"}.get(suffix, suffix)


class Profile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    source: str
    description: str = ""
    exports: list[ExportSpec] = Field(min_length=1)


def _describe(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in issue['loc']) or '(top level)'}: {issue['msg']}"
        for issue in error.errors()
    )


def load_profile(path: Path) -> Profile:
    try:
        document = read_yaml(path)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ProfileError(f"Cannot read export profile {path}: {error}") from error
    try:
        return Profile.model_validate(document)
    except ValidationError as error:
        raise ProfileError(
            f"Export profile {path} does not follow the profile schema: {_describe(error)}. "
            "See export_loader/profiles.py for the schema and export_profiles/ for examples."
        ) from error


def load_profiles(directory: Path) -> list[ExportSpec]:
    """Every export spec of every profile in ``directory``; names must be unique."""
    specs: list[ExportSpec] = []
    for path in sorted(directory.glob("*.yml")) + sorted(directory.glob("*.yaml")):
        specs.extend(load_profile(path).exports)
    names = [spec.name for spec in specs]
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        raise ProfileError(
            f"Export names used twice in {directory}: {', '.join(duplicated)}; make them unique."
        )
    if not specs:
        raise ProfileError(f"No export profiles (*.yml) in {directory}.")
    return specs
