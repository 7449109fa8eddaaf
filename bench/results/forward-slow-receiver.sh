#!/usr/bin/env bash
# ack latency with a destination whose receiver answers after 30 s (timeout 60 s), vs none.
set -u
B=/tmp/exp/fb; KEY=bench-admin-key-0123456789abcdef0123456789
for mode in none slow; do
D=$(mktemp -d)
RP=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])")
P=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])")
dotnet $B/Receiver/Receiver.dll --urls http://127.0.0.1:$RP --delay-ms 30000 >/dev/null 2>&1 & rpid=$!
env ASPNETCORE_ENVIRONMENT=Production DATA_DIR=$D INSTAGRAM_APP_SECRET=bench-secret ADMIN_API_KEY=$KEY API_RATE_LIMIT=1000000 DESTINATIONS_ALLOW_PRIVATE=true Serilog__MinimumLevel__Default=Warning dotnet $B/InstantChat.Web/InstantChat.Web.dll --urls http://127.0.0.1:$P >>/tmp/exp/product.log 2>&1 & pid=$!
for _ in $(seq 1 100); do (echo > /dev/tcp/127.0.0.1/$P) 2>/dev/null && (echo > /dev/tcp/127.0.0.1/$RP) 2>/dev/null && break; sleep 0.2; done
[ $mode = slow ] && curl -s -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -X POST http://127.0.0.1:$P/api/destinations -d "{\"name\":\"slow\",\"url\":\"http://127.0.0.1:$RP/slow\",\"timeoutSeconds\":60,\"maxConcurrency\":256}" >/dev/null
echo "$mode: $(dotnet $B/LoadGen/LoadGen.dll --url http://127.0.0.1:$P --secret bench-secret --concurrency 64 --traffic single --rate 1000 --seconds 20 --warmup 3 --seed 5 | cut -d' ' -f1-12)"
echo "$mode pending: $(curl -s -H "Authorization: Bearer $KEY" http://127.0.0.1:$P/api/destinations/health)"
kill $pid $rpid; wait $pid $rpid 2>/dev/null; rm -rf $D
done
