"""Convert one export run's files (CSV, gzip CSV or Parquet) into one lake Parquet file with the table's schema.

All parts of a run are read by a single DuckDB statement (parallel, streaming, bounded memory), by column name
(parts may order their columns differently). Values are typed on the way in; a value that does not convert fails
the whole run with the file, line and column named.
"""

from __future__ import annotations

import gzip
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from aoai_finops import duck
from aoai_finops.datasets import Dataset
from aoai_finops.errors import ExportValidationError
from aoai_finops.manifest import ExportRun

_TEXT_PARSED_TYPES = {"TIMESTAMP", "DATE"}
_PARQUET_COMPRESSION = "zstd"
# `2025-03-01T00:00Z` -> group 1 is the date and minutes, group 2 the offset; seconds get added.
_MINUTES_ONLY = duck.quote_literal(r"^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2})(Z|[+-]\d{2}:?\d{2})?$")
# Legacy cost details (EA): `09/21/2023` or `9/21/2023`, month first.
_US_DATE = duck.quote_literal(r"\d{1,2}/\d{1,2}/\d{4}")


@dataclass(frozen=True)
class InputFile:
    """A run's file: its name in the manifest (for messages and lineage) and where it is on local disk."""

    blob_name: str
    local_path: Path

    @property
    def is_parquet(self) -> bool:
        return self.local_path.name.lower().endswith(".parquet")

    @property
    def is_gzip(self) -> bool:
        return self.local_path.name.lower().endswith(".gz")


@dataclass(frozen=True)
class StagedRun:
    path: Path
    rows: int
    rows_by_file: dict[str, int]
    totals: dict[str, float | None]
    warnings: tuple[str, ...]


def stage_run(
    run: ExportRun,
    dataset: Dataset,
    files: list[InputFile],
    out: Path,
    loaded_at: datetime,
    temp_dir: Path,
    *,
    verify_gzip_of: frozenset[str] = frozenset(),
) -> StagedRun:
    """Write the run's rows to `out` in the lake schema of `dataset`; raises ExportValidationError.

    DuckDB reads a truncated gzip without complaint, so the parts named in `verify_gzip_of` (those whose manifest
    gives neither a byte count nor a row count to catch it) are decompressed to their end in threads while DuckDB
    converts. When the conversion fails, every gzip part is checked: a damaged one explains the failure best.
    """
    with ThreadPoolExecutor(max_workers=2) as pool:
        checks = [pool.submit(verify_gzip, f.local_path, f.blob_name) for f in files if f.blob_name in verify_gzip_of]
        try:
            staged = _stage_run(run, dataset, files, out, loaded_at, temp_dir)
        except ExportValidationError:
            explain_with_gzip(files)
            raise
        for check in checks:
            check.result()
    return staged


def explain_with_gzip(files: list[InputFile]) -> None:
    """Raise the error of the first damaged gzip part, if any (call when a run's files disagree with anything)."""
    for file in files:
        if file.is_gzip:
            verify_gzip(file.local_path, file.blob_name)


