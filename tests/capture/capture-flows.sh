#!/usr/bin/env bash
# Reproducible real-traffic capture for Recon's flow dataset.
#
#   sudo bash tests/capture/capture-flows.sh [--variant main|holdout|joint] [--out DIR] [--keep-pcaps]
#
# Starts throw-away servers on 127.0.0.1 (nginx, dnsmasq, redis, a python RPC
# line server, iperf3), runs one traffic generator per phase while tcpdump
# captures that phase alone on `lo`, turns each phase's packets into
# bidirectional flow records with argus (+ tshark for per-packet TCP flags), and
# writes one labelled CSV: label/generator = the phase that produced the flow.
#
# Safety rules this script keeps:
#   * every packet it sends goes to 127.0.0.1 and nowhere else;
#   * after installing packages, the whole capture re-runs itself inside a private
#     network namespace (`unshare --net`): its 127.0.0.1 is a loopback of its own,
#     so other people's services on this machine are neither hit nor captured
#     (without that isolation, a stray health check from another process landed
#     in a capture). If namespaces are not available it falls back to the host
#     loopback and relies on the port exclusion below;
#   * every generator is bounded in count AND wrapped in `timeout`;
#   * ports that were already listening before we started (services that are not
#     ours) are excluded from every scan, flood and capture.
#
# Output: <out>/flows.csv.gz (main), <out>/flows-holdout.csv.gz (holdout) or
# <out>/flows-joint.csv.gz (joint), <out>/SHA256SUMS (all flows*.csv.gz present)
# and <out>/<name>.provenance.txt.
# Work files (pcaps, argus files, logs) stay in /tmp/recon-capture/<variant>.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LIB="$HERE/lib"
PY=/usr/bin/python3                      # Debian's python3: stdlib only, no venv needed
VARIANT=main
OUT="$(cd "$HERE/.." && pwd)/data/telemetry"
KEEP_PCAPS=0
ORIG_ARGS=("$@")

LO=127.0.0.1                             # the ONLY target address
HTTP_PORT=18080                          # nginx: static files + /upload/ (PUT via DAV, POST)
DNS_PORT=15353                           # dnsmasq, authoritative for recon.test only
RPC_PORT=17070                           # python line-protocol RPC server
REDIS_PORT=16379                         # redis-server (RPC-like request/response)
IPERF_PORT=15201                         # iperf3 bulk transfer
OUR_PORTS=("$HTTP_PORT" "$DNS_PORT" "$RPC_PORT" "$REDIS_PORT" "$IPERF_PORT")
SERVICES="$HTTP_PORT=http,$DNS_PORT=dns,$RPC_PORT=rpc,$REDIS_PORT=redis,$IPERF_PORT=iperf3"

PACKAGES=(nginx curl wrk nmap hping3 tcpdump tshark argus-server argus-client
          bind9-dnsutils dnsmasq-base iperf3 redis-server redis-tools python3 iproute2)

usage() { sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --variant) VARIANT="${2:?}"; shift 2 ;;
    --out) OUT="${2:?}"; shift 2 ;;
    --keep-pcaps) KEEP_PCAPS=1; shift ;;
    -h|--help) usage ;;
    *) echo "unknown argument: $1" >&2; usage ;;
  esac
done
[[ "$VARIANT" == main || "$VARIANT" == holdout || "$VARIANT" == joint ]] \
  || { echo "--variant must be main, holdout or joint" >&2; exit 2; }
[[ $EUID -eq 0 ]] || { echo "run as root (tcpdump, nmap -sS and hping3 need raw sockets)" >&2; exit 1; }

WORK="/tmp/recon-capture/$VARIANT"
T_START=${RECON_CAPTURE_T_START:-$(date +%s)}
export RECON_CAPTURE_T_START=$T_START
log()  { printf '[%4ds] %s\n' "$(( $(date +%s) - T_START ))" "$*" | tee -a "$WORK/log/run.log" >&2; }
warn() { log "WARNING: $*"; }

