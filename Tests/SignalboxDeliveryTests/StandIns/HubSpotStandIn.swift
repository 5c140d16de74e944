import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// HubSpot CRM, as far as handoffs use it: `POST /crm/v3/objects/companies/batch/upsert` (1 to 100
/// inputs, each with `idProperty`, `id` and `properties`), `POST /crm/v3/objects/tasks`
/// (`properties.hs_timestamp` required, associated with an existing company by type 192,
/// `HUBSPOT_DEFINED`), and for finding a task already made, `GET
/// /crm/v4/objects/companies/{id}/associations/tasks` (`limit` up to 500, `after` to page) and `POST
/// /crm/v3/objects/tasks/batch/read` (1 to 100 `inputs` by id, with the `properties` to return).
/// Every request needs `Authorization: Bearer <token>`; a rate-limit answer is 429 with a body naming
/// `policyName`, as HubSpot sends it.
final class HubSpotStandIn: Sendable {
    static let token = "pat-na1-standin"
    static let rateLimited = StandIn.Scripted(
        status: .tooManyRequests,
        body: #"{"status":"error","message":"You have reached your ten_secondly_rolling limit.","errorType":"RATE_LIMIT","policyName":"TEN_SECONDLY_ROLLING"}"#
    )

    let standIn = StandIn()
    /// A company as the stand-in keeps it.
    private struct Company: Sendable {
        var id: String
        var properties: [String: String]
    }

    /// A task as the stand-in keeps it.
    private struct Task: Sendable {
        var id: String
        var companyIds: [String]
        var properties: [String: String]
    }

    /// Companies by the upsert key.
    private let companies = Mutex<[String: Company]>([:])
    /// Tasks in the order they were created.
    private let tasks = Mutex<[Task]>([])

    /// Task subjects by the company's upsert key.
    var taskSubjects: [String: [String]] {
        let keys = companies.withLock { Dictionary(uniqueKeysWithValues: $0.map { ($0.value.id, $0.key) }) }
        return tasks.withLock { tasks in
            Dictionary(grouping: tasks.flatMap { task in task.companyIds.map { (keys[$0] ?? $0, task.properties["hs_task_subject"] ?? "") } }, by: \.0)
                .mapValues { $0.map(\.1) }
        }
    }

    var companyProperties: [String: [String: String]] {
        companies.withLock { $0.mapValues(\.properties) }
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.post("/crm/v3/objects/companies/batch/upsert") { request, _ in
            try await self.standIn.handle(request, validate: self.validateUpsert) { body in
                let results = (body["inputs"]?.array ?? []).map { input -> [String: Any] in
                    let key = input["id"]?.string ?? ""
                    let properties = (input["properties"]?.object ?? [:]).compactMapValues { $0 as? String }
                    let id = self.companies.withLock { companies -> String in
                        let id = companies[key]?.id ?? String(9_000 + companies.count)
                        companies[key] = Company(id: id, properties: (companies[key]?.properties ?? [:]).merging(properties) { $1 })
                        return id
                    }
                    return ["id": id, "properties": properties]
                }
                return StandIn.json(.ok, ["status": "COMPLETE", "results": results])
            }
        }
        router.post("/crm/v3/objects/tasks") { request, _ in
            try await self.standIn.handle(request, validate: self.validateTask) { body in
                let properties = (body["properties"]?.object ?? [:]).compactMapValues { $0 as? String }
                let companyIds = (body["associations"]?.array ?? []).compactMap { $0["to"]?["id"]?.string }
                let id = self.tasks.withLock { tasks in
                    let id = String(50_000 + tasks.count)
                    tasks.append(Task(id: id, companyIds: companyIds, properties: properties))
                    return id
                }
                return StandIn.json(.created, ["id": id, "properties": properties])
            }
        }
        router.get("/crm/v4/objects/companies/:id/associations/tasks") { request, context in
            let companyId = context.parameters.get("id") ?? ""
            return try await self.standIn.handleRead(request, validate: self.validateAssociationsRead) { query in
                let limit = Int(query["limit"] ?? "") ?? 500
                let start = Int(query["after"] ?? "") ?? 0
                let ids = self.tasks.withLock { $0.filter { $0.companyIds.contains(companyId) }.map(\.id) }
                let page = ids.dropFirst(start).prefix(limit)
                var answer: [String: Any] = ["results": page.map { id -> [String: Any] in
                    ["toObjectId": Int(id)!, "associationTypes": [["category": "HUBSPOT_DEFINED", "typeId": 191, "label": NSNull()]]]
                }]
                if start + page.count < ids.count { answer["paging"] = ["next": ["after": String(start + page.count)]] }
                return StandIn.json(.ok, answer)
            }
        }
        router.post("/crm/v3/objects/tasks/batch/read") { request, _ in
            try await self.standIn.handle(request, validate: self.validateBatchRead) { body in
                let wanted = Set((body["inputs"]?.array ?? []).compactMap { $0["id"]?.string })
                let names = (body["properties"]?.array ?? []).compactMap(\.string)
                let found = self.tasks.withLock { $0.filter { wanted.contains($0.id) } }
                let results = found.map { task -> [String: Any] in
                    ["id": task.id, "properties": task.properties.filter { names.contains($0.key) }, "archived": false]
                }
                return StandIn.json(.ok, ["status": "COMPLETE", "results": results])
            }
        }
        return router
    }

