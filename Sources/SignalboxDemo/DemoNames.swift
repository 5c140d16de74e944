/// Word lists the demo world builds names from.
enum DemoNames {
    static let prefixes = [
        "north", "blue", "bright", "clear", "swift", "green", "iron", "silver", "red", "true", "deep", "open", "prime",
        "quiet", "rapid", "solid", "summit", "terra", "urban", "vast", "west", "zen", "amber", "cedar", "delta", "ember",
        "fable", "granite", "harbor", "indigo", "juniper", "kite", "lumen", "maple", "nova", "orbit", "pine", "quartz",
    ]
    static let suffixes = [
        "wind", "stack", "labs", "works", "data", "loop", "forge", "field", "bridge", "point", "path", "logic", "grid",
        "scale", "signal", "cloud", "metrics", "ledger", "pulse", "ware", "hq", "systems", "flow", "base", "craft",
    ]
    static let tlds = ["com", "com", "com", "io", "co", "ai", "de", "co.uk"]
    static let universities = [
        "stanford.edu", "mit.edu", "berkeley.edu", "umich.edu", "utexas.edu", "nyu.edu", "ox.ac.uk", "cam.ac.uk",
        "ucl.ac.uk", "unimelb.edu.au", "sydney.edu.au", "gatech.edu", "cmu.edu", "wisc.edu",
    ]
    static let competitors = ["rivalmetrics.com", "datawatch.io", "pqlhunter.com"]
    static let personalDomains = ["gmail.com", "outlook.com", "yahoo.com", "hotmail.com", "icloud.com"]
    static let firstNames = [
        "ana", "ben", "chen", "dana", "eli", "fatima", "george", "hana", "ivan", "jun", "kara", "liam", "maya", "nora",
        "omar", "priya", "quinn", "rosa", "sam", "tara", "umar", "vera", "wei", "xena", "yusuf", "zoe",
    ]
    static let lastNames = [
        "adams", "baker", "cruz", "diaz", "evans", "fischer", "garcia", "hughes", "ito", "jones", "kim", "lopez",
        "muller", "nguyen", "okafor", "patel", "quinn", "rossi", "silva", "tanaka", "usman", "vogel", "wang", "young",
    ]
    static let goodIndustries = ["Software", "Fintech", "E-commerce", "Healthcare tech"]
    static let otherIndustries = ["Retail", "Manufacturing", "Government", "Non-profit", "Hospitality", "Construction"]
    static let goodCountries = ["US", "GB", "DE", "CA", "NL", "AU"]
    static let otherCountries = ["BR", "IN", "MX", "ZA", "PL", "TR"]
    static let techStacks = ["snowflake;dbt;looker", "bigquery;dbt", "postgres;metabase", "databricks;tableau", "mysql;excel", "redshift;dbt;mode"]
    static let fundingStages = ["seed", "series_a", "series_b", "series_c", "public", "bootstrapped"]
    static let buyerTitles = ["Head of Data", "VP Engineering", "Director of Analytics", "CTO", "Founder"]
    static let userTitles = ["Data Analyst", "Software Engineer", "Analytics Engineer", "Product Manager", "Data Scientist"]
    static let integrations = ["snowflake", "bigquery", "postgres", "salesforce", "hubspot", "stripe"]
    static let reportTypes = ["funnel", "retention", "cohort", "revenue", "table"]
    static let channels = ["slack", "email", "link"]
}
