import Foundation
import SignalboxCore

/// Ground truth for one account: it converted at a time, for an annual contract value.
public struct Outcome: Sendable, Equatable {
    public var accountId: String
    public var convertedAt: Date
    public var acv: Double?

    public init(accountId: String, convertedAt: Date, acv: Double?) {
        self.accountId = accountId
        self.convertedAt = convertedAt
        self.acv = acv
    }
}

/// Reads an outcomes CSV: `account_id,converted_at,acv`.
public enum OutcomesFile {
    public static func parse(_ text: String, file: String) throws(FileError) -> [Outcome] {
        let table = try CSVTable(parsing: text, file: file)
        let account = try table.column("account_id", file: file)
        let converted = try table.column("converted_at", file: file)
        let acv = table.header.firstIndex(of: "acv")
        var outcomes: [Outcome] = []
        for record in table.records {
            guard let time = Timestamp.parse(record.fields[converted]) else {
                throw FileError(file: file, line: record.line, message: "converted_at \"\(record.fields[converted])\" is not a date or time")
            }
            var value: Double?
            if let acv, !record.fields[acv].isEmpty {
                guard let number = Double(record.fields[acv]) else {
                    throw FileError(file: file, line: record.line, message: "acv \"\(record.fields[acv])\" is not a number")
                }
                value = number
            }
            outcomes.append(Outcome(accountId: record.fields[account], convertedAt: time, acv: value))
        }
        return outcomes
    }
}
