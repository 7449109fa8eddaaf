#!/usr/bin/env bash
# Regenerates docs/screenshots/: every dashboard page at 1280 and 375 px, empty and under simulator
# traffic, plus the live toast, an open event and the live feed under the simulator's highest rate.
# The browser suite's own tours take them (so they are also checked: fit, console, axe).
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p docs/screenshots
export SCREENSHOTS_DIR="$PWD/docs/screenshots"
bash ./test.sh -- --filter-method "*Dashboard_Empty_EveryPageRendersFitsAndPassesAxe" \
  --filter-method "*Dashboard_SimulatorTraffic_EveryPageRendersAndFitsLaptopAndPhone" \
  --filter-method "*Events_SignedDelivery_ToastThenFoundByTextWithItsDetailAndRawBytes" \
  --filter-method "*Notifications_SimulatorAtFullRate_HandSentDeliveryShownWithinASecond"
ls docs/screenshots
