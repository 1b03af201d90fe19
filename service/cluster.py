"""`make cluster`: the scale-out set-up on loopback, with Rasa's own production building blocks.

    PostgreSQL 15 (tracker store)   Redis 7 (lock store)
    2 Rasa servers ── haproxy ◄── widget demo page, Matrix bridge (one URL)
    2 action servers ── haproxy (round robin, health-checked)

PostgreSQL and Redis run as throwaway instances with their data under run/cluster-<port>/;
started as root, PostgreSQL runs as the `postgres` user with its data in that user's home
(/var/lib/postgresql/modellregionen/<checkout>-<port>, removed when the cluster stops), which
it can reach whatever the permissions of the checkout. haproxy routes each conversation
to one Rasa server by the hash of the `sender` in the JSON body and fails over to the other
(deploy/haproxy.cfg says why). The configuration files in deploy/ are what a production
set-up uses with other host names.

    python -m service.cluster up        # start everything, wait for Ctrl-C
"""

from __future__ import annotations

import argparse
import hashlib
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field, replace
from pathlib import Path

from channels.tokens import private_dir
from service.stack import (
    ROOT,
    Ports,
    Service,
    StackError,
    actions_service,
    ensure_indexes,
    rasa_service,
    start,
    stop,
    wait_healthy,
    web_service,
)

DEPLOY = ROOT / "deploy"
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
REDIS_SERVER = os.environ.get("REDIS_SERVER", "/usr/bin/redis-server")
HAPROXY = os.environ.get("HAPROXY", "/usr/sbin/haproxy")
RATE_LIMIT = int(os.environ.get("RATE_LIMIT_PER_10S", "30"))  # requests per sender per 10 s


@dataclass(frozen=True)
class ClusterPorts:
    postgres: int = 6310
    redis: int = 6311
    balancer: int = 6320  # the Rasa servers' REST channel, for the widget and the bridge
    actions_balancer: int = 6321
    stats: int = 6322  # haproxy's status page
    rasa: tuple[int, int] = (6330, 6331)
    actions: tuple[int, int] = (6340, 6341)
    web: int = 6350

    def shifted(self, offset: int) -> ClusterPorts:
        return ClusterPorts(
            *(p + offset for p in (self.postgres, self.redis, self.balancer)),
            self.actions_balancer + offset,
            self.stats + offset,
            (self.rasa[0] + offset, self.rasa[1] + offset),
            (self.actions[0] + offset, self.actions[1] + offset),
            self.web + offset,
        )


def missing_tools() -> list[str]:
    tools = [str(PG_BIN / "initdb"), str(PG_BIN / "postgres"), REDIS_SERVER, HAPROXY]
    return [tool for tool in tools if not os.access(tool, os.X_OK)]


