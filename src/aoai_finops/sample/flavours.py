"""Export flavours a sample can be written in, and the billing identity (EA or MCA) they are billed to.

One sample describes one estate and one bill. Each requested dataset (FocusCost in one data version, legacy
ActualCost, legacy AmortizedCost) is a separate Cost Management export of that bill: same scope, same run
schedule, same costs, in that export's columns. `--agreement mca` bills the estate to a Microsoft Customer
Agreement billing profile instead of an Enterprise Agreement enrollment.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from aoai_finops.sample import rand
from aoai_finops.sample.calendar import Run
from aoai_finops.sample.estate import BILLING_ACCOUNT_NAME, BillingAccount

DATASETS = {"focus-cost": "FocusCost", "actual-cost": "ActualCost", "amortized-cost": "AmortizedCost"}
FOCUS_VERSIONS = ("1.0-preview(v1)", "1.0", "1.0r2", "1.2-preview", "1.2")
DEFAULT_FOCUS_VERSION = "1.0r2"
# The data version Cost Management reports for the legacy cost details datasets.
LEGACY_DATA_VERSION = "c360-2025-04"
AGREEMENTS = ("ea", "mca")

_EXPORT_NAMES = {
    "focus-cost": "contoso-focus-daily",
    "actual-cost": "contoso-actual-daily",
    "amortized-cost": "contoso-amortized-daily",
}


@dataclass(frozen=True)
class Flavour:
    """One export of the sample's bill: its dataset, data version and the agreement it is billed under."""

    dataset: str  # focus-cost, actual-cost or amortized-cost
    agreement: str  # ea or mca
    focus_version: str = DEFAULT_FOCUS_VERSION

    @property
    def export_type(self) -> str:
        return DATASETS[self.dataset]

    @property
    def data_version(self) -> str:
        return self.focus_version if self.dataset == "focus-cost" else LEGACY_DATA_VERSION

    @property
    def export_name(self) -> str:
        return _EXPORT_NAMES[self.dataset]

    @property
    def has_purchases(self) -> bool:
        """Amortized cost details have no purchase rows: the purchase is spread over the usage it covers."""
        return self.dataset != "amortized-cost"

    @property
    def row_number_column(self) -> str:
        """The column of `lines` numbering this export's rows within a month, in file order."""
        return "mrn" if self.has_purchases else "amortized_mrn"

    def run_id(self, run: Run) -> str:
        """The default flavour keeps the schedule's run ids (the default sample's bytes never change); any other
        flavour is another export, whose runs have ids of their own."""
        if (self.dataset, self.agreement, self.focus_version) == ("focus-cost", "ea", DEFAULT_FOCUS_VERSION):
            return run.run_id
        key = "\x1f".join((run.run_id, self.dataset, self.data_version, self.agreement))
        return str(uuid.uuid5(rand.SAMPLE_NAMESPACE, key))

    def describe(self) -> str:
        agreement = self.agreement.upper()
        if self.dataset == "focus-cost":
            return f"FocusCost {self.focus_version} ({agreement})"
        return f"{self.export_type} {self.data_version} ({agreement})"


@dataclass(frozen=True)
class BillingIdentity:
    """Who the bill is addressed to, in the shapes the exports write it."""

    agreement: str
    account_id: str  # EA enrollment number, or the MCA billing account id
    account_name: str
    profile_id: str  # EA: the enrollment again; MCA: the billing profile
    profile_name: str

    @property
    def account_resource_id(self) -> str:
        return f"/providers/Microsoft.Billing/billingAccounts/{self.account_id}"

    @property
    def scope(self) -> str:
        """The export scope: the EA billing account, or the MCA billing profile (the MCA invoice scope)."""
        if self.agreement == "ea":
            return self.account_resource_id
        return f"{self.account_resource_id}/billingProfiles/{self.profile_id}"

    @property
    def focus_account_id(self) -> str:
        """FOCUS BillingAccountId: the scope invoices are issued for (EA enrollment, MCA billing profile)."""
        return self.scope

    @property
    def focus_account_type(self) -> str:
        return "Billing Account" if self.agreement == "ea" else "Billing Profile"


def billing_identity(billing_account: BillingAccount, agreement: str, seed: int) -> BillingIdentity:
    if agreement == "ea":
        return BillingIdentity("ea", billing_account.id, BILLING_ACCOUNT_NAME, billing_account.id, BILLING_ACCOUNT_NAME)
    # MCA ids look like `<guid>:<guid>_2019-05-31` (account) and `ABCD-EFGH-IJK-LMN` (profile).
    account = f"{rand.stable_uuid(seed, 'mca-account')}:{rand.stable_uuid(seed, 'mca-tenant')}_2019-05-31"
    letters = rand.hex_token(seed, 15, "mca-profile").upper()
    profile = f"{letters[:4]}-{letters[4:8]}-{letters[8:11]}-{letters[11:14]}"
    return BillingIdentity("mca", account, BILLING_ACCOUNT_NAME, profile, f"{BILLING_ACCOUNT_NAME} - Main")


def flavours(datasets: tuple[str, ...], focus_version: str, agreement: str) -> tuple[Flavour, ...]:
    return tuple(Flavour(dataset, agreement, focus_version) for dataset in datasets)
