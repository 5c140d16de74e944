/// The published scoring models `signalbox init --preset` writes as commented starter files.
public enum Preset: String, Sendable, CaseIterable {
    /// Weighted Fit / Value / Intent with a PQL and a sales-ready threshold, each with gates.
    case weighted
    /// Warm 40–59, Hot 60–79, Sales-ready 80+.
    case warmHotReady = "warm-hot-ready"
    /// Fit tier (A–D) × engagement tier matrix.
    case tierMatrix = "tier-matrix"

    /// The starter `signalbox.yaml` for this preset.
    public var yaml: String {
        header + PresetText.signals + PresetText.fit + stages + PresetText.fastLaneAndExclusions + PresetText.routing
    }

    /// The preset parsed, for code that wants the model without a file.
    public func config() throws(ConfigError) -> ModelConfig {
        try ConfigLoader.load(yaml: yaml, file: "preset \(rawValue)")
    }

    private var header: String {
        """
        # Signalbox scoring model: \(rawValue) preset.
        # Every key is documented in docs/configuration.md. Check edits with `signalbox check`.
        name: \(rawValue)
        # database: signalbox.sqlite      # where the store lives when --db is not given

        identity:
          account: workspace              # workspace: one account per groupId; company: roll up by domain
          extra_personal_domains: []      # added to gmail.com, outlook.com, … when inferring companies


        """
    }

    private var stages: String {
        switch self {
        case .weighted:
            return """
            # Total = weighted subscores. Unknown fit is left out of the total and fails fit gates.
            weights: { fit: 0.35, value: 0.45, intent: 0.20 }

            stages:
              pql:         { score: 40, gates: { value: 25 } }
              sales_ready: { score: 60, gates: { fit: 50, value: 40 } }


            """
        case .warmHotReady:
            return """
            weights: { fit: 0.35, value: 0.45, intent: 0.20 }

            # Warm 40–59 / Hot 60–79 / Ready 80+: hot accounts are PQLs, ready ones go to sales.
            bands: { warm: 40, hot: 60, ready: 80 }

            stages:
              pql:         { score: 60 }
              sales_ready: { score: 80, gates: { fit: 50 } }


            """
        case .tierMatrix:
            return """
            # Engagement = value and intent weighted together; fit is graded A–D on its own.
            weights: { fit: 0.35, value: 0.45, intent: 0.20 }

            stages:
              matrix:
                fit_tiers: { A: 75, B: 50, C: 25, D: 0 }
                engagement_tiers: { high: 50, medium: 30, low: 0 }
                sales_ready: [A-high, A-medium, B-high]
                pql: [A-low, B-medium, C-high, unknown-high]


            """
        }
    }
}

/// The parts every preset shares.
enum PresetText {
    static let signals = """
    # Signals: what people do in the product. Points are per occurrence unless `once` or `at_least`
    # is set; `cap` bounds a signal; `half_life` decays old occurrences; `window` keeps recent ones.
    signals:
      # Value: activation and depth
      projects_created:
        category: value
        event: Project Created
        points: 8
        cap: 24
        half_life: 21d
        reason: "Created {count} projects"
      integration_connected:
        category: value
        event: Integration Connected
        points: 12
        cap: 24
        half_life: 30d
        reason: "Connected {count} integrations"
      reports_created:
        category: value
        event: Report Created
        points: 3
        cap: 15
        half_life: 14d
        reason: "Built {count} reports"
      rows_synced:
        category: value
        event: Rows Synced
        sum: rows
        window: 30d
        at_least: 1000000
        points: 10
        reason: "Synced {count} rows in {window}"
      # Value: breadth and habit
      teammates_invited:
        category: value
        event: Teammate Invited
        window: 14d
        points: 5
        cap: 20
        reason: "Invited {count} teammates in {window}"
      dashboard_shared:
        category: value
        event: Dashboard Shared
        half_life: 14d
        points: 4
        cap: 12
        reason: "Shared dashboards {count} times"
      active_days:
        category: value
        metric: active_days
        window: 14d
        points: 1
        cap: 10
        reason: "Active on {count} of the last {window}"
      active_users:
        category: value
        metric: active_users
        window: 14d
        points: 3
        cap: 15
        reason: "{count} people active in the last {window}"
      team_adoption:
        category: value
        all: { projects_created: 3, teammates_invited: 2 }
        window: 14d
        points: 15
        reason: "3+ projects and 2+ teammates invited within {window}"

      # Intent: buying behaviour
      pricing_viewed:
        category: intent
        page: Pricing
        window: 14d
        half_life: 7d
        points: 10
        cap: 30
        reason: "Viewed pricing {count} times in {window}"
      plan_limit_hit:
        category: intent
        event: Plan Limit Hit
        window: 14d
        half_life: 7d
        points: 12
        cap: 36
        reason: "Hit a plan limit {count} times in {window}"
      sso_viewed:
        category: intent
        label: SSO setup viewed
        event: SSO Setup Viewed
        once: true
        window: 30d
        half_life: 14d
        points: 15
        reason: "Looked at SSO setup {days}"
      upgrade_started:
        category: intent
        event: Upgrade Started
        once: true
        window: 30d
        half_life: 14d
        points: 30
        reason: "Started an upgrade {days}"
      billing_added:
        category: intent
        event: Billing Added
        once: true
        window: 30d
        points: 40
        reason: "Added billing details {days}"
      contact_sales:
        category: intent
        event: Contact Sales Requested
        once: true
        window: 30d
        points: 50
        reason: "Asked to talk to sales {days}"

      # Negative and cooling
      gone_quiet:
        category: negative
        metric: days_since_last_active
        at_least: 14
        points: -30
        reason: "No activity for {count} days"
      integration_disconnected:
        category: negative
        event: Integration Disconnected
        window: 30d
        points: -10
        cap: 20
        reason: "Disconnected {count} integrations in {window}"
      seats_removed:
        category: negative
        event: Seat Removed
        window: 30d
        points: -5
        cap: 15
        reason: "Removed {count} seats in {window}"


    """

