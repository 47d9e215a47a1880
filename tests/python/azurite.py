"""Azurite, the Azure Storage emulator (npm, installed into node_modules by `make azurite`), for real blob tests.

Each test session starts its own `azurite-blob` on a free port with a temporary data folder and kills it at the
end. Instead of Azurite's well-known development account, it gets an account of its own with a random key
(AZURITE_ACCOUNTS), so no key is written in the repository and every session's secrets are unique: tests can
search all output for them.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from azure.storage.blob import BlobServiceClient, ContainerSasPermissions, ContentSettings, generate_container_sas

REPO_ROOT = Path(__file__).resolve().parents[2]
AZURITE_BLOB = REPO_ROOT / "node_modules" / ".bin" / "azurite-blob"
ACCOUNT = "aoaifinopstest"
# azure-storage-blob 12.31 sends a newer API version than Azurite 3.35 knows; pinning one Azurite accepts is the
# alternative to --skipApiVersionCheck (the server is started with that flag too).
API_VERSION = "2025-11-05"


@dataclass(frozen=True)
class Azurite:
    port: int
    account: str
    key: str

    @property
    def blob_endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/{self.account}"

    @property
    def connection_string(self) -> str:
        return (
            f"DefaultEndpointsProtocol=http;AccountName={self.account};AccountKey={self.key};"
            f"BlobEndpoint={self.blob_endpoint};"
        )

    def service(self) -> BlobServiceClient:
        return BlobServiceClient.from_connection_string(self.connection_string, api_version=API_VERSION)

    def create_container(self, name: str) -> None:
        self.service().create_container(name)

    def upload(self, container: str, name: str, data: bytes, *, content_md5: bytes | None = None) -> None:
        """Upload one blob with its Content-MD5 (as Cost Management's single-shot uploads have it).

        `content_md5` sets another Content-MD5 property afterwards (Azurite checks it on upload): a damaged blob.
        """
        blob = self.service().get_blob_client(container, name)
        md5 = hashlib.md5(data, usedforsecurity=False).digest()
        blob.upload_blob(data, overwrite=True, content_settings=ContentSettings(content_md5=bytearray(md5)))
        if content_md5 is not None:
            blob.set_http_headers(ContentSettings(content_md5=bytearray(content_md5)))

    def upload_folder(self, folder: Path, container: str, prefix: str = "") -> int:
        """Upload every file under `folder` as `<prefix><relative path>`; returns the number of blobs."""
        files = sorted(path for path in folder.rglob("*") if path.is_file())
        for path in files:
            self.upload(container, prefix + path.relative_to(folder).as_posix(), path.read_bytes())
        return len(files)

    def sas_token(self, container: str, *, hours: float = 1.0, read: bool = True) -> str:
        """A container SAS token with list permission, and read permission unless `read` is False."""
        return generate_container_sas(
            self.account,
            container,
            account_key=self.key,
            permission=ContainerSasPermissions(read=read, list=True),
            expiry=datetime.now(UTC) + timedelta(hours=hours),
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_azurite(data_dir: Path, *, timeout: float = 30.0) -> Iterator[Azurite]:
    """Start azurite-blob, wait until it answers, yield it, kill it (and only it) at the end."""
    if not AZURITE_BLOB.exists():
        raise RuntimeError(f"{AZURITE_BLOB} is missing: run `make azurite` (npm install into node_modules)")
    key = base64.b64encode(secrets.token_bytes(64)).decode()
    port = free_port()
    log = (data_dir / "azurite.log").open("wb")
    process = subprocess.Popen(
        [
            str(AZURITE_BLOB),
            "--blobHost",
            "127.0.0.1",
            "--blobPort",
            str(port),
            "--location",
            str(data_dir),
            "--skipApiVersionCheck",
            "--disableTelemetry",
            "--silent",
        ],
        env={**os.environ, "AZURITE_ACCOUNTS": f"{ACCOUNT}:{key}"},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_until_listening(process, port, timeout, data_dir / "azurite.log")
        yield Azurite(port, ACCOUNT, key)
    finally:
        # Its own process group (start_new_session): node and anything it spawned, nothing else.
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def _wait_until_listening(process: subprocess.Popen, port: int, timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"azurite-blob exited with {process.returncode}: {log.read_text(errors='replace')}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"azurite-blob did not listen on port {port} within {timeout} s")