    private func authorized(_ headers: HTTPFields) -> [String] {
        headers[.authorization] == "Bearer \(Self.token)" ? [] : ["missing or wrong Authorization: Bearer token"]
    }

    private func validateUpsert(_ body: JSONObject, _ headers: HTTPFields) -> [String] {
        var problems = authorized(headers)
        let inputs = body["inputs"]?.array ?? []
        if inputs.isEmpty || inputs.count > 100 { problems.append("inputs must hold 1 to 100 records, got \(inputs.count)") }
        for (index, input) in inputs.enumerated() {
            if input["idProperty"]?.string?.isEmpty ?? true { problems.append("inputs[\(index)].idProperty is required") }
            if input["id"]?.string?.isEmpty ?? true { problems.append("inputs[\(index)].id is required") }
            guard let properties = input["properties"]?.object else {
                problems.append("inputs[\(index)].properties is required")
                continue
            }
            if properties.values.contains(where: { !($0 is String) }) { problems.append("inputs[\(index)].properties values must be strings") }
        }
        return problems
    }

    private func validateAssociationsRead(_ query: [String: String], _ headers: HTTPFields) -> [String] {
        var problems = authorized(headers)
        if let limit = query["limit"], !(1...500).contains(Int(limit) ?? 0) { problems.append("limit must be 1 to 500, got \(limit)") }
        return problems
    }

    private func validateBatchRead(_ body: JSONObject, _ headers: HTTPFields) -> [String] {
        var problems = authorized(headers)
        let inputs = body["inputs"]?.array ?? []
        if inputs.isEmpty || inputs.count > 100 { problems.append("inputs must hold 1 to 100 ids, got \(inputs.count)") }
        if inputs.contains(where: { $0["id"]?.string?.isEmpty ?? true }) { problems.append("every input needs an id string") }
        if body["properties"]?.array?.allSatisfy({ $0.string != nil }) != true { problems.append("properties must be a list of property names") }
        return problems
    }

    private func validateTask(_ body: JSONObject, _ headers: HTTPFields) -> [String] {
        var problems = authorized(headers)
        guard let timestamp = body["properties"]?["hs_timestamp"]?.string, ISO8601DateFormatter.withFractions.date(from: timestamp) != nil else {
            return problems + ["properties.hs_timestamp is required as an ISO 8601 time"]
        }
        let associations = body["associations"]?.array ?? []
        let knownIds = Set(companies.withLock { $0.values.map(\.id) })
        if associations.isEmpty { problems.append("the task must be associated with the company") }
        for association in associations {
            let type = association["types"]?.array?.first
            if type?["associationTypeId"]?.number != 192 || type?["associationCategory"]?.string != "HUBSPOT_DEFINED" {
                problems.append("a task-to-company association is HUBSPOT_DEFINED type 192")
            }
            if !knownIds.contains(association["to"]?["id"]?.string ?? "") { problems.append("association to an unknown company") }
        }
        return problems
    }
}

extension ISO8601DateFormatter {
    /// Reads `2026-11-02T17:00:00.000Z`.
    nonisolated(unsafe) static let withFractions: ISO8601DateFormatter = {
        let format = ISO8601DateFormatter()
        format.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return format
    }()
}
