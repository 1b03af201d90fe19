"""The real cluster (service/cluster.py): PostgreSQL, Redis, haproxy, 2 Rasa + 2 action servers.

Started once for the session. PostgreSQL, Redis and haproxy come from Debian's packages
(`make install-services`); when they are missing the tests fail, they never skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator

import pytest

from service.cluster import Cluster, ClusterPorts, missing_tools
from service.stack import send
from tests.support import require_free_ports, require_model

PORTS = ClusterPorts().shifted(int(os.environ.get("TEST_PORT_OFFSET", "0")))


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    require_model()
    missing = missing_tools()
    assert not missing, f"missing {missing}: run `make install-services`"
    require_free_ports(
        PORTS.postgres, PORTS.redis, PORTS.balancer, *PORTS.rasa, *PORTS.actions,
        purpose="the cluster tests",
    )  # fmt: skip
    with Cluster(ports=PORTS, web=False) as running:
        yield running


Say = Callable[[str], list[dict]]


def new_sender() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def via_balancer(cluster: Cluster) -> Say:
    """A fresh conversation through the balancer."""
    sender = new_sender()
    return lambda text: send(cluster.rest_url, sender, text)
