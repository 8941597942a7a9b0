"""The product's own targets, on the large population (`fitgraph seed --scale`):
today's workout at 100 req/s (generated fresh, then already generated), feedback
ingestion for 60 s with a count of what was stored, and training time and memory."""

import json
import os
import subprocess
import time
import uuid

import harness
from harness import BenchError, Gateway, Request, log, mint_token, psql, request_line

TODAY_RATE = 100
TODAY_SECONDS = 30
TODAY_WARMUP_SECONDS = 5
TODAY_CONNECTIONS = 10
INGEST_SECONDS = 60
INGEST_CONNECTIONS = 64
INGEST_WORKOUTS = 12_000


def run_all(env, args):
    rows = []
    gateway = Gateway.start("fitgraph", env)
    try:
        rows += today_targets(env, gateway)
        rows.append(ingestion_target(env, gateway))
    finally:
        gateway.stop()
    rows.append(training_target(env))
    lines = ["| target | goal | measured | met |", "|---|---|---|---|"]
    lines += [f"| {name} | {goal} | {measured} | {'yes' if met else '**no**'} |" for name, goal, measured, met in rows]
    return "\n".join(lines)


def scale_users(env, count):
    """Generated users whose workout for today does not exist yet."""
    planned = set(psql(env.databases["plans"],
                       "select distinct user_id from workouts where scheduled_date = current_date").split())
    candidates = psql(env.databases["profile"],
                      f"select id from users where email like 'scale-%' order by random() limit {count * 2}").split()
    fresh = [user for user in candidates if user not in planned][:count]
    if len(fresh) < count:
        raise BenchError(f"only {len(fresh)} generated users lack today's workout; run with --scale "
                         f"(or a larger --users) first")
    return fresh


def today_targets(env, gateway):
    measured_users = TODAY_RATE * TODAY_SECONDS * 6 // 5
    warm_users = TODAY_RATE * TODAY_WARMUP_SECONDS * 6 // 5
    users = scale_users(env, warm_users + measured_users)
    body = {"query": harness.operation_text("today"), "variables": {}}

    def request_for(name, some_users):
        return Request(name, [request_line({"authorization": f"Bearer {mint_token(env.jwt_secret, user)}"}, body)
                              for user in some_users])

    # The first requests load each subgraph's copy of the exercise catalog; that is
    # start-up, not the steady state the targets are about.
    log(f"todayWorkout warm-up: {TODAY_RATE} req/s for {TODAY_WARMUP_SECONDS} s with other users (not measured)")
    harness.load(gateway, request_for("target-today-warmup", users[:warm_users]), connections=TODAY_CONNECTIONS,
                 duration=TODAY_WARMUP_SECONDS, rate=TODAY_RATE)
    request = request_for("target-today", users[warm_users:])
    rows = []
    for label, budget in (("generated fresh", 50.0), ("already generated today", 10.0)):
        log(f"todayWorkout {label}: {TODAY_RATE} req/s for {TODAY_SECONDS} s")
        result = harness.load(gateway, request, connections=TODAY_CONNECTIONS, duration=TODAY_SECONDS,
                              rate=TODAY_RATE)
        measured = (f"p99 {result['p99_ms']:.1f} ms, p50 {result['p50_ms']:.1f} ms at {result['rps']:.0f} req/s, "
                    f"{result['errors']} errors")
        rows.append((f"todayWorkout through the gateway, {label}", f"p99 ≤ {budget:.0f} ms at {TODAY_RATE} req/s",
                     measured, result["p99_ms"] <= budget and result["errors"] == 0))
    return rows


def ingestion_lines(env, run_id):
    """One request line per workout of the run: a new workout of a generated user, so
    that over the run each receives about as many sets as a real session (60 s at
    5,000 events/s over INGEST_WORKOUTS workouts is 25 sets each)."""
    users = psql(env.databases["profile"],
                 f"select id from users where email like 'scale-%' order by random() limit {INGEST_WORKOUTS}").split()
    exercises = psql(env.databases["plans"],
                     "select distinct exercise_id from workout_exercises limit 200").split()
    if len(users) < 100 or not exercises:
        raise BenchError("too few generated users to log sets for; run with --scale first")
    lines = []
    for index, user in enumerate(users):
        variables = {"i": {"idempotencyKey": f"{run_id}-{{{{n}}}}", "userId": user, "workoutId": str(uuid.uuid4()),
                           "exerciseId": exercises[index % len(exercises)], "setIndex": 1, "reps": 8,
                           "loadKg": 60.0, "repsInReserve": 2}}
        body = {"query": "mutation Log($i: LogSetInput!) { logSet(input: $i) { id } }", "variables": variables}
        lines.append(request_line({"authorization": f"Bearer {mint_token(env.jwt_secret, user)}"}, body))
    return lines


def ingestion_target(env, gateway):
    run_id = f"bench-ingest-{uuid.uuid4().hex[:12]}"
    request = Request("target-ingest", ingestion_lines(env, run_id))
    log(f"ingestion: logSet through the gateway, {INGEST_CONNECTIONS} connections for {INGEST_SECONDS} s")
    result = harness.load(gateway, request, connections=INGEST_CONNECTIONS, duration=INGEST_SECONDS)
    acknowledged = result["answers"] - result["failed"]
    time.sleep(2)  # requests still in flight when wrk stopped may land now
    stored = int(psql(env.databases["feedback"],
                      f"select count(*) from set_logs where idempotency_key like '{run_id}-%'"))
    # The population stays as seeded, so the next run measures the same thing.
    psql(env.databases["feedback"], f"delete from set_logs where idempotency_key like '{run_id}-%'")
    rate = acknowledged / INGEST_SECONDS
    unacknowledged_extra = stored - acknowledged
    measured = (f"{rate:,.0f} events/s ({acknowledged:,} acknowledged, {result['failed']} refused); "
                f"stored {stored:,} (+{unacknowledged_extra} still in flight at the stop); "
                f"p99 {result['p99_ms']:.1f} ms")
    intact = 0 <= unacknowledged_extra <= INGEST_CONNECTIONS
    return ("feedback ingestion (logSet) through the gateway", "≥ 5,000 events/s for 60 s; nothing acknowledged lost",
            measured, rate >= 5000 and intact)


def training_target(env):
    rows = psql(env.databases["feedback"], "select (select count(*) from set_logs) + "
                "(select count(*) from workout_completions) + (select count(*) from exercise_outcomes) + "
                "(select count(*) from exercise_ratings)")
    log(f"training on the generated history ({int(rows):,} feedback rows)")
    started = time.time()
    process = subprocess.Popen([env.fitgraph, "train"], env=env.settings_env(), cwd=harness.CACHE,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = process.stdout.read().decode(errors="replace")
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.time() - started
    peak_mib = usage.ru_maxrss / 1024
    if status != 0:
        raise BenchError(f"fitgraph train failed:\n{output}")
    log(output.strip().splitlines()[-1] if output.strip() else "trained")
    measured = f"{seconds:.1f} s wall, {peak_mib:,.0f} MiB peak RSS on {int(rows):,} feedback rows"
    return ("training the ranker", "≤ 60 s and ≤ 2 GiB on 1,000,000 feedback rows", measured,
            seconds <= 60 and peak_mib <= 2048)
