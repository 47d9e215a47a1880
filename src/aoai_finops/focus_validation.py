"""Judge a run of the official FOCUS validator (`focus-validator`, the FinOps Foundation's tool).

The tool exits 0 even when rules fail, so its console report is parsed here: every rule line
(`❌ BilledCost-C-003-M: FAIL  (violations=2, msg=...)`) becomes a `RuleResult`. A failed rule is accepted only
when the allowlist names it, with the reason the rule itself is wrong, or when it is a composite rule that
failed only because rules accepted that way failed (the tool reports `failed child rules: [...]`). Anything
else is a conformance failure.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from aoai_finops.errors import AoaiFinopsError

_RULE_LINE = re.compile(
    r"^(?:\S+|\[(?:PASS|FAIL|SKIP)\]) (?P<rule>[A-Za-z0-9]+-[A-Z]-\d{3}-[A-Z]): (?P<status>PASS|FAIL|SKIPPED)"
    r"(?:\s+\((?P<details>.*)\))?\s*$"
)
_TOTALS = re.compile(r"^Total: (\d+) \| Pass: (\d+) \| Fail: (\d+) \| Skipped: (\d+)\s*$")
_CHILDREN = re.compile(r"failed child rules: \[([^\]]*)\]")
_VIOLATIONS = re.compile(r"violations=(\d+|\?)")
_MESSAGE = re.compile(r"msg=(.*?)(?:, [\d.]+ms)?$")


class ValidatorOutputError(AoaiFinopsError):
    """The validator's report could not be read: it did not run, or its format changed."""


class AllowlistError(AoaiFinopsError):
    """The allowlist file is malformed: every entry needs a rule id and a reason."""


@dataclass(frozen=True)
class RuleResult:
    rule_id: str
    status: str  # PASS, FAIL or SKIPPED
    violations: int | None
    message: str
    failed_children: tuple[str, ...]


@dataclass(frozen=True)
class Verdict:
    results: tuple[RuleResult, ...]
    allowlisted: dict[str, str]  # rule id -> reason (every entry of the allowlist)

    def _by_status(self, status: str) -> list[RuleResult]:
        return [result for result in self.results if result.status == status]

    @property
    def failed(self) -> list[RuleResult]:
        return self._by_status("FAIL")

    @property
    def passed(self) -> list[RuleResult]:
        return self._by_status("PASS")

    @property
    def skipped(self) -> list[RuleResult]:
        return self._by_status("SKIPPED")

    @property
    def accepted(self) -> set[str]:
        """Failed rules that do not count: allowlisted, or composites failing only through accepted rules."""
        failed = {result.rule_id: result for result in self.failed}
        accepted = {rule for rule in failed if rule in self.allowlisted}
        changed = True
        while changed:
            changed = False
            for rule, result in failed.items():
                if rule in accepted or not result.failed_children:
                    continue
                if all(child in accepted for child in result.failed_children):
                    accepted.add(rule)
                    changed = True
        return accepted

    @property
    def unexpected(self) -> list[RuleResult]:
        """Failed rules that make the data non-conformant."""
        accepted = self.accepted
        return [result for result in self.failed if result.rule_id not in accepted]

    @property
    def stale_allowlist(self) -> list[str]:
        """Allowlisted rules that did not fail: the entry may no longer be needed."""
        failed = {result.rule_id for result in self.failed}
        return sorted(rule for rule in self.allowlisted if rule not in failed)

    @property
    def conformant(self) -> bool:
        return not self.unexpected


def parse_report(text: str) -> tuple[RuleResult, ...]:
    """Every rule line of the validator's console report; raises ValidatorOutputError on an unreadable report."""
    results: list[RuleResult] = []
    totals: tuple[int, ...] | None = None
    for line in text.splitlines():
        if match := _TOTALS.match(line.strip()):
            totals = tuple(int(value) for value in match.groups())
            continue
        match = _RULE_LINE.match(line.strip())
        if not match:
            continue
        details = match.group("details") or ""
        violations = _VIOLATIONS.search(details)
        message = _MESSAGE.search(details)
        children = _CHILDREN.search(details)
        results.append(
            RuleResult(
                rule_id=match.group("rule"),
                status=match.group("status"),
                violations=int(violations.group(1)) if violations and violations.group(1).isdigit() else None,
                message=message.group(1) if message else details,
                failed_children=tuple(c.strip() for c in children.group(1).split(",") if c.strip()) if children else (),
            )
        )
    if totals is None:
        raise ValidatorOutputError(
            "the validator printed no 'Total: ... | Pass: ... | Fail: ... | Skipped: ...' line: it did not run to "
            "the end (see its log) or its report format changed"
        )
    total, passed, failed, skipped = totals
    counts = (
        len(results),
        sum(r.status == "PASS" for r in results),
        sum(r.status == "FAIL" for r in results),
        sum(r.status == "SKIPPED" for r in results),
    )
    if counts != (total, passed, failed, skipped):
        raise ValidatorOutputError(
            f"the validator reported {total} rules ({passed} pass, {failed} fail, {skipped} skipped) but "
            f"{counts[0]} rule lines were read ({counts[1]} pass, {counts[2]} fail, {counts[3]} skipped): the report "
            "format changed; update aoai_finops.focus_validation"
        )
    return tuple(results)


def read_allowlist(path: Path) -> dict[str, str]:
    """rule_id -> reason from a CSV with the columns rule_id and reason (both required)."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    except OSError as error:
        raise AllowlistError(f"{path}: cannot read the allowlist ({error})") from None
    allowlist: dict[str, str] = {}
    for number, row in enumerate(rows, start=2):
        rule, reason = (row.get("rule_id") or "").strip(), (row.get("reason") or "").strip()
        if not rule or not reason:
            raise AllowlistError(f"{path}, entry {number}: give a rule_id and the reason the rule itself is wrong")
        if rule in allowlist:
            raise AllowlistError(f"{path}, entry {number}: {rule} is listed twice")
        allowlist[rule] = reason
    return allowlist


def read_criteria(path: Path) -> list[str]:
    """Applicability criteria ids, one per line; `#` starts a comment."""
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line]


def describe(verdict: Verdict) -> str:
    """A short human report of the verdict."""
    lines = [
        f"FOCUS validator: {len(verdict.results)} rules, {len(verdict.passed)} passed, {len(verdict.failed)} failed "
        f"({len(verdict.accepted)} accepted by the allowlist), {len(verdict.skipped)} skipped",
    ]
    for result in verdict.failed:
        if result.rule_id in verdict.accepted:
            reason = verdict.allowlisted.get(result.rule_id, "fails only through allowlisted rules")
            lines.append(f"  accepted  {result.rule_id}: {reason}")
    for rule in verdict.stale_allowlist:
        lines.append(f"  note      {rule} is allowlisted but did not fail")
    for result in verdict.unexpected:
        lines.append(f"  FAILED    {result.rule_id} (violations={result.violations}): {result.message}")
    lines.append("conformant" if verdict.conformant else "NOT conformant: fix the data or the mapping (see the report)")
    return "\n".join(lines)
