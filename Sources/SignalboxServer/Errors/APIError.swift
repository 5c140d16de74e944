import Foundation
import Hummingbird
import SignalboxCore

/// An error answered as `{"code","message"}` with its status: the one shape every route uses for
/// failures, so clients and operators can tell what went wrong and where.
public struct APIError: HTTPResponseError, CustomStringConvertible {
    public var status: HTTPResponse.Status
    /// Stable, machine-readable (`invalid_json`, `unknown_write_key`).
    public var code: String
    /// What was wrong and where, for a person.
    public var message: String
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, code: String, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        let body = JSONValue.object(["code": .string(code), "message": .string(message)]).serialized()
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}

extension APIError {
    static func badRequest(_ code: String, _ message: String) -> APIError { APIError(.badRequest, code: code, message) }
    static func notFound(_ message: String) -> APIError { APIError(.notFound, code: "not_found", message) }
    static func unauthorized(_ code: String, _ message: String) -> APIError { APIError(.unauthorized, code: code, message) }
}
