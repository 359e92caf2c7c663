#!/usr/bin/env bash
# Throughput of the example server (NIO and Netty transports) against the practical limit of this
# machine (../shared/tools/minimal-responder), measured with ../shared/tools/raida-load at the
# reference baseline's settings: -w 1 -d 10 -T 1000, UDP c=32, TCP c=16.
#
#   benchmarks/run-load.sh                      # one run per cell
#   RUNS=3 benchmarks/run-load.sh               # median of 3 runs per cell
#   SERVERS="minimal nio" benchmarks/run-load.sh
#
# Environment: RUNS (1), SERVERS ("minimal nio netty"), TRANSPORTS ("udp tcp"), UDP_CONC (32),
# TCP_CONC (16), DURATION (10), WARMUP (1), JAVA_OPTS (extra JVM options for the example server),
# SERVER_ARGS (extra example-server options, e.g. "--io-threads 2"), SHARED (../shared),
# JAR (the example-server jar; default examples/target/raida-examples.jar: set it to compare two builds).
# Every server is started fresh for every run on a free port below 32768 (outside Linux's
# ephemeral range) and stopped with SIGTERM afterwards. Raw output: benchmarks/results/<UTC time>.txt.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
shared=${SHARED:-$root/../shared}
build=$here/tools-build
RUNS=${RUNS:-1}
SERVERS=${SERVERS:-"minimal nio netty"}
TRANSPORTS=${TRANSPORTS:-"udp tcp"}
UDP_CONC=${UDP_CONC:-32}
TCP_CONC=${TCP_CONC:-16}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-1}
JAVA_OPTS=${JAVA_OPTS:-}
SERVER_ARGS=${SERVER_ARGS:-}
jar=${JAR:-$root/examples/target/raida-examples.jar}

for tool in gcc java ss; do
    command -v "$tool" >/dev/null || { echo "run-load.sh: $tool is required" >&2; exit 2; }
done
[ -f "$shared/tools/raida-load/raida-load.c" ] || {
    echo "run-load.sh: $shared/tools/raida-load not found (set SHARED=/path/to/shared)" >&2; exit 2; }

# Build the C tools into the gitignored tools-build/ (their own build.sh would write into ../shared).
mkdir -p "$build" "$here/results"
gcc -O2 -Wall -Wextra -o "$build/raida-load" "$shared/tools/raida-load/raida-load.c"
gcc -O2 -Wall -Wextra -pthread -o "$build/minimal-responder" "$shared/tools/minimal-responder/minimal-responder.c"
if [ ! -f "$jar" ] && [ "$SERVERS" != minimal ]; then
    echo "building $jar"
    (cd "$root" && mvn -B -q -DskipTests -pl examples -am package)
fi

stamp=$(date -u +%Y%m%dT%H%M%SZ)
raw=$here/results/$stamp.txt
serverlog=$here/results/$stamp.server.log
exec > >(tee "$raw") 2>&1

clk=$(getconf CLK_TCK)
timecmd=()
[ -x /usr/bin/time ] && timecmd=(/usr/bin/time -f 'LOADCPU user=%U sys=%S wall=%e')

echo "# raida-load run $stamp"
echo "# host: nproc=$(nproc), cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')," \
     "mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), kernel=$(uname -r)"
echo "# java: $(java -version 2>&1 | head -1); gcc: $(gcc --version | head -1)"
echo "# load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# settings: -w $WARMUP -d $DURATION -T 1000, UDP c=$UDP_CONC, TCP c=$TCP_CONC, runs=$RUNS;" \
     "JAVA_OPTS='$JAVA_OPTS' SERVER_ARGS='$SERVER_ARGS'"
echo "# server logs: $serverlog"

free_port() {
    local p
    while :; do
        p=$((20000 + RANDOM % 12000))
        if [ -z "$(ss -Htuan "sport = :$p" 2>/dev/null)" ]; then
            echo "$p"
            return
        fi
    done
}

cpu_ticks() { # utime + stime of a process, in clock ticks
    awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0
}

pid=
stop_server() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    fi
    [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
    pid=
}
cells=$(mktemp)
trap 'stop_server; rm -f "$cells"' EXIT

