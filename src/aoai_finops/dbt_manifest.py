"""What dbt's manifest (target/manifest.json) says about the project's models, for tests and checks."""

from __future__ import annotations

import json
from pathlib import Path

# dbt selection of every model that is incremental by billing month and everything upstream of it.
INCREMENTAL_SELECTION = "+config.materialized:incremental"


def incremental_month_columns(manifest_path: Path) -> dict[str, str]:
    """Each incremental model of the project and the billing-month column its months are replaced by.

    DuckDB builds them with delete+insert on `unique_key`, Spark with insert_overwrite of `partition_by`
    (macros/cross_db/incremental.sql): either way the key names the month column.
    """
    nodes = json.loads(manifest_path.read_text())["nodes"].values()
    columns = {}
    for node in nodes:
        config = node["config"]
        if node["resource_type"] == "model" and config.get("materialized") == "incremental":
            key = config.get("unique_key") or config.get("partition_by")
            columns[node["name"]] = key[0] if isinstance(key, list) else key
    if not columns:
        raise ValueError(f"{manifest_path}: no incremental model; is it the manifest of this project?")
    return dict(sorted(columns.items()))
