#!/bin/sh
# Stands in for the sfp CLI in the validate workflow's end-to-end test: it shows what the workflow handed it
# (arguments, working directory contents, registry, org) and fails when the source has a FAIL file.
echo "sfp $*"
test -f sfdx-project.json || { echo "error: no sfdx-project.json in $(pwd)"; exit 2; }
echo "registry: $NPM_CONFIG_REGISTRY"
echo "org: $SF_INSTANCE_URL with token $SF_ACCESS_TOKEN"
echo "pull request: $SFP_REPOSITORY#$SFP_PULL_REQUEST at $SFP_HEAD_SHA"
if [ -f FAIL ]; then
  echo "validation failed: $(cat FAIL)"
  exit 1
fi
echo "validated 3 packages against the org"
