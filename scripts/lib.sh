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

ecpds_java() {
  local main="$1"; shift
  exec java ${ECPDS_JAVA_OPTS:-} -cp "$ECPDS_HOME/launcher/target/classes:$ECPDS_HOME/launcher/target/lib/*" "$main" "$@"
}
