#!/bin/sh
# Builds the bench module (and what it needs), then runs io.jobrunner.bench.BenchMain with the given flags
# in a JVM of its own. Examples:  bench/run.sh --quick      bench/run.sh --scenarios drain,idle
set -e
cd "$(dirname "$0")/.."
./mvnw -q -B -pl bench -am package -DskipTests
exec java ${BENCH_JAVA_OPTS:--Xmx2g} -cp "bench/target/classes:$(cat bench/target/bench.classpath)" io.jobrunner.bench.BenchMain "$@"
