import Foundation
import Hummingbird
import Logging
import SignalboxCore
import SignalboxDelivery
import SignalboxPipeline
import ServiceLifecycle
import SignalboxStore

/// Builds the Hummingbird application of `signalbox serve`: ingest, `/api`, operations routes,
/// one error shape, request logs with `Authorization` redacted, the background rescoring and the
/// outbox delivery.
///
/// ```swift
/// let app = SignalboxApplication(store: store, live: live, options: options).make()
/// try await app.runService()   // SIGTERM / SIGINT: stop accepting, finish in-flight requests, exit
/// ```
public struct SignalboxApplication: Sendable {
    /// What the server needs beyond the store and the pipeline.
    public struct Options: Sendable {
        public var host: String
        public var port: Int
        public var writeKeys: WriteKeys
        /// Nil closes `/api`.
        public var adminToken: String?
        public var maxRequestBytes: Int
        /// Nil turns the background rescoring off (tests drive it themselves).
        public var reevaluateEvery: Duration?
        /// How often handoffs' SLA clocks are checked; nil turns it off (tests drive it themselves).
        public var slaCheckEvery: Duration? = .seconds(60)
        public var postHogGroupType: String

        public init(settings: ServerSettings, writeKeys: WriteKeys, adminToken: String?) {
            host = settings.host
            port = settings.port
            self.writeKeys = writeKeys
            self.adminToken = adminToken
            maxRequestBytes = settings.maxRequestBytes
            reevaluateEvery = .seconds(settings.reevaluateEvery)
            postHogGroupType = settings.postHogGroupType
        }
    }

    public let store: any SignalStore
    public let live: LiveIngest
    public let options: Options
    public let metrics: ServerMetrics
    public let logger: Logger
    /// The time of received events that carry none and of live scores.
    public let clock: @Sendable () -> Date
    /// Delivers routed handoffs while the server runs; nil leaves them in the outbox.
    public let outbox: OutboxWorker?

    public init(
        store: any SignalStore, live: LiveIngest, options: Options, metrics: ServerMetrics = ServerMetrics(),
        logger: Logger = Logger(label: "signalbox"), clock: @escaping @Sendable () -> Date = Date.init, outbox: OutboxWorker? = nil
    ) {
        self.store = store
        self.live = live
        self.options = options
        self.metrics = metrics
        self.logger = logger
        self.clock = clock
        self.outbox = outbox
    }

    /// The application, ready to run or to test. `onListening` hears the port once the server listens.
    public func make(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let router = Router(context: BasicRequestContext.self)
        let ingest = IngestController(
            live: live, keys: options.writeKeys, bodyReader: RequestBodyReader(limit: options.maxRequestBytes),
            decoding: IngestDecoding(postHogGroupType: options.postHogGroupType), metrics: metrics, clock: clock
        )
        let api = APIController(live: live, store: store)
        let handoffs = HandoffController(store: store, clock: clock)
        let outcomes = OutcomeController(live: live, store: store)
        let ingestRoutes = ingest.routes()
        let apiRoutes = api.routes() + handoffs.routes() + outcomes.routes()
        // Filled in once every route is known; the document is built from the same list as the router.
        let allRoutes = ingestRoutes.map(\.0) + apiRoutes.map(\.0) + OperationsController.routeList
        let document = OpenAPIDocument.json(routes: allRoutes)
        let operations = OperationsController(store: store, metrics: metrics, openAPI: { document })

        router.add(middleware: LogRequestsMiddleware(.info, includeHeaders: .all(except: [.contentLength]), redactHeaders: [.authorization]))
        router.add(middleware: MetricsMiddleware())
        // Browser SDKs (analytics.js, RudderStack JS, posthog-js) send across origins with a preflight.
        router.add(middleware: CORSMiddleware(
            allowOrigin: .originBased, allowHeaders: [.accept, .authorization, .contentType, .contentEncoding, .origin],
            allowMethods: [.get, .post, .put, .options], maxAge: .seconds(86_400)
        ))
        router.add(middleware: ErrorResponseMiddleware(routes: allRoutes))
        for (route, format) in ingestRoutes {
            router.on(RouterPath(route.path), method: route.method) { request, context in
                try await ingest.handle(request, context: context, format: format)
            }
        }
        let admin = router.group().add(middleware: AdminTokenMiddleware(token: options.adminToken))
        for (route, handler) in apiRoutes { admin.on(RouterPath(route.path), method: route.method, use: handler) }
        for (route, handler) in operations.routes() { router.on(RouterPath(route.path), method: route.method, use: handler) }

        var services: [any Service] = []
        if let every = options.reevaluateEvery {
            services.append(StageReevaluation.service(live: live, every: every, metrics: metrics, logger: logger))
        }
        if let outbox { services.append(OutboxDelivery(worker: outbox)) }
        if let every = options.slaCheckEvery {
            services.append(SLATimer.service(live: live, every: every, metrics: metrics, logger: logger))
        }
        return Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(options.host, port: options.port), serverName: "Signalbox"),
            services: services,
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? options.port) },
            logger: logger
        )
    }
}
