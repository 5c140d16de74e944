import Foundation

extension ConfigLoader {
    static let routingKeys = ["customer", "owner_field", "fit_tiers", "segments", "routes", "default", "teams", "fallback_owner", "plays", "plan_limits"]

    /// The `routing:` section, checked against the signals it names.
    static func routing(_ node: YAMLNode?, signals: [SignalDefinition]) throws(ConfigError) -> RoutingConfig {
        var config = RoutingConfig()
        guard let node else { return config }
        try node.requireKeys(in: routingKeys)
        if let customer = node["customer"] { config.customer = try filter(customer) }
        config.ownerField = try node["owner_field"]?.string()
        if let tiers = node["fit_tiers"] {
            var result: [(name: String, minimum: Double)] = []
            for (name, minimum) in try tiers.entries() { result.append((name, try minimum.number())) }
            guard !result.isEmpty else { throw tiers.error("needs at least one tier") }
            config.fitTiers = result.sorted { $0.minimum > $1.minimum }
        }
        if let segments = node["segments"] {
            for (name, segment) in try segments.entries() { config.segments.append(Segment(name: name, filter: try filter(segment))) }
        }
        if let teams = node["teams"] {
            for (id, team) in try teams.entries() { config.teams[id] = try self.team(id: id, team) }
        }
        if let fallback = node["fallback_owner"] { config.fallbackOwner = try rep(fallback) }
        if let routes = node["routes"] {
            for (id, route) in try routes.entries() { config.routes.append(try self.route(id: id, route, config: config)) }
        }
        if let fallbackRoute = node["default"] {
            config.defaultRoute = try route(id: "default", fallbackRoute, config: config)
            if !config.defaultRoute.conditions.isEmpty { throw fallbackRoute["when"]!.error("the default route takes every account left; it has no conditions") }
        }
        let signalIds = Set(signals.map(\.id))
        if let plays = node["plays"] {
            for (id, play) in try plays.entries() {
                try play.requireKeys(in: ["title", "signals", "motions", "talk_track"])
                guard let track = play["talk_track"] else { throw play.error("talk_track is required") }
                var names: [String] = []
                for item in try play["signals"]?.items() ?? [] {
                    let name = try item.string()
                    guard signalIds.contains(name) else { throw item.error("refers to unknown signal \"\(name)\"") }
                    names.append(name)
                }
                var motions: Set<Motion>?
                if let list = play["motions"] {
                    motions = []
                    for item in try list.items() { motions?.insert(try item.choice(Motion.self)) }
                }
                config.plays.append(Play(
                    id: id, title: try play["title"]?.string() ?? id.replacingOccurrences(of: "_", with: " ").capitalizedFirst,
                    signals: names, motions: motions, talkTrack: try track.string()
                ))
            }
        }
        if let limits = node["plan_limits"] {
            for (id, limit) in try limits.entries() {
                try limit.requireKeys(in: ["label", "signal", "limit", "when"])
                guard let signalNode = limit["signal"], let limitNode = limit["limit"] else { throw limit.error("needs signal and limit") }
                let signal = try signalNode.string()
                guard signalIds.contains(signal) else { throw signalNode.error("refers to unknown signal \"\(signal)\"") }
                let amount = try limitNode.number()
                guard amount > 0 else { throw limitNode.error("must be greater than 0") }
                config.planLimits.append(PlanLimit(
                    label: try limit["label"]?.string() ?? id.capitalizedFirst, signal: signal, limit: amount, when: try limit["when"].map(filter)
                ))
            }
        }
        return config
    }

    /// `{field: employees, between: [200, 999]}`, the same tests fit rules use.
    private static func filter(_ node: YAMLNode) throws(ConfigError) -> PropertyFilter {
        try node.requireKeys(in: ["field", "between", "in", "equals", "contains", "exists", "is"])
        guard let field = node["field"] else { throw node.error("field is required") }
        return PropertyFilter(field: try field.string(), test: try fieldTest(node, shorthand: false))
    }

