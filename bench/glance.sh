#!/usr/bin/env bash
# Image (Glance v2) measurements for tstack with ../shared/baselines/bench-glance.sh, a `dd`
# figure for the local disk taken in the same run, and optionally Debian's Glance
# (../shared/baselines/glance-up.sh) measured the same way, as ratios.
#
#   bench/glance.sh [--with-baseline] [--compare FILE] [--no-dd] [--out DIR] [KEYSTONE_URL]
#
#   KEYSTONE_URL     identity endpoint (…/v3) whose catalog has the image endpoint to measure;
#                    credentials from OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME,
#                    OS_USER_DOMAIN_ID, OS_PROJECT_DOMAIN_ID. Default: a fresh `tstack up` in a
#                    temp dir on free loopback ports (identity and image), with the admin
#                    credentials of its openrc (needs `npm run build` first).
#   --with-baseline  also start Debian's Keystone and Glance (root; installs packages when
#                    missing), measure Glance the same way, and print compare.sh's table
#                    (candidate = tstack, reference = Debian Glance).
#   --compare FILE   also print compare.sh's table against a stored result file, e.g.
#                    ../shared/baselines/results/glance-mariadb-run1.txt (orientation only).
#   --no-dd          skip the dd figures.
#   --out DIR        where the result files go (default: a new directory under $TMPDIR).
#
# The knobs of bench-glance.sh (GLANCE_LARGE_MB, GLANCE_LIST_IMAGES, GLANCE_CONCURRENCY,
# BENCH_DURATION, BENCH_TMPDIR...) and of glance-up.sh / keystone-up.sh pass through the
# environment. dd writes GLANCE_LARGE_MB MiB (default 1024) next to the image store.
# Results ("metric value unit" lines) go to stdout; progress to stderr.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
BASELINES="$(cd "$REPO/.." && pwd)/shared/baselines"

# shellcheck source=lib/tstack.sh
. "$HERE/lib/tstack.sh"
usage() { sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; }

