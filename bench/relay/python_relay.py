#!/usr/bin/python3
"""Baseline for the relay fan-out benchmark, in the original stack's language: one UW upstream
connection, each event's envelope {"channel","timestamp","data"} serialized once and broadcast to every
client with Debian's python3-websockets (10.x) on asyncio.

    RELAY_BENCH_UPSTREAM_URL=ws://127.0.0.1:8765/socket RELAY_BENCH_RELAY_PORT=8000 /usr/bin/python3 python_relay.py
"""
import asyncio
import datetime
import json
import os
import signal
import sys
import urllib.parse

import websockets

UPSTREAM_URL = os.environ.get("RELAY_BENCH_UPSTREAM_URL")
PORT = int(os.environ.get("RELAY_BENCH_RELAY_PORT", "8000"))
PATH = os.environ.get("RELAY_BENCH_PATH", "/api/stream/ws/flow")
TOKEN = os.environ.get("RELAY_BENCH_TOKEN", "bench-dummy-token")
CHANNEL = "flow-alerts"

clients = set()
delivered = 0


def log(message):
    print(f"python_relay: {message}", file=sys.stderr, flush=True)


async def serve_client(websocket):
    if websocket.path != PATH:
        await websocket.close(code=1008, reason="unknown path")
        return
    clients.add(websocket)
    try:
        async for _ in websocket:  # clients have nothing to say; anything they send is ignored
            pass
    except websockets.ConnectionClosed:
        pass
    finally:
        clients.discard(websocket)


def now_iso():
    now = datetime.datetime.now(datetime.timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def broadcast(channel, payload):
    global delivered
    # Compact separators as Starlette's send_json (the original relay) writes them; websockets.broadcast
    # encodes the text once and writes the same frame to every open connection without awaiting.
    text = json.dumps({"channel": channel, "timestamp": now_iso(), "data": payload}, separators=(",", ":"))
    websockets.broadcast(clients, text)
    delivered += len(clients)


async def relay_upstream():
    url = f"{UPSTREAM_URL}?{urllib.parse.urlencode({'token': TOKEN})}"
    while True:
        try:
            async with websockets.connect(url, compression=None, max_size=4 * 1024 * 1024, ping_interval=None) as upstream:
                log(f"upstream open, joining {CHANNEL}")
                await upstream.send(json.dumps({"channel": CHANNEL, "msg_type": "join"}))
                async for frame in upstream:
                    if not isinstance(frame, str):
                        continue
                    try:
                        message = json.loads(frame)
                    except ValueError:
                        continue
                    if not isinstance(message, list) or len(message) != 2:
                        continue
                    channel, payload = message
                    if isinstance(payload, dict) and "status" in payload and "response" in payload:
                        continue  # join ack
                    broadcast(channel, payload)
        except (OSError, websockets.WebSocketException) as error:
            log(f"upstream: {error}; reconnecting in 1 s")
        await asyncio.sleep(1)


async def main():
    if not UPSTREAM_URL:
        log("set RELAY_BENCH_UPSTREAM_URL")
        sys.exit(2)
    stop = asyncio.get_running_loop().create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set_result, None)
    async with websockets.serve(serve_client, "127.0.0.1", PORT, compression=None, max_size=4096, backlog=1024):
        log(f"listening on 127.0.0.1:{PORT}{PATH}")
        upstream = asyncio.create_task(relay_upstream())
        await stop
        log(f"{delivered} messages sent to clients")
        upstream.cancel()


if __name__ == "__main__":
    asyncio.run(main())
