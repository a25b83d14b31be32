#!/bin/sh
# Stands in for the sfp CLI in the validate workflow's end-to-end test: it shows what the workflow handed it
# (arguments, working directory contents, registry, org) and fails when the source has a FAIL file.
echo "sfp $*"
test -f sfdx-project.json || { echo "error: no sfdx-project.json in $(pwd)"; exit 2; }
echo "registry: $NPM_CONFIG_REGISTRY"
echo "org: $SF_INSTANCE_URL with token $SF_ACCESS_TOKEN"
echo "pull request: $SFP_REPOSITORY#$SFP_PULL_REQUEST at $SFP_HEAD_SHA"
if [ -f INSTALL ]; then
  # Fetch build artifacts by name@version through the workspace's npm configuration (the platform's Verdaccio only).
  mkdir -p .artifacts
  npm install --prefix .artifacts --no-save $(cat INSTALL) > .artifacts/npm.log 2>&1 || { echo "npm install failed:"; tail -5 .artifacts/npm.log; exit 3; }
  for artifact in $(cat INSTALL); do
    name=${artifact%@*}
    echo "installed $name $(node -p "require('./.artifacts/node_modules/$name/package.json').version")"
  done
fi
if [ -f SLOW ]; then
  echo "deploying to the validation org…"
  sleep "$(cat SLOW)"
fi
if [ -f FAIL ]; then
  echo "validation failed: $(cat FAIL)"
  exit 1
fi
echo "validated 3 packages against the org"
