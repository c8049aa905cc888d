#!/usr/bin/env bash
# setup-wiki.sh — build a throw-away MediaWiki (Debian's package, CLI only, SQLite)
# whose job queue is MediaWiki's JobQueueRedis (daemonized mode) on a private
# redis-server, then create pages so MediaWiki pushes real jobs into Redis.
#
# Usage:  setup-wiki.sh [SCRATCH_DIR] [PORT]
#   SCRATCH_DIR  default /tmp/mw-harness  (everything is written here)
#   PORT         default 6391             (private redis on 127.0.0.1)
# Environment:
#   MW_DIR=/usr/share/mediawiki   MediaWiki install (Debian package)
#   PAGES=20                      pages that transclude the template
#   DBNAME=testwiki               the wiki's database name (try one with a hyphen: my-wiki)
#   RESET=1                       wipe SCRATCH_DIR (wiki + redis) and start over
#   STOP_REDIS=1                  stop the private redis (by its pidfile) on exit
#   SKIP_JOBS=1                   only install/configure, do not create jobs
#   INSTALL_PACKAGES=1            apt-get install the packages first (needs root)
#   EXTERNAL_REDIS=1              use the Redis already answering on PORT (started by someone else; never stopped here)
#
# Afterwards, run maintenance scripts with:
#   MW_CONFIG_FILE=$SCRATCH_DIR/LocalSettings.php php $MW_DIR/maintenance/showJobs.php --group
# Re-runnable: an existing install/redis is reused; each run edits the template
# again, so every run enqueues a fresh batch of jobs.
set -euo pipefail

SCRATCH=${1:-/tmp/mw-harness}
PORT=${2:-6391}
MW_DIR=${MW_DIR:-/usr/share/mediawiki}
PAGES=${PAGES:-20}
DBNAME=${DBNAME:-testwiki}
HOST=127.0.0.1

log() { printf '[setup-wiki] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

case "$PORT" in ''|*[!0-9]*) die "PORT must be numeric: $PORT";; esac
case "$PAGES" in ''|*[!0-9]*) die "PAGES must be numeric: $PAGES";; esac
[ "$PAGES" -le 500 ] || die "PAGES capped at 500"

