"""Setting up, running and measuring the benchmark: databases, our subgraphs, the
gateways (ours and the peers), load from wrk and the tables."""

import base64
import datetime
import hashlib
import hmac
import json
import os
import platform
import secrets
import shutil
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"
CACHE = Path(os.environ.get("FITGRAPH_BENCH_CACHE", Path.home() / ".cache" / "fitgraph-bench"))
TARGET = Path(os.environ.get("FITGRAPH_BENCH_TARGET", Path.home() / ".cache" / "fitgraph-release"))
PG_ADMIN = os.environ.get("FITGRAPH_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("FITGRAPH_BENCH_REDIS", "redis://127.0.0.1:6379")
LOAD_CORE = os.environ.get("FITGRAPH_BENCH_LOAD_CORE", "0")
SERVER_CORE = os.environ.get("FITGRAPH_BENCH_SERVER_CORE", "1")

HIVE_ROUTER_VERSION = "0.0.71"
SUBGRAPHS = {"profile": 4201, "exercises": 4202, "plans": 4203, "feedback": 4204}
GATEWAY_PORT = 4200
CLK_TCK = os.sysconf("SC_CLK_TCK")


class BenchError(RuntimeError):
    """A step that cannot go on; the message says what to do."""


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run(command, **kwargs):
    """Runs a setup command, failing loudly with its output when it fails."""
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise BenchError(f"{' '.join(map(str, command))} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def pinned(core, command):
    return ["taskset", "-c", core, *map(str, command)]


# ---------------------------------------------------------------- identities


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def mint_token(secret, user_id, ttl=6 * 3600):
    """An HS256 token for `user_id`, as `fitgraph token` would mint it."""
    now = int(time.time())
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = b64url(json.dumps({"sub": user_id, "iat": now, "exp": now + ttl}).encode())
    signing_input = f"{header}.{claims}".encode()
    signature = hmac.new(secret.encode(), signing_input, hashlib.sha256).digest()
    return f"{header}.{claims}.{b64url(signature)}"


# ---------------------------------------------------------------- HTTP


def post(url, body, headers, timeout=30):
    data = json.dumps(body).encode() if not isinstance(body, (bytes, str)) else (
        body.encode() if isinstance(body, str) else body)
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"content-type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as err:
        text = err.read()
        try:
            return err.code, json.loads(text)
        except ValueError:
            return err.code, text.decode(errors="replace")


def wait_until_ready(url, headers, what, process=None, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process is not None and process.poll() is not None:
            raise BenchError(f"{what} exited with {process.returncode} before it was ready")
        try:
            status, _ = post(url, {"query": "{ __typename }"}, headers, timeout=2)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise BenchError(f"{what} did not answer at {url} within {timeout} s")


# ---------------------------------------------------------------- processes


def descendants(pid):
    """`pid` and every process below it (a Node gateway may fork workers)."""
    children = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        queue.extend(children.get(current, []))
    return found


def cpu_ticks(pids):
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except OSError:
            pass
    return total


def reset_peak_rss(pids):
    for pid in pids:
        try:
            Path(f"/proc/{pid}/clear_refs").write_text("5")
        except OSError:
            pass


def peak_rss_kb(pids):
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


class Service:
    """A process we started, with its log file."""

    def __init__(self, name, command, env=None, cwd=None):
        self.name = name
        CACHE.joinpath("logs").mkdir(parents=True, exist_ok=True)
        self.log_path = CACHE / "logs" / f"{name}.log"
        self.log_file = open(self.log_path, "w")
        self.process = subprocess.Popen(pinned(SERVER_CORE, command), env=env, cwd=cwd,
                                        stdout=self.log_file, stderr=subprocess.STDOUT)

    @property
    def pid(self):
        return self.process.pid

    def stop(self):
        if self.process.poll() is None:
            for pid in reversed(descendants(self.pid)):
                try:
                    os.kill(pid, 15)
                except OSError:
                    pass
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_file.close()

    def tail(self):
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-20:])


# ---------------------------------------------------------------- requests


class Request:
    """One operation as a gateway receives it: its URL path and the lines wrk sends."""

    def __init__(self, name, lines, path="/graphql"):
        self.name = name
        self.lines = lines
        self.path = path
        self.file = CACHE / "requests" / f"{name}.txt"
        self.file.parent.mkdir(parents=True, exist_ok=True)
        self.file.write_text("\n".join(lines) + "\n")

    def sample(self):
        head, body = self.lines[0].split("\t", 1)
        headers = {}
        if head != "-":
            for pair in head.split("|"):
                name, value = pair.split(":", 1)
                headers[name.strip()] = value.strip()
        return headers, body


def request_line(headers, body):
    head = "|".join(f"{name}: {value}" for name, value in headers.items()) or "-"
    return f"{head}\t{json.dumps(body, separators=(',', ':'))}"


def operation_text(name):
    return (BENCH / "operations" / f"{name}.graphql").read_text()


# ---------------------------------------------------------------- environment


class Environment:
    """Everything shared by the runs: tools, databases, secrets, our subgraphs."""

    @classmethod
    def prepare(cls, args):
        env = cls()
        env.args = args
        env.trust_secret = secrets.token_hex(32)
        # In shared_secret mode the secret's bytes travel hex-encoded.
        env.secret_header = env.trust_secret.encode().hex()
        env.jwt_secret = secrets.token_hex(32)
        env.subgraphs = []
        check_tools()
        env.fitgraph = build_fitgraph()
        if not args.only_targets:
            env.peers = install_peers(args.gateways)
        env.databases = prepare_databases(args.fresh_db)
        env.seed(args)
        env.supergraph = write_supergraph()
        env.pinned_services = pin_shared_services()
        return env

    def settings_env(self, **extra):
        env = dict(os.environ)
        for name, port in SUBGRAPHS.items():
            env[f"FITGRAPH_{name.upper()}__DATABASE_URL"] = self.databases[name]
            env[f"FITGRAPH_{name.upper()}__PORT"] = str(port)
        env.update({
            "FITGRAPH_TRUST__SECRET": self.trust_secret,
            "FITGRAPH_TRUST__MODE": "shared_secret",
            "FITGRAPH_AUTH__HS256_SECRET": self.jwt_secret,
            "FITGRAPH_REDIS_URL": REDIS,
            "FITGRAPH_EVENTS__NAMESPACE": "fitgraph-bench",
            "FITGRAPH_SEED_ON_START": "false",
            "FITGRAPH_DATA_DIR": str(CACHE / "data"),
            "FITGRAPH_GATEWAY__RATE_LIMIT__ENABLED": "false",
            "FITGRAPH_GATEWAY__PORT": str(GATEWAY_PORT),
            # The scheduler would train in the middle of a measurement.
            "FITGRAPH_RECOMMEND__TRAINING_ENABLED": "false",
            "RUST_LOG": os.environ.get("BENCH_RUST_LOG", "warn"),
        })
        env.update(extra)
        return env

    def seed(self, args):
        env = self.settings_env()
        log("migrating and seeding the benchmark databases")
        run([self.fitgraph, "migrate"], env=env, cwd=CACHE)
        command = [self.fitgraph, "seed"]
        if args.scale:
            command += ["--scale", "--users", str(args.users), "--feedback-rows", str(args.feedback_rows)]
            log(f"seeding {args.users:,} users and {args.feedback_rows:,} feedback rows (slow, once)")
        subprocess.run(command, env=env, cwd=CACHE, check=True)

    def start_subgraphs(self):
        env = self.settings_env()
        for name, port in SUBGRAPHS.items():
            service = Service(f"subgraph-{name}", [self.fitgraph, "serve", name], env=env, cwd=CACHE)
            self.subgraphs.append(service)
        for (name, port), service in zip(SUBGRAPHS.items(), self.subgraphs):
            wait_until_ready(self.subgraph_url(name), self.subgraph_headers(), f"subgraph {name}",
                             service.process)
        self.user_id = pick_user(self.databases["profile"])
        log(f"subgraphs up; measuring as user {self.user_id}")

    def subgraph_url(self, name):
        return f"http://127.0.0.1:{SUBGRAPHS[name]}/graphql"

    def subgraph_headers(self, user=None):
        headers = {"x-fitgraph-gateway-secret": self.secret_header}
        if user:
            headers["x-fitgraph-user"] = user
        return headers

    def variables(self, operation):
        today = datetime.date.today()
        if operation in ("dashboard", "deep"):
            return {"userId": self.user_id, "from": str(today - datetime.timedelta(days=14)),
                    "to": str(today)}
        return {}

    def request_for(self, gateway, operation):
        body = {"query": operation_text(operation), "variables": self.variables(operation)}
        if gateway == "direct":
            if operation != "single":
                return None
            return Request(f"direct-{operation}", [request_line(self.subgraph_headers(), body)])
        if gateway.startswith("fitgraph"):
            headers = {"authorization": f"Bearer {mint_token(self.jwt_secret, self.user_id)}"}
        else:
            headers = {"x-fitgraph-user": self.user_id}
        path = "/" if gateway == "apollo-gateway" else "/graphql"
        return Request(f"{gateway}-{operation}", [request_line(headers, body)], path)

    def reference_answers(self, operations):
        """What every gateway must answer: our gateway's answers, after giving the
        benchmark user a workout today with logged sets so that every level of the
        nested query has entities to fetch."""
        gateway = Gateway.start("fitgraph", self)
        try:
            prepare_user(gateway, self)
            answers = {}
            for operation in operations:
                headers, body = self.request_for("fitgraph", operation).sample()
                status, answer = post(gateway.url, body, headers)
                if status != 200 or not isinstance(answer, dict) or answer.get("errors"):
                    raise BenchError(f"reference answer for {operation} failed: {status} {answer}")
                answers[operation] = answer
            return answers
        finally:
            gateway.stop()

    def stop(self):
        for service in self.subgraphs:
            service.stop()
        unpin_shared_services(getattr(self, "pinned_services", []))


def check_tools():
    missing = [tool for tool in ("wrk", "taskset", "psql", "cargo", "node", "npm") if not shutil.which(tool)]
    if missing:
        raise BenchError(f"missing tools: {', '.join(missing)} (wrk: apt-get install wrk)")
    if os.cpu_count() < 2:
        raise BenchError("needs at least 2 cores: one for the load generator, one for the servers")


def build_fitgraph():
    log("building fitgraph (release)")
    env = dict(os.environ, CARGO_TARGET_DIR=str(TARGET))
    subprocess.run(["cargo", "build", "--release", "--locked", "-p", "fitgraph"], cwd=ROOT, env=env,
                   check=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    return TARGET / "release" / "fitgraph"


def install_peers(gateways):
    peers = {}
    if any(g.startswith("hive-router") for g in gateways):
        peers["hive-router"] = install_hive_router()
    for name in ("apollo-gateway", "hive-gateway"):
        if name in gateways:
            peers[name] = install_npm_peer(name)
    return peers


def install_hive_router():
    root = CACHE / f"hive-router-{HIVE_ROUTER_VERSION}"
    binary = root / "bin" / "hive_router"  # cargo installs it under this name
    if not binary.exists():
        log(f"installing hive-router {HIVE_ROUTER_VERSION} from crates.io (about 45 min on 2 cores, once)")
        subprocess.run(["cargo", "install", "hive-router", "--version", HIVE_ROUTER_VERSION, "--locked",
                        "--features", "graphiql", "--root", str(root)], check=True)
    return binary


def install_npm_peer(name):
    source, target = BENCH / "peers" / name, CACHE / "peers" / name
    target.mkdir(parents=True, exist_ok=True)
    lock = (source / "package-lock.json").read_bytes()
    stamp = target / ".installed-lock-sha256"
    digest = hashlib.sha256(lock).hexdigest()
    for item in source.iterdir():
        shutil.copy(item, target / item.name)
    if not stamp.exists() or stamp.read_text() != digest:
        log(f"installing {name} from the npm registry")
        run(["npm", "ci", "--no-audit", "--no-fund"], cwd=target)
        stamp.write_text(digest)
    return target


def psql(url, sql):
    return run(["psql", url, "-qtAXc", sql]).strip()


def prepare_databases(fresh):
    urls = {}
    for name in SUBGRAPHS:
        database = f"fitgraph_bench_{name}"
        admin = f"{PG_ADMIN}/postgres"
        if fresh:
            psql(admin, f'drop database if exists "{database}" with (force)')
        if not psql(admin, f"select 1 from pg_database where datname = '{database}'"):
            psql(admin, f'create database "{database}"')
        urls[name] = f"{PG_ADMIN}/{database}"
    return urls


def write_supergraph():
    text = (ROOT / "schema" / "supergraph.graphql").read_text()
    for name, port in SUBGRAPHS.items():
        default = {"profile": 4001, "exercises": 4002, "plans": 4003, "feedback": 4004}[name]
        text = text.replace(f'url: "http://127.0.0.1:{default}/graphql"', f'url: "http://127.0.0.1:{port}/graphql"')
    path = CACHE / "supergraph.graphql"
    path.write_text(text)
    return path


def pick_user(profile_url):
    """A demo user: the same one every run, so answers stay comparable."""
    user = psql(profile_url, "select id from users where email = 'ava.demo@fitgraph.example'")
    if not user:
        raise BenchError("the demo user is missing: did `fitgraph seed` run?")
    return user


def prepare_user(gateway, env):
    headers = {"authorization": f"Bearer {mint_token(env.jwt_secret, env.user_id)}"}
    status, answer = post(gateway.url, {"query": "{ me { todayWorkout { id status exercises { exercise { id } } } } }"}, headers)
    workout = (((answer or {}).get("data") or {}).get("me") or {}).get("todayWorkout")
    if status != 200 or not workout:
        raise BenchError(f"cannot get today's workout for the benchmark user: {answer}")
    if workout["status"] == "PLANNED":
        post(gateway.url, {"query": "mutation($id: ID!) { startWorkout(workoutId: $id) { id } }",
                           "variables": {"id": workout["id"]}}, headers)
    exercise = workout["exercises"][0]["exercise"]["id"]
    for index in range(3):
        post(gateway.url, {
            "query": "mutation($i: LogSetInput!) { logSet(input: $i) { id } }",
            "variables": {"i": {"idempotencyKey": f"bench-reference-set-{workout['id']}-{index}",
                                "userId": env.user_id, "workoutId": workout["id"], "exerciseId": exercise,
                                "setIndex": index, "reps": 8, "loadKg": 60.0}}}, headers)


def shared_service_pids():
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "comm").read_text().strip()
            except OSError:
                continue
            if command.startswith("postgres") or command.startswith("redis-server"):
                pids.append(int(entry.name))
    return pids


def pin_shared_services():
    """PostgreSQL and Redis run beside our servers, away from the load generator's core."""
    pids = shared_service_pids()
    for pid in pids:
        subprocess.run(["taskset", "-a", "-p", "-c", SERVER_CORE, str(pid)], capture_output=True)
    return pids


def unpin_shared_services(pids):
    every_core = f"0-{os.cpu_count() - 1}"
    for pid in set(pids) | set(shared_service_pids()):
        subprocess.run(["taskset", "-a", "-p", "-c", every_core, str(pid)], capture_output=True)


# ---------------------------------------------------------------- gateways


class Gateway:
    """One gateway under test (or the subgraph itself, for `direct`)."""

    def __init__(self, name, url, service, measured_pid):
        self.name, self.url, self.service, self.measured_pid = name, url, service, measured_pid

    @classmethod
    def start(cls, name, env):
        url = f"http://127.0.0.1:{GATEWAY_PORT}/graphql"
        if name == "direct":
            exercises = env.subgraphs[list(SUBGRAPHS).index("exercises")]
            return cls(name, env.subgraph_url("exercises"), None, exercises.pid)
        if name.startswith("fitgraph"):
            dedup = "false" if name.endswith("nodedup") else "true"
            service = Service(name, [env.fitgraph, "serve", "gateway", "--supergraph", env.supergraph,
                                     "--listen", f"127.0.0.1:{GATEWAY_PORT}"],
                              env=env.settings_env(FITGRAPH_GATEWAY__DEDUP_ENABLED=dedup), cwd=CACHE)
        elif name.startswith("hive-router"):
            service = start_hive_router(name, env)
        elif name == "hive-gateway":
            service = start_hive_gateway(env)
        elif name == "apollo-gateway":
            url = f"http://127.0.0.1:{GATEWAY_PORT}/"
            service = Service(name, ["node", "gateway.mjs"], cwd=env.peers[name], env=dict(
                os.environ, SUPERGRAPH=str(env.supergraph), PORT=str(GATEWAY_PORT),
                GATEWAY_SECRET=env.secret_header, NODE_ENV="production"))
        else:
            raise BenchError(f"unknown gateway {name}")
        try:
            wait_until_ready(url, {}, name, service.process)
        except BenchError as err:
            service.stop()
            raise BenchError(f"{err}\n{service.tail()}") from err
        log(f"{name} is up")
        return cls(name, url, service, service.pid)

    def stop(self):
        if self.service is not None:
            self.service.stop()


def start_hive_router(name, env):
    template = (BENCH / "peers" / "hive-router" / "router.config.yaml").read_text()
    config = (template.replace("@PORT@", str(GATEWAY_PORT)).replace("@SUPERGRAPH@", str(env.supergraph))
              .replace("@SECRET@", env.secret_header)
              .replace("@DEDUPE@", "false" if name.endswith("nodedup") else "true"))
    path = CACHE / f"{name}.config.yaml"
    path.write_text(config)
    return Service(name, [env.peers["hive-router"]], env=dict(os.environ, ROUTER_CONFIG_FILE_PATH=str(path)),
                   cwd=CACHE)


def start_hive_gateway(env):
    folder = env.peers["hive-gateway"]
    command = [folder / "node_modules" / ".bin" / "hive-gateway", "supergraph", env.supergraph,
               "--host", "127.0.0.1", "--port", str(GATEWAY_PORT), "--config-path", "gateway.config.mjs"]
    return Service("hive-gateway", command, cwd=folder, env=dict(
        os.environ, GATEWAY_SECRET=env.secret_header, NODE_ENV="production"))


def check_answer(gateway, request, expected, name, operation):
    """Whether `gateway` answers like ours; a wrong answer is kept in the logs."""
    headers, body = request.sample()
    status, answer = post(gateway.url, body, headers)
    if status == 200 and answer == expected:
        return True
    path = CACHE / "logs" / f"wrong-answer-{name}-{operation}.json"
    path.write_text(json.dumps({"status": status, "answer": answer, "expected": expected}, indent=2))
    log(f"{name} answers {operation} differently from fitgraph (see {path}); not measured")
    return False


def warm(gateway, request):
    load(gateway, request, connections=10, duration=2)


# ---------------------------------------------------------------- load


def load(gateway, request, connections, duration, rate=None, threads=1):
    """One wrk run against `gateway`; latencies in ms, CPU as % of one core."""
    env = dict(os.environ, BENCH_REQUESTS=str(request.file), BENCH_PATH=request.path, BENCH_THREADS=str(threads))
    if rate:
        env["BENCH_RATE"] = str(rate)
    pids = descendants(gateway.measured_pid)
    reset_peak_rss(pids)
    before, started = cpu_ticks(pids), time.time()
    base = gateway.url.rsplit("/", 1)[0] if gateway.url.endswith("/graphql") else gateway.url.rstrip("/")
    output = run(pinned(LOAD_CORE, ["wrk", "-t", threads, "-c", connections, "-d", f"{duration}s",
                                    "--latency", "-s", BENCH / "wrk" / "graphql.lua", base]), env=env)
    elapsed = time.time() - started
    cpu = (cpu_ticks(pids) - before) / CLK_TCK / elapsed * 100
    result = json.loads(output.split("BENCH_RESULT ", 1)[1].splitlines()[0])
    seconds = result["duration_us"] / 1e6
    errors = result["failed"] + sum(result[k] for k in ("connect", "read", "write", "timeout"))
    return {"rps": result["answers"] / seconds, "p50_ms": result["p50_us"] / 1000,
            "p95_ms": result["p95_us"] / 1000, "p99_ms": result["p99_us"] / 1000,
            "errors": errors, "answers": result["answers"], "failed": result["failed"],
            "cpu_pct": cpu, "rss_mb": peak_rss_kb(pids) / 1024}


def median_of(results):
    keys = ("rps", "p50_ms", "p95_ms", "p99_ms", "cpu_pct", "rss_mb")
    merged = {key: statistics.median(r[key] for r in results) for key in keys}
    merged["errors"] = sum(r["errors"] for r in results)
    merged["rss_mb"] = max(r["rss_mb"] for r in results)
    return merged


# ---------------------------------------------------------------- tables


def versions(env):
    found = {"fitgraph": run([env.fitgraph, "--version"]).strip(), "wrk": wrk_version(),
             "node": run(["node", "--version"]).strip(), "postgres": psql(f"{PG_ADMIN}/postgres", "show server_version")}
    for name in ("apollo-gateway", "hive-gateway"):
        package = BENCH / "peers" / name / "package.json"
        found.update(json.loads(package.read_text())["dependencies"])
    found["hive-router"] = HIVE_ROUTER_VERSION
    found.pop("graphql", None)
    return found


def wrk_version():
    result = subprocess.run(["wrk", "-v"], capture_output=True, text=True)
    return (result.stdout + result.stderr).split()[1]


def machine_table(env):
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    lines = ["| machine | |", "|---|---|", f"| cores | {os.cpu_count()} ({cpu}) |",
             f"| memory | {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB |",
             f"| kernel | {platform.release()} |",
             f"| pinning | wrk on core {LOAD_CORE}; gateway, subgraphs, PostgreSQL and Redis on core {SERVER_CORE} |",
             f"| runs | {env.args.runs} × {env.args.duration} s per cell, medians; closed loop at {env.args.connections} connections |"]
    lines += [f"| {name} | {version} |" for name, version in versions(env).items()]
    return "\n".join(lines)


def comparison_table(rows, args):
    lines = ["| operation | gateway | req/s | p50 ms | p95 ms | p99 ms | errors | CPU % | peak RSS MB |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for row in sorted(rows, key=lambda r: (args.operations.index(r["operation"]), args.gateways.index(r["gateway"]))):
        if row.get("wrong"):
            lines.append(f"| {row['operation']} | {row['gateway']} | wrong answer, not measured | | | | | | |")
            continue
        c = row["closed"]
        lines.append(f"| {row['operation']} | {row['gateway']} | {c['rps']:.0f} | {c['p50_ms']:.2f} | "
                     f"{c['p95_ms']:.2f} | {c['p99_ms']:.2f} | {c['errors']} | {c['cpu_pct']:.0f} | {c['rss_mb']:.0f} |")
    return "\n".join(lines)


# Ours against each peer, like for like: deduplication on against on, off against off.
RATIO_PAIRS = [("fitgraph", "hive-router"), ("fitgraph-nodedup", "hive-router-nodedup"),
               ("fitgraph", "hive-gateway"), ("fitgraph", "apollo-gateway")]


def ratio_table(rows, args):
    """Throughput of our gateway over each peer's, operation by operation, and the
    latency ours adds over calling the subgraph directly."""
    by = {(r["operation"], r["gateway"]): r for r in rows if not r.get("wrong")}
    wrong = {(r["operation"], r["gateway"]) for r in rows if r.get("wrong")}
    pairs = [(ours, peer) for ours, peer in RATIO_PAIRS if ours in args.gateways and peer in args.gateways]
    slowest = min(args.rates) if args.rates else None
    head = ("| operation | " + " | ".join(f"{ours} / {peer}" for ours, peer in pairs) +
            f" | p50 added over direct at {slowest} req/s, ms (fitgraph-nodedup) |")
    lines = [head, "|---|" + "---:|" * (len(pairs) + 1)]
    for operation in args.operations:
        cells = [ratio_cell(by, wrong, operation, ours, peer) for ours, peer in pairs]
        lines.append(f"| {operation} | " + " | ".join(cells) + f" | {added_over_direct(by, operation, slowest)} |")
    return "\n".join(lines)


def ratio_cell(by, wrong, operation, ours, peer):
    if (operation, peer) in wrong:
        return "wrong answer"
    mine, theirs = by.get((operation, ours)), by.get((operation, peer))
    if not mine or not theirs or not theirs["closed"]["rps"]:
        return "–"
    return f"{mine['closed']['rps'] / theirs['closed']['rps']:.2f}×"


def added_over_direct(by, operation, rate):
    """At a rate both keep up with, so that neither queue nor deduplication (which
    can make a gateway faster than its subgraph) is in the figure."""
    ours, direct = by.get((operation, "fitgraph-nodedup")), by.get((operation, "direct"))
    if rate is None or not ours or not direct:
        return "–"
    return f"{ours['paced'][rate]['p50_ms'] - direct['paced'][rate]['p50_ms']:.2f}"


def paced_table(rows, args):
    lines = ["| operation | gateway | offered req/s | served req/s | p50 ms | p99 ms | errors |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for row in rows:
        for rate, result in row.get("paced", {}).items():
            lines.append(f"| {row['operation']} | {row['gateway']} | {rate} | {result['rps']:.0f} | "
                         f"{result['p50_ms']:.2f} | {result['p99_ms']:.2f} | {result['errors']} |")
    return "\n".join(lines)