# ---------------------------------------------------------------------------
# Parameters. holdout differs from main in every generator (counts, rates,
# sizes, port ranges, nmap timing templates, one extra scan type) so a model
# trained on main is judged on traffic it has never seen.
# joint runs main's normal generators with main's parameters (another seed) and,
# as its only attacks, four generators whose flows look normal feature by
# feature but not jointly (JOINT_* below); main's scans and floods are skipped.
# ---------------------------------------------------------------------------
set_params() {
  if [[ "$VARIANT" == main || "$VARIANT" == joint ]]; then
    SEED=101
    CURL_COUNT=1800; CURL_PAR=3; CURL_HTTP10=0
    CURL_FILES="index.html,f512.bin,f4k.bin,f32k.bin,f256k.bin,f1m.bin,f4m.bin"
    CURL_WEIGHTS="30,15,20,15,10,7,3"; CURL_MIX="70,15,10,3,2"; CURL_KA_MAX=6
    CURL_POST_MIN=256; CURL_POST_MAX=32768
    WRK_RUNS=("2 8 2 /f32k.bin" "1 32 1 /index.html")       # threads conns seconds path (keep-alive)
    WRK_CLOSE="2 6 4 600"                                     # threads conns seconds max-req-per-thread
    WRK_CLOSE_PATHS="/index.html,/f4k.bin,/f32k.bin"
    DNS_COUNT=1700; DNS_QTYPES="A,A,A,AAAA,MX,TXT,SRV"; DNS_NX=0.08; DNS_TCP=0.06; DNS_EDNS=0
    RPC_ARGS=(--conns 500 --min-calls 1 --max-calls 15 --payload-min 16 --payload-max 512
              --think-ms-max 20 --workers 4 --methods "get,put,sum")
    REDIS_RUNS=("-c 10 -n 700 -k 0 -t get,set" "-c 12 -n 20000 -k 1 -t get,set,incr,lpush")
    IPERF_RUNS=("-t 2 -b 800M -P 2" "-t 2 -b 800M -P 2" "-t 2 -b 800M -P 2" "-t 1 -u -b 100M -l 1400")
    # low ports + popular database/admin ports + our own (open) services
    NMAP_SYN="-sS -T4 -p 1-1000,1433,1521,3306,3389,5432,5900,6379,8080,8443,9200,27017,$HTTP_PORT,$RPC_PORT,$REDIS_PORT,$IPERF_PORT"
    NMAP_CONNECT="-sT -T4 -p 1-800,1433,3306,5432,6379,8080,$HTTP_PORT,$RPC_PORT,$REDIS_PORT,$IPERF_PORT"
    NMAP_UDP="-sU -T4 --max-retries 1 -p 1-150,$DNS_PORT"
    NMAP_FIN="-sF -T4 -p 1-300"; NMAP_XMAS="-sX -T4 -p 301-600"; NMAP_NULL="-sN -T4 -p 601-900"
    NMAP_ACK=""                                               # holdout only
    NMAP_VERSION="-sV --version-intensity 5 -p $HTTP_PORT,$RPC_PORT,$REDIS_PORT,$IPERF_PORT"
    HPING_SYN="-S -p $HTTP_PORT -c 1200 -i u1000"
    HPING_UDP="--udp -p $DNS_PORT -c 450 -i u2000 -d 32"; HPING_UDP_PORT=$DNS_PORT
    SLOW_ARGS=(--conns 220 --body-fraction 0.25 --interval-min 2 --interval-max 5
               --chunk-min 1 --chunk-max 8 --ramp 5 --duration 25)
    UPLOAD_ARGS=(--count 50 --size-min-mb 8 --size-max-mb 48 --put-fraction 0.7 --chunked-fraction 0)
    UPLOAD_PAR=1
  else
    SEED=202
    CURL_COUNT=1500; CURL_PAR=2; CURL_HTTP10=0.15
    CURL_FILES="index.html,f2k.bin,f16k.bin,f128k.bin,f2m.bin"
    CURL_WEIGHTS="25,25,25,15,10"; CURL_MIX="60,20,12,4,4"; CURL_KA_MAX=8
    CURL_POST_MIN=1024; CURL_POST_MAX=65536
    WRK_RUNS=("1 16 1 /f16k.bin" "2 4 2 /f2m.bin")
    WRK_CLOSE="2 10 4 500"
    WRK_CLOSE_PATHS="/f2k.bin,/f128k.bin,/index.html"
    DNS_COUNT=1400; DNS_QTYPES="A,AAAA,AAAA,MX,TXT,SRV,CNAME"; DNS_NX=0.2; DNS_TCP=0.08; DNS_EDNS=0.3
    RPC_ARGS=(--conns 420 --min-calls 3 --max-calls 30 --payload-min 64 --payload-max 2048
              --think-ms-max 8 --workers 3 --methods "get,get,put")
    REDIS_RUNS=("-c 6 -n 600 -k 0 -t incr,lpush" "-c 8 -n 15000 -k 1 -d 256 -t hset,sadd,rpush")
    IPERF_RUNS=("-t 3 -b 400M -P 3" "-t 2 -R -b 600M" "-t 2 -R -b 600M" "-t 1 -u -b 50M -l 1000")
    NMAP_SYN="-sS -T3 --max-retries 2 -p 1001-1900,2049,5000,5601,7001,8000,8888,9000,9092,11211,$HTTP_PORT,$RPC_PORT,$REDIS_PORT,$IPERF_PORT"
    NMAP_CONNECT="-sT -T5 -p 3000-3700,5601,8000,9092,11211,$HTTP_PORT,$RPC_PORT,$REDIS_PORT,$IPERF_PORT"
    NMAP_UDP="-sU -T5 --max-retries 2 -p 400-600,$DNS_PORT"
    NMAP_FIN="-sF -T5 -p 2001-2250"; NMAP_XMAS="-sX -T3 -p 2251-2500"; NMAP_NULL="-sN -T5 -p 2501-2750"
    NMAP_ACK="-sA -T4 -p 4001-4300"
    NMAP_VERSION="-sV --version-intensity 7 -p $HTTP_PORT,$RPC_PORT,$REDIS_PORT,$IPERF_PORT"
    HPING_SYN="-S -p $REDIS_PORT -c 1000 -i u400 -w 4096 -d 24"
    HPING_UDP="--udp -p $RPC_PORT -c 350 -i u800 -d 180"; HPING_UDP_PORT=$RPC_PORT  # closed UDP port
    SLOW_ARGS=(--conns 160 --body-fraction 0.4 --interval-min 5 --interval-max 9
               --chunk-min 1 --chunk-max 3 --ramp 8 --duration 30)
    UPLOAD_ARGS=(--count 36 --size-min-mb 24 --size-max-mb 96 --put-fraction 0.5 --chunked-fraction 0.3)
    UPLOAD_PAR=2
  fi
  if [[ "$VARIANT" == joint ]]; then
    SEED=303                                                   # normal phases: main's parameters, new seed
    # DNS tunnelling: base32 data as the first label of <chunk>.recon.test, 6-28
    # characters (normal names are 10-21 characters long), sent by dig batch mode
    # like the normal queries
    JOINT_TUNNEL=(--count 330 --qtypes "TXT,TXT,A,NULL" --chunk-min 6 --chunk-max 28)
    # low-and-slow exfiltration: keep-alive sessions, 10-40 POSTs of 256 B-32 KiB
    # (curl-http's POST range), 5-20 ms apart (rpc-echo's pacing)
    JOINT_EXFIL=(--sessions 250 --min-posts 10 --max-posts 40 --body-min 256 --body-max 32768
                 --think-ms-min 5 --think-ms-max 20 --workers 4 --max-seconds 90)
    # beaconing: one fixed 48-byte CALL per connection to the RPC port every 100 ms
    JOINT_BEACON=(--count 300 --period 0.1 --payload-size 48 --method sum --max-seconds 45)
    # credential stuffing: keep-alive sessions of 20-80 small POST /login forms
    # (404 each), up to 4 ms apart
    JOINT_CRED=(--sessions 250 --min-tries 20 --max-tries 80 --think-ms-max 4 --workers 2 --max-seconds 90)
  fi
}

