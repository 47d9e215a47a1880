"""Measure: peak memory of streaming a large blob through AzureBlobSource.download, against the same process
that only lists the container (the floor: Python, azure-storage-blob and DuckDB imported).

    python scripts/blob_download_memory.py [--megabytes 1024]

Starts Azurite (node_modules, `make azurite`) with a throw-away account, uploads one blob of the given size,
then runs the download and the floor each in a fresh process and reads their peak resident memory from wait4.
Reports the ratio of the two, and the extra memory as a share of the blob's size: streaming keeps it near 0.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "tests" / "python"))

from azurite import running_azurite  # noqa: E402  (the tests' Azurite launcher)

CHILD = """
import sys, os
from pathlib import Path
from aoai_finops.sources import open_source
import duckdb  # imported by every load: part of the floor
source = open_source(sys.argv[1])
files = list(source.list_files())
if sys.argv[2] == "download":
    source.download(files[0].path, Path(sys.argv[3]))
    print(os.path.getsize(sys.argv[3]))
"""


def peak_mb(arguments: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-c", CHILD, *arguments], env=env, stdout=subprocess.PIPE, text=True)
    output = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"measurement failed: {arguments}")
    return usage.ru_maxrss / 1024, time.monotonic() - started, output.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=1024, help="size of the blob (default 1024)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=REPO_ROOT / "data" if (REPO_ROOT / "data").is_dir() else None) as work:
        work_dir = Path(work)
        with running_azurite(work_dir) as azurite:
            azurite.create_container("big")
            blob = azurite.service().get_blob_client("big", "exports/part_0_0001.csv.gz")
            chunk = os.urandom(4 * 1024 * 1024)
            blob.upload_blob(
                (chunk for _ in range(args.megabytes // 4)), length=args.megabytes // 4 * len(chunk), overwrite=True
            )
            env = {**os.environ, "AZURE_STORAGE_CONNECTION_STRING": azurite.connection_string}
            location = f"azure://{azurite.account}/big"
            floor, _, _ = peak_mb([location, "list"], env)
            download, seconds, size = peak_mb([location, "download", str(work_dir / "downloaded")], env)
    megabytes = int(size) / 1024**2
    print(f"blob: {megabytes:,.0f} MB downloaded in {seconds:.1f} s")
    print(f"peak resident memory: floor (list only) {floor:.0f} MB, download {download:.0f} MB")
    extra = (download - floor) / megabytes
    print(f"ratio download / floor: {download / floor:.2f}; extra memory / blob size: {extra:.3f}")


if __name__ == "__main__":
    main()
