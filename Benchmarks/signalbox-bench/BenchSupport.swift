import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// A shared integer: where the server listens, how many requests were sent.
final class SharedCount: Sendable {
    let value = Atomic(0)
}

/// The server under test, as a client sees it.
struct Target: Sendable {
    let client: HTTPClient
    let url: String
    let writeKey: String

    func post(_ path: String, _ body: String, method: HTTPMethod = .POST, bearer: String? = nil) async throws {
        var request = HTTPClientRequest(url: url + path)
        request.method = method
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Authorization", value: bearer.map { "Bearer \($0)" } ?? "Basic " + Data("\(writeKey):".utf8).base64EncodedString())
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await client.execute(request, timeout: .seconds(60))
        let answer = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok else {
            throw BenchmarkFailure(description: "\(path) answered \(response.status.code): \(String(buffer: answer))")
        }
    }
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    var description: String
}

/// Latencies in milliseconds.
struct Latencies {
    let sorted: [Double]
    var count: Int { sorted.count }

    init(_ values: [Double]) {
        sorted = values.sorted()
    }

    func percentile(_ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        return sorted[min(sorted.count - 1, Int((p / 100 * Double(sorted.count)).rounded(.up)) - (p == 0 ? 0 : 1))]
    }
}

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1_000 + Double(duration.components.attoseconds) / 1e15
}
