import SignalboxCore

/// The OpenAPI 3.1 document served at `/openapi.json`, built from the same route list the router
/// is built from, so the two cannot drift apart.
enum OpenAPIDocument {
    static func json(routes: [ServerRoute]) -> String {
        var paths: [String: JSONValue] = [:]
        for route in routes {
            var operations = paths[route.openAPIPath]?.objectValue ?? [:]
            operations[route.method.rawValue.lowercased()] = operation(route)
            paths[route.openAPIPath] = .object(operations)
        }
        let errorSchema: JSONValue = .object([
            "type": "object", "required": .array(["code", "message"]),
            "properties": .object(["code": .object(["type": "string"]), "message": .object(["type": "string"])]),
        ])
        let document: JSONValue = .object([
            "openapi": "3.1.0",
            "info": .object([
                "title": "Signalbox", "version": "1",
                "description": "Ingest product events (Segment, RudderStack, PostHog wire formats) and read account scores, stages and transitions.",
            ]),
            "paths": .object(paths),
            "components": .object([
                "securitySchemes": .object([
                    "writeKey": .object(["type": "http", "scheme": "basic", "description": "User name = the source's write key, empty password. Also accepted: writeKey or api_key in the body."]),
                    "adminToken": .object(["type": "http", "scheme": "bearer"]),
                ]),
                "schemas": .object(["Error": errorSchema]),
            ]),
        ])
        return document.serialized()
    }

    private static func operation(_ route: ServerRoute) -> JSONValue {
        var parameters: [JSONValue] = route.parameters.map { name in
            .object(["name": .string(name), "in": "path", "required": true, "schema": .object(["type": "string"])])
        }
        parameters += route.query.map { name in
            .object(["name": .string(name), "in": "query", "required": false, "schema": .object(["type": "string"])])
        }
        var responses: [String: JSONValue] = ["200": .object(["description": "Success", "content": .object(["application/json": .object([:])])])]
        let errors: [String: String]
        switch route.access {
        case .writeKey:
            errors = ["400": "Bad input (not retried by clients)", "401": "Unknown or missing write key", "413": "Body or message too large",
                      "429": "Pipeline saturated; retry after Retry-After", "503": "Storage cannot commit; retry"]
        case .admin:
            errors = ["400": "Bad parameter or body", "401": "Missing or invalid admin token", "404": "Unknown account"]
        case .open:
            errors = route.path == "/ready" ? ["503": "Store unreachable"] : [:]
        }
        for (status, description) in errors {
            responses[status] = .object([
                "description": .string(description),
                "content": .object(["application/json": .object(["schema": .object(["$ref": "#/components/schemas/Error"])])]),
            ])
        }
        var operation: [String: JSONValue] = [
            "operationId": .string(route.method.rawValue.lowercased() + route.path.split(separator: "/").map { $0.hasPrefix(":") ? "By" + $0.dropFirst().capitalized : $0.capitalized }.joined()),
            "summary": .string(route.summary), "tags": .array([.string(route.tag)]), "responses": .object(responses),
        ]
        if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
        switch route.access {
        case .writeKey: operation["security"] = .array([.object(["writeKey": .array([])]), .object([:])])
        case .admin: operation["security"] = .array([.object(["adminToken": .array([])])])
        case .open: operation["security"] = .array([])
        }
        if route.method == .post || route.method == .put {
            operation["requestBody"] = .object(["required": true, "content": .object(["application/json": .object([:])])])
        }
        return .object(operation)
    }
}
