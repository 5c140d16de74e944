import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// HubSpot CRM v3, as far as handoffs use it: `POST /crm/v3/objects/companies/batch/upsert` (1 to 100
/// inputs, each with `idProperty`, `id` and `properties`) and `POST /crm/v3/objects/tasks`
/// (`properties.hs_timestamp` required, associated with an existing company by type 192,
/// `HUBSPOT_DEFINED`). Every request needs `Authorization: Bearer <token>`; a rate-limit answer is 429
/// with a body naming `policyName`, as HubSpot sends it.
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

    /// Companies by the upsert key.
    private let companies = Mutex<[String: Company]>([:])

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
            try await self.standIn.handle(request, validate: self.validateTask) { _ in
                StandIn.json(.created, ["id": String(50_000 + self.standIn.received.count)])
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
