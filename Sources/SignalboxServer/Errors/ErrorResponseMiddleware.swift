import Hummingbird
import Logging

/// Turns every error into an ``APIError`` response: Hummingbird's own (unknown route, body too
/// large) and unexpected ones alike. A path that exists under other methods answers 405 with `Allow`.
struct ErrorResponseMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: [ServerRoute]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as any HTTPResponseError {
            throw translate(error.status, request: request)
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)"])
            throw APIError(.internalServerError, code: "internal_error", "the request could not be handled; see the server log")
        }
    }

    private func translate(_ status: HTTPResponse.Status, request: Request) -> APIError {
        switch status {
        case .notFound:
            let allowed = routes.filter { $0.matches(path: request.uri.path) }.map(\.method.rawValue)
            guard !allowed.isEmpty else { return .notFound("no route for \(request.method) \(request.uri.path)") }
            return APIError(
                .methodNotAllowed, code: "method_not_allowed",
                "\(request.uri.path) accepts \(allowed.joined(separator: ", ")), not \(request.method)",
                headers: [.allow: allowed.joined(separator: ", ")]
            )
        case .contentTooLarge:
            return APIError(.contentTooLarge, code: "too_large", "the request body is larger than the server accepts")
        default:
            return APIError(status, code: "http_\(status.code)", status.reasonPhrase)
        }
    }
}