if [ "${INSTALL_PACKAGES:-0}" = 1 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q mediawiki php-redis php8.2-sqlite3 redis-server redis-tools
fi

# ---- prerequisites ---------------------------------------------------------
for b in php; do
  command -v "$b" >/dev/null || die "missing $b (apt-get install -y mediawiki php-redis php8.2-sqlite3 redis-server redis-tools)"
done
[ -f "$MW_DIR/maintenance/install.php" ] || die "no MediaWiki at $MW_DIR"
php -m | grep -i '^redis$' >/dev/null || die "php redis extension missing (php-redis)"
php -m | grep -i '^pdo_sqlite$' >/dev/null || die "php sqlite missing (php8.2-sqlite3)"

REDIS_PIDFILE="$SCRATCH/redis.pid"
# redis-cli when installed, else a tiny PHP client (php-redis is needed by MediaWiki anyway)
rcli() {
  if command -v redis-cli >/dev/null; then redis-cli -h "$HOST" -p "$PORT" "$@"; return; fi
  php -r '$r = new Redis(); if (!@$r->connect($argv[1], (int)$argv[2])) exit(1); $a = array_slice($argv, 3);
          $out = $r->rawCommand(...$a); if (is_array($out)) { echo implode("\n", $out), "\n"; } elseif ($out !== false) { echo $out === true ? "PONG" : $out, "\n"; }' "$HOST" "$PORT" "$@"
}

stop_redis() {
  if [ -f "$REDIS_PIDFILE" ]; then
    local pid; pid=$(cat "$REDIS_PIDFILE" 2>/dev/null || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      log "stopping redis pid $pid"
      kill "$pid" || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f "$REDIS_PIDFILE"
  fi
}

if [ "${RESET:-0}" = 1 ] && [ -d "$SCRATCH" ]; then
  log "RESET=1: wiping $SCRATCH"
  stop_redis
  rm -rf "$SCRATCH"
fi
mkdir -p "$SCRATCH/data" "$SCRATCH/cache" "$SCRATCH/images" "$SCRATCH/redis"
SCRATCH=$(cd "$SCRATCH" && pwd)
REDIS_PIDFILE="$SCRATCH/redis.pid"

if [ "${STOP_REDIS:-0}" = 1 ]; then trap stop_redis EXIT; fi

# ---- 1. private redis --------------------------------------------------------
ours_running() {
  [ -f "$REDIS_PIDFILE" ] && kill -0 "$(cat "$REDIS_PIDFILE")" 2>/dev/null
}
if [ "${EXTERNAL_REDIS:-0}" = 1 ]; then
  rcli ping >/dev/null 2>&1 || die "EXTERNAL_REDIS=1 but nothing answers on $HOST:$PORT"
  log "using the external redis on $HOST:$PORT"
elif ours_running; then
  log "reusing redis pid $(cat "$REDIS_PIDFILE") on $HOST:$PORT"
else
  if rcli ping >/dev/null 2>&1; then
    die "something else already answers on $HOST:$PORT; pick another PORT"
  fi
  redis-server --bind "$HOST" --port "$PORT" --save "" --appendonly no \
    --daemonize yes --pidfile "$REDIS_PIDFILE" --dir "$SCRATCH/redis" \
    --logfile "$SCRATCH/redis/redis.log"
  for _ in $(seq 1 50); do rcli ping >/dev/null 2>&1 && break; sleep 0.1; done
  rcli ping >/dev/null || die "redis did not start (see $SCRATCH/redis/redis.log)"
  log "started redis pid $(cat "$REDIS_PIDFILE") on $HOST:$PORT"
fi

# ---- 2. install the wiki (SQLite, scratch confpath) --------------------------
LS="$SCRATCH/LocalSettings.php"
if [ ! -f "$LS" ]; then
  PASSFILE="$SCRATCH/admin-password"
  [ -f "$PASSFILE" ] || { umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$PASSFILE"; }
  rm -f "$SCRATCH"/data/*.sqlite   # half-finished earlier attempt
  log "running install.php (SQLite in $SCRATCH/data)"
  php "$MW_DIR/maintenance/install.php" \
    --dbtype sqlite --dbpath "$SCRATCH/data" --dbname "$DBNAME" \
    --server http://localhost --scriptpath /w \
    --lang en --pass "$(cat "$PASSFILE")" \
    --confpath "$SCRATCH" \
    TestWiki Admin > "$SCRATCH/install.log" 2>&1 \
    || { tail -20 "$SCRATCH/install.log" >&2; die "install.php failed"; }
  [ -f "$LS" ] || die "install.php did not write $LS"
fi

# ---- 3. Redis job queue config (idempotent, marker-delimited) ----------------
MARK_BEGIN='# >>> mw-harness jobqueue >>>'
MARK_END='# <<< mw-harness jobqueue <<<'
if grep -qF "$MARK_BEGIN" "$LS"; then
  # drop the previous block (port may have changed)
  sed -i "/^$MARK_BEGIN\$/,/^$MARK_END\$/d" "$LS"
fi
cat >> "$LS" <<PHP
$MARK_BEGIN
\$wgCacheDirectory = '$SCRATCH/cache';
\$wgUploadDirectory = '$SCRATCH/images';
\$wgJobRunRate = 0;              // never run jobs at the end of web/CLI requests
\$wgJobTypeConf['default'] = [
	'class' => 'JobQueueRedis',
	'redisServer' => '$HOST:$PORT',
	'redisConfig' => [],          // serializer is forced to 'none' by JobQueueRedis
	'claimTTL' => 3600,
	'daemonized' => true,         // 1.39 throws if false: recycling/undelay is the service's job
];
// \$wgJobQueueAggregator is not read by MediaWiki 1.39 (JobQueueAggregator* classes are gone);
// JobQueueRedis itself maintains global:jobqueue:s-queuesWithJobs.
$MARK_END
PHP
php -l "$LS" >/dev/null || die "LocalSettings.php has a syntax error"

export MW_CONFIG_FILE="$LS"
mw() { php "$MW_DIR/maintenance/$1" "${@:2}"; }

# ---- 4. create jobs ----------------------------------------------------------
if [ "${SKIP_JOBS:-0}" != 1 ]; then
  STAMP=$(date +%s)
  log "creating Template:Harness + $PAGES pages"
  printf 'Harness template v1 (%s)\n' "$STAMP" | mw edit.php --user Admin --summary "create template" --quiet Template:Harness
  for i in $(seq 1 "$PAGES"); do
    printf 'Page %s uses {{Harness}} [[Category:Harness]] [[HarnessPage %s]]\n' "$i" "$(( (i % PAGES) + 1 ))" \
      | mw edit.php --user Admin --summary "page $i" --quiet "HarnessPage $i"
  done
  log "editing Template:Harness again (should enqueue refreshLinks/htmlCacheUpdate)"
  printf 'Harness template v2 (%s) [[Category:HarnessTemplated]]\n' "$STAMP" | mw edit.php --user Admin --summary "change template" --quiet Template:Harness
fi

log "showJobs --group:"
mw showJobs.php --group || true
log "redis queues with jobs: $(rcli smembers global:jobqueue:s-queuesWithJobs | tr '\n' ' ')"
log "done. export MW_CONFIG_FILE=$LS ; redis: redis-cli -p $PORT ; pidfile $REDIS_PIDFILE"