def _stage_run(
    run: ExportRun, dataset: Dataset, files: list[InputFile], out: Path, loaded_at: datetime, temp_dir: Path
) -> StagedRun:
    expected = dataset.columns_for(run.data_version)
    headers = _run_headers(files)
    header = headers[0]
    # Export headers are matched to the lake's column names case-insensitively (EA and MCA spell them differently).
    source_names = _source_names(dataset, header, files[0].blob_name)
    warnings: list[str] = []

    missing_required = [c.name for c in expected if c.required and c.name not in source_names]
    missing_required += [
        " or ".join(names)
        for names in dataset.required_groups().values()
        if not any(name in source_names for name in names)
    ]
    if missing_required:
        raise ExportValidationError(
            f"{files[0].blob_name}: required column(s) missing for {run.export_type} {run.data_version}: "
            f"{', '.join(missing_required)}; check the export's dataset version or re-create the export"
        )
    missing_optional = [c.name for c in expected if c.name not in source_names]
    if missing_optional:
        warnings.append(
            f"{files[0].blob_name}: {len(missing_optional)} column(s) of {run.export_type} {run.data_version} "
            f"missing, loaded as null: {', '.join(missing_optional[:8])}{' ...' if len(missing_optional) > 8 else ''}"
        )
    known_sources = set(source_names.values())
    unknown = [name for name in header if name not in known_sources]
    if unknown:
        warnings.append(
            f"{files[0].blob_name}: unknown column(s) kept in lake_extra_columns: {', '.join(unknown)}; "
            "upgrade aoai-finops if they matter"
        )

    with duck.connect(temp_dir=temp_dir) as connection:
        read_types = {source_names[c.name]: c.lake_type for c in dataset.columns if c.name in source_names}
        reader = _parquet_reader(files) if files[0].is_parquet else _csv_reader(files, headers, read_types)
        blob_names = {str(f.local_path): f.blob_name for f in files}
        file_name_case = "case filename " + " ".join(
            f"when {duck.quote_literal(local)} then {duck.quote_literal(blob)}" for local, blob in blob_names.items()
        )
        select_list = [
            _lake_expression(column.name, column.lake_type, source_names.get(column.name), files[0].is_parquet)
            for column in dataset.columns
        ]
        lineage = {
            "lake_run_id": duck.quote_literal(run.run_id),
            "lake_loaded_at": f"cast({duck.quote_literal(loaded_at.isoformat())} as timestamp)",
            "lake_export_name": duck.quote_literal(run.export_name),
            "lake_export_scope": duck.quote_literal(run.export_scope),
            "lake_data_version": duck.quote_literal(run.data_version),
            "lake_submitted_time": f"cast({duck.quote_literal(run.recency[0].isoformat())} as timestamp)",
            "lake_billing_month": duck.quote_literal(run.billing_month),
            "lake_source_file": f"{file_name_case} end",
            "lake_extra_columns": _extra_columns_json(unknown),
        }
        select_list += [f"{expression} as {name}" for name, expression in lineage.items()]
        statement = (
            f"copy (select {', '.join(select_list)} from {reader}) to {duck.quote_literal(str(out))} "
            f"(format parquet, compression {_PARQUET_COMPRESSION})"
        )
        try:
            connection.execute(statement)
        except duckdb.Error as error:
            # A date or time is parsed after the reader, so DuckDB's error cannot say where the value is: find it.
            unreadable = _first_unreadable_date(connection, files, headers, read_types)
            raise ExportValidationError(unreadable or explain_duckdb_error(error, blob_names)) from None

        rows = connection.execute(
            f"select lake_source_file, count(*){duck.total_sums(dataset.totals)} "
            f"from read_parquet({duck.quote_literal(str(out))}) group by lake_source_file"
        ).fetchall()
    rows_by_file = {f.blob_name: 0 for f in files}
    totals: dict[str, float | None] = {log_column: None for log_column, _ in dataset.totals}
    for source_file, count, *values in rows:
        rows_by_file[source_file] = count
        for (log_column, _), value in zip(dataset.totals, values, strict=True):
            if value is not None:
                totals[log_column] = (totals[log_column] or 0.0) + value
    return StagedRun(out, sum(rows_by_file.values()), rows_by_file, totals, tuple(warnings))


def _source_names(dataset: Dataset, header: list[str], blob_name: str) -> dict[str, str]:
    """Lake column name -> the export's spelling of it, for the lake columns the export carries."""
    by_lower: dict[str, str] = {}
    for name in header:
        if name.lower() in by_lower:
            raise ExportValidationError(
                f"{blob_name}: columns {by_lower[name.lower()]!r} and {name!r} differ only in case; "
                "the file is ambiguous, re-export it"
            )
        by_lower[name.lower()] = name
    return {column.name: by_lower[column.name.lower()] for column in dataset.columns if column.name.lower() in by_lower}


def _run_headers(files: list[InputFile]) -> list[list[str]]:
    """Each file's column names, in its own order; every file of a run must have the same columns."""
    headers = [(_parquet_header(f) if f.is_parquet else csv_header(f.local_path, f.blob_name)) for f in files]
    for file, header in zip(files[1:], headers[1:], strict=True):
        if set(header) != set(headers[0]):
            raise ExportValidationError(
                f"{file.blob_name}: its columns differ from {files[0].blob_name} in the same run; "
                "the run is inconsistent, re-run the export"
            )
    return headers