    static let fit = """
    # Fit: who the account is. Fields come from the firmographics file (employees, industry, country,
    # tech_stack, funding_stage, any extra column), else group traits, else members' traits;
    # prefix with company., workspace. or user. to pick one.
    fit:
      company_size:
        field: employees
        between: [50, 5000]
        points: 35
        label: "Company size"
      small_company:
        field: employees
        between: [10, 49]
        points: 10
        label: "Small company"
      target_industry:
        field: industry
        contains: [software, fintech, e-commerce, health]
        points: 25
        label: "Target industry"
      target_region:
        field: country
        in: [US, GB, DE, CA, NL, FR, AU]
        points: 15
        label: "Target region"
      modern_data_stack:
        field: tech_stack
        contains: [snowflake, bigquery, dbt, databricks]
        points: 10
        label: "Uses a modern data stack"
      buyer_persona:
        field: user.title
        contains: [head, vp, director, chief, cto, founder]
        points: 15
        label: "Buyer persona"


    """

    static let fastLaneAndExclusions = """
    # Hand-raisers skip the thresholds (but a company that fits poorly still needs min_fit).
    fast_lane:
      signals: [contact_sales, billing_added, upgrade_started]
      window: 14d
      min_fit: 40

    # Never sales-ready, whatever they do.
    exclusions:
      internal_domains: [acmeanalytics.io]
      name_patterns: [test, qa, sandbox]
      education: true
      competitor_domains: [rivalmetrics.com, datawatch.io, pqlhunter.com]
      accounts: []
      domains: []

    """

