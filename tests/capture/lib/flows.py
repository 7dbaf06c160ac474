#!/usr/bin/python3
"""Turn per-phase argus flow records (+ tshark per-packet fields) into the
labelled flow CSV described in tests/capture/README.md (stdlib only).

Inputs, for every phase listed in the phases TSV
(generator, label, accept, first, argus_csv, packets_tsv):
  argus_csv    `ra -n -u -p 6 -c , -s <ARGUS_FIELDS>` output of the phase's pcap
  packets_tsv  `tshark -T fields` output (see PACKET_FIELDS in capture-flows.sh)

argus defines the flows (bidirectional, initiator = src) and gives most
features; the packets are joined back to each flow by 5-tuple and time window
to add the TCP flag counts and inter-arrival statistics argus does not report.

A flow is kept only if it matches the phase's `accept` spec (protocol and
destination ports the generator talks to) and, for TCP, if the first packet
the initiator sent carries exactly the flags the generator sends first
(`first`: S = SYN without ACK, F / FPU / 0 / A = FIN / XMAS / NULL / ACK
scans, * = anything). Everything else is background and dropped. TCP records
that hold two connections (a reused 5-tuple argus did not split) are dropped
as well and counted in the log.
"""
import argparse
import bisect
import csv
import math
import statistics
import sys
from collections import Counter, defaultdict

ARGUS_FIELDS = ["stime", "ltime", "proto", "saddr", "sport", "daddr", "dport", "state", "flgs",
                "dur", "spkts", "dpkts", "sbytes", "dbytes", "sappbytes", "dappbytes",
                "sload", "dload", "srate", "drate", "sintpkt", "dintpkt", "sjit", "djit",
                "smeansz", "dmeansz", "smaxsz", "dmaxsz", "swin", "dwin",
                "tcprtt", "synack", "ackdat", "tcpopt", "sloss", "dloss"]

# service names for the dedicated ports capture-flows.sh runs its servers on
SERVICES = {}

COLUMNS = [
    # identity / label (not features)
    "id", "ts", "generator", "label",
    # numeric features
    "duration_s", "src_packets", "dst_packets", "src_bytes", "dst_bytes",
    "src_payload_bytes", "dst_payload_bytes", "mean_packet_size",
    "src_mean_packet_size", "dst_mean_packet_size", "src_max_packet_size", "dst_max_packet_size",
    "src_rate_pps", "dst_rate_pps", "src_load_bps", "dst_load_bps",
    "mean_iat_s", "std_iat_s", "max_iat_s", "src_mean_iat_s", "dst_mean_iat_s",
    "src_jitter_s", "dst_jitter_s",
    "syn_count", "synack_count", "fin_count", "rst_count", "psh_count", "ack_count",
    "urg_count", "ece_count", "cwr_count",
    "src_tcp_win", "dst_tcp_win", "tcp_rtt_s", "syn_ack_s", "ack_dat_s",
    "src_retrans", "dst_retrans", "icmp_unreach",
    # categorical features (strings that never look numeric)
    "proto", "state", "service", "dst_port", "tcp_opts",
]

FIN, SYN, RST, PSH, ACK, URG, ECE, CWR = 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80
FIRST_FLAGS = {"S": None, "F": FIN, "FPU": FIN | PSH | URG, "0": 0, "A": ACK, "*": None}
PROTO_NUM = {"tcp": 6, "udp": 17, "icmp": 1}


def to_us(text):
    """'1795917234.648236' or '...648236000' -> integer microseconds, without float error."""
    whole, _, frac = text.partition(".")
    return int(whole) * 1_000_000 + int((frac + "000000")[:6])


def num(text, scale=1.0):
    if text is None:
        return 0.0
    text = text.strip()
    if not text:
        return 0.0
    try:
        v = float(text) * scale
    except ValueError:
        return 0.0
    return v if math.isfinite(v) else 0.0


def fmt(v):
    """Plain decimal: no exponent, no trailing zeros, never empty."""
    if isinstance(v, int):
        return str(v)
    s = f"{v:.6f}".rstrip("0").rstrip(".")
    return "0" if s in ("", "-0") else s


def parse_accept(spec):
    """'tcp:1-1000,tcp:18080,udp:53,icmp' -> {proto: [(lo, hi), ...]} (icmp -> [])."""
    acc = defaultdict(list)
    for item in spec.split(","):
        item = item.strip()
        if not item:
            continue
        proto, _, ports = item.partition(":")
        acc[proto]
        if ports:
            lo, _, hi = ports.partition("-")
            acc[proto].append((int(lo), int(hi or lo)))
    return acc


