import HTTPTypes
import Hummingbird

/// A Slack incoming webhook that checks each message against Block Kit's published limits:
/// `text` or `blocks` present, at most 50 blocks, section text up to 3,000 characters, at most 10
/// fields of up to 2,000, header text up to 150 and plain text. It answers `ok`, or 400 `invalid_blocks`.
enum SlackStandIn {
    static let path = "/services/T0001/B0001/standin"

    static func router(_ standIn: StandIn) -> Router<BasicRequestContext> {
        let router = Router()
        router.post(RouterPath(path)) { request, _ in
            try await standIn.handle(request, validate: validate) { _ in StandIn.respond(.ok, "ok") }
        }
        return router
    }

    static func validate(_ body: JSONObject, _ headers: HTTPFields) -> [String] {
        var problems: [String] = []
        if headers[.contentType]?.hasPrefix("application/json") != true { problems.append("Content-Type must be application/json") }
        let blocks = body["blocks"]?.array ?? []
        if body["text"]?.string?.isEmpty ?? true, blocks.isEmpty { problems.append("no_text: text or blocks is required") }
        if blocks.count > 50 { problems.append("invalid_blocks: \(blocks.count) blocks, at most 50") }
        for (index, block) in blocks.enumerated() {
            switch block["type"]?.string {
            case "header":
                let text = block["text"]?["text"]?.string ?? ""
                if block["text"]?["type"]?.string != "plain_text" { problems.append("invalid_blocks: block \(index) header text must be plain_text") }
                if text.isEmpty || text.count > 150 { problems.append("invalid_blocks: block \(index) header text is \(text.count) characters, 1 to 150") }
            case "section":
                let fields = block["fields"]?.array ?? []
                let text = block["text"]?["text"]?.string
                if text == nil, fields.isEmpty { problems.append("invalid_blocks: block \(index) section needs text or fields") }
                if let text, text.count > 3_000 { problems.append("invalid_blocks: block \(index) text is \(text.count) characters, at most 3000") }
                if fields.count > 10 { problems.append("invalid_blocks: block \(index) has \(fields.count) fields, at most 10") }
                for field in fields where (field["text"]?.string?.count ?? 0) > 2_000 {
                    problems.append("invalid_blocks: block \(index) has a field over 2000 characters")
                }
            case "context", "divider", "actions":
                break
            default:
                problems.append("invalid_blocks: block \(index) has unknown type \(block["type"]?.string ?? "none")")
            }
        }
        return problems
    }
}
