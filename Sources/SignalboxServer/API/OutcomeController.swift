import Foundation
import Hummingbird
import SignalboxCore
import SignalboxPipeline
import SignalboxStore

/// `POST /api/outcomes`: conversions and losses sent by a billing system or CRM, the same as
/// `signalbox outcomes import`.
struct OutcomeController: Sendable {
    let live: LiveIngest
    let store: any SignalStore

    func routes() -> [(ServerRoute, @Sendable (Request, BasicRequestContext) async throws -> Response)] {
        [(ServerRoute(method: .post, path: "/api/outcomes", summary: "Record conversions and losses (labels for training)", access: .admin, tag: "learning"), record)]
    }

    @Sendable func record(_ request: Request, context: BasicRequestContext) async throws -> Response {
        var request = request
        let body = try await RequestBodyReader(limit: 16 * 1024 * 1024).read(&request, gzipped: request.headers[.contentEncoding] == "gzip")
        let upload: OutcomeUpload
        do {
            upload = try JSONDecoder.api.decode(OutcomeUpload.self, from: Data(body))
        } catch let error as DecodingError {
            throw APIError.badRequest("invalid_outcomes", DecodingErrorText.describe(error))
        } catch {
            throw APIError.badRequest("invalid_json", "the body is not JSON: \(error)")
        }
        var outcomes: [Outcome] = []
        for (index, entry) in upload.outcomes.enumerated() {
            let keys = [entry.accountId.map(Outcome.Key.account), entry.workspaceId.map(Outcome.Key.workspace), entry.groupId.map(Outcome.Key.workspace),
                        entry.domain.map { Outcome.Key.domain(DomainName.normalize($0) ?? $0.lowercased()) }].compactMap { $0 }
            guard keys.count == 1 else {
                throw APIError.badRequest("invalid_outcomes", "$.outcomes[\(index)]: give exactly one of account_id, workspace_id, group_id, domain")
            }
            guard entry.convertedAt != nil || entry.lostAt != nil else {
                throw APIError.badRequest("invalid_outcomes", "$.outcomes[\(index)]: converted_at or lost_at is required")
            }
            outcomes.append(Outcome(key: keys[0], convertedAt: entry.convertedAt, lostAt: entry.lostAt, acv: entry.acv))
        }
        let recorded = outcomes
        let fresh = try store.recordOutcomes(recorded, source: "api")
        let unmatched = try await live.read { engine, _ in OutcomeResolver.resolve(recorded, engine: engine).unmatched.map(\.description) }
        return try JSONResponse.make(OutcomeResult(received: outcomes.count, new: fresh, unmatched: unmatched))
    }
}

/// `POST /api/outcomes` body.
struct OutcomeUpload: Decodable {
    struct Entry: Decodable {
        let accountId: String?
        let workspaceId: String?
        let groupId: String?
        let domain: String?
        let convertedAt: Date?
        let lostAt: Date?
        let acv: Double?
    }

    let outcomes: [Entry]
}

struct OutcomeResult: Encodable {
    let received: Int
    let new: Int
    /// Keys no account matches yet; they are kept and match once their events arrive.
    let unmatched: [String]
}
