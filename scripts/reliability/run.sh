#!/usr/bin/env bash
# The long reliability runs (`make reliability`). RELIABILITY_MINUTES sets the length of each
# load run (default 10), RELIABILITY_KILLS the SIGKILL rounds (default 50),
# REFORMSTYR_FUZZ_EXAMPLES the Schemathesis examples per operation and role (default 5).
# Figures go to $RELIABILITY_RESULTS (default /tmp/reformstyr-reliability.jsonl) (one JSON line per run); see docs/reliability.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=.venv/bin/python
minutes=${RELIABILITY_MINUTES:-10}
kills=${RELIABILITY_KILLS:-50}
results=${RELIABILITY_RESULTS:-/tmp/reformstyr-reliability.jsonl}
status=0
run() { echo "== $*" >&2; "$@" || status=1; }
run $PY scripts/reliability/soak.py load --minutes "$minutes" --clients 20 --workers 1 --results "$results"
run $PY scripts/reliability/soak.py load --minutes "$minutes" --clients 20 --workers 2 --results "$results"
run scripts/with-postgres.sh $PY scripts/reliability/soak.py load --minutes "$minutes" --clients 20 --workers 2 --results "$results"
run $PY scripts/reliability/soak.py kill --rounds "$kills" --results "$results"
run scripts/with-postgres.sh $PY scripts/reliability/soak.py kill --rounds "$((kills / 5))" --results "$results"
run $PY scripts/reliability/soak.py backup --seconds "$((minutes * 6))" --results "$results"
run env REFORMSTYR_FUZZ_EXAMPLES="${REFORMSTYR_FUZZ_EXAMPLES:-5}" $PY -m pytest -q -s tests/security/test_hostile_input.py
run env REFORMSTYR_FUZZ_EXAMPLES="${REFORMSTYR_FUZZ_EXAMPLES:-5}" scripts/with-postgres.sh $PY -m pytest -q -s tests/security/test_hostile_input.py
exit $status
