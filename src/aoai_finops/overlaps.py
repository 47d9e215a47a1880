"""Export scopes that overlap: the same costs exported twice (a billing-account export and a subscription export).

Each export scope is its own lake partition, so two exports holding the same subscriptions would be added
together in the marts. The decision (docs/loading.md, "Overlapping export scopes"): for a table and billing month,
**the broader scope wins**. A partition whose subscriptions (SubAccountId) are all in another partition's, and
that is narrower (fewer subscriptions, or the same ones at a lower scope level: billing scopes above a
subscription above a resource group), is retired from the lake, and later runs of it for that month are not
loaded. Scopes that share only some subscriptions cannot be resolved without dropping costs: both stay, with a
warning each load and the dbt warn test `assert_no_overlapping_export_scopes`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class ScopeCosts:
    """A partition's export scope and the sub-accounts (subscriptions) its rows carry, lower-cased."""

    export_scope: str
    sub_accounts: frozenset[str]
    run_id: str = ""


@dataclass(frozen=True)
class Overlaps:
    covered: dict[str, str]  # partition key -> the key of a broader partition that holds all its costs
    partial: list[tuple[str, str, frozenset[str]]]  # two partition keys and the sub-accounts they share


def scope_level(export_scope: str) -> int:
    """1 for billing scopes (billing account, profile, department, management group), 2 subscription, 3 group."""
    parts = export_scope.lower().strip("/").split("/")
    if parts[0] != "subscriptions":
        return 1
    return 3 if "resourcegroups" in parts else 2


def find_overlaps(partitions: Mapping[str, ScopeCosts]) -> Overlaps:
    """Which partitions of one table and month are covered by a broader one, and which overlap in part."""
    covered: dict[str, str] = {}
    partial: list[tuple[str, str, frozenset[str]]] = []
    keys = sorted(partitions)
    for index, key in enumerate(keys):
        for other in keys[index + 1 :]:
            mine, theirs = partitions[key], partitions[other]
            shared = mine.sub_accounts & theirs.sub_accounts
            if not shared:
                continue
            if _broader(theirs, mine):
                covered.setdefault(key, other)
            elif _broader(mine, theirs):
                covered.setdefault(other, key)
            else:
                partial.append((key, other, shared))
    # A partition covered by one that is itself covered is still covered: point at the broadest.
    for key, by in covered.items():
        seen = {key}
        while by in covered and by not in seen:
            seen.add(by)
            by = covered[by]
        covered[key] = by
    return Overlaps(covered, partial)


def _broader(wide: ScopeCosts, narrow: ScopeCosts) -> bool:
    if not narrow.sub_accounts <= wide.sub_accounts:
        return False
    if wide.sub_accounts != narrow.sub_accounts:
        return True
    return scope_level(wide.export_scope) < scope_level(narrow.export_scope)
