"""Named points in a load where a test can stop the loader for real, to kill it (SIGKILL) at an exact moment.

With AOAI_FINOPS_PAUSE_AT=<point>[,<point>...] and AOAI_FINOPS_PAUSE_DIR=<folder> set, the loader writes
`<folder>/<point>.reached` when it gets to a point and waits there while `<folder>/<point>.hold` exists. Without
them (every real run) a checkpoint does nothing. Points: `staged` (a run converted, not yet committed),
`committed` (a partition swapped in, not yet logged), `telemetry_committed` (a telemetry batch swapped in, not
yet logged).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

PAUSE_AT_ENV = "AOAI_FINOPS_PAUSE_AT"
PAUSE_DIR_ENV = "AOAI_FINOPS_PAUSE_DIR"


def checkpoint(point: str) -> None:
    points = os.environ.get(PAUSE_AT_ENV)
    if not points or point not in points.split(","):
        return
    folder = Path(os.environ.get(PAUSE_DIR_ENV, "."))
    (folder / f"{point}.reached").touch()
    while (folder / f"{point}.hold").exists():
        time.sleep(0.05)
