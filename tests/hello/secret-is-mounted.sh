#!/bin/sh
# The app's generated secret reaches its container (checked without printing it).
set -eu
docker exec "$RECIPE_CI_CONTAINER_APP" sh -c 'test -s /run/secrets/api_key'
echo "api_key is mounted in $RECIPE_CI_STACK's app"