def _as_postgres(argv: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: then run it as the Debian package's user."""
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def _port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def fill(template: str, values: dict[str, object]) -> str:
    for key, value in values.items():
        template = template.replace("${" + key + "}", str(value))
    return template


@dataclass
class Cluster:
    """The running cluster, for `make cluster`, the cluster tests and the soak benchmark."""

    ports: ClusterPorts = field(default_factory=ClusterPorts)
    web: bool = True
    running: dict[str, Service] = field(default_factory=dict)

    @property
    def data_dir(self) -> Path:
        return ROOT / "run" / f"cluster-{self.ports.balancer}"

    @property
    def pg_dir(self) -> Path:
        """PostgreSQL's folder (its data in `data`). Run as `postgres` (started as root), in
        that user's home: a checkout made with `mktemp -d` (0700) cannot be entered by it. Named
        by this checkout's secret, and removed when the cluster stops."""
        if os.geteuid() != 0:
            return self.data_dir
        mine = hashlib.sha256(self.password.encode()).hexdigest()[:12]  # this checkout's
        home = Path(pwd.getpwnam("postgres").pw_dir)
        return home / "modellregionen" / f"{mine}-{self.ports.balancer}"

    @property
    def password(self) -> str:
        path = self.data_dir / "secret"
        if not path.exists():
            private_dir(self.data_dir)
            path.touch(mode=0o600)
            path.write_text(secrets.token_hex(16))
        return path.read_text().strip()

    @property
    def tracker_url(self) -> str:
        return f"postgresql://rasa:{self.password}@127.0.0.1:{self.ports.postgres}/rasa"

    @property
    def lock_url(self) -> str:
        return f"redis://:{self.password}@127.0.0.1:{self.ports.redis}/1"

    @property
    def balancer_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.balancer}"

    @property
    def rest_url(self) -> str:
        return f"{self.balancer_url}/webhooks/rest/webhook"

    def rasa_rest_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.ports.rasa[index]}/webhooks/rest/webhook"

    # --- the services ---------------------------------------------------------------------

    def _postgres(self) -> Service:
        data = self.pg_dir / "pg"
        if not (data / "PG_VERSION").exists():
            self._initdb(data)
        argv = _as_postgres([
            str(PG_BIN / "postgres"), "-D", str(data),
            "-c", f"port={self.ports.postgres}",
            "-c", "listen_addresses=127.0.0.1",
            "-c", "unix_socket_directories=",
            "-c", "max_connections=100",
        ])  # fmt: skip
        service = Service("postgres", self.ports.postgres, argv, "")
        return replace(service, probe=self._postgres_ready)

    def _initdb(self, data: Path) -> None:
        data.mkdir(mode=0o700, parents=True, exist_ok=True)
        data.chmod(0o700)
        pwfile = self.pg_dir / "pg-password"
        pwfile.write_text(self.password + "\n")
        pwfile.chmod(0o600)
        if os.geteuid() == 0:
            shutil.chown(data, "postgres", "postgres")
            shutil.chown(pwfile, "postgres", "postgres")
        try:
            subprocess.run(
                _as_postgres(
                    [
                        str(PG_BIN / "initdb"),
                        "-D",
                        str(data),
                        "-U",
                        "rasa",
                        f"--pwfile={pwfile}",
                        "--auth=scram-sha-256",
                        "--no-locale",
                        "--encoding=UTF8",
                        "--no-instructions",
                    ]
                ),
                check=True,
                capture_output=True,
                text=True,
                cwd=self.pg_dir,  # a folder its user may enter (initdb returns to it)
            )
        except subprocess.CalledProcessError as error:
            raise StackError(f"initdb failed: {error.stderr.strip()}") from None
        finally:
            pwfile.unlink(missing_ok=True)

    def _postgres_ready(self) -> bool:
        import psycopg2

        try:
            connection = psycopg2.connect(
                host="127.0.0.1",
                port=self.ports.postgres,
                user="rasa",
                password=self.password,
                dbname="postgres",
                connect_timeout=2,
            )
        except psycopg2.OperationalError:
            return False
        connection.autocommit = True  # CREATE DATABASE cannot run in a transaction
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = 'rasa'")
                if cursor.fetchone() is None:
                    cursor.execute("CREATE DATABASE rasa")
        finally:
            connection.close()
        return True

    def _redis(self) -> Service:
        config = self.data_dir / "redis.conf"
        config.write_text(
            (DEPLOY / "redis.conf").read_text()
            + f"port {self.ports.redis}\ndir {self.data_dir}\nrequirepass {self.password}\n"
        )
        config.chmod(0o600)
        service = Service("redis", self.ports.redis, [REDIS_SERVER, str(config)], "")
        return replace(service, probe=self._redis_ready)

    def _redis_ready(self) -> bool:
        import redis

        try:
            return bool(
                redis.Redis(port=self.ports.redis, password=self.password, socket_timeout=2).ping()
            )
        except redis.RedisError:
            return False

    def _haproxy(self) -> Service:
        config = self.data_dir / "haproxy.cfg"
        values = {
            "BIND": os.environ.get("BALANCER_INTERFACE", "127.0.0.1"),
            "BALANCER_PORT": self.ports.balancer,
            "ACTIONS_BALANCER_PORT": self.ports.actions_balancer,
            "STATS_PORT": self.ports.stats,
            "RASA1_PORT": self.ports.rasa[0],
            "RASA2_PORT": self.ports.rasa[1],
            "ACTIONS1_PORT": self.ports.actions[0],
            "ACTIONS2_PORT": self.ports.actions[1],
            "RATE_LIMIT": RATE_LIMIT,
        }
        config.write_text(fill((DEPLOY / "haproxy.cfg").read_text(), values))
        argv = [HAPROXY, "-f", str(config), "-db"]
        return Service(
            "haproxy", self.ports.balancer, argv, f"http://127.0.0.1:{self.ports.stats}/"
        )

    def rasa(self, index: int) -> Service:
        ports = Ports(rasa=self.ports.rasa[index], actions=0, web=self.ports.web)
        return rasa_service(
            ports,
            name=f"rasa{index + 1}",
            tracker=self.tracker_url,
            lock=self.lock_url,
            actions_url=f"http://127.0.0.1:{self.ports.actions_balancer}",
        )

    def actions(self, index: int) -> Service:
        return actions_service(self.ports.actions[index], name=f"actions{index + 1}")

    # --- starting and stopping ------------------------------------------------------------

    def _launch(self, *services: Service) -> None:
        for service in services:
            if _port_open(service.port):
                raise StackError(f"port {service.port} ({service.name}) is already in use")
            start(service)
            self.running[service.name] = service
        for service in services:
            wait_healthy(service, timeout=300)

    def __enter__(self) -> Cluster:
        missing = missing_tools()
        if missing:
            raise StackError(f"missing {', '.join(missing)}: run `make install-services`")
        private_dir(self.data_dir)
        try:
            self._launch(self._postgres(), self._redis())
            self._launch(self.actions(0), self.actions(1), self.rasa(0), self.rasa(1))
            ensure_indexes(self.tracker_url)
            self._launch(self._haproxy())
            if self.web:
                self._launch(web_service(self.ports.web, self.balancer_url))
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        # clients before their servers, also after a restart changed the order of `running`
        order = ["web", "haproxy", "rasa1", "rasa2", "actions1", "actions2", "redis", "postgres"]
        for name in sorted(self.running, key=order.index):
            self._stop(self.running[name])
        self.running.clear()
        if self.pg_dir != self.data_dir:  # outside the checkout: leave nothing behind
            shutil.rmtree(self.pg_dir, ignore_errors=True)

    def _stop(self, service: Service) -> None:
        """Stop a service; PostgreSQL with a fast shutdown (its SIGTERM would wait for every
        client to disconnect) and only once its data directory is free again."""
        if service.name == "postgres" and service.process and service.process.poll() is None:
            pg_ctl = [str(PG_BIN / "pg_ctl"), "stop", "-D", str(self.pg_dir / "pg")]
            subprocess.run(
                _as_postgres([*pg_ctl, "-m", "fast", "-w"]), capture_output=True, cwd=self.pg_dir
            )
            service.process.wait(timeout=30)
        stop(service, grace=20)

    def balancer_states(self) -> dict[str, str]:
        """What haproxy's health checks make of each server: {"rasa1": "UP", …} (its CSV stats)."""
        url = f"http://127.0.0.1:{self.ports.stats}/;csv"
        with urllib.request.urlopen(url, timeout=5) as response:
            rows = response.read().decode().splitlines()
        states = {}
        for row in rows:
            fields = row.split(",")
            if len(fields) > 17 and fields[1] not in ("FRONTEND", "BACKEND", "svname"):
                states[fields[1]] = fields[17]
        return states

    def kill(self, name: str) -> None:
        """Kill one service at once (SIGKILL), as a crash would."""
        service = self.running[name]
        assert service.process is not None
        os.killpg(service.process.pid, signal.SIGKILL)
        service.process.wait()

    def restart(self, name: str) -> float:
        """Stop (if running) and start one service again; seconds until it was ready."""
        service = self.running.pop(name)
        self._stop(service)
        fresh = Service(service.name, service.port, service.argv, service.health_url,
                        env=service.env, probe=service.probe)  # fmt: skip
        self._launch(fresh)
        return fresh.ready_after or 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m service.cluster", description=__doc__)
    parser.add_argument("command", choices=["up"])
    parser.add_argument("--no-web", action="store_true", help="do not serve the demo page")
    args = parser.parse_args(argv)
    started = time.monotonic()

    def stop_on_term(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop_on_term)
    try:
        print("Starting PostgreSQL, Redis, 2 action servers, 2 Rasa servers, haproxy …")
        with Cluster(web=not args.no_web) as cluster:
            for service in cluster.running.values():
                ready = service.ready_after or 0.0
                print(f"  {service.name:9s} :{service.port}  ready after {ready:5.1f} s  "
                      f"(log run/{service.log_path.name})")  # fmt: skip
            print(f"\nCluster ready after {time.monotonic() - started:.0f} s")
            print(f"REST channel (balancer): {cluster.rest_url}")
            print(f"haproxy status:          http://127.0.0.1:{cluster.ports.stats}/")
            if not args.no_web:
                print(f"Demo page:               http://localhost:{cluster.ports.web}/")
            print("Press Ctrl-C to stop.", flush=True)
            while True:
                time.sleep(1)
    except StackError as exc:
        print(f"Could not start: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopped.")
        return 0


if __name__ == "__main__":
    sys.exit(main())