def accepted(acc, proto, dport):
    if proto not in acc:
        return False
    if proto == "icmp":
        return True
    try:
        p = int(dport)
    except ValueError:
        return False
    return any(lo <= p <= hi for lo, hi in acc[proto])


def load_packets(path):
    """Index packets by canonical (proto, endpointA, endpointB) -> sorted [(t_us, a_to_b, flags)]."""
    index = defaultdict(list)
    with open(path, newline="") as f:
        for row in csv.reader(f, delimiter="\t"):
            if len(row) < 9 or not row[1]:
                continue
            t, proto, src, dst, tsp, tdp, usp, udp_, flags = row[:9]
            try:
                proto = int(proto.split(",")[0])
            except ValueError:
                continue
            if proto == 6:
                sp, dp = tsp, tdp
            elif proto == 17:
                sp, dp = usp, udp_
            else:
                sp, dp = "", ""
            a, b = (src, sp), (dst, dp)
            fl = int(flags, 16) if proto == 6 and flags else 0
            if a <= b:
                index[(proto, a, b)].append((to_us(t), True, fl))
            else:
                index[(proto, b, a)].append((to_us(t), False, fl))
    for v in index.values():
        v.sort(key=lambda x: x[0])
    return index


def flow_packets(index, proto, src, sport, dst, dport, t0, t1):
    if proto == "icmp":  # argus reports icmp "ports" as type/code; match on addresses only
        sport = dport = ""
    a, b = (src, sport), (dst, dport)
    key = (PROTO_NUM[proto], min(a, b), max(a, b))
    pkts = index.get(key, [])
    lo = bisect.bisect_left(pkts, (t0, False, -1))
    hi = bisect.bisect_right(pkts, (t1, True, 1 << 16))
    src_is_a = a <= b
    return [(t, fwd == src_is_a, fl) for t, fwd, fl in pkts[lo:hi]]


