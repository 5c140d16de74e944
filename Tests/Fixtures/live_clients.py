"""Sends a realistic event stream to a running `signalbox serve` through the real PyPI clients
(segment-analytics-python, rudder-sdk-python with its default gzip, posthog), including a batch
each client sends twice as a retry would, and writes the same events in Segment NDJSON form so
the test can import them with `signalbox import` and compare scores.

usage: live_clients.py HOST WRITE_KEY EXPECTED_NDJSON
prints one JSON line: {"sent": N, "unique": M}
"""
import json
import sys
import uuid
from datetime import datetime, timedelta, timezone

import posthog
from rudderstack.analytics.client import Client as RudderClient
from segment.analytics.client import Client as SegmentClient

host, write_key, expected_path = sys.argv[1], sys.argv[2], sys.argv[3]
now = datetime.now(timezone.utc).replace(microsecond=0)
expected = []  # the same events as Segment messages, for `signalbox import`
sent = 0


def ts(days_ago, hour=12):
    return (now - timedelta(days=days_ago)).replace(hour=hour, minute=0, second=0)


def iso(moment):
    return moment.isoformat().replace("+00:00", "Z")


def segment_like(client, name, errors):
    """Drives a Segment-API client (Segment or RudderStack) for one workspace."""
    global sent
    workspace, domain, user = f"ws-{name}", f"{name}-corp.com", f"{name}-u1"
    teammate = f"{name}-u2"
    calls = [
        ("identify", dict(user_id=user, traits={"email": f"lee@{domain}", "title": "VP Engineering"}, timestamp=ts(20))),
        ("identify", dict(user_id=teammate, traits={"email": f"sam@{domain}"}, timestamp=ts(20))),
        ("group", dict(user_id=user, group_id=workspace, traits={"name": f"{name.title()} Corp", "domain": domain}, timestamp=ts(20))),
        ("group", dict(user_id=teammate, group_id=workspace, traits={}, timestamp=ts(19))),
    ]
    for day in (10, 8, 6):
        calls.append(("track", dict(user_id=user, event="Project Created", properties={"n": day}, timestamp=ts(day), context={"groupId": workspace})))
    for day in (5, 4):
        calls.append(("track", dict(user_id=user, event="Teammate Invited", properties={}, timestamp=ts(day), context={"groupId": workspace})))
    calls.append(("page", dict(user_id=teammate, name="Pricing", properties={"url": "/pricing"}, timestamp=ts(2), context={"groupId": workspace})))
    calls.append(("track", dict(user_id=user, event="Contact Sales Requested", properties={}, timestamp=ts(1), context={"groupId": workspace})))
    messages = []
    for kind, args in calls:
        args["message_id"] = str(uuid.uuid4())
        messages.append((kind, args))
        getattr(client, kind)(**args)
        sent += 1
        expected.append(segment_message(kind, args))
    client.flush()
    # The client sends the last three messages again, unchanged: a retried batch.
    for kind, args in messages[-3:]:
        getattr(client, kind)(**args)
        sent += 1
    client.flush()
    client.shutdown()
    if errors:
        raise SystemExit(f"{name} client reported errors: {errors}")


def segment_message(kind, args):
    message = {"type": kind, "messageId": args["message_id"], "timestamp": iso(args["timestamp"]), "userId": args["user_id"]}
    if kind == "identify":
        message["traits"] = args["traits"]
    elif kind == "group":
        message["groupId"], message["traits"] = args["group_id"], args["traits"]
    else:
        message["context"] = args["context"]
        message["properties"] = args["properties"]
        if kind == "track":
            message["event"] = args["event"]
        else:
            message["name"] = args["name"]
    return message


def drive_posthog(errors):
    global sent
    client = posthog.Posthog(write_key, host=host, on_error=lambda e, batch: errors.append(str(e)))
    workspace, domain, user = "ws-posthog", "hog-corp.com", "hog-u1"
    client.set(distinct_id=user, properties={"email": f"kim@{domain}", "title": "Head of Data"}, timestamp=ts(20), uuid=str(uuid.uuid4()))
    client.group_identify("company", workspace, {"name": "Hog Corp", "domain": domain}, distinct_id=user, timestamp=ts(20), uuid=str(uuid.uuid4()))
    sent += 2
    expected.append({"type": "identify", "userId": user, "traits": {"email": f"kim@{domain}", "title": "Head of Data"}, "timestamp": iso(ts(20))})
    expected.append({"type": "group", "userId": user, "groupId": workspace, "traits": {"name": "Hog Corp", "domain": domain}, "timestamp": iso(ts(20))})
    captures = [("Project Created", 9), ("Project Created", 7), ("Integration Connected", 5), ("Pricing Viewed", 3), ("Upgrade Started", 1)]
    repeated = []
    for event, day in captures:
        event_id = str(uuid.uuid4())
        args = dict(distinct_id=user, properties={"plan": "free"}, groups={"company": workspace}, timestamp=ts(day), uuid=event_id)
        client.capture(event, **args)
        repeated.append((event, args))
        sent += 1
        expected.append({"type": "track", "event": event, "userId": user, "messageId": event_id, "timestamp": iso(ts(day)),
                         "properties": {"plan": "free"}, "context": {"groupId": workspace}})
    client.flush()
    for event, args in repeated[-2:]:
        client.capture(event, **args)
        sent += 1
    client.flush()
    client.shutdown()
    if errors:
        raise SystemExit(f"posthog client reported errors: {errors}")


segment_errors, rudder_errors, posthog_errors = [], [], []
segment_like(SegmentClient(write_key, host=host, on_error=lambda e, batch: segment_errors.append(str(e)), max_retries=2), "segment", segment_errors)
segment_like(RudderClient(write_key, host=host, on_error=lambda e, batch: rudder_errors.append(str(e)), max_retries=2), "rudder", rudder_errors)
drive_posthog(posthog_errors)

# Identify and group messages of PostHog carry client-made ids the import cannot know: give the
# import its own ids (dedupe does not matter for them, they are sent once).
for message in expected:
    message.setdefault("messageId", str(uuid.uuid4()))
with open(expected_path, "w") as out:
    for message in expected:
        out.write(json.dumps(message) + "\n")
print(json.dumps({"sent": sent, "unique": len(expected)}))
