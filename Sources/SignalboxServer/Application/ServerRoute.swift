import Hummingbird

/// One route of the server, as registered and as documented in `/openapi.json`.
public struct ServerRoute: Sendable {
    /// Who may call it.
    public enum Access: Sendable {
        /// A source's write key (ingest).
        case writeKey
        /// The admin bearer token (`/api`).
        case admin
        case open
    }

    public var method: HTTPRequest.Method
    /// Hummingbird path syntax: `/api/accounts/:id`.
    public var path: String
    public var summary: String
    public var access: Access
    public var tag: String
    /// Query parameters it reads.
    public var query: [String] = []

    /// Whether `path` (a request path) is this route's path with its parameters filled in.
    func matches(path requested: String) -> Bool {
        let mine = path.split(separator: "/", omittingEmptySubsequences: true)
        let theirs = requested.split(separator: "/", omittingEmptySubsequences: true)
        guard mine.count == theirs.count else { return false }
        return zip(mine, theirs).allSatisfy { $0.hasPrefix(":") || $0 == $1 }
    }

    /// The path in OpenAPI syntax: `/api/accounts/{id}`.
    var openAPIPath: String {
        path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
            .joined(separator: "/")
    }

    var parameters: [String] {
        path.split(separator: "/").filter { $0.hasPrefix(":") }.map { String($0.dropFirst()) }
    }
}
