# Shared by the launch scripts: find the checkout, build it when needed, run a Java main.
ECPDS_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STAMP="$ECPDS_HOME/launcher/target/.ecpds-built"

ecpds_build_if_needed() {
  if [ -f "$STAMP" ] && [ -d "$ECPDS_HOME/launcher/target/lib" ] && \
     [ -z "$(find "$ECPDS_HOME" -path "$ECPDS_HOME/ecpds-data" -prune -o \( -path '*/src/main/*' -o -name 'pom.xml' \) -type f -newer "$STAMP" -print -quit 2>/dev/null)" ]; then
    return 0
  fi
  command -v java >/dev/null || { echo "ecpds: java (JDK 17) is required: apt-get install -y openjdk-17-jdk-headless" >&2; exit 2; }
  echo "ecpds: building (first run or sources changed)..." >&2
  (cd "$ECPDS_HOME" && ./mvnw -B -q install -DskipTests) >&2 || { echo "ecpds: build failed" >&2; exit 1; }
  touch "$STAMP"
}

# A stated memory bound for every process (docs/operations.md, "Memory"): heap, direct buffers
# (the NIO and MINA/Netty transfer paths), the JDK's per-thread cache of temporary direct
# buffers (unbounded by default: each thread kept one as large as its largest write), and exit
# on heap exhaustion so that a supervisor restarts the process instead of it limping on.
# ECPDS_HEAP / ECPDS_DIRECT_MEMORY change the two sizes; ECPDS_JAVA_OPTS comes last and wins.
ecpds_memory_opts() {
  local heap direct
  case "$1" in
    standalone) heap=1g;   direct=256m ;;
    master)     heap=1g;   direct=128m ;;
    mover)      heap=512m; direct=256m ;;
    monitor)    heap=256m; direct=64m ;;
    *)          heap=256m; direct=64m ;; # the CLI
  esac
  echo "-Xmx${ECPDS_HEAP:-$heap} -XX:MaxDirectMemorySize=${ECPDS_DIRECT_MEMORY:-$direct}" \
    "-Djdk.nio.maxCachedBufferSize=262144 -XX:+ExitOnOutOfMemoryError"
}

# ecpds_java ROLE MAIN ARGS...: ROLE (standalone, master, mover, monitor, cli) picks the memory bound.
ecpds_java() {
  local role="$1" main="$2"; shift 2
  # glibc gives each thread that mallocs its own 64 MiB arena; two keep native memory near its use
  export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
  # shellcheck disable=SC2046 # word splitting of the option lists is intended
  exec java $(ecpds_memory_opts "$role") ${ECPDS_JAVA_OPTS:-} -cp "$ECPDS_HOME/launcher/target/classes:$ECPDS_HOME/launcher/target/lib/*" "$main" "$@"
}
