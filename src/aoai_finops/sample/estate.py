"""The Azure estate the sample bills: billing account, subscriptions, Azure OpenAI accounts and their deployments,
the applications calling them, the other resources that share the bill, and the PTU reservation.

Everything is plain data built in Python (small: thousands of rows even at large scales); DuckDB expands it to
daily rows. `--scale N` repeats the estate N times (copy 0 keeps the base names, copy k adds a `-kNNNN` suffix),
so rows grow linearly with the scale while every copy stays internally consistent.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from aoai_finops.sample import rand
from aoai_finops.sample.meters import Meter, token_meter

BILLING_ACCOUNT_NAME = "Contoso Ltd"
APIM_PROD = "apim-contoso-prod"
APIM_DEV = "apim-contoso-dev"
PTU_RESERVED = 50
PTU_SCALED = 65


@dataclass(frozen=True)
class BillingAccount:
    id: str  # EA enrollment number

    @property
    def resource_id(self) -> str:
        return f"/providers/Microsoft.Billing/billingAccounts/{self.id}"


@dataclass(frozen=True)
class Subscription:
    id: str
    name: str
    ea_account_id: str
    ea_account_name: str
    ea_account_owner: str
    department_id: str
    department_name: str
    cost_center: str


@dataclass(frozen=True)
class Application:
    name: str
    team: str
    apim_service: str | None  # None: calls the accounts directly, so APIM never sees its tokens
    product: str
    apim_subscription: str
    user_id: str


@dataclass(frozen=True)
class OtherUsage:
    """Daily usage of a non-Azure-OpenAI resource on one meter, in the meter's pricing units."""

    meter_key: str
    daily_units: float
    noise: float = 0.0  # relative spread of the day-to-day noise
    monthly: bool = False  # a monthly price billed in daily fractions (disks, storage capacity)
    weekend_factor: float = 1.0
    growth: float = 0.0  # relative growth per 30 days


@dataclass(frozen=True)
class Resource:
    """Anything a cost row is charged to: an Azure OpenAI account, another resource, or a reservation."""

    key: int
    copy: int
    kind: str  # "openai", "other" or "reservation"
    name: str
    subscription: Subscription
    resource_group: str
    region_id: str
    region_name: str
    arm_type: str  # provider/type as ARM spells it, e.g. Microsoft.CognitiveServices/accounts
    resource_type: str  # FOCUS ResourceType: the display name
    service_name: str
    service_category: str
    tags: dict[str, str] | None
    usage: tuple[OtherUsage, ...] = ()
    # x_SkuDetails (the legacy AdditionalInfo): only some resource types carry it.
    sku_details: str | None = None
    # Reservations only: the reservation order they belong to.
    reservation_order_id: str = ""

    @property
    def resource_id(self) -> str:
        if self.kind == "reservation":
            return (
                f"/providers/Microsoft.Capacity/reservationOrders/{self.reservation_order_id}/reservations/{self.name}"
            )
        return (
            f"/subscriptions/{self.subscription.id}/resourceGroups/{self.resource_group}"
            f"/providers/{self.arm_type}/{self.name}"
        )

    @property
    def tags_json(self) -> str | None:
        return None if self.tags is None else json.dumps(self.tags, separators=(",", ":"))


@dataclass(frozen=True)
class Deployment:
    key: int
    account: Resource
    name: str
    model_id: str
    model_version: str
    deployment_type: str
    priority: bool
    ptu: int  # provisioned throughput units; 0 for pay-as-you-go deployments
    daily_input_tokens: float
    cached_share: float
    output_ratio: float
    tokens_per_request: int
    weekend_factor: float
    growth: float
    applications: tuple[tuple[str, float], ...]

    @property
    def billing(self) -> str:
        """`payg` (billed per token on the meters) or `ptu` (billed per PTU-hour; tokens are not billed)."""
        return "ptu" if self.ptu else "payg"

    def meters(self) -> dict[str, Meter]:
        """The meters the deployment's tokens are billed on, by token type (none for PTU deployments)."""
        if self.ptu:
            return {}
        result = {}
        for token_type, needed in (
            ("input", True),
            ("cached_input", self.cached_share > 0),
            ("output", self.output_ratio > 0),
        ):
            if needed:
                result[token_type] = token_meter(
                    self.model_id, self.model_version, self.deployment_type, token_type, priority=self.priority
                )
        return result


