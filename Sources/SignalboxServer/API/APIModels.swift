import Foundation
import Hummingbird
import SignalboxCore
import SignalboxStore

/// JSON bodies of the `/api` routes. Keys are snake_case, times ISO 8601.
enum JSONResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(value)))
        )
    }
}

extension JSONDecoder {
    /// Reads `/api` request bodies: snake_case keys, times in ISO 8601 (read as leniently as events).
    static let api: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = Timestamp.parse(.string(text)) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\"\(text)\" is not an ISO 8601 time"))
            }
            return date
        }
        return decoder
    }()
}

/// Says which JSON path of a request body was wrong.
enum DecodingErrorText {
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            "$" + keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context.codingPath + [key])) is required"
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return "\(path(context.codingPath)): \(context.debugDescription)"
        case .dataCorrupted(let context): return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

/// One page of `GET /api/accounts`.
struct AccountList: Encodable {
    var total: Int
    var limit: Int
    var offset: Int
    var accounts: [AccountSummary]
}

/// An account in a list: who, stage, scores and the reasons in words.
struct AccountSummary: Encodable {
    var accountId: String
    var name: String?
    var domain: String?
    var stage: Stage
    var band: String?
    var score: Double
    var fit: Double?
    var value: Double
    var intent: Double
    var asOf: Date
    var reasons: [String]

    init(_ score: AccountScore) {
        accountId = score.accountId
        name = score.name
        domain = score.domain
        stage = score.stage
        band = score.band
        self.score = score.total
        fit = score.fit
        value = score.value
        intent = score.intent
        asOf = score.asOf
        reasons = score.reasons.map(\.text)
    }
}

/// `GET /api/accounts/{id}`.
struct AccountDetail: Encodable, Sendable {
    var score: AccountScore
    var trend: ScoreTrend?
    var workspaces: [String]
    var members: [Member]
    var company: Company?
    var recentEvents: [RecentEvent]
}

/// A member of an account's workspaces with what is known of them.
struct Member: Encodable, Sendable {
    var userId: String
    var traits: [String: JSONValue]
}

/// A recent event of an account, as stored.
struct RecentEvent: Encodable, Sendable {
    var messageId: String
    var type: String
    var name: String?
    var userId: String?
    var anonymousId: String?
    var groupId: String?
    var timestamp: Date
    var properties: [String: JSONValue]

    init(_ event: Event) {
        messageId = event.messageId
        type = event.type.rawValue
        name = event.name
        userId = event.userId
        anonymousId = event.anonymousId
        groupId = event.groupId
        timestamp = event.timestamp
        properties = event.properties
    }
}

/// `GET /api/transitions`: read on with `after=next_after`.
struct TransitionFeed: Encodable {
    var transitions: [TransitionItem]
    var nextAfter: Int64
}

struct TransitionItem: Encodable {
    var id: Int64
    var transition: StageTransition
}

/// `PUT /api/firmographics`: `{"companies": [{"domain": …, "employees": …}]}`.
struct FirmographicsUpload: Decodable {
    /// One company; fields as in the firmographics CSV, `extra` for any other column.
    struct Entry: Decodable {
        var domain: String
        var name: String?
        var employees: Double?
        var industry: String?
        var country: String?
        var techStack: [String]?
        var fundingStage: String?
        var extra: [String: String]?

        var company: Company {
            Company(
                domain: DomainName.normalize(domain) ?? domain.lowercased(), name: name, employees: employees, industry: industry,
                country: country, techStack: techStack ?? [], fundingStage: fundingStage, extra: extra ?? [:]
            )
        }
    }

    var companies: [Entry]
}

struct FirmographicsResult: Encodable {
    var upserted: Int
    var transitions: [StageTransition]
}

struct RejectionList: Encodable {
    var rejections: [RejectionItem]
}

struct RejectionItem: Encodable {
    var source: String
    var location: String
    var code: String
    var message: String
    var payload: String

    init(_ reject: RejectedMessage) {
        source = reject.source
        location = reject.location
        code = reject.code
        message = reject.message
        payload = reject.payload
    }
}
