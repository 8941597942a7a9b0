#!/usr/bin/env bash
# Fuzzes the gateway's synchronous request path (parse -> validate -> limits ->
# plan, against schema/supergraph.graphql) with cargo-fuzz / libFuzzer.
#
# Not part of CI: it takes minutes, needs the nightly-only -Z flags cargo-fuzz
# passes (enabled here on the stable toolchain with RUSTC_BOOTSTRAP=1), and is
# meant to be run by hand, now and then, or after planner changes.
#
# Targets (fuzz/fuzz_targets/):
#   request     raw bytes as a GraphQL document (text before a NUL byte is the
#               query, text after it the operation name)
#   structured  operations generated from the API schema's real fields, so most
#               inputs validate and reach the planner
#
# What it does: installs cargo-fuzz if missing, builds the targets, seeds
# fuzz/corpus/request from fuzz/seeds/*.graphql and from the GraphQL strings in
# gateway/tests, writes a dictionary of the supergraph's names, runs each
# target for its share of FUZZ_SECONDS, and prints a summary (seconds,
# executions, exec/s, corpus size, crashes). Exits 1 if a target crashed, 2 if
# the build failed. A crash is a panic, a sanitizer error (a stack overflow,
# say), or a failed plan check of fuzz/src/pipeline.rs: a subgraph operation
# that does not parse, uses an undefined variable, or gives one response key to
# two different fields.
#
# Environment:
#   FUZZ_SECONDS     total fuzzing time, split evenly over the targets (default 600)
#   FUZZ_TARGETS     targets to run (default "request structured")
#   FUZZ_SANITIZER   address (default) or none; falls back to none if an
#                    address-sanitized build fails
#   FUZZ_SKIP        inputs containing this string are skipped by the targets:
#                    a way to keep fuzzing past a known, not yet fixed crash
#   CARGO_TARGET_DIR defaults to ~/.cache/fitgraph-fuzz-target (kept apart from
#                    the normal builds: sanitizer flags rebuild everything)
#
# Builds use --debug-assertions (debug assertions and integer overflow checks,
# which a release build would otherwise leave out) and AddressSanitizer.
#
# A crash leaves its input in fuzz/artifacts/<target>/. To reproduce it (from
# the repository root; the same flags and CARGO_TARGET_DIR avoid a rebuild):
#   export CARGO_TARGET_DIR=~/.cache/fitgraph-fuzz-target RUSTC_BOOTSTRAP=1
#   cargo fuzz run -a <target> fuzz/artifacts/<target>/<crash-file>
# `cargo fuzz tmin -a <target> <crash-file>` minimises it; for `structured`,
# `cargo fuzz fmt -a structured <crash-file>` prints the generated request.
# Put the query in gateway/tests/fuzz_regressions.rs.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FUZZ_DIR="$ROOT/fuzz"
FUZZ_SECONDS="${FUZZ_SECONDS:-600}"
read -r -a TARGETS <<<"${FUZZ_TARGETS:-request structured}"
SANITIZER="${FUZZ_SANITIZER:-address}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/fitgraph-fuzz-target}"
# cargo-fuzz passes -Zsanitizer and other nightly flags; the machine has only a
# stable toolchain, which accepts them with RUSTC_BOOTSTRAP=1.
export RUSTC_BOOTSTRAP=1
if [[ -n "${FUZZ_SKIP:-}" ]]; then
    export FITGRAPH_FUZZ_SKIP="$FUZZ_SKIP"
fi

cd "$ROOT"

if ! command -v cargo-fuzz >/dev/null 2>&1; then
    echo "== installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi

LOGS="$FUZZ_DIR/artifacts/logs"
mkdir -p "$LOGS"
echo "== building ${TARGETS[*]} (sanitizer: $SANITIZER, target dir: $CARGO_TARGET_DIR)"
build() {
    cargo fuzz build --fuzz-dir "$FUZZ_DIR" --debug-assertions --sanitizer "$SANITIZER" "$1" >"$LOGS/build.log" 2>&1
}
for target in "${TARGETS[@]}"; do
    if ! build "$target"; then
        tail -n 20 "$LOGS/build.log"
        if [[ "$SANITIZER" != address ]]; then
            exit 2
        fi
        # Should AddressSanitizer not work with this toolchain, fuzz without it:
        # panics (and stack overflows, as SIGSEGV) are still caught.
        echo "== the address-sanitized build failed; falling back to --sanitizer none"
        SANITIZER=none
        build "$target" || { tail -n 20 "$LOGS/build.log"; exit 2; }
    fi
done

