"""aoai_finops.meter_rules classifies like dbt's int_ai_meters_classified, and the rule patterns mean the same
in Python `re`, DuckDB (RE2) and Java (java.util.regex, which Spark uses)."""

from __future__ import annotations

import csv
import shutil
import subprocess
from dataclasses import asdict
from pathlib import Path

import duckdb
import pytest

from aoai_finops.meter_rules import MATCH_ON, Meter, MeterRules, MeterRulesError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _corpus() -> list[tuple[dict[str, str], dict[str, str]]]:
    inputs = {row["meter_id"]: row for row in _read(FIXTURES / "ai_meter_corpus_input.csv")}
    return [(inputs[row["meter_id"]], row) for row in _read(FIXTURES / "ai_meter_corpus_expected.csv")]


def _as_csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def test_python_classifier_agrees_with_the_dbt_corpus(repo_root: Path) -> None:
    rules = MeterRules.from_seeds(repo_root / "seeds")
    corpus = _corpus()
    assert len(corpus) >= 100
    mismatches = []
    for meter, expected in corpus:
        got = asdict(
            rules.classify(
                Meter(
                    meter["meter_name"],
                    meter["meter_category"],
                    meter["meter_subcategory"],
                    meter["unit_of_measure"],
                    meter["resource_type"],
                )
            )
        )
        for column, value in expected.items():
            if column in ("meter_id", "meter_name"):
                continue
            if _as_csv_text(got[column]) != value:
                mismatches.append(f"{meter['meter_name']!r}: {column} = {got[column]!r}, expected {value!r}")
    assert mismatches == []


def _match_table(repo_root: Path) -> tuple[list[dict[str, str]], list[tuple[str, str, str]]]:
    """Every pattern against every corpus text its match_on column names."""
    patterns = _read(repo_root / "seeds" / "ai_meter_patterns.csv")
    meters = [meter for meter, _ in _corpus()]
    cases = []
    for pattern in patterns:
        texts = {meter[pattern["match_on"]] for meter in meters if meter[pattern["match_on"]]}
        cases.extend((pattern["pattern_id"], pattern["pattern"], text) for text in sorted(texts))
    return patterns, cases


def _python_results(cases: list[tuple[str, str, str]]) -> list[tuple[bool, str, str, str]]:
    import re

    results = []
    for _, pattern, text in cases:
        match = re.search(pattern + "()()()", text)
        groups = [(match.group(i) or "") if match else "" for i in (1, 2, 3)]
        results.append((match is not None, *groups))
    return results


def test_patterns_mean_the_same_in_python_and_duckdb(repo_root: Path, tmp_path: Path) -> None:
    _, cases = _match_table(repo_root)
    with (tmp_path / "cases.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([("n", "pattern", "text")] + [(n, p, t) for n, (_, p, t) in enumerate(cases)])
    con = duckdb.connect()
    duck = con.execute(
        "with cases as (select n, pattern || '()()()' as pattern, text from read_csv(?, all_varchar = true)) "
        "select regexp_matches(text, pattern), regexp_extract(text, pattern, 1), regexp_extract(text, pattern, 2), "
        "regexp_extract(text, pattern, 3) from cases order by cast(n as integer)",
        [str(tmp_path / "cases.csv")],
    ).fetchall()
    python = _python_results(cases)
    differences = [(cases[i][0], cases[i][2], python[i], duck[i]) for i in range(len(cases)) if python[i] != duck[i]]
    assert differences == []


JAVA_CHECK = """
import java.nio.file.*; import java.util.*; import java.util.regex.*;
public class PatternCheck {
  public static void main(String[] args) throws Exception {
    StringBuilder out = new StringBuilder();
    for (String line : Files.readAllLines(Paths.get(args[0]))) {
      String[] f = line.split("\\t", -1);
      Matcher m = Pattern.compile(f[0] + "()()()").matcher(f[1]);
      boolean found = m.find();
      out.append(found);
      for (int g = 1; g <= 3; g++) {
        String s = found ? m.group(g) : null;
        out.append('\\t').append(s == null ? "" : s);
      }
      out.append('\\n');
    }
    System.out.print(out);
  }
}
"""


@pytest.mark.skipif(shutil.which("java") is None, reason="no java on this machine")
def test_patterns_mean_the_same_in_java(repo_root: Path, tmp_path: Path) -> None:
    """Spark evaluates the same seed patterns with java.util.regex."""
    _, cases = _match_table(repo_root)
    assert all("\t" not in pattern + text and "\n" not in pattern + text for _, pattern, text in cases)
    (tmp_path / "cases.tsv").write_text("".join(f"{p}\t{t}\n" for _, p, t in cases), encoding="utf-8")
    (tmp_path / "PatternCheck.java").write_text(JAVA_CHECK, encoding="utf-8")
    run = subprocess.run(
        ["java", str(tmp_path / "PatternCheck.java"), str(tmp_path / "cases.tsv")],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    java = [(fields[0] == "true", *fields[1:]) for fields in (line.split("\t") for line in run.stdout.splitlines())]
    python = _python_results(cases)
    assert len(java) == len(python)
    differences = [(cases[i][0], cases[i][2], python[i], java[i]) for i in range(len(cases)) if python[i] != java[i]]
    assert differences == []


def test_every_match_on_column_is_a_meter_field() -> None:
    assert set(MATCH_ON) <= set(Meter.__dataclass_fields__)


def test_an_unusable_pattern_names_its_line(repo_root: Path, tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(repo_root / "seeds", seeds)
    rows = (seeds / "ai_meter_patterns.csv").read_text(encoding="utf-8").splitlines()
    rows[3] = rows[3].replace("(?i)", "(?i)(", 1)
    (seeds / "ai_meter_patterns.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(MeterRulesError, match="line 4"):
        MeterRules.from_seeds(seeds)
