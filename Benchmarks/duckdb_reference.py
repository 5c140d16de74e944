"""Decayed per-account event sums from Segment NDJSON in DuckDB: the warehouse-first reference.

Usage: python duckdb_reference.py EVENTS.ndjson [AS_OF]

Keys each message by `context.groupId` (else `groupId`) and by its event, page name or type, and
sums exp(-ln 2 · age / 14 days) as of AS_OF (default 2026-11-29), in memory. Two ways:
- "needed members": the reader builds only the members the sums use;
- "every member": every message is loaded whole into a table first, as a warehouse load would.
Prints the messages read, the sums made and messages per second of each.
"""
import sys
import time

import duckdb

path = sys.argv[1].replace("'", "''")
as_of = sys.argv[2] if len(sys.argv) > 2 else "2026-11-29"
NEEDED = (f"read_ndjson('{path}', ignore_errors = true, columns = {{type: 'VARCHAR', "
          "event: 'VARCHAR', name: 'VARCHAR', groupId: 'VARCHAR', timestamp: 'VARCHAR', "
          "context: 'STRUCT(groupId VARCHAR)'})")
SUMS = f"""
    WITH keyed AS (
        SELECT coalesce(context.groupId, groupId) AS account, coalesce(event, name, type) AS signal,
               try_cast(timestamp AS TIMESTAMPTZ) AS sent_at
        FROM {{source}}
    )
    SELECT account, signal, count(*) AS occurrences,
           sum(exp(-ln(2) * epoch(TIMESTAMPTZ '{as_of}' - sent_at) / (14 * 86400))) AS decayed
    FROM keyed
    WHERE account IS NOT NULL AND sent_at IS NOT NULL
    GROUP BY account, signal
"""


def timed(label, statements, messages):
    """Runs the statements on a new in-memory database and prints the last one's row count and rate."""
    connection = duckdb.connect()
    started = time.perf_counter()
    for statement in statements[:-1]:
        connection.execute(statement)
    sums = connection.execute(statements[-1]).fetchall()
    elapsed = time.perf_counter() - started
    print(f"{label:15} {messages} messages, {len(sums)} account × signal sums in {elapsed:.2f} s: "
          f"{messages / elapsed / 1000:.1f}k msg/s")


messages = duckdb.execute(
    f"SELECT count(*) FROM read_ndjson('{path}', columns = {{type: 'VARCHAR'}})").fetchone()[0]
timed("needed members", [SUMS.format(source=NEEDED)], messages)
timed("every member", [
    f"CREATE TABLE messages AS SELECT * FROM read_ndjson_auto('{path}', ignore_errors = true)",
    SUMS.format(source="messages"),
], messages)
