import Foundation
import Synchronization

/// Scores a list of accounts in small chunks claimed by whichever threads take part, so a caller
/// can start one thread on it while its own thread is busy elsewhere, and join in when it is free.
/// An import scores this way while it commits: the commit keeps a core, and the scoring the other.
///
/// ```swift
/// let pass = engine.scoringPass(asOf: now)
/// let helper = Thread { pass.work() }   // any thread, any number of them
/// pass.work()                            // returns when no chunk is left
/// // … once every thread's work() has returned:
/// let scores = pass.scores()
/// ```
public final class ScoringPass: @unchecked Sendable {
    private let engine: Engine
    private let scorer: Scorer
    private let asOf: Date
    private let accounts: [(key: String, value: [String])]
    private let facts: @Sendable (Int, String, [String]) -> ProfileFacts
    /// The first account no thread has claimed yet.
    private let next = Atomic(0)
    /// One slot per account; each is written by the one thread that claimed it, and read only
    /// after every thread taking part has returned from ``work()``.
    private let slots: UnsafeMutableBufferPointer<AccountScore?>

    /// Accounts claimed at a time: enough to make claiming rare, few enough that threads finish together.
    private static let chunk = 64

    init(
        engine: Engine, accounts: [(key: String, value: [String])], asOf: Date, explained: Bool,
        facts: @escaping @Sendable (Int, String, [String]) -> ProfileFacts
    ) {
        self.engine = engine
        scorer = Scorer(model: engine.model, explained: explained)
        self.asOf = asOf
        self.accounts = accounts
        self.facts = facts
        slots = .allocate(capacity: accounts.count)
        slots.initialize(repeating: nil)
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    /// Scores unclaimed accounts until none are left. Safe to call from several threads at once.
    public func work() {
        while true {
            let start = next.add(Self.chunk, ordering: .relaxed).oldValue
            guard start < accounts.count else { return }
            for index in start..<min(start + Self.chunk, accounts.count) {
                let (account, workspaces) = accounts[index]
                slots[index] = scorer.score(engine.state(ofWorkspaces: workspaces), facts: facts(index, account, workspaces), asOf: asOf)
            }
        }
    }

    /// Leaves the accounts no thread has claimed yet unscored: ``work()`` returns after its current chunk.
    public func cancel() {
        next.store(accounts.count, ordering: .relaxed)
    }

    /// Every account's score, best first, from one thread per core.
    func scoresOnEveryCore() -> [AccountScore] {
        let threads = max(1, min(ProcessInfo.processInfo.activeProcessorCount, accounts.count / Self.chunk))
        DispatchQueue.concurrentPerform(iterations: threads) { _ in work() }
        return scores()
    }

    /// Every account's score, best first. Call only after every ``work()`` call has returned.
    public func scores() -> [AccountScore] {
        Engine.bestFirst(slots.compactMap { $0 })
    }
}

extension Engine {
    /// A pass that scores every account at `asOf` on the threads that call its ``ScoringPass/work()``;
    /// `explained: false` leaves reasons out.
    public func scoringPass(asOf: Date, explained: Bool = true) -> ScoringPass {
        scoringPass(Array(accounts()), asOf: asOf, explained: explained) { [self] _, account, workspaces in
            ProfileFacts(profile(account: account, workspaces: workspaces), model: model)
        }
    }

    /// A pass over `accounts`, with each one's profile facts from `facts(index, account, workspaces)`.
    func scoringPass(
        _ accounts: [(key: String, value: [String])], asOf: Date, explained: Bool,
        facts: @escaping @Sendable (Int, String, [String]) -> ProfileFacts
    ) -> ScoringPass {
        ScoringPass(engine: self, accounts: accounts, asOf: asOf, explained: explained, facts: facts)
    }
}
