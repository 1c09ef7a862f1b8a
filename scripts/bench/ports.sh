# Loopback ports for the benchmarks' private servers, sourced by every bench script that starts one.
# free_port: a port nothing listens on, never one this run handed out before (TAKEN) even if that
# server has not bound it yet. wait_port PORT [SECONDS, 30]: until something accepts on it.
TAKEN=${TAKEN:- }
free_port() { local p; for _ in $(seq 500); do p=$(shuf -i 20000-32000 -n 1)
    case "$TAKEN" in *" $p "*) continue ;; esac
    ss -Hltan "( sport = :$p )" | grep -q . || { TAKEN="$TAKEN$p "; echo "$p"; return 0; }; done; return 1; }
wait_port() { local end=$((SECONDS + ${2:-30}))
  until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do [ $SECONDS -ge $end ] && return 1; sleep 0.05; done; }
