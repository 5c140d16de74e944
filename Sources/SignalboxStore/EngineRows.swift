import Foundation
import SignalboxCore

/// What saving an engine writes, already encoded: the changed workspaces' state records, the
/// changed identity rows with their traits as JSON, parked activity and the model's fingerprint.
///
/// Encoding needs no database and runs on every core, so an import encodes while its store is
/// still busy with its own share of the commit, and only the writes are left for after.
/// ```swift
/// let rows = try EngineRows(engine, changes: engine.takeChanges())
/// try store.saveEngine(rows)
/// ```
public struct EngineRows: Sendable {
    /// Changed workspaces in id order, each with its binary state record.
    let states: [(workspace: String, record: [UInt8])]
    let identity: IdentityTables.Changed
    /// Parked activity as JSON, when it changed.
    let parked: Data?
    /// The model the states were computed under (``CompiledModel/stateFingerprint``).
    let fingerprint: String

    /// Encodes what `changes` names, as it is in `engine`.
    public init(_ engine: Engine, changes: EngineChanges) throws {
        let states = changes.workspaces.sorted().compactMap { workspace in engine.state(ofWorkspace: workspace).map { (workspace, $0) } }
        let records = try Concurrently.map(states) { $0.1.binaryRecord() }
        self.states = zip(states, records).map { (workspace: $0.0, record: $1) }
        identity = try IdentityTables.encode(engine.identity, changes: changes.identity)
        parked = try changes.parked ? StoredJSON.encoder.encode(engine.parked) : nil
        fingerprint = engine.model.stateFingerprint
    }
}
