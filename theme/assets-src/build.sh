#!/bin/sh
# Compiles GOV.UK Frontend, without the GOV.UK brand, into ../static/.
# The output is committed, so `make html` needs no node: run this only after
# changing portal.scss or the pinned versions in package.json.
#
#   sh theme/assets-src/build.sh
#
# Needs node >= 20 and the npm registry. Writes:
#   ../static/css/portal.css          compressed, no source map
#   ../static/js/govuk-frontend.min.js the ES module, source-map comment removed
set -eu

here=$(cd "$(dirname "$0")" && pwd)
static="$here/../static"
cd "$here"

# --ignore-scripts: nothing here needs an install script (sass's optional file
# watcher has one, and sass only watches with --watch).
npm ci --no-audit --no-fund --ignore-scripts

mkdir -p "$static/css" "$static/js"

npx --no-install sass \
  --pkg-importer=node \
  --style=compressed \
  --no-source-map \
  --quiet-deps \
  portal.scss "$static/css/portal.css"

node strip-brand.mjs "$static/css/portal.css"

sed '/^\/\/# sourceMappingURL=/d; s#//\# sourceMappingURL=[^ ]*$##' \
  node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js \
  > "$static/js/govuk-frontend.min.js"

# Checks: nothing of the GOV.UK brand, and every url() in the CSS is a file
# that exists under ../static/ (or a data: URI).
if grep -Eiq 'crown|crest|GDS Transport|copyright-logo' "$static/css/portal.css"; then
  echo "build.sh: portal.css still refers to the GOV.UK brand:" >&2
  grep -Eio '.{0,60}(crown|crest|GDS Transport|copyright-logo).{0,60}' "$static/css/portal.css" >&2
  exit 1
fi
status=0
for ref in $(grep -o 'url([^)]*)' "$static/css/portal.css" | sed 's/^url(//; s/)$//; s/^["'\'']//; s/["'\'']$//' | sort -u); do
  case "$ref" in
    data:*) continue ;;
  esac
  if [ ! -f "$static/css/$ref" ]; then
    echo "build.sh: portal.css refers to $ref, missing from theme/static/css/$ref" >&2
    status=1
  fi
done
if grep -q 'sourceMappingURL' "$static/js/govuk-frontend.min.js"; then
  echo "build.sh: govuk-frontend.min.js still points at a source map" >&2
  status=1
fi
[ "$status" -eq 0 ] || exit "$status"

ls -l "$static/css/portal.css" "$static/js/govuk-frontend.min.js"