def csv_header(local_path: Path, name: str) -> list[str]:
    """The column names of a CSV or gzip CSV file (`name` is how messages call it); raises ExportValidationError."""
    opener = gzip.open if local_path.name.lower().endswith(".gz") else open
    try:
        with opener(local_path, "rb") as handle:
            line = handle.readline()
    except (OSError, EOFError) as error:
        raise ExportValidationError(f"{name}: cannot read the header ({error}); the file is damaged") from None
    try:
        text = line.decode("utf-8-sig").rstrip("\r\n")
    except UnicodeDecodeError as error:
        raise ExportValidationError(
            f"{name}: the header is not UTF-8 (byte {error.start}); export with UTF-8 encoding"
        ) from None
    if not text:
        raise ExportValidationError(f"{name}: empty file, no header row")
    names = [column.strip().strip('"') for column in text.split(",")]
    duplicates = sorted({column for column in names if names.count(column) > 1})
    if duplicates:
        raise ExportValidationError(f"{name}: duplicate column(s) in the header: {', '.join(duplicates)}")
    return names


def _parquet_header(file: InputFile) -> list[str]:
    try:
        with duck.connect() as connection:
            rows = connection.execute(
                f"describe select * from read_parquet({duck.quote_literal(str(file.local_path))})"
            ).fetchall()
    except duckdb.Error as error:
        reason = _first_line(error).replace(str(file.local_path), file.blob_name)
        raise ExportValidationError(
            f"{file.blob_name}: not a readable Parquet file ({reason}); the file is damaged or incomplete: re-run the "
            "export"
        ) from None
    return [row[0] for row in rows]


def _csv_reader(files: list[InputFile], headers: list[list[str]], read_types: dict[str, str]) -> str:
    """read_csv of every file with explicit types: `read_types` by header name; unknown columns as text.

    read_csv takes its columns by position, so files whose columns come in another order are read separately
    and combined by name.
    """

    def read_type(name: str) -> str:
        lake_type = read_types.get(name)
        if lake_type is None or lake_type in _TEXT_PARSED_TYPES:
            return "VARCHAR"
        return lake_type

    by_order: dict[tuple[str, ...], list[InputFile]] = {}
    for file, header in zip(files, headers, strict=True):
        by_order.setdefault(tuple(header), []).append(file)
    readers = []
    for header, ordered_alike in by_order.items():
        columns = "{" + ", ".join(f"{duck.quote_literal(name)}: '{read_type(name)}'" for name in header) + "}"
        paths = "[" + ", ".join(duck.quote_literal(str(f.local_path)) for f in ordered_alike) + "]"
        readers.append(
            f"read_csv({paths}, header = true, auto_detect = false, columns = {columns}, delim = ',', quote = '\"', "
            "escape = '\"', strict_mode = true, filename = true, null_padding = false, encoding = 'utf-8')"
        )
    if len(readers) == 1:
        return readers[0]
    return "(" + " union all by name ".join(f"select * from {reader}" for reader in readers) + ")"


def _parquet_reader(files: list[InputFile]) -> str:
    paths = "[" + ", ".join(duck.quote_literal(str(f.local_path)) for f in files) + "]"
    return f"read_parquet({paths}, filename = true, union_by_name = true)"


def _lake_expression(name: str, lake_type: str, source: str | None, from_parquet: bool) -> str:
    """The lake column `name` from the export's column `source` (None: the export lacks it, so null)."""
    target = duck.quote_identifier(name)
    if source is None:
        return f"cast(null as {lake_type}) as {target}"
    column = duck.quote_identifier(source)
    if lake_type == "TIMESTAMP":
        return f"{_timestamp(column)} as {target}"
    if lake_type == "DATE" or from_parquet:
        return f"cast({column} as {lake_type}) as {target}"
    return f"{column} as {target}"


def _timestamp(column: str, *, try_: bool = False) -> str:
    """A timestamp from the text of `column`; with `try_`, null where the text is not one (instead of failing).

    Azure writes `2025-03-01T00:00Z` (FOCUS 1.0), `...T00:00:00Z` (1.0r2+) or 7 fractional digits, and the legacy
    cost details `09/21/2023` (EA, month first) or `2023-09-21`: add missing seconds, read any offset, store naive
    UTC (the session time zone is UTC). The plain cast reads most values; the regular expressions run only on the
    rest.
    """
    text = f"trim(cast({column} as varchar))"
    prefix = "try_" if try_ else ""
    us_date = f"{prefix}strptime({text}, '%m/%d/%Y')"
    with_seconds = f"regexp_replace({text}, {_MINUTES_ONLY}, '\\1:00\\2')"
    parsed = f"cast({prefix}cast({with_seconds} as timestamptz) as timestamp)"
    return (
        f"coalesce(cast(try_cast({text} as timestamptz) as timestamp), case when {text} = '' then null "
        f"when regexp_full_match({text}, {_US_DATE}) then {us_date} else {parsed} end)"
    )


