#!/usr/bin/env bash
# Generated from the platform topology (SfpPlatform.Topology) by tools/SfpPlatform.Deploy. Do not edit.
#
# Smoke test where a container engine answers (not part of CI): builds the platform's images from this
# repository, brings the whole stack up from a throwaway copy of deploy/ in custom-CA mode with a generated
# certificate, creates the Hatchet token and an owner, checks every health endpoint through Caddy, and tears
# everything down (volumes included). SFP_CONTAINER_ENGINE=podman uses podman.
set -euo pipefail
ENGINE="${SFP_CONTAINER_ENGINE:-docker}"
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
work=$(mktemp -d)
project="sfp-smoke-$$"
cleanup() {
  (cd "$work" && "$ENGINE" compose -p "$project" --env-file .env -f compose.yaml down -v --remove-orphans > /dev/null 2>&1 || true)
  rm -rf "$work"
}
trap cleanup EXIT

for service in api workers web; do
  "$ENGINE" build -f "$repo/containers/Dockerfile" --target "$service" -t "localhost/sfp-$service:smoke" "$repo"
done

cp -r "$here/." "$work/"
rm -f "$work/.env" "$work/verdaccio/htpasswd"
mkdir -p "$work/certs"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=sfp.localhost" \
  -addext "subjectAltName=DNS:sfp.localhost,DNS:admin.sfp.localhost" \
  -keyout "$work/certs/tls.key" -out "$work/certs/tls.crt" 2> /dev/null
chmod 644 "$work/certs/tls.key"
cp "$work/.env.example" "$work/.env"
{
  echo "SFP_VERSION=smoke"
  echo "SFP_IMAGE_REGISTRY=localhost"
  echo "SFP_TLS_MODE=custom"
  echo "SFP_PUBLIC_HOST=sfp.localhost"
  echo "SFP_ADMIN_HOST=admin.sfp.localhost"
  echo "SFP_ADMIN_ALLOWLIST=0.0.0.0/0 ::/0"
} >> "$work/.env"
cd "$work"
export COMPOSE_PROJECT_NAME="$project" SFP_CONTAINER_ENGINE="$ENGINE"
./sfp-platform.sh up
./sfp-platform.sh owner smoke-owner@sfp.localhost
./sfp-platform.sh check
echo "Smoke test passed."