    private static func route(id: String, _ node: YAMLNode, config: RoutingConfig) throws(ConfigError) -> Route {
        try node.requireKeys(in: ["when", "motion", "team", "cooldown", "sla", "destinations"])
        guard let motionNode = node["motion"] else { throw node.error("motion is required (\(Motion.allCases.map(\.rawValue).joined(separator: ", ")))") }
        var route = Route(id: id, motion: try motionNode.choice(Motion.self), line: node.line)
        if let teamNode = node["team"] {
            let team = try teamNode.string()
            guard config.teams[team] != nil else { throw teamNode.error("refers to unknown team \"\(team)\"; teams are \(config.teams.keys.sorted().joined(separator: ", "))") }
            route.team = team
        } else if route.motion.isHuman, config.fallbackOwner == nil {
            throw node.error("motion \(route.motion.rawValue) hands accounts to people: give it a team, or set routing.fallback_owner")
        }
        if let cooldown = node["cooldown"] { route.cooldown = try cooldown.duration() }
        route.sla = try node["sla"]?.duration()
        route.destinations = try node["destinations"]?.strings() ?? []
        if let when = node["when"] { route.conditions = try conditions(when, config: config) }
        return route
    }

    private static func conditions(_ node: YAMLNode, config: RoutingConfig) throws(ConfigError) -> RouteConditions {
        try node.requireKeys(in: ["stage", "customer", "fast_lane", "fit", "fit_tier", "segment", "total", "value", "intent"])
        var conditions = RouteConditions()
        if let stages = node["stage"] {
            var set = Set<Stage>()
            for name in try stages.strings() {
                guard let stage = Stage(rawValue: name), stage == .pql || stage == .salesReady else {
                    throw stages.error("must be pql or sales_ready (other stages are never routed), got \"\(name)\"")
                }
                set.insert(stage)
            }
            conditions.stages = set
        }
        conditions.customer = try node["customer"]?.bool()
        conditions.fastLane = try node["fast_lane"]?.bool()
        if let fit = node["fit"] {
            if case .scalar = fit.node {
                switch try fit.string() {
                case "unknown": conditions.fitUnknown = true
                case "known": conditions.fitUnknown = false
                default: throw fit.error("must be unknown, known, or a range such as {at_least: 50}")
                }
            } else {
                conditions.ranges[.fit] = try range(fit)
            }
        }
        for field in [RouteConditions.ScoreField.total, .value, .intent] {
            if let bound = node[field.rawValue] { conditions.ranges[field] = try range(bound) }
        }
        if let tiers = node["fit_tier"] {
            let names = try tiers.strings()
            for name in names where !config.fitTiers.contains(where: { $0.name == name }) {
                throw tiers.error("unknown fit tier \"\(name)\"; tiers are \(config.fitTiers.map(\.name).joined(separator: ", "))")
            }
            conditions.fitTiers = Set(names)
        }
        if let segments = node["segment"] {
            let names = try segments.strings()
            for name in names where !config.segments.contains(where: { $0.name == name }) {
                throw segments.error("unknown segment \"\(name)\"; segments are \(config.segments.map(\.name).joined(separator: ", "))")
            }
            conditions.segments = Set(names)
        }
        return conditions
    }

    /// `{at_least: 50}`, `{below: 25}` or both.
    private static func range(_ node: YAMLNode) throws(ConfigError) -> ClosedRange<Double> {
        try node.requireKeys(in: ["at_least", "below"])
        let low = try node["at_least"]?.number() ?? -Double.infinity
        let high = try node["below"].map { node throws(ConfigError) in try node.number().nextDown } ?? Double.infinity
        guard low <= high else { throw node.error("at_least must be below below") }
        return low...high
    }

    private static func team(id: String, _ node: YAMLNode) throws(ConfigError) -> Team {
        try node.requireKeys(in: ["reps", "manager"])
        guard let repsNode = node["reps"] else { throw node.error("reps is required") }
        var reps: [Rep] = []
        for item in try repsNode.items() {
            let rep = try rep(item)
            if reps.contains(where: { $0.email == rep.email }) { throw item.error("\(rep.email) appears twice in this team") }
            reps.append(rep)
        }
        guard !reps.isEmpty else { throw repsNode.error("needs at least one rep") }
        return Team(id: id, reps: reps, manager: try node["manager"]?.string())
    }

    private static let weekdayNames = ["sun": 1, "mon": 2, "tue": 3, "wed": 4, "thu": 5, "fri": 6, "sat": 7]

