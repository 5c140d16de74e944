import AsyncHTTPClient
import Foundation
import NIOHTTP1
import SignalboxCore

/// Delivers a handoff to Salesforce REST: upserts the account by an external id field, then creates
/// a Task on it (`WhatId`) for the owner (`OwnerId`, from the rep's `crm_ids.salesforce`).
///
/// The composite upsert answers 200 even when a record fails, with per-record errors; those are
/// permanent. The `Sforce-Limit-Info` header reports API usage, and is logged with failures.
///
/// Before creating the Task the adapter queries the record's Tasks with the same subject for this
/// handoff's key in their description, so an attempt whose answer was lost, or a stop before the
/// delivery was recorded, does not leave the rep a second Task. A user who may not query Tasks
/// (403) creates the Task unchecked.
public struct SalesforceAdapter: DestinationAdapter {
    let sender: HTTPSender
    let instanceURL: String
    let token: String
    let apiVersion: String
    let object: String
    let externalIdField: String

    public init(
        client: HTTPClient, instanceURL: String, token: String, apiVersion: String = "60.0", object: String = "Account",
        externalIdField: String = "Signalbox_Account_Id__c"
    ) {
        sender = HTTPSender(client: client)
        self.instanceURL = instanceURL.hasSuffix("/") ? String(instanceURL.dropLast()) : instanceURL
        self.token = token
        self.apiVersion = apiVersion
        self.object = object
        self.externalIdField = externalIdField
    }

    public func send(_ message: OutboxMessage) async -> DeliveryOutcome {
        // The CRM task already carries the due date; reminders and escalations go to people, not records.
        guard message.kind == .handoff else { return .delivered }
        let decision = message.decision
        var record: [String: Any] = ["attributes": ["type": object], externalIdField: decision.routingKey]
        for (key, value) in CRMTask.scoreFields(decision) { record["Signalbox_\(key.split(separator: "_").map { $0.capitalized }.joined(separator: "_"))__c"] = value }
        if object == "Account" {
            record["Name"] = decision.brief?.name ?? decision.accountId
            if let domain = decision.brief?.domain { record["Website"] = domain }
        }
        let upsertPath = "/services/data/v\(apiVersion)/composite/sobjects/\(object)/\(externalIdField)"
        let recordId: String
        switch await request(.PATCH, upsertPath, ["allOrNone": true, "records": [record]]) {
        case .success(let response):
            let results = (try? JSONSerialization.jsonObject(with: response.body)) as? [[String: Any]]
            guard let first = results?.first else { return .permanent(reason: "Salesforce upsert answered without a result") }
            guard first["success"] as? Bool == true, let id = first["id"] as? String else {
                return .permanent(reason: "Salesforce rejected the \(object): \(first["errors"].map { "\($0)" } ?? "no detail")")
            }
            recordId = id
        case .failure(let failure):
            return failure.outcome
        }
        switch await hasTask(for: message, on: recordId) {
        case .success(true): return .delivered
        case .success(false): break
        case .failure(let failure): return failure.outcome
        }
        var task: [String: Any] = [
            "WhatId": recordId, "Subject": CRMTask.subject(decision), "Description": CRMTask.body(message),
            "ActivityDate": Timestamp.formatDay(CRMTask.due(decision)), "Status": "Not Started",
            "Priority": decision.stage == .salesReady ? "High" : "Normal",
        ]
        if let owner = decision.owner?.crmIds["salesforce"] { task["OwnerId"] = owner }
        switch await request(.POST, "/services/data/v\(apiVersion)/sobjects/Task", task) {
        case .success: return .delivered
        case .failure(let failure): return failure.outcome
        }
    }

    /// Whether a Task on the record with this handoff's subject already carries its key. Description
    /// is a long text field, which SOQL cannot filter on, so it is read and checked here.
    private func hasTask(for message: OutboxMessage, on recordId: String) async -> Result<Bool, DeliveryFailure> {
        let soql = "SELECT Id, Description FROM Task WHERE WhatId = \(soqlLiteral(recordId)) AND Subject = \(soqlLiteral(CRMTask.subject(message.decision)))"
        var next: String? = "/services/data/v\(apiVersion)/query?q=" + soql.addingPercentEncoding(withAllowedCharacters: Self.unreserved)!
        while let path = next {
            switch await sender.send(.GET, instanceURL + path, bearer: token) {
            case .success(let response):
                let answer = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any]
                let records = answer?["records"] as? [[String: Any]] ?? []
                if records.contains(where: { ($0["Description"] as? String).map { CRMTask.carries($0, keyOf: message) } ?? false }) {
                    return .success(true)
                }
                next = answer?["done"] as? Bool == false ? answer?["nextRecordsUrl"] as? String : nil
            case .failure(let failure):
                return failure.response?.status == 403 ? .success(false) : .failure(failure)
            }
        }
        return .success(false)
    }

    /// The characters a query value keeps as they are (RFC 3986 unreserved); `&`, `=`, `+` and the
    /// rest are percent-encoded, so any subject survives the trip.
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// A SOQL string literal: quoted, with quotes and backslashes escaped.
    private func soqlLiteral(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }

    private func request(_ method: HTTPMethod, _ path: String, _ body: Any) async -> Result<HTTPSender.Response, DeliveryFailure> {
        await sender.sendJSON(method, instanceURL + path, bearer: token, body)
    }
}
