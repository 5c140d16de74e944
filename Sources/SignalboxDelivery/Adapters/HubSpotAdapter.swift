import AsyncHTTPClient
import Foundation
import NIOHTTP1
import SignalboxCore

/// Delivers a handoff to HubSpot CRM v3: upserts the company's Signalbox properties, then creates a
/// task associated with the company (association type 192) for the owner.
///
/// The company is keyed by `company_id_property` (default `signalbox_account_id`, a unique-value
/// company property to create in HubSpot) holding the routing key. The upsert is idempotent, so a
/// retry after a failed task repeats it harmlessly. A task cannot be keyed that way, so before
/// creating one the adapter reads the company's tasks (associations, then their bodies) for this
/// handoff's key: an attempt whose answer was lost, or a stop before the delivery was recorded,
/// does not leave the rep a second task. Both reads are direct, not search, so a task made a
/// moment ago is seen. A token without read access to tasks (403) creates the task unchecked.
public struct HubSpotAdapter: DestinationAdapter {
    let sender: HTTPSender
    let baseURL: String
    let token: String
    let idProperty: String

    public init(client: HTTPClient, token: String, baseURL: String = "https://api.hubapi.com", idProperty: String = "signalbox_account_id") {
        sender = HTTPSender(client: client)
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        self.idProperty = idProperty
    }

    public func send(_ message: OutboxMessage) async -> DeliveryOutcome {
        // The CRM task already carries the due date; reminders and escalations go to people, not records.
        guard message.kind == .handoff else { return .delivered }
        let decision = message.decision
        var properties: [String: String] = [idProperty: decision.routingKey]
        for (key, value) in CRMTask.scoreFields(decision) { properties["signalbox_" + key] = value }
        if let domain = decision.brief?.domain { properties["domain"] = domain }
        if let name = decision.brief?.name { properties["name"] = name }
        let upsert: [String: Any] = ["inputs": [["idProperty": idProperty, "id": decision.routingKey, "properties": properties]]]
        let companyId: String
        switch await request(.POST, "/crm/v3/objects/companies/batch/upsert", upsert) {
        case .success(let response):
            let results = (try? JSONSerialization.jsonObject(with: response.body) as? [String: Any])?["results"] as? [[String: Any]]
            guard let id = results?.first?["id"] as? String else { return .permanent(reason: "HubSpot upsert answered without a company id") }
            companyId = id
        case .failure(let failure):
            return failure.outcome
        }
        switch await hasTask(for: message, onCompany: companyId) {
        case .success(true): return .delivered
        case .success(false): break
        case .failure(let failure): return failure.outcome
        }
        var task: [String: String] = [
            "hs_timestamp": Timestamp.format(CRMTask.due(decision)), "hs_task_subject": CRMTask.subject(decision),
            "hs_task_body": CRMTask.body(message), "hs_task_status": "NOT_STARTED",
            "hs_task_priority": decision.stage == .salesReady ? "HIGH" : "MEDIUM",
        ]
        if let owner = decision.owner?.crmIds["hubspot"] { task["hubspot_owner_id"] = owner }
        let body: [String: Any] = [
            "properties": task,
            "associations": [["to": ["id": companyId], "types": [["associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 192]]]],
        ]
        switch await request(.POST, "/crm/v3/objects/tasks", body) {
        case .success: return .delivered
        case .failure(let failure): return failure.outcome
        }
    }

    /// Whether a task on the company already carries this handoff's key; false when the token may
    /// not read tasks.
    private func hasTask(for message: OutboxMessage, onCompany companyId: String) async -> Result<Bool, DeliveryFailure> {
        var taskIds: [String] = []
        var after: String?
        repeat {
            let page = "/crm/v4/objects/companies/\(companyId)/associations/tasks?limit=500" + (after.map { "&after=\($0)" } ?? "")
            switch await request(.GET, page, nil) {
            case .success(let response):
                let answer = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any]
                let results = answer?["results"] as? [[String: Any]] ?? []
                taskIds += results.compactMap { ($0["toObjectId"] as? NSNumber)?.stringValue ?? $0["toObjectId"] as? String }
                after = ((answer?["paging"] as? [String: Any])?["next"] as? [String: Any])?["after"] as? String
            case .failure(let failure):
                return failure.response?.status == 403 ? .success(false) : .failure(failure)
            }
        } while after != nil
        for batch in stride(from: 0, to: taskIds.count, by: 100).map({ taskIds[$0..<min($0 + 100, taskIds.count)] }) {
            let read: [String: Any] = ["properties": ["hs_task_body"], "inputs": batch.map { ["id": $0] }]
            switch await request(.POST, "/crm/v3/objects/tasks/batch/read", read) {
            case .success(let response):
                let results = ((try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any])?["results"] as? [[String: Any]] ?? []
                let bodies = results.compactMap { ($0["properties"] as? [String: Any])?["hs_task_body"] as? String }
                if bodies.contains(where: { CRMTask.carries($0, keyOf: message) }) { return .success(true) }
            case .failure(let failure):
                return failure.response?.status == 403 ? .success(false) : .failure(failure)
            }
        }
        return .success(false)
    }

    private func request(_ method: HTTPMethod, _ path: String, _ body: [String: Any]?) async -> Result<HTTPSender.Response, DeliveryFailure> {
        let result = if let body {
            await sender.sendJSON(method, baseURL + path, bearer: token, body)
        } else {
            await sender.send(method, baseURL + path, bearer: token)
        }
        guard case .failure(var failure) = result, let response = failure.response, response.status == 429,
              case .retry(nil, let reason) = failure.outcome else { return result }
        // HubSpot's 429 names the limit hit instead of sending Retry-After: the ten-second window, or the day.
        let policy = (try? JSONSerialization.jsonObject(with: response.body) as? [String: Any])?["policyName"] as? String ?? ""
        failure.outcome = .retry(after: policy.hasPrefix("DAILY") ? 3_600 : 10, reason: reason)
        return .failure(failure)
    }
}