def build_rows(variant, phase, stats):
    generator, label, accept, first, argus_csv, packets_tsv = phase
    acc = parse_accept(accept)
    want_first = FIRST_FLAGS[first]
    index = load_packets(packets_tsv)
    rows = []
    with open(argus_csv, newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        for rec in reader:
            if len(rec) != len(ARGUS_FIELDS):
                stats[generator]["dropped:malformed"] += 1
                continue
            r = dict(zip(ARGUS_FIELDS, (x.strip() for x in rec)))
            proto = r["proto"]
            if proto not in PROTO_NUM:  # argus management records, arp, ...
                continue
            if not accepted(acc, proto, r["dport"]):
                stats[generator]["dropped:not-generator-port"] += 1
                continue
            t0, t1 = to_us(r["stime"]), to_us(r["ltime"])
            pk = flow_packets(index, proto, r["saddr"], r["sport"], r["daddr"], r["dport"], t0, t1)
            if proto == "tcp" and first != "*":
                firsts = [fl for _, from_src, fl in pk if from_src]
                if not firsts:
                    stats[generator]["dropped:no-initiator-packet"] += 1
                    continue
                fl = firsts[0] & 0xFF
                ok = (fl & SYN and not fl & ACK) if first == "S" else (fl == want_first)
                if not ok:
                    stats[generator]["dropped:first-flags"] += 1
                    continue
            if proto == "tcp" and reused_tuple(pk):
                # argus does not start a new record when a closed 5-tuple is
                # reused by a new connection (seen with HTTP/1.0, where the
                # server closes first and the client port is free at once);
                # two connections in one record are a meter artefact: drop.
                stats[generator]["dropped:two-connections-one-record"] += 1
                continue
            if len(pk) != int(num(r["spkts"]) + num(r["dpkts"])):
                stats[generator]["note:packet-join-mismatch"] += 1
            rows.append(features(variant, generator, label, r, pk))
            stats[generator]["kept"] += 1
    return rows


def reused_tuple(pk):
    """True if the initiator opens a new connection (SYN without ACK) after a
    FIN or RST was already seen in the same record."""
    closed = False
    for _, from_src, fl in pk:
        if closed and from_src and fl & SYN and not fl & ACK:
            return True
        if fl & (FIN | RST):
            closed = True
    return False


def features(variant, generator, label, r, pk):
    proto = r["proto"]
    spk, dpk = int(num(r["spkts"])), int(num(r["dpkts"]))
    sb, db = int(num(r["sbytes"])), int(num(r["dbytes"]))
    times = [t for t, _, _ in pk]
    iats = [(b - a) / 1e6 for a, b in zip(times, times[1:])]
    cnt = Counter()
    for _, _, fl in pk:
        for name, bit in (("syn", SYN), ("fin", FIN), ("rst", RST), ("psh", PSH),
                          ("ack", ACK), ("urg", URG), ("ece", ECE), ("cwr", CWR)):
            if fl & bit:
                cnt[name] += 1
        if fl & SYN and fl & ACK:
            cnt["synack"] += 1
    try:
        dport = int(r["dport"])
    except ValueError:
        dport = None
    if proto == "icmp" or dport is None:
        dst_port, service = "none", "icmp" if proto == "icmp" else "other"
    else:
        dst_port, service = f"p{dport}", SERVICES.get(dport, "other")
    opts = r["tcpopt"].replace(" ", "_") if proto == "tcp" and r["tcpopt"].strip() else "none"
    v = {
        "ts": to_us(r["stime"]) // 1000,
        "generator": generator, "label": label,
        "duration_s": num(r["dur"]),
        "src_packets": spk, "dst_packets": dpk, "src_bytes": sb, "dst_bytes": db,
        "src_payload_bytes": int(num(r["sappbytes"])), "dst_payload_bytes": int(num(r["dappbytes"])),
        "mean_packet_size": (sb + db) / (spk + dpk) if spk + dpk else 0.0,
        "src_mean_packet_size": num(r["smeansz"]), "dst_mean_packet_size": num(r["dmeansz"]),
        "src_max_packet_size": int(num(r["smaxsz"])), "dst_max_packet_size": int(num(r["dmaxsz"])),
        "src_rate_pps": num(r["srate"]), "dst_rate_pps": num(r["drate"]),
        "src_load_bps": num(r["sload"]), "dst_load_bps": num(r["dload"]),
        "mean_iat_s": statistics.fmean(iats) if iats else 0.0,
        "std_iat_s": statistics.pstdev(iats) if len(iats) > 1 else 0.0,
        "max_iat_s": max(iats) if iats else 0.0,
        "src_mean_iat_s": num(r["sintpkt"], 1e-3), "dst_mean_iat_s": num(r["dintpkt"], 1e-3),
        "src_jitter_s": num(r["sjit"], 1e-3), "dst_jitter_s": num(r["djit"], 1e-3),
        "syn_count": cnt["syn"], "synack_count": cnt["synack"], "fin_count": cnt["fin"],
        "rst_count": cnt["rst"], "psh_count": cnt["psh"], "ack_count": cnt["ack"],
        "urg_count": cnt["urg"], "ece_count": cnt["ece"], "cwr_count": cnt["cwr"],
        "src_tcp_win": int(num(r["swin"])), "dst_tcp_win": int(num(r["dwin"])),
        "tcp_rtt_s": num(r["tcprtt"]), "syn_ack_s": num(r["synack"]), "ack_dat_s": num(r["ackdat"]),
        "src_retrans": int(num(r["sloss"])), "dst_retrans": int(num(r["dloss"])),
        "icmp_unreach": 1 if "U" in r["flgs"] else 0,
        "proto": proto, "state": r["state"] or "none", "service": service,
        "dst_port": dst_port, "tcp_opts": opts,
        "_ts_us": to_us(r["stime"]),
    }
    return v


def main():
    if sys.argv[1:] == ["--print-argus-fields"]:  # the -s list capture-flows.sh passes to ra
        print(" ".join(ARGUS_FIELDS))
        return
    p = argparse.ArgumentParser()
    p.add_argument("--variant", required=True)
    p.add_argument("--phases", required=True, help="TSV: generator label accept first argus_csv packets_tsv")
    p.add_argument("--services", required=True, help="port=name,port=name")
    p.add_argument("--out", required=True)
    a = p.parse_args()
    for item in a.services.split(","):
        port, _, name = item.partition("=")
        SERVICES[int(port)] = name

    stats = defaultdict(Counter)
    rows = []
    with open(a.phases) as f:
        for line in f:
            if line.strip():
                rows.extend(build_rows(a.variant, line.rstrip("\n").split("\t"), stats))

    # ids: <variant>-<generator>-<n>, n in start-time order within the generator
    rows.sort(key=lambda v: (v["generator"], v["_ts_us"], v["dst_port"], v["src_packets"]))
    seen = Counter()
    for v in rows:
        seen[v["generator"]] += 1
        v["id"] = f"{a.variant}-{v['generator']}-{seen[v['generator']]}"
    rows.sort(key=lambda v: (v["_ts_us"], v["id"]))
    with open(a.out, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        for v in rows:
            w.writerow([fmt(v[c]) if isinstance(v[c], (int, float)) else v[c] for c in COLUMNS])
    for gen in sorted(stats):
        detail = " ".join(f"{k}={n}" for k, n in sorted(stats[gen].items()) if k != "kept")
        print(f"flows: {gen:22s} kept={stats[gen]['kept']:6d} {detail}", file=sys.stderr)
    print(f"flows: wrote {len(rows)} rows to {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