# start_server SERVER TRANSPORT PORT: sets $pid
start_server() {
    local server=$1 transport=$2 port=$3
    echo "## $server $transport port $port" >>"$serverlog"
    case $server in
        minimal)
            if [ "$transport" = udp ]; then
                "$build/minimal-responder" mmsg -p "$port" >>"$serverlog" 2>&1 &
            else
                "$build/minimal-responder" tcp -D -p "$port" >>"$serverlog" 2>&1 &
            fi
            ;;
        nio | netty)
            # shellcheck disable=SC2086 # JAVA_OPTS and SERVER_ARGS are word lists
            java $JAVA_OPTS -jar "$jar" server --transport "$server" --host 127.0.0.1 --port "$port" \
                --raida-id 0 --coin-id 6 $SERVER_ARGS >>"$serverlog" 2>&1 &
            ;;
        *)
            echo "unknown server $server (minimal, nio, netty)" >&2
            exit 2
            ;;
    esac
    pid=$!
    # ready once one echo is answered (raida-load exits 1 when its preflight echo gets no reply)
    for _ in $(seq 1 150); do
        if "$build/raida-load" -q -t "$transport" -p "$port" -c 1 -d 0.1 -n 1 -T 200 >/dev/null 2>&1; then
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || { echo "$server exited before answering; see $serverlog" >&2; exit 1; }
        sleep 0.2
    done
    echo "$server did not answer on port $port within 30 s; see $serverlog" >&2
    exit 1
}

for server in $SERVERS; do
    for transport in $TRANSPORTS; do
        conc=$UDP_CONC
        [ "$transport" = tcp ] && conc=$TCP_CONC
        for run in $(seq 1 "$RUNS"); do
            port=$(free_port)
            start_server "$server" "$transport" "$port"
            before=$(cpu_ticks "$pid")
            busy0=$(awk '/^cpu / {print $2+$3+$4+$7+$8+$9, $5+$6}' /proc/stat)
            out=$("${timecmd[@]}" "$build/raida-load" -q -t "$transport" -H 127.0.0.1 -p "$port" -c "$conc" \
                -w "$WARMUP" -d "$DURATION" -T 1000 2>&1) || true
            busy1=$(awk '/^cpu / {print $2+$3+$4+$7+$8+$9, $5+$6}' /proc/stat)
            after=$(cpu_ticks "$pid")
            stop_server
            result=$(grep '^RESULT' <<<"$out" || echo "RESULT missing: $out")
            loadcpu=$(grep '^LOADCPU' <<<"$out" || true)
            wall=$(sed -n 's/.*wall=\([0-9.]*\).*/\1/p' <<<"$loadcpu")
            read -r b0 i0 <<<"$busy0"
            read -r b1 i1 <<<"$busy1"
            extra=$(awk -v u="$loadcpu" -v s0="$before" -v s1="$after" -v clk="$clk" -v w="${wall:-0}" \
                -v b0="$b0" -v b1="$b1" -v i0="$i0" -v i1="$i1" -v n="$(nproc)" 'BEGIN {
                    split(u, a, /[ =]/); lc = (w > 0) ? (a[3] + a[5]) / w : 0;
                    sc = (w > 0) ? (s1 - s0) / clk / w : 0;
                    mb = (b1 - b0 + i1 - i0) > 0 ? n * (b1 - b0) / (b1 - b0 + i1 - i0) : 0;
                    printf "load_cpu=%.2f server_cpu=%.2f machine_busy=%.2f", lc, sc, mb }')
            echo "$server $transport c=$conc run=$run $result $extra"
            echo "$server $transport $conc $result $extra" >>"$cells"
            sleep 1
        done
    done
done

# Median of every column per cell (as the baselines: each column independently), errors summed,
# and req/s relative to the minimal responder's median of the same protocol.
echo
echo "# per cell: median of $RUNS run(s) per column, errors summed; ratio = req/s / minimal responder's"
awk -v servers="$SERVERS" -v transports="$TRANSPORTS" '
    function median(list,   n, a, i, j, t) {
        n = split(list, a, " ")
        for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
        return n ? a[int((n + 1) / 2)] : 0
    }
    {
        key = $1 " " $2; conc[key] = $3
        for (i = 4; i <= NF; i++) {
            split($i, kv, "=")
            if (kv[1] == "errors") err[key] += kv[2]
            else col[key, kv[1]] = col[key, kv[1]] " " kv[2]
        }
    }
    END {
        printf "%-8s %-4s %4s %9s %7s %7s %8s %6s %7s %6s %6s\n", "server", "prot", "conc", "req/s", "p50_us", "p99_us", "p999_us", "errors", "ratio", "srvCPU", "busy"
        nt = split(transports, ts, " "); ns = split(servers, ss, " ")
        for (t = 1; t <= nt; t++) {
            limit = median(col["minimal " ts[t], "rps"])
            for (s = 1; s <= ns; s++) {
                key = ss[s] " " ts[t]
                if (!(key in conc)) continue
                r = median(col[key, "rps"])
                printf "%-8s %-4s %4s %9s %7s %7s %8s %6d %7s %6s %6s\n", ss[s], ts[t], conc[key], r,
                    median(col[key, "p50_us"]), median(col[key, "p99_us"]), median(col[key, "p999_us"]), err[key],
                    (limit > 0 ? sprintf("%.3f", r / limit) : "n/a"), median(col[key, "server_cpu"]),
                    median(col[key, "machine_busy"])
            }
        }
    }' "$cells"
rm -f "$cells"
echo "# raw output: $raw"
