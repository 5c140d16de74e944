import AsyncHTTPClient
import Foundation
import SignalboxCore

/// Delivers a handoff to HubSpot CRM v3: upserts the company's Signalbox properties, then creates a
/// task associated with the company (association type 192) for the owner.
///
/// The company is keyed by `company_id_property` (default `signalbox_account_id`, a unique-value
/// company property to create in HubSpot) holding the routing key. The upsert is idempotent, so a
/// retry after a failed task repeats it harmlessly.
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
        switch await post("/crm/v3/objects/companies/batch/upsert", upsert) {
        case .success(let response):
            let results = (try? JSONSerialization.jsonObject(with: response.body) as? [String: Any])?["results"] as? [[String: Any]]
            guard let id = results?.first?["id"] as? String else { return .permanent(reason: "HubSpot upsert answered without a company id") }
            companyId = id
        case .failure(let failure):
            return failure.outcome
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
        switch await post("/crm/v3/objects/tasks", body) {
        case .success: return .delivered
        case .failure(let failure): return failure.outcome
        }
    }

    private func post(_ path: String, _ body: [String: Any]) async -> Result<HTTPSender.Response, DeliveryFailure> {
        let result = await sender.sendJSON(.POST, baseURL + path, bearer: token, body)
        guard case .failure(var failure) = result, let response = failure.response, response.status == 429,
              case .retry(nil, let reason) = failure.outcome else { return result }
        // HubSpot's 429 names the limit hit instead of sending Retry-After: the ten-second window, or the day.
        let policy = (try? JSONSerialization.jsonObject(with: response.body) as? [String: Any])?["policyName"] as? String ?? ""
        failure.outcome = .retry(after: policy.hasPrefix("DAILY") ? 3_600 : 10, reason: reason)
        return .failure(failure)
    }
}