    static let routing = """

    # Routing: which motion and which person each PQL and sales-ready account goes to. Routes are
    # tried in order and the first match wins; excluded accounts are never routed. One company makes
    # one handoff; a route does not take the same company again inside its cooldown unless the
    # stage rises. Rep emails and secrets here are examples: replace them with your team's.
    routing:
      customer: { field: workspace.plan, in: [team, business, enterprise] }   # paying accounts
      owner_field: owner_email          # CRM owner column in the firmographics file, when you have one
      fit_tiers: { A: 75, B: 50, C: 25, D: 0 }
      segments:                         # first match wins
        enterprise: { field: employees, between: [1000, null] }
        mid_market: { field: employees, between: [200, 999] }
        smb:        { field: employees, between: [20, 199] }
        very_small: { field: employees, between: [null, 19] }
      routes:
        expansion:                      # customers growing: their account manager, not new business
          when: { customer: true }
          motion: expansion
          team: account_managers
          cooldown: 30d
          sla: 2d
          destinations: [handoff_log]
        hand_raiser:                    # asked for sales, started an upgrade or added billing
          when: { fast_lane: true, fit_tier: [A, B, C], segment: [enterprise, mid_market, smb] }
          motion: ae
          team: ae
          sla: 2h
          destinations: [handoff_log]
        qualify:                        # engaged, but nobody knows who they are: an SDR finds out
          when: { fit: unknown }
          motion: sdr
          team: sdr
          sla: 1d
          destinations: [handoff_log]
        very_small:                     # too small for a rep to pay off
          when: { segment: very_small }
          motion: self_serve
        low_fit:
          when: { stage: pql, fit_tier: [C, D] }
          motion: nurture
        ae:
          when: { stage: sales_ready, fit_tier: [A, B] }
          motion: ae
          team: ae
          sla: 4h
          destinations: [handoff_log]
        sdr:
          when: { stage: [pql, sales_ready] }
          motion: sdr
          team: sdr
          sla: 1d
          destinations: [handoff_log]
      default: { motion: nurture }
      teams:
        ae:
          manager: "#sales-managers"
          reps:
            - { email: dana.reyes@example.com, name: Dana Reyes, weight: 2, timezone: America/New_York, hours: "09:00-17:30", daily_capacity: 10 }
            - { email: sam.okafor@example.com, name: Sam Okafor, timezone: America/Chicago, hours: "09:00-17:30", daily_capacity: 6 }
            - { email: lea.martin@example.com, name: Léa Martin, timezone: Europe/Paris, hours: "09:00-18:00", daily_capacity: 6 }
        sdr:
          manager: "#sdr-leads"
          reps:
            - { email: ari.cohen@example.com, name: Ari Cohen, timezone: America/New_York, daily_capacity: 25 }
            - { email: mia.schmidt@example.com, name: Mia Schmidt, timezone: Europe/Berlin, daily_capacity: 25 }
        account_managers:
          manager: "#customer-success"
          reps:
            - { email: noor.haddad@example.com, name: Noor Haddad, timezone: America/Los_Angeles }
            - { email: tom.becker@example.com, name: Tom Becker, timezone: Europe/London }
      fallback_owner: { email: revops@example.com, name: RevOps queue }
      # Talk tracks: the first play for the route's motion whose signals are among the account's
      # reasons is recommended; a play without signals fits any account. Placeholders: {account},
      # {champion}, {champion_title}, {why_now}, {reason} (the play signal's reason), {owner}.
      plays:
        expansion:
          title: Expansion
          motions: [expansion]
          talk_track: "{account} already pays and is growing ({reason}). Ask {champion} where the team is headed and size the next plan with them."
        asked_for_sales:
          title: Answer the hand-raise
          signals: [contact_sales]
          talk_track: "{champion} asked to talk to sales. Reply today, confirm what they need and book a call."
        usage_pressure:
          title: Usage-pressure upgrade
          signals: [plan_limit_hit, rows_synced]
          talk_track: "{account} is pressing on the free plan's limits ({reason}). Show {champion} what the paid plan unlocks before a limit blocks their work."
        security_review:
          title: Security review
          signals: [sso_viewed]
          talk_track: "{champion} looked at SSO: security is on the table. Offer the security pack and a call with the team that signs off."
        team_expansion:
          title: Team expansion
          signals: [teammates_invited, team_adoption]
          talk_track: "{account} is spreading through the team ({reason}). Ask {champion} who else should be on board and offer a team plan."
        implementation_help:
          title: Implementation help
          signals: [integration_connected]
          talk_track: "{account} is wiring the product into their stack. Offer {champion} an implementation session to get to value faster."
        buying_help:
          title: Help them buy
          signals: [upgrade_started, billing_added, pricing_viewed]
          talk_track: "{account} is weighing the purchase ({why_now}). Offer {champion} help choosing a plan."
        check_in:
          title: Check in
          talk_track: "{account} is active ({reason}). Ask {champion} what they are trying to get done."
      # Usage against plan limits in the brief; `when` picks the accounts on that plan.
      plan_limits:
        seats:      { label: Active users in 14 days (free plan limit), signal: active_users, limit: 5,
                      when: { field: workspace.plan, in: [free] } }
        rows:       { label: Rows synced in 30 days (free plan limit), signal: rows_synced, limit: 1000000,
                      when: { field: workspace.plan, in: [free] } }
        team_seats: { label: Active users in 14 days (Team plan limit), signal: active_users, limit: 25,
                      when: { field: workspace.plan, equals: team } }

    # Where handoffs go. `signalbox route` queues one outbox message per destination of the route;
    # `signalbox outbox deliver` sends them. Secrets are read from the environment variables named here.
    destinations:
      handoff_log: { type: file, path: handoffs.ndjson }   # one JSON line per handoff
      # sales_slack: { type: slack, webhook_url_env: SLACK_SALES_WEBHOOK_URL }
      # crm:         { type: hubspot, token_env: HUBSPOT_PRIVATE_APP_TOKEN }
      # sfdc:        { type: salesforce, instance_url_env: SFDC_INSTANCE_URL, token_env: SFDC_ACCESS_TOKEN }
      # partner:     { type: webhook, url_env: HANDOFF_WEBHOOK_URL, secret_env: HANDOFF_WEBHOOK_SECRET }

    """
}