def _first_unreadable_date(
    connection: duckdb.DuckDBPyConnection,
    files: list[InputFile],
    headers: list[list[str]],
    read_types: dict[str, str],
) -> str | None:
    """Where the first date or timestamp value that does not read is: file, line, column and value; None if none.

    Reads the files again one at a time, in their order (one thread, insertion order kept), so the row number is the
    file's. Only called when a conversion failed.
    """
    dates = {name: lake_type for name, lake_type in read_types.items() if lake_type in _TEXT_PARSED_TYPES}
    if not dates:
        return None
    connection.execute("set threads = 1")
    connection.execute("set preserve_insertion_order = true")
    for file, header in zip(files, headers, strict=True):
        reader = _parquet_reader([file]) if file.is_parquet else _csv_reader([file], [header], read_types)
        checks = []
        for name, lake_type in dates.items():
            column = duck.quote_identifier(name)
            readable = _timestamp(column, try_=True) if lake_type == "TIMESTAMP" else f"try_cast({column} as DATE)"
            checks.append(
                f"select {duck.quote_literal(name)} as column_name, {duck.quote_literal(lake_type.lower())} as kind, "
                f"cast({column} as varchar) as value, data_row from numbered "
                f"where trim(cast({column} as varchar)) <> '' and {readable} is null"
            )
        try:
            found = connection.execute(
                f"with numbered as (select *, row_number() over () as data_row from {reader}) "
                f"select * from ({' union all '.join(checks)}) order by data_row limit 1"
            ).fetchone()
        except duckdb.Error:
            return None  # the file has another problem, which DuckDB's own error names
        if found is not None:
            name, kind, value, data_row = found
            return (
                f"{file.blob_name}: line {data_row + 1}, column {name}: cannot read {value!r} as a {kind}; fix or "
                "re-export the file (the previous data for the month is kept)"
            )
    return None


def _extra_columns_json(unknown: list[str]) -> str:
    if not unknown:
        return "cast(null as varchar)"
    pairs = ", ".join(f"{duck.quote_literal(name)}, {duck.quote_identifier(name)}" for name in unknown)
    return f"cast(json_object({pairs}) as varchar)"


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0]


def _shorten(line: str, limit: int = 160) -> str:
    return line if len(line) <= limit else line[: limit - 3] + "..."


def explain_duckdb_error(error: duckdb.Error, source_names: dict[str, str]) -> str:
    """DuckDB's message, cut to what names the problem, with local paths replaced by the names the user knows.

    Kept: the first line (the line number), the original line, the reason (conversion error, wrong number of
    columns, invalid UTF-8, ...) and the file. Dropped: DuckDB's suggestions and its reader settings.
    """
    text = str(error)
    for local, blob in source_names.items():
        text = text.replace(local, blob)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    essentials = [lines[0]] + [
        _shorten(line)
        for line in lines[1:]
        if not line.startswith(("Possible", "*", "This type was auto-detected", "Column at position"))
        and (" = " not in line or line.startswith("file = "))
    ]
    message = " | ".join(essentials)
    if not any(line.startswith("file = ") for line in essentials) and len(source_names) == 1:
        message = f"{next(iter(source_names.values()))}: {message}"
    return message + "; fix or re-export the file (the previous data for the month is kept)"


def verify_gzip(path: Path, name: str) -> None:
    """Decompress a gzip file to its end, checking every member's CRC and length; raises ExportValidationError.

    DuckDB reads a truncated gzip without complaint (it stops where the bytes stop), so a part cut short would
    load fewer rows silently wherever the manifest gives no row count. Streams 1 MB at a time.
    """
    decompressor = zlib.decompressobj(wbits=31)
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                while chunk:
                    decompressor.decompress(chunk, 1 << 20)
                    chunk = decompressor.unconsumed_tail
                    if decompressor.eof and decompressor.unused_data:  # another gzip member follows
                        chunk = decompressor.unused_data + chunk
                        decompressor = zlib.decompressobj(wbits=31)
    except zlib.error as error:
        raise ExportValidationError(f"{name}: damaged gzip data ({error}); re-run the export") from None
    if not decompressor.eof:
        raise ExportValidationError(
            f"{name}: truncated gzip (the file ends in the middle of the compressed data); the file is incomplete: "
            "re-run the export"
        )
