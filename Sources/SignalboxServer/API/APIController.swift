import Foundation
import Hummingbird
import SignalboxCore
import SignalboxPipeline
import SignalboxStore

/// The REST API under `/api`, for operators and for tools that show the sales queue: accounts,
/// one account with its members and recent events, explain, stage transitions, firmographics and
/// ingest rejections. Every route needs the admin bearer token.
struct APIController: Sendable {
    let live: LiveIngest
    let store: any SignalStore

    func routes() -> [(ServerRoute, @Sendable (Request, BasicRequestContext) async throws -> Response)] {
        [
            (route(.get, "/api/accounts", "List accounts by latest score, highest first", query: ["stage", "limit", "offset"]), accounts),
            (route(.get, "/api/accounts/:id", "One account: scores, reasons, trend, members, firmographics and recent events"), account),
            (route(.get, "/api/accounts/:id/explain", "Every signal, fit rule and gate behind an account's score", query: ["as_of"]), explain),
            (route(.get, "/api/transitions", "Stage transitions, oldest first; pass the last id seen as after", query: ["after", "account", "limit"]), transitions),
            (route(.put, "/api/firmographics", "Add or replace companies by domain and rescore their accounts"), upsertFirmographics),
            (route(.get, "/api/rejections", "Ingested messages that could not be used, newest first", query: ["limit"]), rejections),
        ]
    }

    private func route(_ method: HTTPRequest.Method, _ path: String, _ summary: String, query: [String] = []) -> ServerRoute {
        ServerRoute(method: method, path: path, summary: summary, access: .admin, tag: "api", query: query)
    }

    // MARK: Handlers

    @Sendable func accounts(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let stage = try query["stage"].map { name throws(APIError) in
            guard let stage = Stage(rawValue: String(name)) else {
                throw .badRequest("invalid_parameter", "stage must be one of \(Stage.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return stage
        }
        let limit = try QueryNumber.read(query["limit"], name: "limit", default: 50, range: 1...1_000)
        let offset = try QueryNumber.read(query["offset"], name: "offset", default: 0, range: 0...Int.max)
        let page = try store.latestScores(stage: stage, limit: limit, offset: offset)
        return try JSONResponse.make(AccountList(total: page.total, limit: limit, offset: offset, accounts: page.scores.map(AccountSummary.init)))
    }

    @Sendable func account(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let found = try await live.read { engine, now -> (AccountDetail, Set<String>)? in
            guard let score = engine.score(account: id, asOf: now) else { return nil }
            let workspaces = engine.workspaces(ofAccount: id)
            let profile = engine.profile(account: id, workspaces: workspaces)
            let members = profile.memberTraits.keys.sorted().map { Member(userId: $0, traits: profile.memberTraits[$0] ?? [:]) }
            // Every id the members have been seen under, so their anonymous events count as theirs.
            let people = Set(profile.memberTraits.keys)
            var actors = people.union(workspaces.flatMap { engine.identity.workspaces[$0]?.members ?? [] })
            for (alias, user) in engine.identity.canonicalIds where people.contains(user) { actors.insert(alias) }
            let detail = AccountDetail(score: score, trend: nil, workspaces: workspaces, members: members, company: profile.company, recentEvents: [])
            return (detail, actors)
        }
        guard case (var detail, let actors)? = found else { throw APIError.notFound("no account \"\(id)\"") }
        detail.trend = ScoreTrend(current: detail.score.total, asOf: detail.score.asOf, history: try store.scoreHistory(account: id))
        let workspaces = Set(detail.workspaces)
        detail.recentEvents = try store.recentEvents(limit: 20) { event in
            event.groupId.map(workspaces.contains) ?? event.actorId.map(actors.contains) ?? false
        }.map(RecentEvent.init)
        return try JSONResponse.make(detail)
    }

    @Sendable func explain(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let score: AccountScore?
        if let text = request.uri.queryParameters["as_of"] {
            guard let asOf = Timestamp.parse(.string(String(text))) else {
                throw APIError.badRequest("invalid_parameter", "as_of \"\(text)\" is not a timestamp (ISO 8601, e.g. 2026-10-31T00:00:00Z)")
            }
            // A past moment may need a replay of history: done on a copy, off the writer.
            let engine = try await live.read { engine, _ in engine }
            score = try ScoringRun(store: store, engine: engine).score(account: id, asOf: asOf)?.score
        } else {
            score = try await live.read { engine, now in engine.score(account: id, asOf: now) }
        }
        guard let score else { throw APIError.notFound("no account \"\(id)\"") }
        return try JSONResponse.make(score)
    }

    @Sendable func transitions(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let after = try QueryNumber.read(query["after"], name: "after", default: 0, range: 0...Int.max)
        let limit = try QueryNumber.read(query["limit"], name: "limit", default: 100, range: 1...1_000)
        let recorded = try store.stageTransitions(after: Int64(after), account: query["account"].map(String.init), limit: limit)
        let items = recorded.map { TransitionItem(id: $0.id, transition: $0.transition) }
        return try JSONResponse.make(TransitionFeed(transitions: items, nextAfter: recorded.last?.id ?? Int64(after)))
    }

    @Sendable func upsertFirmographics(_ request: Request, context: BasicRequestContext) async throws -> Response {
        var request = request
        let body = try await RequestBodyReader(limit: 16 * 1024 * 1024).read(&request, gzipped: request.headers[.contentEncoding] == "gzip")
        let companies: [Company]
        do {
            companies = try JSONDecoder.api.decode(FirmographicsUpload.self, from: Data(body)).companies.map(\.company)
        } catch let error as DecodingError {
            throw APIError.badRequest("invalid_firmographics", DecodingErrorText.describe(error))
        } catch {
            throw APIError.badRequest("invalid_json", "the body is not JSON: \(error)")
        }
        let observation: StageObservation
        do {
            observation = try await live.upsertCompanies(companies)
        } catch let error as LiveIngestError {
            throw APIError(error)
        }
        return try JSONResponse.make(FirmographicsResult(upserted: companies.count, transitions: observation.transitions))
    }

    @Sendable func rejections(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let limit = try QueryNumber.read(request.uri.queryParameters["limit"], name: "limit", default: 100, range: 1...1_000)
        return try JSONResponse.make(RejectionList(rejections: try store.rejects(limit: limit).map(RejectionItem.init)))
    }
}
