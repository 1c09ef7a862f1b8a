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

# JIT hints (config/jit-hints.txt) for the processes that run a mover: standalone and mover.
ecpds_jit_opts() {
  case "$1" in
    standalone|mover) echo "-XX:CompileCommandFile=$ECPDS_HOME/config/jit-hints.txt" ;;
  esac
}

# ecpds_java ROLE MAIN ARGS...: ROLE (standalone, master, mover, monitor, cli) picks the memory bound.
ecpds_java() {
  local role="$1" main="$2"; shift 2
  # glibc gives each thread that mallocs its own 64 MiB arena; two keep native memory near its use
  export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
  # shellcheck disable=SC2046 # word splitting of the option lists is intended
  exec java $(ecpds_memory_opts "$role") $(ecpds_jit_opts "$role") ${ECPDS_JAVA_OPTS:-} -cp "$ECPDS_HOME/launcher/target/classes:$ECPDS_HOME/launcher/target/lib/*" "$main" "$@"
}

# The ecpds CLI, started for a short life: only its own jars on the class path (not the servers'
# ~100), the JIT's quick tier only, a serial GC, and the classes a push loads taken from an archive
# recorded once per build and JDK by StartupTraining (a loopback push): an AOT cache with a JDK that
# has one (25 and newer, JEP 483/514), else a dynamic AppCDS archive (17 and newer). ECPDS_CLI_JAVA
# picks the java binary (default: java on PATH); ECPDS_CLI_ARCHIVE=0 turns the archive off.
# Fills the array ECPDS_CLI with the command; records the archive first when there is none.
ecpds_cli_command() {  # [TARGET]: a copy of launcher/target to run instead of this checkout's
  local java=${ECPDS_CLI_JAVA:-java} target=${1:-$ECPDS_HOME/launcher/target} jhome feature archive use make cp
  cp="$(ls "$target"/lib/ecpds-cli-*.jar):$(sed "s#lib/#$target/lib/#g" "$ECPDS_HOME/cli/target/cli.classpath")"
  # shellcheck disable=SC2207
  ECPDS_CLI=("$java" $(ecpds_memory_opts cli) -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData)
  jhome=$(dirname "$(dirname "$(readlink -f "$(command -v "$java")")")")
  feature=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$jhome/release" 2>/dev/null || true)
  if [ "${ECPDS_CLI_ARCHIVE:-1}" != 0 ] && [ -n "$feature" ]; then
    archive="$target/cli-archive/$(basename "$jhome")"
    if [ "$feature" -ge 25 ]; then archive+=.aot; use=(-XX:AOTCache="$archive"); make=(-XX:AOTCacheOutput)
    else archive+=.jsa; use=(-XX:SharedArchiveFile="$archive"); make=(-XX:ArchiveClassesAtExit); fi
    [ -f "$archive" ] && [ "$archive" -nt "$STAMP" ] || ecpds_cli_record_archive "$archive" "$cp" "${make[0]}"
    [ -f "$archive" ] && ECPDS_CLI+=("${use[@]}" -Xlog:cds=off,cds+dynamic=off,class+path=off)
  fi
  ECPDS_CLI+=(${ECPDS_JAVA_OPTS:-} -cp "$cp" org.ecpds.cli.Ecpds)
}

# ecpds_cli_record_archive FILE CLASSPATH FLAG: one training push with FLAG=FILE.tmp, kept only if it
# succeeded; renamed into place so that a concurrent run never opens a half-written archive.
ecpds_cli_record_archive() {
  local archive=$1 cp=$2 flag=$3 tmp
  mkdir -p "$(dirname "$archive")"
  tmp="$archive.$$.tmp"
  if "${ECPDS_CLI[@]}" -Xlog:disable -Xlog:all=error:stderr "$flag=$tmp" -cp "$cp" org.ecpds.cli.StartupTraining \
      >/dev/null 2>&1 && [ -s "$tmp" ]; then
    mv -f "$tmp" "$archive"
  else
    rm -f "$tmp" "$tmp.config"
  fi
}
