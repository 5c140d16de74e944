import ArgumentParser
import Foundation
import SignalboxCore
import SignalboxDelivery
import SignalboxPipeline

extension OutboxMessage.Status: ExpressibleByArgument {}

/// `signalbox outbox`: the handoffs waiting for, or done with, delivery.
struct Outbox: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Deliver, list, retry and replay handoffs in the outbox.",
        discussion: """
            `signalbox route` records each handoff with one outbox message per destination of its route, \
            in the same transaction. `outbox deliver` sends what is due; failures are retried with \
            backoff (a receiver's Retry-After is honoured) and permanent errors become dead letters.

            Environment: the variables each destination in the config names (webhook_url_env, token_env, …).
            """,
        subcommands: [Deliver.self, List.self, Dead.self, Retry.self, Replay.self]
    )

    struct Deliver: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send every message that is due now.")

        @Option(help: "Also wait this many seconds for retries that fall due.")
        var wait: Double = 0

        @OptionGroup var project: ProjectOptions

        func run() async throws {
            let config = try project.loadConfig()
            let store = try project.openStore(config: config)
            let destinations: DestinationSet
            do {
                destinations = try DestinationSet(config.destinations, environment: ProcessInfo.processInfo.environment)
            } catch {
                throw fail("\(error)", code: 64)
            }
            let worker = OutboxWorker(store: store, destinations: destinations)
            try await worker.drain(waitingUpTo: wait)
            let counts = try OutboxCounts(store.outboxMessages(status: nil, limit: 1_000_000))
            print(counts.summary)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List outbox messages, newest first.")

        @Option(help: "Only messages in this status: pending, delivered or dead.")
        var status: OutboxMessage.Status?

        @Option(help: "At most this many messages.")
        var limit = 50

        @OptionGroup var project: ProjectOptions

        func run() throws {
            let store = try project.openStore(config: try project.loadConfig())
            print(OutboxReport.table(try store.outboxMessages(status: status, limit: limit)), terminator: "")
        }
    }

    struct Dead: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List dead letters with the reason each failed.")

        @Option(help: "At most this many messages.")
        var limit = 50

        @OptionGroup var project: ProjectOptions

        func run() throws {
            let store = try project.openStore(config: try project.loadConfig())
            print(OutboxReport.table(try store.outboxMessages(status: .dead, limit: limit)), terminator: "")
        }
    }

    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put dead letters back in line (all, or the ids given).")

        @Argument(help: "Message ids; none means every dead letter.")
        var ids: [Int64] = []

        @OptionGroup var project: ProjectOptions

        func run() throws {
            let store = try project.openStore(config: try project.loadConfig())
            let count = try store.requeueOutbox(ids: ids.isEmpty ? nil : ids, from: .dead, at: Date())
            print("\(count) dead letters back in line; run `signalbox outbox deliver`")
        }
    }

    struct Replay: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send delivered messages again, with new idempotency keys (for a destination that lost them)."
        )

        @Argument(help: "Message ids to send again.")
        var ids: [Int64]

        @OptionGroup var project: ProjectOptions

        func validate() throws {
            if ids.isEmpty { throw ValidationError("name the delivered messages to replay by id (see `signalbox outbox list --status delivered`)") }
        }

        func run() throws {
            let store = try project.openStore(config: try project.loadConfig())
            let count = try store.requeueOutbox(ids: ids, from: .delivered, at: Date())
            print("\(count) delivered messages queued again; run `signalbox outbox deliver`")
        }
    }
}
