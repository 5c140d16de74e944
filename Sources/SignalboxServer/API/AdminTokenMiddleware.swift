import Hummingbird

/// Lets a request through to `/api` only with `Authorization: Bearer <admin token>`.
struct AdminTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Nil when no token is configured: the API is then closed, not open.
    let token: String?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token else {
            throw APIError.unauthorized("api_disabled", "no admin token is configured; set SIGNALBOX_ADMIN_TOKEN (or server.admin_token_env) to use /api")
        }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw APIError.unauthorized("missing_token", "send the admin token as Authorization: Bearer <token>")
        }
        guard ConstantTime.equal(String(header.dropFirst("Bearer ".count)), token) else {
            throw APIError.unauthorized("invalid_token", "the admin token is not valid")
        }
        return try await next(request, context)
    }
}

/// Comparison whose time does not depend on where two secrets first differ.
enum ConstantTime {
    static func equal(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8), right = Array(b.utf8)
        var difference = UInt8(left.count == right.count ? 0 : 1)
        for index in 0..<max(left.count, right.count) {
            difference |= (index < left.count ? left[index] : 0) ^ (index < right.count ? right[index] : 0)
        }
        return difference == 0
    }
}