# Seeds: the checked-in ones, and every GraphQL operation written as a string
# in the gateway's tests (they are over other supergraphs, but exercise the
# parser and validation and give the fuzzer shapes to mutate). Not those of
# fuzz_regressions.rs: a known crash there would stop every run at once.
CORPUS="$FUZZ_DIR/corpus"
mkdir -p "$CORPUS/request"
cp "$FUZZ_DIR"/seeds/*.graphql "$CORPUS/request/" 2>/dev/null || true
perl -0777 -ne '
    my @found;
    push @found, $1 while /r#"\s*((?:query|mutation|subscription|fragment|\{)[\s\S]*?)"#/g;
    while (/"((?:query|mutation|subscription|\{)(?:[^"\\]|\\.)*)"/g) {
        my $s = $1;
        $s =~ s/\\n/\n/g; $s =~ s/\\"/"/g; $s =~ s/\\\\/\\/g;
        push @found, $s;
    }
    for my $query (@found) {
        next unless $query =~ /\{/ && length($query) < 4096;
        print $query, "\0\0\n";
    }
' $(ls "$ROOT"/gateway/tests/*.rs | grep -v '/fuzz_regressions\.rs$') |
    awk -v dir="$CORPUS/request" 'BEGIN { RS = "\0\0\n" } length($0) > 0 { file = sprintf("%s/test-%04d.graphql", dir, NR); printf "%s", $0 > file; close(file) }'

# A dictionary of GraphQL punctuation and keywords and the supergraph's names.
DICT="$CORPUS/request.dict"
{
    for token in '{' '}' '(' ')' '[' ']' ':' '$' '@' '!' '=' '...' '"' '"""' \
        query mutation subscription fragment on true false null \
        '@skip(if: ' '@include(if: ' '__typename' '__schema' '__type' _fg_ \
        '$v: ID!' ' = ' ', '; do
        printf '"%s"\n' "$(printf '%s' "$token" | sed 's/\\/\\\\/g; s/"/\\"/g')"
    done
    # Field, argument-bearing field and enum value names (not description words).
    sed -nE 's/^[[:space:]]+([_A-Za-z][_A-Za-z0-9]*)(\(|:| @join__enumValue).*/\1/p' "$ROOT/schema/supergraph.graphql" | sort -u | sed 's/.*/"&"/'
    grep -oE '^(type|input|enum|scalar|interface|union) [_A-Za-z][_A-Za-z0-9]*' "$ROOT/schema/supergraph.graphql" | awk '{ print "\"" $2 "\"" }' | sort -u
} >"$DICT"

per_target=$((FUZZ_SECONDS / ${#TARGETS[@]}))
(( per_target > 0 )) || per_target=1

declare -A SECONDS_RUN EXECS RATE CORPUS_SIZE CRASHES STATUS
for target in "${TARGETS[@]}"; do
    mkdir -p "$CORPUS/$target" "$FUZZ_DIR/artifacts/$target"
    before=$(find "$FUZZ_DIR/artifacts/$target" -maxdepth 1 -type f | wc -l)
    args=(-max_total_time="$per_target" -print_final_stats=1 -timeout=10 -rss_limit_mb=4096)
    case "$target" in
        request) args+=(-dict="$DICT") ;;
        # Its bytes are choices, not text: longer inputs make larger operations
        # from the start instead of after libFuzzer slowly raises the length.
        structured) args+=(-max_len=2048 -len_control=0) ;;
    esac
    log="$LOGS/$target.log"
    echo "== fuzzing $target for ${per_target}s (log: $log)"
    start=$(date +%s)
    set +e
    cargo fuzz run --fuzz-dir "$FUZZ_DIR" --debug-assertions --sanitizer "$SANITIZER" "$target" "$CORPUS/$target" -- "${args[@]}" >"$log" 2>&1
    status=$?
    set -e
    SECONDS_RUN[$target]=$(($(date +%s) - start))
    # The executions from libFuzzer's final stats, else its last status line.
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    [[ -n "$execs" ]] || execs=$(grep -oE '^#[0-9]+' "$log" | tail -n 1 | tr -d '#')
    EXECS[$target]=${execs:-0}
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    RATE[$target]=${rate:-$((${execs:-0} / (SECONDS_RUN[$target] > 0 ? SECONDS_RUN[$target] : 1)))}
    CORPUS_SIZE[$target]=$(find "$CORPUS/$target" -maxdepth 1 -type f | wc -l)
    after=$(find "$FUZZ_DIR/artifacts/$target" -maxdepth 1 -type f | wc -l)
    CRASHES[$target]=$((after - before))
    STATUS[$target]=$status
    if (( status != 0 )); then
        echo "   $target stopped with status $status; the end of its log:"
        grep -E 'panicked at|ERROR: |SUMMARY|Test unit written|^Output of' "$log" | head -n 10 | sed 's/^/   /'
    fi
done

echo
echo "== summary (sanitizer: $SANITIZER)"
printf '%-12s %8s %12s %8s %8s %8s\n' target seconds executions exec/s corpus crashes
found=0
for target in "${TARGETS[@]}"; do
    printf '%-12s %8s %12s %8s %8s %8s\n' "$target" "${SECONDS_RUN[$target]}" "${EXECS[$target]}" \
        "${RATE[$target]}" "${CORPUS_SIZE[$target]}" "${CRASHES[$target]}"
    found=$((found + CRASHES[$target]))
    if (( CRASHES[$target] == 0 && STATUS[$target] != 0 )); then
        found=$((found + 1))
        echo "   ($target exited with status ${STATUS[$target]} without an artifact; see $LOGS/$target.log)"
    fi
done
if (( found > 0 )); then
    echo "crash inputs:"
    for target in "${TARGETS[@]}"; do
        find "$FUZZ_DIR/artifacts/$target" -maxdepth 1 -type f -newer "$DICT" | sed 's/^/  /'
    done
    exit 1
fi
