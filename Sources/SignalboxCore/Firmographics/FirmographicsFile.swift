import Foundation

/// Reads a firmographics CSV keyed by `domain` into ``Company`` records.
///
/// Columns `name, employees, industry, country, tech_stack` (`;`-separated) and `funding_stage` are
/// understood; any other column is kept and usable in fit rules by its header name.
public enum FirmographicsFile {
    static let knownColumns: Set<String> = ["domain", "name", "employees", "industry", "country", "tech_stack", "funding_stage"]

    public static func parse(_ text: String, file: String) throws(FileError) -> [Company] {
        let table = try CSVTable(parsing: text, file: file)
        let domainColumn = try table.column("domain", file: file)
        var companies: [Company] = []
        for record in table.records {
            var values: [String: String] = [:]
            for (index, name) in table.header.enumerated() {
                values[name] = record.fields[index].trimmingBlanks()
            }
            guard let domain = DomainName.normalize(record.fields[domainColumn]) else {
                throw FileError(file: file, line: record.line, message: "domain \"\(record.fields[domainColumn])\" is not a domain")
            }
            var employees: Double?
            if let raw = values["employees"], !raw.isEmpty {
                guard let number = Double(raw.replacingOccurrences(of: ",", with: "")), number >= 0 else {
                    throw FileError(file: file, line: record.line, message: "employees must be a number, got \"\(raw)\"")
                }
                employees = number
            }
            companies.append(Company(
                domain: domain, name: values["name"].nonEmpty, employees: employees, industry: values["industry"].nonEmpty,
                country: values["country"].nonEmpty,
                techStack: (values["tech_stack"] ?? "").split(separator: ";").map { String($0).trimmingBlanks().lowercased() }.filter { !$0.isEmpty },
                fundingStage: values["funding_stage"].nonEmpty,
                extra: values.filter { !knownColumns.contains($0.key) && !$0.value.isEmpty }
            ))
        }
        return companies
    }
}

extension Optional where Wrapped == String {
    var nonEmpty: String? {
        guard let self, !self.isEmpty else { return nil }
        return self
    }
}