@dataclass(frozen=True)
class Reservation:
    resource: Resource
    account: Resource
    deployment: Deployment
    reserved_ptu: int
    display_name: str

    @property
    def order_id(self) -> str:
        return self.resource.reservation_order_id


@dataclass
class Estate:
    billing_account: BillingAccount
    subscriptions: list[Subscription]
    applications: dict[str, Application]
    resources: list[Resource] = field(default_factory=list)
    deployments: list[Deployment] = field(default_factory=list)
    reservations: list[Reservation] = field(default_factory=list)

    @property
    def openai_accounts(self) -> list[Resource]:
        return [resource for resource in self.resources if resource.kind == "openai"]

    def account_deployments(self, account: Resource) -> list[Deployment]:
        return [deployment for deployment in self.deployments if deployment.account.key == account.key]


# --- the base estate (copy 0): account profiles and deployments come from deployments.csv; accounts beyond the
# profiles reuse them with a numeric suffix ----------------------------------------------------------------------


@dataclass(frozen=True)
class _DeploymentTemplate:
    name: str
    model_id: str
    model_version: str
    deployment_type: str
    applications: dict[str, float]
    daily_input_millions: float
    cached_share: float
    output_ratio: float
    tokens_per_request: int
    priority: bool
    ptu: int
    weekend_factor: float
    growth: float


@dataclass(frozen=True)
class _AccountProfile:
    name: str
    subscription: int
    resource_group: str
    region_id: str
    region_name: str
    tag_style: int | None  # None: the account carries no tags at all
    deployments: tuple[_DeploymentTemplate, ...]