WITH_BASELINE=0
WITH_DD=1
REFERENCE=""
OUT=""
URL=""
while (( $# )); do
  case "$1" in
    --with-baseline) WITH_BASELINE=1 ;;
    --no-dd) WITH_DD=0 ;;
    --out) [[ $# -ge 2 ]] || die "--out needs a directory"; OUT="$2"; shift ;;
    --compare) [[ $# -ge 2 && -r "$2" ]] || die "--compare needs a readable result file"; REFERENCE="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) [[ -z "$URL" ]] || die "only one URL"; URL="$1" ;;
  esac
  shift
done

[[ -x "$BASELINES/bench-glance.sh" ]] || die "$BASELINES/bench-glance.sh is missing (shared/ must sit beside the repository)"
if (( WITH_BASELINE )) && [[ $(id -u) -ne 0 ]]; then
  die "--with-baseline needs root (keystone-up.sh and glance-up.sh install and start Debian's services)"
fi
LARGE_MB="${GLANCE_LARGE_MB:-1024}"
[[ "$LARGE_MB" =~ ^[0-9]+$ ]] || die "GLANCE_LARGE_MB must be a number of MiB"
OUT="${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/tstack-bench.XXXXXX")}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

STOP_GLANCE=0
STOP_KEYSTONE=0
cleanup() {
  stop_tstack
  if (( STOP_GLANCE )); then "$BASELINES/glance-down.sh" >&2 || true; fi
  if (( STOP_KEYSTONE )); then "$BASELINES/keystone-down.sh" >&2 || true; fi
}
trap cleanup EXIT


# dd_rate LABEL DD-ARGS... : runs dd, prints "disk_dd_LABEL_throughput MB/s" and "…_seconds".
dd_rate() {
  local label="$1" line bytes secs
  shift
  line="$(LC_ALL=C dd "$@" 2>&1 | awk '/copied/ { print $1, $(NF-3) }')"
  read -r bytes secs <<<"$line"
  [[ -n "${secs:-}" ]] || { log "dd $* printed no summary"; echo "disk_dd_${label}_throughput NA MB/s"; return; }
  awk -v n="disk_dd_${label}" -v b="$bytes" -v s="$secs" \
    'BEGIN { printf "%s_throughput %.1f MB/s\n%s_seconds %.2f s\n", n, b / s / 1e6, n, s }'
}

# The local disk in the same run: a file of random data written through to the disk
# (urandom generation included), then a copy of it (read likely from the page cache).
measure_disk() {
  local dir="$1" src dst
  src="$dir/tstack-dd-src.$$.bin"
  dst="$dir/tstack-dd-copy.$$.bin"
  log "dd: ${LARGE_MB} MiB from /dev/urandom, then a copy, in $dir ($(df -h --output=source,avail "$dir" | tail -n 1))"
  dd_rate "urandom_write_${LARGE_MB}m" if=/dev/urandom of="$src" bs=1M count="$LARGE_MB" conv=fdatasync
  dd_rate "copy_${LARGE_MB}m" if="$src" of="$dst" bs=1M conv=fdatasync
  rm -f "$src" "$dst"
}

# Lines of FILE for upload, download and disk throughput, for the closing summary.
summary() {
  grep -hE '^(glance_(upload|download)_[0-9]+m_throughput|disk_dd_.*_throughput) ' "$@" 2>/dev/null || true
}

if [[ -z "$URL" ]]; then start_tstack; fi
if (( WITH_DD )) && (( LARGE_MB > 0 )); then
  measure_disk "${TSTACK_DIR:-${BENCH_TMPDIR:-/var/tmp}}" | tee "$OUT/disk.txt"
fi
log "measuring the image endpoint of $URL -> $OUT/tstack.txt"
"$BASELINES/bench-glance.sh" "$URL" | tee "$OUT/tstack.txt"
stop_tstack

if (( WITH_BASELINE )); then
  keystone_url="http://${KEYSTONE_BIND:-127.0.0.1}:${KEYSTONE_PORT:-35357}/v3"
  glance_url="http://127.0.0.1:${GLANCE_PORT:-19292}"
  # Services that were already running are left running; those started here stop at exit.
  curl -s -o /dev/null -m 5 "$keystone_url" || STOP_KEYSTONE=1
  curl -s -o /dev/null -m 5 "$glance_url" || STOP_GLANCE=1
  log "starting Debian's Keystone (keystone-up.sh) and Glance (glance-up.sh)"
  keystone_url="$("$BASELINES/keystone-up.sh" | tail -n 1)"
  glance_url="$(KEYSTONE_URL="$keystone_url" "$BASELINES/glance-up.sh" | tail -n 1)"
  log "measuring Debian's Glance $glance_url -> $OUT/glance.txt"
  OS_USERNAME=admin OS_PASSWORD="${KEYSTONE_ADMIN_PASSWORD:-password}" OS_PROJECT_NAME=admin \
    OS_USER_DOMAIN_ID=default OS_PROJECT_DOMAIN_ID=default \
    "$BASELINES/bench-glance.sh" "$keystone_url" | tee "$OUT/glance.txt"
  echo
  echo "reference = Debian Glance ($glance_url), candidate = tstack"
  "$BASELINES/compare.sh" "$OUT/glance.txt" "$OUT/tstack.txt" | tee "$OUT/compare.md"
fi
if [[ -n "$REFERENCE" ]]; then
  echo
  echo "reference = $REFERENCE, candidate = tstack"
  "$BASELINES/compare.sh" "$REFERENCE" "$OUT/tstack.txt" | tee "$OUT/compare-reference.md"
fi
echo
echo "summary (the measured image endpoint, then the local disk in the same run):"
summary "$OUT/tstack.txt" "$OUT/disk.txt"
log "results in $OUT"
