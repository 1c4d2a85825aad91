#!/bin/sh
# Build and run every asset check. From the repository root:   sh assets/validation/run_all.sh
# Needs gcc and MuJoCo 2.2.2 (Debian: libmujoco-dev). Binaries go to ${OUT:-/tmp/robotics-asset-checks}.
set -e
OUT=${OUT:-/tmp/robotics-asset-checks}
mkdir -p "$OUT"
status=0
for c in check_dh check_control check_grasp check_reach check_tasks check_solve; do
  gcc -O2 -Wall -o "$OUT/$c" "assets/validation/$c.c" -lmujoco -lm
  echo "=== $c"
  "$OUT/$c" || status=1
done
echo "=== mujoco-testspeed pick-place (20000 steps, 1 thread, ctrl noise 0.01)"
(cd assets/tasks && mujoco-testspeed pick-place.xml 20000 1 0.01 | grep -E "Steps per second|Contacts|Constraints")
exit $status
