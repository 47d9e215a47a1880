"""Judging the official FOCUS validator's report: parsing, the allowlist, composites failing through it."""

from __future__ import annotations

from pathlib import Path

import pytest

from aoai_finops.focus_validation import (
    AllowlistError,
    ValidatorOutputError,
    Verdict,
    describe,
    parse_report,
    read_allowlist,
)

REPO = Path(__file__).resolve().parents[2]

# The shape focus-validator 2.2.1 prints (console output type, --show-violations), trimmed.
REPORT = """
=== Validation Results ===
Total: 6 | Pass: 2 | Fail: 3 | Skipped: 1
✅ BilledCost-C-003-M: PASS  (violations=0, 3.1ms)
✅ ChargeCategory-C-002-M: PASS  (violations=0, 2.0ms)
❌ InvoiceId-C-005-C: FAIL  (violations=4770, msg=InvoiceId MUST NOT be NULL., 11.5ms)
❌ InvoiceId-C-000-O: FAIL  (violations=1, msg=InvoiceId-C-000-O: AND failed - failed child rules: [InvoiceId-C-005-C])
❌ ServiceName-C-003-M: FAIL  (violations=2, msg=ServiceName MUST NOT be NULL., 4.6ms)
⏭️ AvailabilityZone-C-003-C: SKIPPED  (violations=0, reason=Rule skipped - validation is dynamic, msg=skipped)

--- Failures ---
- InvoiceId-C-005-C: violations=4770; InvoiceId MUST NOT be NULL.
  MustSatisfy: InvoiceId MUST NOT be null when the charge is associated with either an issued invoice.
"""


def test_every_rule_line_is_read_with_its_status_violations_and_children() -> None:
    results = {result.rule_id: result for result in parse_report(REPORT)}

    assert len(results) == 6
    assert results["InvoiceId-C-005-C"].status == "FAIL"
    assert results["InvoiceId-C-005-C"].violations == 4770
    assert results["InvoiceId-C-005-C"].message == "InvoiceId MUST NOT be NULL."
    assert results["InvoiceId-C-000-O"].failed_children == ("InvoiceId-C-005-C",)
    assert results["AvailabilityZone-C-003-C"].status == "SKIPPED"


def test_ascii_status_markers_are_read_too() -> None:
    ascii_report = REPORT.replace("✅", "[PASS]").replace("❌", "[FAIL]").replace("⏭️", "[SKIP]")

    assert len(parse_report(ascii_report)) == 6


def test_allowlisted_rules_and_composites_failing_only_through_them_are_accepted() -> None:
    verdict = Verdict(parse_report(REPORT), {"InvoiceId-C-005-C": "contradicts InvoiceId-C-004-C"})

    assert verdict.accepted == {"InvoiceId-C-005-C", "InvoiceId-C-000-O"}
    assert [result.rule_id for result in verdict.unexpected] == ["ServiceName-C-003-M"]
    assert not verdict.conformant
    assert "FAILED    ServiceName-C-003-M (violations=2)" in describe(verdict)


def test_a_report_with_only_allowlisted_failures_is_conformant_and_stale_entries_are_noted() -> None:
    report = REPORT.replace(
        "❌ ServiceName-C-003-M: FAIL  (violations=2,", "✅ ServiceName-C-003-M: PASS  (violations=0,"
    )
    report = report.replace("Pass: 2 | Fail: 3", "Pass: 3 | Fail: 2")
    verdict = Verdict(parse_report(report), {"InvoiceId-C-005-C": "x", "InvoiceId-C-004-C": "y"})

    assert verdict.conformant
    assert verdict.stale_allowlist == ["InvoiceId-C-004-C"]
    assert describe(verdict).endswith("conformant")


def test_a_report_without_totals_is_an_error_not_a_pass() -> None:
    with pytest.raises(ValidatorOutputError, match="did not run to the end"):
        parse_report("Traceback (most recent call last):\n  ...\nKeyError: 'x'\n")


def test_a_report_whose_lines_disagree_with_its_totals_is_an_error() -> None:
    with pytest.raises(ValidatorOutputError, match="report format changed"):
        parse_report(REPORT.replace("Total: 6 | Pass: 2", "Total: 7 | Pass: 3"))


def test_allowlist_entries_need_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "allowlist.csv"
    path.write_text("# comment\nrule_id,reason\nInvoiceId-C-005-C,\n", encoding="utf-8")

    with pytest.raises(AllowlistError, match="give a rule_id and the reason"):
        read_allowlist(path)


def test_the_repository_allowlist_is_small_and_every_entry_says_why() -> None:
    allowlist = read_allowlist(REPO / "config/focus-validator/allowlist.csv")

    assert 0 < len(allowlist) <= 6
    assert all(len(reason) > 60 for reason in allowlist.values())
