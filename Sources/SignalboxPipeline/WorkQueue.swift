import Foundation

/// Work waiting for ``LiveIngest``'s writer thread, in arrival order, with a cap on waiting events.
final class WorkQueue: @unchecked Sendable {
    /// One piece of work for the writer.
    enum Job {
        case ingest(IngestSubmission, CheckedContinuation<IngestReceipt, any Error>)
        /// Runs with the writer's state; `fail` answers instead when the queue refuses it.
        case task(run: @Sendable (LiveIngest) -> Void, fail: @Sendable (LiveIngestError) -> Void)

        var eventCount: Int {
            if case .ingest(let submission, _) = self { submission.events.count } else { 0 }
        }
    }

    private let condition = NSCondition()
    // Guarded by `condition`.
    private var jobs: [Job] = []
    private var waitingEvents = 0
    private var closed = false

    /// Queues `job` unless the queue is closed or holding `limit` events already (the job is then failed).
    func enqueue(_ job: Job, events: Int, limit: Int) {
        condition.lock()
        let refusal: LiveIngestError? = closed ? .closed : (waitingEvents > 0 && waitingEvents + events > limit) ? .saturated : nil
        if refusal == nil {
            jobs.append(job)
            waitingEvents += events
            condition.signal()
        }
        condition.unlock()
        guard let refusal else { return }
        switch job {
        case .ingest(_, let continuation): continuation.resume(throwing: refusal)
        case .task(_, let fail): fail(refusal)
        }
    }

    /// Everything queued, waiting until there is something; nil once closed and drained.
    func next() -> [Job]? {
        condition.lock()
        defer { condition.unlock() }
        while jobs.isEmpty && !closed { condition.wait() }
        guard !jobs.isEmpty else { return nil }
        defer { jobs = [] }
        return jobs
    }

    /// The writer is done with jobs holding `events` events.
    func finished(events: Int) {
        condition.lock()
        waitingEvents -= events
        condition.unlock()
    }

    func close() {
        condition.lock()
        closed = true
        condition.signal()
        condition.unlock()
    }
}
