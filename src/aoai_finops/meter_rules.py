"""Classify Azure meters with the project's rule seeds, exactly as dbt's int_ai_meters_classified does.

The rules are data (seeds/ai_meter_patterns.csv and friends, docs/meter-intelligence.md). dbt applies them in SQL;
this module applies the same seeds in Python for tools that run outside dbt (scripts/refresh_price_catalog.py).
The patterns are written in the regex syntax RE2, java.util.regex and Python's `re` share, so all three agree;
tests/python/test_meter_rules.py checks this module against the dbt corpus fixture.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from aoai_finops.errors import AoaiFinopsError

MATCH_ON = ("meter_name", "meter_category", "meter_subcategory", "unit_of_measure", "resource_type")
OVERRIDE_ATTRIBUTES = (
    "model_id",
    "model_version",
    "modality",
    "token_modality",
    "charge_kind",
    "consumed_unit",
    "deployment_type",
    "token_direction",
    "cache_action",
    "is_batch",
    "is_priority",
    "long_context_tier",
)
# An override is a full classification: these come from the model catalog, never from the rules.
OVERRIDE_NULLS = ("model_family", "model_developer", "model_version_code")
_GROUP = re.compile(r"\{([123])\}")


class MeterRulesError(AoaiFinopsError):
    """A rule seed that cannot be read."""


@dataclass(frozen=True)
class Pattern:
    pattern_id: str
    attribute: str
    match_on: str
    priority: int
    regex: re.Pattern[str]
    value: str


@dataclass(frozen=True)
class Meter:
    """The columns of int_cost_meters a classification reads."""

    meter_name: str | None
    meter_category: str | None = None
    meter_subcategory: str | None = None
    unit_of_measure: str | None = None
    resource_type: str | None = None


@dataclass(frozen=True)
class MeterClassification:
    """The classification columns of int_ai_meters_classified."""

    is_ai_meter: bool
    model_family: str | None = None
    model_id: str | None = None
    model_version: str | None = None
    model_version_code: str | None = None
    model_developer: str | None = None
    modality: str | None = None
    charge_kind: str | None = None
    token_direction: str | None = None
    cache_action: str | None = None
    token_type: str | None = None
    token_modality: str | None = None
    deployment_type: str | None = None
    is_batch: bool | None = None
    is_priority: bool | None = None
    long_context_tier: str | None = None
    unit_block_size: int | None = None
    consumed_unit: str | None = None
    classification_source: str | None = None
    is_fully_classified: bool = False


def _read_csv(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))
    except OSError as error:
        raise MeterRulesError(
            f"{path}: cannot read the rule seed ({error}); pass the repository's seeds folder"
        ) from error


def _blank_to_none(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def _lower_trim(value: str | None) -> str | None:
    return value.strip().lower() if value is not None else None


@dataclass(frozen=True)
class MeterRules:
    patterns: tuple[Pattern, ...]
    overrides: Mapping[str, Mapping[str, str]]
    model_catalog: Mapping[str, Mapping[str, str]]
    model_versions: Mapping[tuple[str, str], str]
    pricing_units: Mapping[str, int]
    charge_kinds: Mapping[str, Mapping[str, bool]]

    @classmethod
    def from_seeds(cls, seeds_dir: Path) -> MeterRules:
        patterns = []
        for line, row in enumerate(_read_csv(seeds_dir / "ai_meter_patterns.csv"), start=2):
            try:
                regex = re.compile(row["pattern"])
                priority = int(row["priority"])
            except (re.error, ValueError, KeyError) as error:
                raise MeterRulesError(
                    f"{seeds_dir / 'ai_meter_patterns.csv'} line {line}: unusable rule ({error}); fix the row"
                ) from error
            if row["match_on"] not in MATCH_ON:
                raise MeterRulesError(f"ai_meter_patterns.csv line {line}: match_on must be one of {MATCH_ON}")
            patterns.append(
                Pattern(row["pattern_id"], row["attribute"], row["match_on"], priority, regex, row["value"])
            )
        overrides = {_lower_trim(row["meter_name"]): row for row in _read_csv(seeds_dir / "ai_meter_overrides.csv")}
        catalog = {row["model_id"]: row for row in _read_csv(seeds_dir / "ai_model_catalog.csv")}
        versions = {
            (row["model_id"], row["version_code"]): row["model_version"]
            for row in _read_csv(seeds_dir / "ai_model_versions.csv")
        }
        units = {
            _lower_trim(row["unit_of_measure"]): int(row["pricing_block_size"])
            for row in _read_csv(seeds_dir / "ai_pricing_units.csv")
        }
        charge_kinds = {
            row["charge_kind"]: {key: row[key] == "true" for key in row if key.startswith(("is_", "requires_"))}
            for row in _read_csv(seeds_dir / "ai_charge_kinds.csv")
        }
        return cls(tuple(patterns), overrides, catalog, versions, units, charge_kinds)

    def _winners(self, meter: Meter) -> tuple[dict[str, str | None], bool]:
        """Best value per attribute: the matching pattern with the lowest (priority, pattern_id); an override wins."""
        best: dict[str, tuple[int, str, str | None]] = {}
        for pattern in self.patterns:
            text = getattr(meter, pattern.match_on)
            if text is None:
                continue
            match = pattern.regex.search(text)
            if match is None:
                continue
            groups = [(match.group(i) or "").lower() if i <= pattern.regex.groups else "" for i in (1, 2, 3)]
            value = _GROUP.sub(lambda m, groups=groups: groups[int(m.group(1)) - 1], pattern.value)
            rank = (pattern.priority, pattern.pattern_id)
            if pattern.attribute not in best or rank < best[pattern.attribute][:2]:
                best[pattern.attribute] = (*rank, value)
        winners = {attribute: value for attribute, (_, _, value) in best.items()}
        override = self.overrides.get(_lower_trim(meter.meter_name) or "")
        if override is not None:
            winners["is_ai_meter"] = "true"
            for attribute in OVERRIDE_ATTRIBUTES:
                winners[attribute] = _blank_to_none(override.get(attribute))
            for attribute in OVERRIDE_NULLS:
                winners[attribute] = None
        return winners, override is not None

    def classify(self, meter: Meter) -> MeterClassification:
        winners, has_override = self._winners(meter)
        if winners.get("is_ai_meter") != "true":
            return MeterClassification(is_ai_meter=False)

        model_id = winners.get("model_id")
        catalog = self.model_catalog.get(model_id or "", {})
        kind = self.charge_kinds.get(winners.get("charge_kind") or "")
        is_token = kind["is_token_charge"] if kind else None

        def model_attribute(name: str, catalog_column: str | None = None) -> str | None:
            if model_id is None:
                return None
            return (catalog.get(catalog_column) if catalog_column else None) or winners.get(name)

        def token_attribute(name: str) -> str | None:
            return winners.get(name) if is_token else None

        version_code = model_attribute("model_version_code")
        model_version = None
        if model_id is not None:
            model_version = winners.get("model_version") or self.model_versions.get((model_id, version_code or ""))
        direction, cache_action = token_attribute("token_direction"), token_attribute("cache_action")
        token_type = None
        if direction == "output":
            token_type = "output"
        elif direction == "input":
            token_type = {"read": "cached_input", "write": "cache_write_input", "uncached": "input"}.get(
                cache_action or ""
            )
        unit_of_measure = _lower_trim(meter.unit_of_measure)
        result = MeterClassification(
            is_ai_meter=True,
            model_family=model_attribute("model_family", "model_family"),
            model_id=model_id,
            model_version=model_version,
            model_version_code=version_code,
            model_developer=model_attribute("model_developer", "model_developer"),
            modality=model_attribute("modality", "modality"),
            charge_kind=winners.get("charge_kind"),
            token_direction=direction,
            cache_action=cache_action,
            token_type=token_type,
            token_modality=token_attribute("token_modality"),
            deployment_type=winners.get("deployment_type"),
            is_batch=winners["is_batch"] == "true" if winners.get("is_batch") is not None else None,
            is_priority=winners["is_priority"] == "true" if winners.get("is_priority") is not None else None,
            long_context_tier=token_attribute("long_context_tier"),
            unit_block_size=self.pricing_units.get(unit_of_measure) if unit_of_measure is not None else None,
            consumed_unit=winners.get("consumed_unit"),
        )
        complete = _is_fully_classified(result, kind)
        source = "override" if has_override else ("rules" if complete else "unclassified")
        return replace(result, classification_source=source, is_fully_classified=complete)


def _is_fully_classified(c: MeterClassification, kind: Mapping[str, bool] | None) -> bool:
    if kind is None or c.consumed_unit is None or c.unit_block_size is None:
        return False
    if c.is_batch is None or c.is_priority is None:
        return False
    if kind["requires_deployment_type"] and c.deployment_type is None:
        return False
    if kind["requires_model"] and None in (c.model_id, c.model_family, c.model_developer, c.modality):
        return False
    return not (
        kind["is_token_charge"] and None in (c.token_direction, c.cache_action, c.token_modality, c.long_context_tier)
    )
