#!/usr/bin/env bash
# Keystone load measurements for tstack with ../shared/baselines/bench-keystone.sh, optionally
# side by side with Debian's Keystone (../shared/baselines/keystone-up.sh) as ratios.
#
#   bench/keystone.sh [--with-baseline] [--out DIR] [URL]
#
#   URL              identity endpoint to measure (…/v3); credentials from OS_USERNAME,
#                    OS_PASSWORD, OS_PROJECT_NAME, OS_USER_DOMAIN_ID, OS_PROJECT_DOMAIN_ID.
#                    Default: a fresh `tstack up` in a temp dir on a free loopback port,
#                    with the admin credentials of its openrc (needs `npm run build` first).
#   --with-baseline  also start Debian's Keystone (root; installs packages when missing),
#                    measure it the same way, and print compare.sh's table
#                    (candidate = tstack, reference = Debian Keystone).
#   --compare FILE   also print compare.sh's table against a stored result file, e.g.
#                    ../shared/baselines/results/keystone-mariadb-cache-run1.txt (orientation only:
#                    figures from another run of the machine).
#   --out DIR        where the result files go (default: a new directory under $TMPDIR).
#
# The knobs of bench-keystone.sh (BENCH_DURATION, KEYSTONE_CONCURRENCY, BENCH_PROJECTS...) and
# of keystone-up.sh (KEYSTONE_PORT, KEYSTONE_ADMIN_PASSWORD...) pass through the environment.
# Results ("metric value unit" lines) go to stdout; progress to stderr.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
BASELINES="$(cd "$REPO/.." && pwd)/shared/baselines"

# shellcheck source=lib/tstack.sh
. "$HERE/lib/tstack.sh"
usage() { sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; }

WITH_BASELINE=0
REFERENCE=""
OUT=""
URL=""
while (( $# )); do
  case "$1" in
    --with-baseline) WITH_BASELINE=1 ;;
    --out) [[ $# -ge 2 ]] || die "--out needs a directory"; OUT="$2"; shift ;;
    --compare) [[ $# -ge 2 && -r "$2" ]] || die "--compare needs a readable result file"; REFERENCE="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) [[ -z "$URL" ]] || die "only one URL"; URL="$1" ;;
  esac
  shift
done

[[ -x "$BASELINES/bench-keystone.sh" ]] || die "$BASELINES/bench-keystone.sh is missing (shared/ must sit beside the repository)"
OUT="${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/tstack-bench.XXXXXX")}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

STOP_BASELINE=0
cleanup() {
  stop_tstack
  if (( STOP_BASELINE )); then "$BASELINES/keystone-down.sh" >&2 || true; fi
}
trap cleanup EXIT


if [[ -z "$URL" ]]; then start_tstack; fi
log "measuring $URL -> $OUT/tstack.txt"
"$BASELINES/bench-keystone.sh" "$URL" | tee "$OUT/tstack.txt"
stop_tstack

if (( WITH_BASELINE )); then
  [[ $(id -u) -eq 0 ]] || die "--with-baseline needs root (keystone-up.sh installs and starts Debian's Keystone)"
  base_url="http://${KEYSTONE_BIND:-127.0.0.1}:${KEYSTONE_PORT:-35357}/v3"
  # A Keystone that was already running is left running; one started here is stopped at exit.
  curl -s -o /dev/null -m 5 "$base_url" || STOP_BASELINE=1
  log "starting Debian's Keystone (keystone-up.sh)"
  base_url="$("$BASELINES/keystone-up.sh" | tail -n 1)"
  log "measuring Debian's Keystone $base_url -> $OUT/keystone.txt"
  OS_USERNAME=admin OS_PASSWORD="${KEYSTONE_ADMIN_PASSWORD:-password}" OS_PROJECT_NAME=admin \
    OS_USER_DOMAIN_ID=default OS_PROJECT_DOMAIN_ID=default \
    "$BASELINES/bench-keystone.sh" "$base_url" | tee "$OUT/keystone.txt"
  echo
  echo "reference = Debian Keystone ($base_url), candidate = tstack"
  "$BASELINES/compare.sh" "$OUT/keystone.txt" "$OUT/tstack.txt" | tee "$OUT/compare.md"
fi
if [[ -n "$REFERENCE" ]]; then
  echo
  echo "reference = $REFERENCE, candidate = tstack"
  "$BASELINES/compare.sh" "$REFERENCE" "$OUT/tstack.txt" | tee "$OUT/compare-reference.md"
fi
log "results in $OUT"
