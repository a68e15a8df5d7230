"""A lagging live client loses its oldest ordinary notices (detections), never a notice the wall must not
miss (a pinned event, an acknowledgement) while there are ordinary ones to lose."""

from __future__ import annotations

import queue

from web_map.live_feed import ClientQueue, Hub


def drained(client: queue.Queue) -> list[dict]:
    return [client.get_nowait() for _ in range(client.qsize())]


def test_a_full_queue_drops_ordinary_notices_before_pinned_ones_and_acknowledgements():
    hub = Hub()
    client = ClientQueue(maxsize=3)
    hub._queues[client] = "127.0.0.1"
    pinned = {"layer": "incidents", "features": [{"id": 7, "pin": "critical"}]}
    taken = {"layer": "incidents", "acknowledged": {"id": 7, "by": "vanhanh"}}
    hub.publish(pinned)
    hub.publish(taken)
    for n in range(10):  # a camera's stream
        hub.publish({"layer": "detections", "features": [{"id": n}]})
    assert drained(client) == [pinned, taken, {"layer": "detections", "features": [{"id": 9}]}]


def test_when_every_waiting_notice_must_be_kept_the_oldest_goes():
    hub = Hub()
    client = ClientQueue(maxsize=2)
    hub._queues[client] = "127.0.0.1"
    notices = [{"layer": "incidents", "features": [{"id": n, "pin": "high"}]} for n in range(3)]
    for notice in notices:
        hub.publish(notice)
    assert drained(client) == notices[1:]
