"""`sample_scenario.json`: the machine-readable truth about a sample, so tests never hard-code dates or names.

It lists the estate (accounts, deployments, applications, reservations), every run, the scenario events with
their exact days and meters, the deliberate gaps, and the quirks injected into the export.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from aoai_finops import __version__
from aoai_finops.sample.calendar import BillingMonth
from aoai_finops.sample.estate import PTU_SCALED, Estate
from aoai_finops.sample.exports import ROOT_FOLDER, WrittenRun
from aoai_finops.sample.flavours import BillingIdentity, Flavour
from aoai_finops.sample.focus import EMPTY_COLUMNS
from aoai_finops.sample.meters import ptu_meter
from aoai_finops.sample.options import SampleOptions
from aoai_finops.sample.scenario import Scenario

SCENARIO_FILE = "sample_scenario.json"

QUIRKS = (
    "PricingQuantity and ConsumedQuantity are both in pricing blocks (tokens / x_PricingBlockSize), "
    "FinOps toolkit #727",
    "ResourceId casing varies between rows of the same resource: as deployed, all lower case, or "
    "'/resourcegroups/<GROUP IN UPPER CASE>/'; x_ResourceGroupName and ResourceName follow the row's casing",
    "ServiceName is empty on the reservation purchase rows of every other billing month",
    "ContractedCost is 0 on reservation-covered usage (ContractedUnitPrice is the on-demand price)",
    "manifest runInfo.startDate has no zone designator, endDate has 'Z'",
    "Tags keys and values spelled differently per resource (cost-center/CostCenter/costcenter/cost_center, "
    "app/application/Application, env/environment/Environment); some resources have no Tags",
    "A Speech account is also microsoft.cognitiveservices/accounts with ServiceName 'Azure AI Services'",
    "Azure Monitor data points without data have a timeStamp and no total",
)


def _days(days: tuple[date, ...]) -> list[str]:
    return [day.isoformat() for day in days]


def scenario_document(
    options: SampleOptions,
    estate: Estate,
    billing: BillingIdentity,
    exports: tuple[Flavour, ...],
    months: list[BillingMonth],
    scenario: Scenario,
    written: list[WrittenRun],
    telemetry_paths: list[str],
) -> dict:
    events: list[dict] = []
    if scenario.cached_double_billing:
        event = scenario.cached_double_billing
        events.append(
            {
                "kind": "cached_double_billing",
                "account": event.account.name,
                "account_resource_id": event.account.resource_id,
                "deployment": event.deployment.name,
                "model": event.deployment.model_id,
                "input_meter": event.input_meter.meter_name,
                "input_meter_id": event.input_meter.meter_id,
                "cached_meter": event.cached_meter.meter_name,
                "days": _days(event.days),
            }
        )
    if scenario.price_change:
        change = scenario.price_change
        events.append(
            {
                "kind": "price_change",
                "meter": change.meter.meter_name,
                "meter_id": change.meter.meter_id,
                "from_date": change.from_date.isoformat(),
                "factor": str(change.factor),
                "list_usd_per_1m": str(change.meter.usd_per_1m),
                "billed_usd_per_1m": str(change.usd_per_1m.normalize()),
                "list_usd_per_unit": str(change.meter.usd_per_unit),
                "billed_usd_per_unit": str(change.usd_per_unit.normalize()),
                "accounts": sorted({d.account.name for d in estate.deployments if change.meter in d.meters().values()}),
            }
        )
    if scenario.runaway:
        runaway = scenario.runaway
        events.append(
            {
                "kind": "runaway_usage",
                "account": runaway.deployment.account.name,
                "account_resource_id": runaway.deployment.account.resource_id,
                "deployment": runaway.deployment.name,
                "model": runaway.deployment.model_id,
                "meter": runaway.meter.meter_name,
                "meter_id": runaway.meter.meter_id,
                "token_type": "output",
                "multiplier": runaway.multiplier,
                "days": _days(runaway.days),
            }
        )
    gaps: list[dict] = []
    if scenario.telemetry_gap:
        gap = scenario.telemetry_gap
        gaps.append(
            {
                "kind": "azure_monitor_missing_days",
                "account": gap.deployment.account.name,
                "deployment": gap.deployment.name,
                "model": gap.deployment.model_id,
                "days": _days(gap.days),
            }
        )
    gaps.append(
        {
            "kind": "traffic_not_through_apim",
            "applications": sorted(a.name for a in estate.applications.values() if a.apim_service is None),
        }
    )
    gaps.append({"kind": "untagged_accounts", "accounts": [a.name for a in estate.openai_accounts if a.tags is None]})
    return {
        "generator": {
            "name": "aoai-finops generate-sample",
            "version": __version__,
            "options": {
                "months": options.months,
                "accounts": options.accounts,
                "seed": options.seed,
                "scale": options.scale,
                "end_date": options.end_date.isoformat(),
                "runs_per_month": options.runs_per_month,
                "clean": options.clean,
                "rows_per_part": options.part_row_limit,
                "telemetry": options.telemetry,
            },
        },
        "export": _export(exports[0]),
        "exports": [_export(flavour) for flavour in exports],
        "billing_account": {
            "id": estate.billing_account.id,
            "resource_id": estate.billing_account.resource_id,
            "agreement": billing.agreement,
            "export_scope": billing.scope,
            "focus_billing_account_id": billing.focus_account_id,
            "billing_profile_id": billing.profile_id,
        },
        "billing_months": [
            {
                "month": m.key,
                "start": m.start.isoformat(),
                "last_data_day": m.last_data_day.isoformat(),
                "complete": m.is_complete,
            }
            for m in months
        ],
        "runs": [
            {
                "dataset": w.flavour.dataset,
                "export_type": w.flavour.export_type,
                "data_version": w.flavour.data_version,
                "month": w.run.month.key,
                "run_id": w.run_id,
                "submitted_time": w.run.submitted_text,
                "data_through": w.run.data_through.isoformat(),
                "final": w.run.is_final,
                "manifest": w.manifest_path,
                "rows": w.rows,
                "bytes": w.bytes,
                "blobs": [name for name, _, _ in w.blobs],
            }
            for w in written
        ],
        "subscriptions": [{"id": s.id, "name": s.name} for s in estate.subscriptions],
        "accounts": [
            {
                "name": a.name,
                "resource_id": a.resource_id,
                "subscription_id": a.subscription.id,
                "resource_group": a.resource_group,
                "region": a.region_id,
                "copy": a.copy,
                "tags": a.tags,
            }
            for a in estate.openai_accounts
        ],
        "applications": [
            {"name": a.name, "team": a.team, "apim_service": a.apim_service, "product": a.product or None}
            for a in estate.applications.values()
        ],
        "deployments": [
            {
                "account": d.account.name,
                "name": d.name,
                "model": d.model_id,
                "model_version": d.model_version,
                "deployment_type": d.deployment_type,
                "priority": d.priority,
                "billing": d.billing,
                "ptu": d.ptu,
                "meters": {token_type: meter.meter_name for token_type, meter in d.meters().items()},
                "applications": [{"name": name, "share": share} for name, share in d.applications],
            }
            for d in estate.deployments
        ],
        "reservations": [
            {
                "commitment_discount_id": r.resource.resource_id,
                "name": r.display_name,
                "account": r.account.name,
                "deployment": r.deployment.name,
                "reserved_ptu": r.reserved_ptu,
                "monthly_usd": str(r.reserved_ptu * ptu_meter("Reservation").usd_per_unit),
                "scaled_days": _days(scenario.ptu_scaled_days),
                "scaled_ptu": PTU_SCALED,
            }
            for r in estate.reservations
        ],
        "events": events,
        "gaps": gaps,
        "telemetry_files": sorted(telemetry_paths),
        "empty_columns": list(EMPTY_COLUMNS),
        "quirks": list(QUIRKS),
    }


def _export(flavour: Flavour) -> dict[str, str]:
    return {
        "dataset": flavour.dataset,
        "root_folder_path": ROOT_FOLDER,
        "export_name": flavour.export_name,
        "type": flavour.export_type,
        "data_version": flavour.data_version,
        "agreement": flavour.agreement,
    }


def write_scenario(out: Path, document: dict) -> Path:
    path = out / SCENARIO_FILE
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return path


def describe_events(document: dict) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """One line per event and per gap, for the CLI summary."""
    events = []
    for event in document["events"]:
        if event["kind"] == "runaway_usage":
            events.append(
                f"runaway usage: {event['account']} / {event['deployment']} output tokens x{event['multiplier']} "
                f"on {' and '.join(event['days'])} (meter '{event['meter']}')"
            )
        elif event["kind"] == "price_change":
            events.append(
                f"price change: '{event['meter']}' billed x{event['factor']} of list "
                f"(${event['list_usd_per_1m']} -> ${event['billed_usd_per_1m']} per 1M) from {event['from_date']}"
            )
        elif event["kind"] == "cached_double_billing":
            events.append(
                f"cached double billing: {event['account']} / {event['model']} cached input also billed on "
                f"'{event['input_meter']}' on {', '.join(event['days'])}"
            )
    gaps = []
    for gap in document["gaps"]:
        if gap["kind"] == "azure_monitor_missing_days":
            gaps.append(f"no Azure Monitor data for {gap['account']} / {gap['deployment']} on {', '.join(gap['days'])}")
        elif gap["kind"] == "traffic_not_through_apim":
            gaps.append(f"applications not through APIM: {_short_list(gap['applications'])}")
        elif gap["kind"] == "untagged_accounts":
            gaps.append(f"untagged accounts: {_short_list(gap['accounts'])}")
    return tuple(events), tuple(gaps)


def _short_list(names: list[str], limit: int = 6) -> str:
    if not names:
        return "none"
    if len(names) <= limit:
        return ", ".join(names)
    return f"{', '.join(names[:limit])}, ... ({len(names)} in all)"
