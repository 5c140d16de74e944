import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// Salesforce REST, as far as handoffs use it: `PATCH /services/data/vXX.X/composite/sobjects/{SObject}/{ExtIdField}`
/// (`allOrNone`, 1 to 200 `records`, each with `attributes.type` and the external id) answering
/// per-record results, `POST /services/data/vXX.X/sobjects/Task` (`WhatId` of a known record,
/// `Subject` required), and `GET /services/data/vXX.X/query?q=` for the one SOQL query handoffs make:
/// `SELECT Id, Description FROM Task WHERE WhatId = '…' AND Subject = '…'`, with string literals
/// escaped as SOQL wants (`\'` and `\\`). Every request needs `Authorization: Bearer <token>`;
/// every answer carries `Sforce-Limit-Info`.
final class SalesforceStandIn: Sendable {
    static let token = "00Dstandin!token"
    static let limitInfo = HTTPField.Name("Sforce-Limit-Info")!

    /// A Task as the stand-in keeps it.
    private struct Task: Sendable {
        var id: String
        var whatId: String
        var subject: String
        var description: String
    }

    /// The only query shape the stand-in answers; anything else is a malformed query.
    nonisolated(unsafe) private static let taskQuery = #/SELECT Id, Description FROM Task WHERE WhatId = '((?:[^'\\]|\\.)*)' AND Subject = '((?:[^'\\]|\\.)*)'/#

    let standIn = StandIn()
    private let records = Mutex<[String: String]>([:])
    private let tasks = Mutex<[Task]>([])

    /// How many Tasks each record has.
    var taskCounts: [String: Int] {
        tasks.withLock { Dictionary(grouping: $0, by: \.whatId).mapValues(\.count) }
    }

    /// Record id by external id.
    var recordIds: [String: String] { records.withLock { $0 } }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.patch("/services/data/:version/composite/sobjects/:object/:field") { request, context in
            let field = context.parameters.get("field") ?? ""
            return try await self.standIn.handle(request, validate: { body, headers in self.validateUpsert(body, headers, field: field, version: context.parameters.get("version")) }) { body in
                let results = (body["records"]?.array ?? []).map { record -> [String: Any] in
                    let key = record[field]?.string ?? ""
                    let (id, created) = self.records.withLock { records -> (String, Bool) in
                        if let id = records[key] { return (id, false) }
                        let id = "001STANDIN" + String(records.count)
                        records[key] = id
                        return (id, true)
                    }
                    return ["id": id, "success": true, "created": created, "errors": [] as [Any]]
                }
                return StandIn.json(.ok, results, headers: [Self.limitInfo: "api-usage=\(self.standIn.attempts)/15000"])
            }
        }
        router.post("/services/data/:version/sobjects/Task") { request, context in
            try await self.standIn.handle(request, validate: { body, headers in self.validateTask(body, headers, version: context.parameters.get("version")) }) { body in
                let id = self.tasks.withLock { tasks in
                    let id = "00TSTANDIN\(tasks.count)"
                    tasks.append(Task(id: id, whatId: body["WhatId"]?.string ?? "", subject: body["Subject"]?.string ?? "", description: body["Description"]?.string ?? ""))
                    return id
                }
                return StandIn.json(.created, ["id": id, "success": true, "errors": [] as [Any]], headers: [Self.limitInfo: "api-usage=\(self.standIn.attempts)/15000"])
            }
        }
        router.get("/services/data/:version/query") { request, context in
            let version = context.parameters.get("version") ?? ""
            return try await self.standIn.handleRead(request, validate: { query, headers in self.validateQuery(query, headers, version: version) }) { query in
                let match = (query["q"] ?? "").wholeMatch(of: Self.taskQuery)!
                let (whatId, subject) = (Self.unescape(match.1), Self.unescape(match.2))
                let found = self.tasks.withLock { $0.filter { $0.whatId == whatId && $0.subject == subject } }
                let records = found.map { task -> [String: Any] in
                    ["attributes": ["type": "Task", "url": "/services/data/\(version)/sobjects/Task/\(task.id)"], "Id": task.id, "Description": task.description]
                }
                return StandIn.json(.ok, ["totalSize": records.count, "done": true, "records": records], headers: [Self.limitInfo: "api-usage=\(self.standIn.attempts)/15000"])
            }
        }
        return router
    }

    private static func unescape(_ literal: Substring) -> String {
        var text = ""
        var escaped = false
        for character in literal {
            if !escaped && character == "\\" { escaped = true; continue }
            text.append(character)
            escaped = false
        }
        return text
    }

    private func validateQuery(_ query: [String: String], _ headers: HTTPFields, version: String) -> [String] {
        var problems = common(headers, version: version)
        guard let soql = query["q"] else { return problems + ["q (the SOQL query) is required"] }
        if soql.wholeMatch(of: Self.taskQuery) == nil { problems.append("MALFORMED_QUERY: \(soql)") }
        return problems
    }

    private func common(_ headers: HTTPFields, version: String?) -> [String] {
        var problems: [String] = []
        if headers[.authorization] != "Bearer \(Self.token)" { problems.append("missing or wrong Authorization: Bearer token") }
        if (try? Regex("^v\\d+\\.\\d$").wholeMatch(in: version ?? "")) == nil { problems.append("the API version must look like v60.0") }
        return problems
    }

    private func validateUpsert(_ body: JSONObject, _ headers: HTTPFields, field: String, version: String?) -> [String] {
        var problems = common(headers, version: version)
        let records = body["records"]?.array ?? []
        if records.isEmpty || records.count > 200 { problems.append("records must hold 1 to 200 records, got \(records.count)") }
        for (index, record) in records.enumerated() {
            if record["attributes"]?["type"]?.string?.isEmpty ?? true { problems.append("records[\(index)].attributes.type is required") }
            if record[field]?.string?.isEmpty ?? true { problems.append("records[\(index)].\(field) (the external id) is required") }
        }
        return problems
    }

    private func validateTask(_ body: JSONObject, _ headers: HTTPFields, version: String?) -> [String] {
        var problems = common(headers, version: version)
        if body["Subject"]?.string?.isEmpty ?? true { problems.append("Subject is required") }
        let whatId = body["WhatId"]?.string ?? ""
        if !records.withLock({ $0.values.contains(whatId) }) { problems.append("WhatId \(whatId) is not a known record") }
        return problems
    }
}
