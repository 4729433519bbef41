#!/usr/bin/env bash
# A real Spark standalone cluster on 127.0.0.1 from the Maven jars alone (no Spark distribution):
# one master and two workers (1 core, 1 GB each), for trying `cdln complete --engine spark` on a
# cluster and for the cluster test.
#   scripts/spark-standalone.sh start            starts them, prints the master URL (spark://127.0.0.1:PORT)
#   scripts/spark-standalone.sh stop             stops them
#   scripts/spark-standalone.sh fit RATINGS OUT [cdln complete flags...]
#                                                starts, runs cdln complete --engine spark on the cluster, stops
# State (pids, logs, work dirs) lives in cdln-spark/target/spark-standalone. Environment:
# SPARK_MASTER_PORT (default 7077), SPARK_START_TIMEOUT seconds (default 60).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state="$root/cdln-spark/target/spark-standalone"
cpfile="$root/cdln-spark/target/spark-classpath.txt"
port="${SPARK_MASTER_PORT:-7077}"
timeout="${SPARK_START_TIMEOUT:-60}"
url="spark://127.0.0.1:$port"

jvm_opts=(-Xmx512m -XX:+IgnoreUnrecognizedVMOptions
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true)

classpath() {
  if [[ ! -f "$cpfile" ]]; then
    echo "spark-standalone: listing the Spark jars (mvn package of cdln-spark)..." >&2
    (cd "$root" && mvn -B -q -o -DskipTests package -pl cdln-spark -am >&2)
  fi
  cat "$cpfile"
}

wait_for() { # file pattern seconds
  local file="$1" pattern="$2" secs="$3" i
  for ((i = 0; i < secs * 2; i++)); do
    if [[ -f "$file" ]] && grep -q "$pattern" "$file"; then return 0; fi
    sleep 0.5
  done
  return 1
}

start() {
  local cp
  cp="$(classpath)"
  mkdir -p "$state/home/jars" "$state/logs"
  # workers build executor command lines from SPARK_HOME/jars; the executors get their classpath
  # from the application (spark.executor.extraClassPath), so an empty jars folder is enough
  export SPARK_HOME="$state/home"
  # without a distribution's layout, the workers' command builder needs the Scala version given
  export SPARK_SCALA_VERSION=2.13
  if [[ -f "$state/pids" ]]; then
    echo "spark-standalone: already started (pids in $state/pids); run '$0 stop' first" >&2
    exit 2
  fi
  : > "$state/pids"
  # the master and workers log at INFO whatever log4j2 configuration their classpath carries (a
  # test JVM's classpath has the tests' error-level one): the lines waited for below are INFO lines
  cat > "$state/log4j2.properties" <<'LOG'
rootLogger.level = info
rootLogger.appenderRef.stdout.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
LOG
  jvm_opts+=("-Dlog4j2.configurationFile=$state/log4j2.properties")
  java "${jvm_opts[@]}" -cp "$cp" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" \
    --webui-port 0 > "$state/logs/master.log" 2>&1 &
  echo $! >> "$state/pids"
  if ! wait_for "$state/logs/master.log" "I have been elected leader" "$timeout"; then
    echo "spark-standalone: the master did not start within ${timeout} s; see $state/logs/master.log" >&2
    stop
    exit 3
  fi
  for w in 1 2; do
    mkdir -p "$state/work$w"
    java "${jvm_opts[@]}" -cp "$cp" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 1 \
      --memory 1g --webui-port 0 --work-dir "$state/work$w" "$url" > "$state/logs/worker$w.log" 2>&1 &
    echo $! >> "$state/pids"
  done
  for w in 1 2; do
    if ! wait_for "$state/logs/worker$w.log" "Successfully registered with master" "$timeout"; then
      echo "spark-standalone: worker $w did not register within ${timeout} s; see $state/logs/worker$w.log" >&2
      stop
      exit 3
    fi
  done
  echo "$url"
}

stop() {
  if [[ -f "$state/pids" ]]; then
    while read -r pid; do
      [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true
    done < "$state/pids"
    rm -f "$state/pids"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  fit)
    shift
    if (( $# < 2 )); then
      echo "usage: $0 fit RATINGS OUT [cdln complete flags...]" >&2
      exit 2
    fi
    ratings="$1" out="$2"
    shift 2
    start > /dev/null
    trap stop EXIT
    cp="$(classpath)"
    CDLN_JAVA_OPTS="${CDLN_JAVA_OPTS:-} -Dspark.executor.extraClassPath=$cp:$root/cdln-cli/target/lib/* -Dspark.executor.memory=512m" \
      "$root/cdln" complete --engine spark --master "$url" --ratings "$ratings" --out "$out" "$@"
    ;;
  *)
    echo "usage: $0 start|stop|fit RATINGS OUT [flags...]" >&2
    exit 2
    ;;
esac
