import Foundation
import Hummingbird

/// The event sources the server accepts, by write key.
///
/// Clients send the key as HTTP Basic user name with an empty password (`key:`), some without
/// the colon, or in the body as `writeKey` (Segment) or `api_key` (PostHog). A generic Basic-auth
/// parser that insists on a password would turn the real clients away, so this one is our own.
public struct WriteKeys: Sendable {
    private let sources: [String: String]

    /// `sources` maps each write key to its source name.
    public init(sources: [String: String]) {
        self.sources = sources
    }

    /// The source a key belongs to.
    public func source(for key: String) -> String? {
        sources[key]
    }

    public var isEmpty: Bool { sources.isEmpty }

    /// The key in an `Authorization: Basic …` header, or nil when there is no such header.
    /// Throws when the header is there but cannot be read.
    static func basicKey(in request: Request) throws(APIError) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic" else {
            throw .unauthorized("unsupported_authorization", "send the write key as HTTP Basic auth (user name = write key, empty password)")
        }
        guard let decoded = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
              let text = String(data: decoded, encoding: .utf8) else {
            throw .unauthorized("invalid_authorization", "the Basic credentials are not valid base64 text")
        }
        let key = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return key.isEmpty ? nil : key
    }
}
