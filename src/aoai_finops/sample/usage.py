"""Token usage per deployment, application and day: the one truth that billing and telemetry are both derived from.

Billing aggregates it to account x meter x day (Azure bills per account and meter, not per deployment); Azure
Monitor sums it per deployment; APIM sees only the applications routed through it. Tokens are integers, so
every aggregate is exact and the same on every run.
"""

from __future__ import annotations

import duckdb

# Noise keys: each random draw uses its own key so draws are independent of one another.
_INPUT, _CACHED, _OUTPUT, _OTHER = 1, 2, 3, 4


def create_random_macro(con: duckdb.DuckDBPyConnection, seed: int) -> None:
    """`rnd(a, b, c)`: a uniform double in [0, 1) from DuckDB's deterministic hash of the seed and a key."""
    con.execute(f"CREATE OR REPLACE MACRO rnd(a, b, c) AS (hash({int(seed)}, a, b, c) % 1000003) / 1000003.0")


def create_usage(con: duckdb.DuckDBPyConnection) -> None:
    """`usage`: tokens and requests per series (deployment x application) and day; days without traffic omitted."""
    con.execute(
        f"""
        CREATE OR REPLACE TABLE usage AS
        WITH volume AS (
            SELECT
                s.series_key,
                s.deployment_key,
                d.day_idx,
                round(
                    s.base_input
                    * CASE WHEN d.is_weekend THEN s.weekend_factor ELSE 1.0 END
                    * pow(1.0 + s.growth, d.growth_day / 30.0)
                    * (0.8 + 0.4 * rnd(s.series_key, d.epoch_day, {_INPUT}))
                )::BIGINT AS input_tokens,
                s.cached_share * (0.85 + 0.3 * rnd(s.series_key, d.epoch_day, {_CACHED})) AS cached_fraction,
                s.output_ratio * (0.85 + 0.3 * rnd(s.series_key, d.epoch_day, {_OUTPUT})) AS output_fraction,
                s.tokens_per_request
            FROM series AS s
            CROSS JOIN days AS d
        )
        SELECT
            v.series_key,
            v.deployment_key,
            v.day_idx,
            v.input_tokens,
            least(v.input_tokens, round(v.input_tokens * v.cached_fraction)::BIGINT) AS cached_tokens,
            round(v.input_tokens * v.output_fraction)::BIGINT * coalesce(r.multiplier, 1) AS output_tokens,
            greatest(1, ceil(v.input_tokens / v.tokens_per_request))::BIGINT AS requests
        FROM volume AS v
        LEFT JOIN runaway_days AS r ON r.deployment_key = v.deployment_key AND r.day_idx = v.day_idx
        WHERE v.input_tokens > 0
        ORDER BY v.series_key, v.day_idx
        """
    )


def create_other_quantities(con: duckdb.DuckDBPyConnection) -> None:
    """`other_quantities`: daily pricing quantities of the non-Azure-OpenAI resources."""
    con.execute(
        f"""
        CREATE OR REPLACE TABLE other_quantities AS
        SELECT
            o.resource_key,
            o.meter_key,
            d.day_idx,
            round(
                o.daily_units
                * CASE WHEN d.is_weekend THEN o.weekend_factor ELSE 1.0 END
                * pow(1.0 + o.growth, d.growth_day / 30.0)
                * (1.0 - o.noise + 2.0 * o.noise * rnd(o.resource_key * 1000 + o.meter_key, d.epoch_day, {_OTHER}))
                / CASE WHEN o.monthly THEN m.days_in_month ELSE 1 END,
                6
            ) AS quantity
        FROM other_usage AS o
        CROSS JOIN days AS d
        JOIN months AS m ON m.month_idx = d.month_idx
        WHERE o.daily_units * CASE WHEN d.is_weekend THEN o.weekend_factor ELSE 1.0 END > 0
        """
    )
