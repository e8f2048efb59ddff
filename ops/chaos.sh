#!/usr/bin/env bash
# The chaos run of RELIABILITY.md: a real KRaft broker and N instances of the service as
# processes on 127.0.0.1, steady traffic with bad records and repeated ids, a 10 Hz scraper of
# every org on every instance, and meanwhile SIGKILLs of random instances (each restarted), a
# SIGKILL of the broker with its restart on the same data, and a rolling restart. Prints the
# figures at the end and exits 0 only when the targets are met. Every process it starts is
# ended by it, also on failure or Ctrl-C.
#
#   ops/chaos.sh                                   # the full run: 1,000,000 events at 2,000/s, 3 instances,
#                                                  # 10 kills, 1 broker kill, 1 rolling restart, seed 1
#   ops/chaos.sh --events 100000 --rate 1000 --kills 3 --seed 7     # a short one
#
# Flags: --events N --rate N/s --instances N --standby-replicas N --kills N --broker-kills N
#        --rolling-restarts N --seed N --orgs N --partitions N --no-restart
#        --instance-arg FLAG=VALUE (extra flag for every instance) --work-dir DIR (logs, state)
#        --broker-stop kill|term (the broker fault: SIGKILL, the default, or a clean SIGTERM)
set -euo pipefail
cd "$(dirname "$0")/.."
exec mvn -B -q -Pchaos -pl streams-app -am test -DskipTests -Dchaos.args="$*"
