"""The API's side of the off-hours schedule (requirement COST-3): scale its Rollout to zero at night and back up in
the morning, once the database accepts connections.

Run by two CronJobs in the API's namespace (deploy, api chart) with the API's own image, so no other image has to be
admitted and signed. It talks to the Kubernetes API with the standard library and the Job's service account token:
one PATCH of the Rollout's scale subresource. At zero replicas the HorizontalPodAutoscaler stops acting (Kubernetes
disables autoscaling of a target scaled to zero) and, from the replicas set in the morning, takes over again.
"""

from __future__ import annotations

import json
import os
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine

SERVICE_ACCOUNT_DIR = Path("/var/run/secrets/kubernetes.io/serviceaccount")
ROLLOUT_SCALE_PATH = "/apis/argoproj.io/v1alpha1/namespaces/{namespace}/rollouts/{name}/scale"


class OffHoursError(Exception):
    """A step of the schedule failed; the message is one line for the Job's log."""


@dataclass(frozen=True)
class KubernetesApi:
    base_url: str
    token: str
    namespace: str
    ssl_context: ssl.SSLContext | None = None

    def __post_init__(self) -> None:
        # urllib also opens file: and custom schemes; only the API server's https (or a test's http) is meant.
        if not self.base_url.startswith(("https://", "http://")):
            raise OffHoursError(f"Kubernetes API address must be http(s), got {self.base_url!r}")

    @classmethod
    def in_cluster(cls, directory: Path = SERVICE_ACCOUNT_DIR) -> KubernetesApi:
        host = os.environ.get("KUBERNETES_SERVICE_HOST")
        port = os.environ.get("KUBERNETES_SERVICE_PORT", "443")
        if not host:
            raise OffHoursError("KUBERNETES_SERVICE_HOST is not set: run inside the cluster")
        try:
            token = (directory / "token").read_text().strip()
            namespace = (directory / "namespace").read_text().strip()
        except OSError as error:
            raise OffHoursError(f"no service account token in {directory}: {error.strerror}") from None
        context = ssl.create_default_context(cafile=str(directory / "ca.crt"))
        return cls(f"https://{host}:{port}", token, namespace, context)


def scale_rollout(api: KubernetesApi, name: str, replicas: int) -> None:
    """Set the Rollout's replicas through its scale subresource (the only thing the Job's Role may patch)."""
    url = api.base_url + ROLLOUT_SCALE_PATH.format(namespace=api.namespace, name=name)
    request = urllib.request.Request(  # noqa: S310 (scheme checked in KubernetesApi)
        url,
        data=json.dumps({"spec": {"replicas": replicas}}).encode(),
        method="PATCH",
        headers={
            "Authorization": f"Bearer {api.token}",
            "Content-Type": "application/merge-patch+json",
            "Accept": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30, context=api.ssl_context) as response:  # noqa: S310 (scheme checked in KubernetesApi)
            response.read()
    except urllib.error.HTTPError as error:
        raise OffHoursError(f"PATCH rollouts/{name}/scale: HTTP {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        raise OffHoursError(f"PATCH rollouts/{name}/scale: {error.reason}") from None


def wait_for_database(
    engine: Engine,
    timeout_seconds: float,
    *,
    interval_seconds: float = 10,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Return once ``SELECT 1`` succeeds (the attempts it took); raise after ``timeout_seconds`` of failures.

    The database's EventBridge schedule starts it at the same minute as the nodes, and RDS takes minutes to become
    available: pods started before then would only fail their readiness and restart.
    """
    from innovate_api import db

    try:
        return db.wait_for_database(
            engine, timeout_seconds, interval_seconds=interval_seconds, clock=clock, sleep=sleep
        )
    except db.DatabaseUnreachableError as error:
        raise OffHoursError(str(error)) from None