@cache
def _profiles() -> tuple[_AccountProfile, ...]:
    """The four account profiles and their deployments, from deployments.csv (one row per deployment)."""
    text = resources.files("aoai_finops.sample").joinpath("deployments.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    profiles = []
    for profile in sorted({int(row["profile"]) for row in rows}):
        members = [row for row in rows if int(row["profile"]) == profile]
        first = members[0]
        profiles.append(
            _AccountProfile(
                name=first["account"],
                subscription=int(first["subscription"]),
                resource_group=first["resource_group"],
                region_id=first["region_id"],
                region_name=first["region_name"],
                tag_style=int(first["tag_style"]) if first["tag_style"] else None,
                deployments=tuple(
                    _DeploymentTemplate(
                        name=row["deployment"],
                        model_id=row["model_id"],
                        model_version=row["model_version"],
                        deployment_type=row["deployment_type"],
                        applications={
                            name: float(share)
                            for name, share in (entry.split(":") for entry in row["applications"].split())
                        },
                        daily_input_millions=float(row["daily_input_millions"]),
                        cached_share=float(row["cached_share"]),
                        output_ratio=float(row["output_ratio"]),
                        tokens_per_request=int(row["tokens_per_request"]),
                        priority=row["priority"] == "true",
                        ptu=int(row["ptu"]),
                        weekend_factor=float(row["weekend_factor"]),
                        growth=float(row["growth_per_30_days"]),
                    )
                    for row in members
                ),
            )
        )
    return tuple(profiles)


# name, team, APIM service (None: direct calls), APIM product
_APPLICATIONS = (
    ("chatbot", "customer-care", APIM_PROD, "chat-premium"),
    ("copilot", "engineering", APIM_PROD, "dev-tools"),
    ("summarizer", "legal", APIM_PROD, "chat-standard"),
    ("research-agent", "r-and-d", APIM_PROD, "agents"),
    ("support-bot", "customer-care", APIM_PROD, "chat-standard"),
    ("trading-assistant", "markets", APIM_PROD, "chat-premium"),
    ("dev-sandbox", "engineering", APIM_DEV, "sandbox"),
    ("search-indexer", "knowledge", None, ""),
    ("doc-batch", "operations", None, ""),
    ("classifier", "data-science", None, ""),
    ("legacy-app", "finance", None, ""),
    ("analytics-notebooks", "data-science", None, ""),
    ("report-writer", "finance", None, ""),
)

_SUBSCRIPTIONS = (
    ("contoso-ai-prod", "AI Platform", "ai-platform@contoso.com", "Digital Products", "CC-4100"),
    ("contoso-ai-dev", "Data Science Lab", "ds-lab@contoso.com", "Research", "CC-7300"),
)


def _tags(style: int, cost_center: str, app: str, env: str, owner: str) -> dict[str, str]:
    """Tag keys and values spelled the way different teams spell them, as real estates do."""
    long_env = {"prod": "Production", "dev": "Development"}[env]
    number = cost_center.split("-")[-1]
    if style == 0:
        return {"cost-center": cost_center, "app": app, "env": env}
    if style == 1:
        return {"CostCenter": cost_center, "Application": app, "Environment": long_env}
    if style == 2:
        return {"costcenter": cost_center.lower(), "application": app, "env": env.upper()}
    return {"cost_center": number, "app": app, "environment": env, "owner": owner}


def _suffix(copy: int) -> str:
    return "" if copy == 0 else f"-k{copy:04d}"


def build_estate(*, accounts: int, scale: int, seed: int) -> Estate:
    billing_account = BillingAccount(id=str(rand.integer(seed, 80_000_000, 89_999_999, "billing-account")))
    subscriptions = [
        Subscription(
            id=rand.stable_uuid(seed, "subscription", index),
            name=name,
            ea_account_id=str(rand.integer(seed, 100_000, 999_999, "ea-account", index)),
            ea_account_name=account_name,
            ea_account_owner=owner,
            department_id=str(rand.integer(seed, 100_000, 999_999, "department", index)),
            department_name=department,
            cost_center=cost_center,
        )
        for index, (name, account_name, owner, department, cost_center) in enumerate(_SUBSCRIPTIONS)
    ]
    applications = {
        name: Application(
            name=name,
            team=team,
            apim_service=apim,
            product=product,
            apim_subscription=rand.hex_token(seed, 32, "apim-subscription", name) if apim else "",
            user_id=f"{name}-svc@contoso.com" if apim else "",
        )
        for name, team, apim, product in _APPLICATIONS
    }
    estate = Estate(billing_account=billing_account, subscriptions=subscriptions, applications=applications)
    for copy in range(scale):
        _add_copy(estate, copy, accounts=accounts, seed=seed)
    return estate


def _add_copy(estate: Estate, copy: int, *, accounts: int, seed: int) -> None:
    # Copies differ in volume so scaled data is not the same day repeated: 0.6x to 1.4x of the base.
    volume = 1.0 if copy == 0 else 0.6 + 0.8 * rand.unit(seed, "copy-volume", copy)
    profiles = _profiles()
    for index in range(accounts):
        profile = profiles[index % len(profiles)]
        round_suffix = "" if index < len(profiles) else f"-{index // len(profiles) + 1:02d}"
        subscription = estate.subscriptions[profile.subscription]
        env = "prod" if profile.subscription == 0 else "dev"
        account = _add_resource(
            estate,
            copy=copy,
            kind="openai",
            name=profile.name + round_suffix + _suffix(copy),
            subscription=subscription,
            resource_group=profile.resource_group + _suffix(copy),
            region=(profile.region_id, profile.region_name),
            arm_type="Microsoft.CognitiveServices/accounts",
            resource_type="Azure OpenAI",
            service=("Azure AI Services", "AI and Machine Learning"),
            tags=None
            if profile.tag_style is None
            else _tags(
                profile.tag_style, subscription.cost_center, "genai-platform", env, subscription.ea_account_owner
            ),
        )
        for template in profile.deployments:
            # Only the first account of each copy holds the PTU deployment and its reservation.
            if template.ptu and index != 0:
                continue
            deployment = Deployment(
                key=len(estate.deployments),
                account=account,
                name=template.name,
                model_id=template.model_id,
                model_version=template.model_version,
                deployment_type=template.deployment_type,
                priority=template.priority,
                ptu=template.ptu,
                daily_input_tokens=template.daily_input_millions * 1_000_000 * volume,
                cached_share=template.cached_share,
                output_ratio=template.output_ratio,
                tokens_per_request=template.tokens_per_request,
                weekend_factor=template.weekend_factor,
                growth=template.growth,
                applications=tuple(template.applications.items()),
            )
            deployment.meters()  # fail early if meters.csv lacks a meter this deployment needs
            estate.deployments.append(deployment)
            if template.ptu:
                _add_reservation(estate, copy, account, deployment, seed=seed)
    _add_other_resources(estate, copy, seed=seed)


def _add_resource(
    estate: Estate,
    *,
    copy: int,
    kind: str,
    name: str,
    subscription: Subscription,
    resource_group: str,
    region: tuple[str, str],
    arm_type: str,
    resource_type: str,
    service: tuple[str, str],
    tags: dict[str, str] | None,
    usage: tuple[OtherUsage, ...] = (),
    sku_details: str | None = None,
    reservation_order_id: str = "",
) -> Resource:
    resource = Resource(
        key=len(estate.resources),
        copy=copy,
        kind=kind,
        name=name,
        subscription=subscription,
        resource_group=resource_group,
        region_id=region[0],
        region_name=region[1],
        arm_type=arm_type,
        resource_type=resource_type,
        service_name=service[0],
        service_category=service[1],
        tags=tags,
        usage=usage,
        sku_details=sku_details,
        reservation_order_id=reservation_order_id,
    )
    estate.resources.append(resource)
    return resource


def _add_reservation(estate: Estate, copy: int, account: Resource, deployment: Deployment, *, seed: int) -> None:
    resource = _add_resource(
        estate,
        copy=copy,
        kind="reservation",
        name=rand.stable_uuid(seed, "reservation", copy),
        subscription=account.subscription,
        resource_group="",
        region=("", ""),
        arm_type="Microsoft.Capacity/reservationOrders/reservations",
        resource_type="Reservation",
        service=("Azure AI Services", "AI and Machine Learning"),
        tags=None,
        reservation_order_id=rand.stable_uuid(seed, "reservation-order", copy),
    )
    estate.reservations.append(
        Reservation(
            resource=resource,
            account=account,
            deployment=deployment,
            reserved_ptu=PTU_RESERVED,
            display_name=f"AOAI_PTU_Global_{PTU_RESERVED}{_suffix(copy)}",
        )
    )


@cache
def _other_resource_rows() -> tuple[dict[str, str], ...]:
    text = resources.files("aoai_finops.sample").joinpath("other_resources.csv").read_text(encoding="utf-8")
    return tuple(csv.DictReader(text.splitlines()))


def _add_other_resources(estate: Estate, copy: int, *, seed: int) -> None:
    """Resources from other_resources.csv (one row per resource and meter): VMs, a disk, storage, App Service,
    AI Search and a Speech account, i.e. rows the Azure OpenAI marts must leave out and focus_costs keeps."""
    by_name: dict[str, list[dict[str, str]]] = {}
    for row in _other_resource_rows():
        by_name.setdefault(row["resource"], []).append(row)
    for template, rows in by_name.items():
        first = rows[0]
        subscription = estate.subscriptions[int(first["subscription"])]
        env = "prod" if first["subscription"] == "0" else "dev"
        # Names Azure suffixes with random hex (disks, storage accounts) get stable hex per template and copy.
        name = template.format(
            suffix=_suffix(copy),
            hex32=rand.hex_token(seed, 32, template, copy),
            hex6=rand.hex_token(seed, 6, template, copy),
        )
        _add_resource(
            estate,
            copy=copy,
            kind="other",
            name=name,
            subscription=subscription,
            resource_group=first["resource_group"] + _suffix(copy),
            region=(first["region_id"], first["region_name"]),
            arm_type=first["arm_type"],
            resource_type=first["resource_type"],
            service=(first["service_name"], first["service_category"]),
            tags=None
            if not first["tag_style"]
            else _tags(
                int(first["tag_style"]), subscription.cost_center, first["tag_app"], env, subscription.ea_account_owner
            ),
            usage=tuple(
                OtherUsage(
                    meter_key=row["meter_key"],
                    daily_units=float(row["daily_units"]),
                    noise=float(row["noise"]),
                    monthly=row["monthly"] == "true",
                    weekend_factor=float(row["weekend_factor"]),
                    growth=float(row["growth_per_30_days"]),
                )
                for row in rows
            ),
            sku_details=first["sku_details"] or None,
        )