    private static func rep(_ node: YAMLNode) throws(ConfigError) -> Rep {
        try node.requireKeys(in: ["email", "name", "weight", "daily_capacity", "timezone", "hours", "days", "active", "out_of_office", "crm_ids"])
        guard let emailNode = node["email"] else { throw node.error("email is required") }
        let email = try emailNode.string().lowercased()
        guard email.contains("@") else { throw emailNode.error("must be an email address, got \"\(email)\"") }
        var rep = Rep(email: email, name: try node["name"]?.string())
        if let weight = node["weight"] {
            rep.weight = try weight.number()
            guard rep.weight > 0 else { throw weight.error("must be greater than 0") }
        }
        if let capacity = node["daily_capacity"] { rep.dailyCapacity = try positiveInteger(capacity, maximum: 10_000) }
        if let zone = node["timezone"] {
            let identifier = try zone.string()
            guard TimeZone(identifier: identifier) != nil else { throw zone.error("unknown time zone \"\(identifier)\"; use an IANA name such as Europe/Berlin") }
            rep.hours.timeZone = identifier
        }
        if let hours = node["hours"] {
            let text = try hours.string()
            let ends = text.split(separator: "-").map { minutes(of: String($0)) }
            guard ends.count == 2, let start = ends[0], let end = ends[1], start < end else {
                throw hours.error("must be a daily span such as 09:00-17:30, got \"\(text)\"")
            }
            rep.hours.start = start
            rep.hours.end = end
        }
        if let days = node["days"] {
            var set = Set<Int>()
            for name in try days.strings() {
                guard let day = weekdayNames[String(name.lowercased().prefix(3))] else { throw days.error("unknown weekday \"\(name)\"; use mon, tue, …") }
                set.insert(day)
            }
            rep.hours.weekdays = set
        }
        rep.active = try node["active"]?.bool() ?? true
        if let ids = node["crm_ids"] {
            try ids.requireKeys(in: ["hubspot", "salesforce"])
            for (crm, id) in try ids.entries() { rep.crmIds[crm] = try id.string() }
        }
        if let away = node["out_of_office"] {
            for item in try away.items() {
                let text = try item.string()
                let parts = text.components(separatedBy: "..")
                guard (1...2).contains(parts.count), parts.allSatisfy(isDay) else {
                    throw item.error("must be a day or a range of days such as 2026-12-21..2027-01-02, got \"\(text)\"")
                }
                rep.outOfOffice.append(DayRange(first: parts[0], last: parts.last!))
            }
        }
        return rep
    }

    private static func minutes(of clock: String) -> Int? {
        let parts = clock.trimmingCharacters(in: .whitespaces).split(separator: ":").compactMap { Int($0) }
        guard parts.count == 2, (0...24).contains(parts[0]), (0..<60).contains(parts[1]) else { return nil }
        return parts[0] * 60 + parts[1]
    }

    private static func isDay(_ text: String) -> Bool {
        text.count == 10 && (try? Regex("^\\d{4}-\\d{2}-\\d{2}$").wholeMatch(in: text)) != nil
    }
}

extension ConfigLoader {
    /// The `destinations:` section.
    static func destinations(_ node: YAMLNode?) throws(ConfigError) -> [Destination] {
        guard let node else { return [] }
        var result: [Destination] = []
        for (name, item) in try node.entries() {
            guard let kindNode = item["type"] else {
                throw item.error("type is required (\(Destination.Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            let kind = try kindNode.choice(Destination.Kind.self)
            let (required, optional) = Destination.keys(of: kind)
            try item.requireKeys(in: ["type", "rate_per_second", "max_attempts"] + required + optional)
            var destination = Destination(name: name, kind: kind)
            for key in required {
                guard let value = item[key] else { throw item.error("\(key) is required for a \(kind.rawValue) destination") }
                destination.settings[key] = try value.string()
            }
            for key in optional {
                if let value = item[key] { destination.settings[key] = try value.string() }
            }
            if let rate = item["rate_per_second"] {
                destination.ratePerSecond = try rate.number()
                guard destination.ratePerSecond! > 0 else { throw rate.error("must be greater than 0") }
            }
            if let attempts = item["max_attempts"] { destination.maxAttempts = try positiveInteger(attempts, maximum: 100) }
            result.append(destination)
        }
        return result
    }

    /// Every destination a route names must exist.
    static func checkDestinations(_ routing: RoutingConfig, destinations: [Destination], routingNode: YAMLNode?) throws(ConfigError) {
        guard let routingNode else { return }
        let names = Set(destinations.map(\.name))
        for route in routing.routes + [routing.defaultRoute] {
            for name in route.destinations where !names.contains(name) {
                let node = (route.id == "default" ? routingNode["default"] : routingNode["routes"]?[route.id])?["destinations"] ?? routingNode
                let known = names.isEmpty ? "no destinations are configured" : "destinations are \(names.sorted().joined(separator: ", "))"
                throw node.error("refers to unknown destination \"\(name)\"; \(known)")
            }
        }
    }
}

extension RouteConditions {
    /// True when the route takes every account.
    var isEmpty: Bool { self == RouteConditions() }
}