# ---------------------------------------------------------------------------
# Setup
# ---------------------------------------------------------------------------
install_deps() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [[ ${#missing[@]} -eq 0 ]]; then log "packages: all present"; return; fi
  log "packages: installing ${missing[*]}"
  # Keep apt from starting the packages' own system services (nginx on :80,
  # redis on :6379): we run private instances and must not leave daemons behind.
  local made_policy=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; made_policy=1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    > "$WORK/log/apt.log" 2>&1 || { [[ $made_policy == 1 ]] && rm -f /usr/sbin/policy-rc.d; cat "$WORK/log/apt.log" >&2; exit 1; }
  [[ $made_policy == 1 ]] && rm -f /usr/sbin/policy-rc.d
  return 0
}

# Ports already listening before we start belong to someone else: never scan,
# flood or capture them. Our own dedicated ports must be free.
check_ports() {
  local p
  mapfile -t FOREIGN_PORTS < <(ss -Hlntu | awk '{print $5}' | sed 's/.*://' | grep -E '^[0-9]+$' | sort -un)
  for p in "${OUR_PORTS[@]}"; do
    if printf '%s\n' "${FOREIGN_PORTS[@]}" | grep -qx "$p"; then
      echo "port $p is already in use on this machine; stop that service or edit the *_PORT values" >&2
      exit 1
    fi
  done
  if [[ ${#FOREIGN_PORTS[@]} -gt 0 ]]; then
    NMAP_EXCLUDE=(--exclude-ports "$(IFS=,; echo "${FOREIGN_PORTS[*]}")")
    FOREIGN_BPF="and not ($(printf 'port %s or ' "${FOREIGN_PORTS[@]}" | sed 's/ or $//'))"
  else
    NMAP_EXCLUDE=(); FOREIGN_BPF=""
  fi
  log "foreign listening ports excluded from all phases: ${FOREIGN_PORTS[*]:-none}"
}

wait_port() {  # wait_port PROTO PORT : until something of ours listens there (max 10 s)
  local i flag=-lnt
  [[ $1 == udp ]] && flag=-lnu
  for i in $(seq 1 100); do
    ss -H "$flag" "sport = :$2" | grep -q . && return 0
    sleep 0.1
  done
  echo "server on $1/$2 did not come up (see $WORK/log)" >&2; return 1
}

start_servers() {
  mkdir -p "$WORK"/{www,www/upload,nginx-tmp,redis,pids}
  # Static files of several sizes; the random content defeats any compression.
  local f
  for f in 512 2k 4k 16k 32k 128k 256k 1m 2m 4m; do
    head -c "$(numfmt --from=iec "${f^^}")" /dev/urandom > "$WORK/www/f$f.bin"
  done
  { echo '<!doctype html><html><head><title>recon test</title></head><body>'
    for f in $(seq 1 60); do echo "<p>line $f of a small static page served for the capture</p>"; done
    echo '</body></html>'; } > "$WORK/www/index.html"
  chown -R www-data "$WORK/www/upload" "$WORK/nginx-tmp"

  cat > "$WORK/nginx.conf" <<EOF
user www-data;
worker_processes 1;
worker_rlimit_nofile 8192;
pid $WORK/pids/nginx.pid;
error_log $WORK/log/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log $WORK/log/nginx-access.log;
  sendfile on;
  keepalive_timeout 15s;
  keepalive_requests 100000;
  client_header_timeout 60s;          # > slow-http duration: the client gives up first
  client_body_timeout 60s;
  client_body_temp_path $WORK/nginx-tmp;
  proxy_temp_path $WORK/nginx-tmp; fastcgi_temp_path $WORK/nginx-tmp;
  uwsgi_temp_path $WORK/nginx-tmp;  scgi_temp_path $WORK/nginx-tmp;
  types { text/html html; application/octet-stream bin; }
  server {
    listen $LO:$HTTP_PORT backlog=4096;
    root $WORK/www;
    location /upload/ {
      client_max_body_size 512m;
      dav_methods PUT DELETE;         # PUT stores the body (nginx reads all of it)
      create_full_put_path on;
      if (\$request_method = POST) { return 201 "stored\n"; }   # POST body is read and discarded
    }
  }
}
EOF
  nginx -t -q -c "$WORK/nginx.conf" -e "$WORK/log/nginx-error.log"
  nginx -c "$WORK/nginx.conf" -e "$WORK/log/nginx-error.log"
  wait_port tcp "$HTTP_PORT"

  # Authoritative for recon.test only, no upstream: nothing can leave the box.
  dnsmasq --conf-file=/dev/null --keep-in-foreground --user=root --no-resolv --no-hosts --no-poll \
    --port="$DNS_PORT" --listen-address="$LO" --bind-interfaces --pid-file= \
    --local=/recon.test/ --domain-needed --cache-size=0 \
    --host-record=www.recon.test,$LO --host-record=db.recon.test,$LO --host-record=cache.recon.test,$LO \
    --host-record=files.recon.test,$LO,::1 --host-record=mail.recon.test,$LO --host-record=rpc.recon.test,$LO \
    --cname=api.recon.test,www.recon.test --cname=cdn.recon.test,files.recon.test \
    --mx-host=recon.test,mail.recon.test,10 --txt-record=recon.test,"v=spf1 -all" \
    --txt-record=_meta.recon.test,owner=recon,purpose=capture \
    --srv-host=_rpc._tcp.recon.test,rpc.recon.test,$RPC_PORT --srv-host=_http._tcp.recon.test,www.recon.test,$HTTP_PORT \
    > "$WORK/log/dnsmasq.log" 2>&1 &
  echo $! > "$WORK/pids/dnsmasq.pid"
  wait_port udp "$DNS_PORT"

  "$PY" "$LIB/traffic.py" rpc-server --port "$RPC_PORT" > "$WORK/log/rpc-server.log" 2>&1 &
  echo $! > "$WORK/pids/rpc.pid"
  wait_port tcp "$RPC_PORT"

  redis-server --bind "$LO" --port "$REDIS_PORT" --save "" --appendonly no --daemonize no \
    --protected-mode yes --maxclients 2000 --dir "$WORK/redis" --logfile "$WORK/log/redis.log" &
  echo $! > "$WORK/pids/redis.pid"
  wait_port tcp "$REDIS_PORT"

  iperf3 -s -B "$LO" -p "$IPERF_PORT" > "$WORK/log/iperf3-server.log" 2>&1 &
  echo $! > "$WORK/pids/iperf3.pid"
  wait_port tcp "$IPERF_PORT"
  log "servers up: nginx:$HTTP_PORT dnsmasq:$DNS_PORT rpc:$RPC_PORT redis:$REDIS_PORT iperf3:$IPERF_PORT"
}

# Stop only what this run started (pids recorded under $WORK/pids).
stop_pid() {  # stop_pid PID : TERM, then KILL if it is still there after 5 s
  local pid=$1 i
  kill "$pid" 2>/dev/null || return 0
  for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$? f
  set +e
  [[ -n "${TCPDUMP_PID:-}" ]] && stop_pid "$TCPDUMP_PID"
  if [[ -d "$WORK/pids" ]]; then
    [[ -f "$WORK/nginx.conf" && -s "$WORK/pids/nginx.pid" ]] && nginx -c "$WORK/nginx.conf" -s quit 2>/dev/null
    for f in "$WORK"/pids/{dnsmasq,rpc,redis,iperf3}.pid; do
      [[ -s "$f" ]] && stop_pid "$(cat "$f")"
    done
  fi
  rm -rf "$WORK/www/upload" "$WORK/upload-src" "$WORK/nginx-tmp" "$WORK/post"
  [[ $rc -ne 0 ]] && echo "capture-flows: failed (rc=$rc); logs in $WORK/log" >&2
  exit $rc
}

# ---------------------------------------------------------------------------
# Capture: one tcpdump per phase on lo, filtered to the ports the generator
# uses, so every captured flow's label is the phase that produced it.
# ---------------------------------------------------------------------------
# capture_phase GENERATOR LABEL ACCEPT FIRST BPF COMMAND...
#   ACCEPT: proto:port(-range) list a flow's (proto, dst port) must match
#   FIRST : TCP flags of the initiator's first packet (S, F, FPU, 0, A, *)
capture_phase() {
  local gen=$1 label=$2 accept=$3 first=$4 bpf=$5; shift 5
  local pcap="$WORK/pcap/$gen.pcap" t0 i
  t0=$(date +%s.%N)
  # -Z root: tcpdump would otherwise drop to user tcpdump and fail to write $WORK.
  # -s 160 keeps headers only (argus/tshark take lengths from the IP header).
  tcpdump -i lo -n -Z root -s 160 -B 32768 -U -w "$pcap" "host $LO and ($bpf) $FOREIGN_BPF" \
    2> "$WORK/log/$gen.tcpdump.log" &
  TCPDUMP_PID=$!
  for i in $(seq 1 100); do grep -q 'listening on' "$WORK/log/$gen.tcpdump.log" && break; sleep 0.1; done
  sleep 0.3
  "$@" >> "$WORK/log/$gen.log" 2>&1 || warn "$gen: generator exited with $? (see $WORK/log/$gen.log)"
  sleep 1.5   # let the last FIN/RST/ICMP of the phase reach the capture
  kill -INT "$TCPDUMP_PID"; wait "$TCPDUMP_PID" || true; TCPDUMP_PID=""
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$gen" "$label" "$accept" "$first" \
    "$WORK/flows/$gen.argus.csv" "$WORK/flows/$gen.packets.tsv" >> "$WORK/phases.tsv"
  log "phase $gen ($label): $(grep -E 'captured|dropped by kernel' "$WORK/log/$gen.tcpdump.log" | tr '\n' ' ')in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')s"
}

# --- normal generators -------------------------------------------------------
gen_curl_http() {
  # Seeded mix: single GETs (new connection each), keep-alive invocations with
  # several URLs, small POST forms, HEAD requests and 404s.
  mkdir -p "$WORK/post"
  "$PY" "$LIB/traffic.py" curl-plan --port "$HTTP_PORT" --count "$CURL_COUNT" --seed "$SEED" \
    --files "$CURL_FILES" --file-weights "$CURL_WEIGHTS" --mix "$CURL_MIX" --keepalive-max "$CURL_KA_MAX" \
    --post-min "$CURL_POST_MIN" --post-max "$CURL_POST_MAX" --post-dir "$WORK/post" --http10 "$CURL_HTTP10" \
    --post-sizes-out "$WORK/post/sizes.txt" > "$WORK/curl-plan.txt"
  local s
  while read -r s; do head -c "$s" /dev/urandom > "$WORK/post/post-$s.bin"; done < "$WORK/post/sizes.txt"
  timeout -k 5 150 xargs -P "$CURL_PAR" -L 1 curl < "$WORK/curl-plan.txt" > /dev/null
}

gen_wrk_http() {
  local run t c d p
  for run in "${WRK_RUNS[@]}"; do            # keep-alive load: few long, busy connections
    read -r t c d p <<< "$run"
    timeout -k 5 $((d + 20)) wrk -t"$t" -c"$c" -d"${d}s" --timeout 5s "http://$LO:$HTTP_PORT$p"
  done
  read -r t c d p <<< "$WRK_CLOSE"            # one request per connection, bounded count
  WRK_MAX_REQ=$p WRK_PATHS="$WRK_CLOSE_PATHS" timeout -k 5 $((d + 20)) \
    wrk -t"$t" -c"$c" -d"${d}s" --timeout 5s -s "$LIB/wrk-close.lua" "http://$LO:$HTTP_PORT/"
}

gen_dns_query() {
  rm -f "$WORK"/dns-plan.*
  "$PY" "$LIB/traffic.py" dns-plan --count "$DNS_COUNT" --seed "$SEED" --zone recon.test \
    --names "www.recon.test,api.recon.test,db.recon.test,cache.recon.test,files.recon.test,cdn.recon.test,mail.recon.test,recon.test,_rpc._tcp.recon.test,_http._tcp.recon.test,_meta.recon.test" \
    --qtypes "$DNS_QTYPES" --nx-fraction "$DNS_NX" --tcp-fraction "$DNS_TCP" --edns-fraction "$DNS_EDNS" \
    --out-prefix "$WORK/dns-plan"
  # dig's batch mode opens a new socket (new flow) for every query line, but
  # ignores per-line options: one dig run per option group
  local f opts
  for f in "$WORK"/dns-plan.*; do
    opts=()
    [[ $f == *tcp* ]] && opts+=(+tcp)
    [[ $f == *edns* ]] && opts+=(+dnssec +bufsize=4096)
    timeout -k 5 120 dig @"$LO" -p "$DNS_PORT" +tries=1 +time=2 +noall +answer "${opts[@]}" -f "$f" > /dev/null
  done
}

gen_rpc_echo() {
  timeout -k 5 90 "$PY" "$LIB/traffic.py" rpc-client --port "$RPC_PORT" --seed "$SEED" --max-seconds 60 "${RPC_ARGS[@]}"
}

gen_redis_rpc() {
  local run
  for run in "${REDIS_RUNS[@]}"; do
    # shellcheck disable=SC2086  # run holds several options on purpose
    timeout -k 5 60 redis-benchmark -h "$LO" -p "$REDIS_PORT" -q $run
  done
}

gen_iperf3_bulk() {
  local run
  for run in "${IPERF_RUNS[@]}"; do
    # shellcheck disable=SC2086
    timeout -k 5 20 iperf3 -c "$LO" -p "$IPERF_PORT" $run || true
    sleep 0.5   # the iperf3 server takes one test at a time
  done
}

# --- joint attack generators (attacks that look normal feature by feature) ---
gen_dns_tunnel() {
  "$PY" "$LIB/traffic.py" tunnel-plan --seed "$SEED" --zone recon.test --out "$WORK/tunnel-plan.udp" "${JOINT_TUNNEL[@]}"
  timeout -k 5 120 dig @"$LO" -p "$DNS_PORT" +tries=1 +time=2 +noall +answer -f "$WORK/tunnel-plan.udp" > /dev/null
}
gen_http_exfil() {
  timeout -k 5 120 "$PY" "$LIB/traffic.py" http-exfil --port "$HTTP_PORT" --seed "$SEED" "${JOINT_EXFIL[@]}"
}
gen_rpc_beacon() {
  timeout -k 5 75 "$PY" "$LIB/traffic.py" beacon --port "$RPC_PORT" "${JOINT_BEACON[@]}"
}
gen_cred_stuffing() {
  timeout -k 5 120 "$PY" "$LIB/traffic.py" cred-stuff --port "$HTTP_PORT" --seed "$SEED" "${JOINT_CRED[@]}"
}

# --- attack generators ------------------------------------------------------
nmap_scan() {  # nmap_scan OPTIONS... : never resolves names, never pings, one host: 127.0.0.1
  timeout -k 5 120 nmap -n -Pn --host-timeout 90s "${NMAP_EXCLUDE[@]}" "$@" "$LO"
}
# shellcheck disable=SC2086  # word-splitting of the option string is intended
gen_nmap() { local nmap_opts=$1; shift; nmap_scan $nmap_opts "$@"; }

gen_hping3() {  # each packet gets the next source port, i.e. its own flow
  # hping3 exits 1 when nothing answered (UDP to a silent/closed port): expected
  # shellcheck disable=SC2086
  timeout -k 5 60 hping3 -I lo $1 "$LO" || [[ $? -eq 1 ]]
}

gen_slow_http() {
  timeout -k 5 90 "$PY" "$LIB/traffic.py" slow-http --port "$HTTP_PORT" --seed "$SEED" "${SLOW_ARGS[@]}"
}

gen_large_upload() {
  # Big PUT (stored by nginx DAV) and POST bodies; some chunked in holdout.
  mkdir -p "$WORK/upload-src"
  "$PY" "$LIB/traffic.py" upload-plan --seed "$SEED" "${UPLOAD_ARGS[@]}" > "$WORK/upload-plan.txt"
  local lane pids=()
  for lane in $(seq 0 $((UPLOAD_PAR - 1))); do
    awk -v n="$UPLOAD_PAR" -v l="$lane" 'NR % n == l' "$WORK/upload-plan.txt" | upload_lane "$lane" &
    pids+=($!)
  done
  wait "${pids[@]}"   # only our lanes: a bare `wait` would also wait for the servers
}
upload_lane() {
  local method size chunked i src extra
  while read -r method size chunked i; do
    src="$WORK/upload-src/body-$1"
    truncate -s 0 "$src"; truncate -s "$size" "$src"      # sparse file of zeros: no disk cost
    extra=(); [[ $chunked == chunked ]] && extra=(-H "Transfer-Encoding: chunked")
    if [[ $method == PUT ]]; then
      timeout -k 5 60 curl -s -o /dev/null "${extra[@]}" -T "$src" "http://$LO:$HTTP_PORT/upload/big-$1-$((i % 2)).bin" || true
    else
      timeout -k 5 60 curl -s -o /dev/null -H 'Expect:' "${extra[@]}" --data-binary "@$src" "http://$LO:$HTTP_PORT/upload/post-$i" || true
    fi
  done
  rm -f "$WORK/upload-src/body-$1"
}

run_phases() {
  local H="tcp port $HTTP_PORT" svc="tcp:$HTTP_PORT,tcp:$RPC_PORT,tcp:$REDIS_PORT,tcp:$IPERF_PORT"
  : > "$WORK/phases.tsv"
  # normal
  capture_phase curl-http   normal "tcp:$HTTP_PORT"  S "$H"                gen_curl_http
  capture_phase wrk-http    normal "tcp:$HTTP_PORT"  S "$H"                gen_wrk_http
  capture_phase dns-query   normal "udp:$DNS_PORT,tcp:$DNS_PORT" S "port $DNS_PORT" gen_dns_query
  capture_phase rpc-echo    normal "tcp:$RPC_PORT"   S "tcp port $RPC_PORT"   gen_rpc_echo
  capture_phase redis-rpc   normal "tcp:$REDIS_PORT" S "tcp port $REDIS_PORT" gen_redis_rpc
  capture_phase iperf3-bulk normal "tcp:$IPERF_PORT,udp:$IPERF_PORT" S "port $IPERF_PORT" gen_iperf3_bulk
  if [[ "$VARIANT" == joint ]]; then          # only attacks that look normal feature by feature
    capture_phase dns-tunnel    attack "udp:$DNS_PORT,tcp:$DNS_PORT" S "port $DNS_PORT" gen_dns_tunnel
    capture_phase http-exfil    attack "tcp:$HTTP_PORT" S "$H"                  gen_http_exfil
    capture_phase rpc-beacon    attack "tcp:$RPC_PORT"  S "tcp port $RPC_PORT"  gen_rpc_beacon
    capture_phase cred-stuffing attack "tcp:$HTTP_PORT" S "$H"                  gen_cred_stuffing
    return 0
  fi
  # attack: scans (capture filter = the scanned ports, plus icmp for UDP scans)
  capture_phase nmap-syn-scan     attack "$(accept_of tcp "$NMAP_SYN")"     S   "$(bpf_of "$NMAP_SYN")"     gen_nmap "$NMAP_SYN"
  capture_phase nmap-connect-scan attack "$(accept_of tcp "$NMAP_CONNECT")" S   "$(bpf_of "$NMAP_CONNECT")" gen_nmap "$NMAP_CONNECT"
  capture_phase nmap-udp-scan     attack "$(accept_of udp "$NMAP_UDP"),icmp" '*' "icmp or ($(bpf_of "$NMAP_UDP"))" gen_nmap "$NMAP_UDP"
  capture_phase nmap-fin-scan     attack "$(accept_of tcp "$NMAP_FIN")"     F   "$(bpf_of "$NMAP_FIN")"     gen_nmap "$NMAP_FIN"
  capture_phase nmap-xmas-scan    attack "$(accept_of tcp "$NMAP_XMAS")"    FPU "$(bpf_of "$NMAP_XMAS")"    gen_nmap "$NMAP_XMAS"
  capture_phase nmap-null-scan    attack "$(accept_of tcp "$NMAP_NULL")"    0   "$(bpf_of "$NMAP_NULL")"    gen_nmap "$NMAP_NULL"
  if [[ -n "$NMAP_ACK" ]]; then
    capture_phase nmap-ack-scan   attack "$(accept_of tcp "$NMAP_ACK")"     A   "$(bpf_of "$NMAP_ACK")"     gen_nmap "$NMAP_ACK"
  fi
  # floods, slow connections, big uploads
  capture_phase hping3-syn-flood attack "tcp:$(hping_port "$HPING_SYN")" S "tcp port $(hping_port "$HPING_SYN")" gen_hping3 "$HPING_SYN"
  capture_phase hping3-udp-flood attack "udp:$HPING_UDP_PORT,icmp" '*' "udp port $HPING_UDP_PORT or icmp" gen_hping3 "$HPING_UDP"
  capture_phase slow-http        attack "tcp:$HTTP_PORT" S "$H" gen_slow_http
  capture_phase large-upload     attack "tcp:$HTTP_PORT" S "$H" gen_large_upload
  # last: version probing sends junk to every service, so nothing runs after it
  capture_phase nmap-version-scan attack "$svc" S "$(bpf_of "$NMAP_VERSION")" gen_nmap "$NMAP_VERSION"
}

# Port list of an nmap option string ("-p 1-1000,18080") as accept spec / BPF.
ports_of() { sed -E 's/.*-p ([0-9,-]+).*/\1/' <<< "$1" | tr ',' '\n'; }
accept_of() { ports_of "$2" | sed "s/^/$1:/" | paste -sd, -; }
bpf_of() { ports_of "$1" | sed -E 's/^([0-9]+)-([0-9]+)$/portrange \1-\2/; t; s/^/port /' | paste -sd'|' - | sed 's/|/ or /g'; }
hping_port() { sed -E 's/.*-p ([0-9]+).*/\1/' <<< "$1"; }

# ---------------------------------------------------------------------------
# Packets -> flows -> CSV
# ---------------------------------------------------------------------------
PACKET_FIELDS=(-e frame.time_epoch -e ip.proto -e ip.src -e ip.dst -e tcp.srcport -e tcp.dstport
               -e udp.srcport -e udp.dstport -e tcp.flags)
to_flows() {
  mkdir -p "$WORK/flows"
  # Bidirectional 5-tuple flows; status interval longer than any phase so a
  # long flow is one record, app-byte/jitter/size/TCP-perf metrics switched on.
  cat > "$WORK/argus.conf" <<'EOF'
ARGUS_FLOW_TYPE="Bidirectional"
ARGUS_FLOW_KEY="CLASSIC_5_TUPLE"
ARGUS_FLOW_STATUS_INTERVAL=3600
ARGUS_MAR_STATUS_INTERVAL=3600
ARGUS_GENERATE_PACKET_SIZE=yes
ARGUS_GENERATE_JITTER_DATA=yes
ARGUS_GENERATE_APPBYTE_METRIC=yes
ARGUS_GENERATE_TCP_PERF_METRIC=yes
ARGUS_GENERATE_RESPONSE_TIME_DATA=yes
ARGUS_SET_PID=no
EOF
  local fields gen
  fields=$("$PY" "$LIB/flows.py" --print-argus-fields)
  while IFS=$'\t' read -r gen _; do
    rm -f "$WORK/flows/$gen.argus"
    argus -X -F "$WORK/argus.conf" -r "$WORK/pcap/$gen.pcap" -w "$WORK/flows/$gen.argus"
    # shellcheck disable=SC2086
    ra -r "$WORK/flows/$gen.argus" -n -u -p 6 -c , -s $fields > "$WORK/flows/$gen.argus.csv"
    tshark -n -r "$WORK/pcap/$gen.pcap" -T fields -E separator=/t -E occurrence=f "${PACKET_FIELDS[@]}" \
      > "$WORK/flows/$gen.packets.tsv" 2> "$WORK/log/$gen.tshark.log"
  done < "$WORK/phases.tsv"
  "$PY" "$LIB/flows.py" --variant "$VARIANT" --phases "$WORK/phases.tsv" --services "$SERVICES" \
    --out "$WORK/flows.csv" 2>&1 | tee -a "$WORK/log/run.log" >&2
}

publish() {
  local name=flows.csv.gz
  [[ "$VARIANT" == main ]] || name="flows-$VARIANT.csv.gz"
  mkdir -p "$OUT"
  gzip -n -9 -c "$WORK/flows.csv" > "$OUT/$name.tmp" && mv "$OUT/$name.tmp" "$OUT/$name"
  (cd "$OUT" && sha256sum flows*.csv.gz > SHA256SUMS)
  "$PY" "$LIB/summarize.py" "$OUT/$name" > "$WORK/summary.txt" \
    || { cat "$WORK/summary.txt" >&2; echo "format check failed" >&2; exit 1; }
  {
    echo "file: $name"
    echo "variant: $VARIANT"
    echo "generated: $(date -u +%Y-%m-%dT%H:%M:%SZ) in $(( $(date +%s) - T_START ))s"
    echo "machine: $(. /etc/os-release; echo "$PRETTY_NAME") (debian_version $(cat /etc/debian_version)), kernel $(uname -r), $(nproc) cores"
    echo "command: sudo bash tests/capture/capture-flows.sh --variant $VARIANT"
    echo "sha256: $(sha256sum "$OUT/$name" | cut -d' ' -f1)"
    echo "packages (dpkg-query -W):"
    dpkg-query -W "${PACKAGES[@]}" | sed 's/^/  /'
    echo "tcpdump per phase:"
    for f in "$WORK"/log/*.tcpdump.log; do
      echo "  $(basename "$f" .tcpdump.log): $(grep -E 'captured|dropped by kernel' "$f" | tr '\n' ' ')"
    done
    echo
    cat "$WORK/summary.txt"
  } > "$OUT/${name%.csv.gz}.provenance.txt"
  cat "$WORK/summary.txt" >&2
  log "wrote $OUT/$name ($(stat -c %s "$OUT/$name") bytes)"
}

main() {
  if [[ -z "${RECON_CAPTURE_IN_NETNS:-}" ]]; then
    rm -rf "$WORK"
    mkdir -p "$WORK/log"
    install_deps                      # needs the package mirror: done before isolating
    if unshare --net true 2>/dev/null; then
      log "re-running inside a private network namespace (own loopback)"
      RECON_CAPTURE_IN_NETNS=1 exec unshare --net -- bash "$0" "${ORIG_ARGS[@]}"
    fi
    warn "cannot create a network namespace; capturing on the host loopback"
  else
    ip link set lo up                 # a new namespace starts with lo down
  fi
  mkdir -p "$WORK"/{log,pcap,pids}
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  set_params
  check_ports
  start_servers
  run_phases
  to_flows
  [[ $KEEP_PCAPS == 1 ]] || rm -f "$WORK"/pcap/*.pcap "$WORK"/flows/*.argus "$WORK"/flows/*.packets.tsv
  publish
  log "done: variant $VARIANT"
}

main
