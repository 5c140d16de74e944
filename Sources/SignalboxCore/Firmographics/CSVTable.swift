import Foundation

/// A minimal RFC 4180 reader that keeps each record's line number, for errors that say where.
public struct CSVTable: Sendable {
    public struct Record: Sendable {
        /// 1-based line where the record starts.
        public var line: Int
        public var fields: [String]
    }

    public var header: [String]
    public var records: [Record]

    /// Parses `text`; quoted fields may contain commas, quotes (`""`) and newlines.
    public init(parsing text: String, file: String) throws(FileError) {
        var records: [Record] = []
        var field = ""
        var fields: [String] = []
        var quoted = false
        var line = 1
        var recordLine = 1
        var atFieldStart = true
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        while let scalar = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if scalar == "\"" {
                    let next = iterator.next()
                    if next == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = next }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where atFieldStart:
                quoted = true
                atFieldStart = false
            case ",":
                fields.append(field)
                field = ""
                atFieldStart = true
            case "\r":
                continue
            case "\n":
                fields.append(field)
                if !(fields.count == 1 && fields[0].isEmpty) { records.append(Record(line: recordLine, fields: fields)) }
                fields = []
                field = ""
                line += 1
                recordLine = line
                atFieldStart = true
            default:
                field.unicodeScalars.append(scalar)
                atFieldStart = false
            }
        }
        if quoted { throw FileError(file: file, line: recordLine, message: "a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            records.append(Record(line: recordLine, fields: fields))
        }
        guard let first = records.first else { throw FileError(file: file, line: nil, message: "is empty; expected a header row") }
        header = first.fields.map { $0.trimmingBlanks().lowercased() }
        self.records = Array(records.dropFirst())
        for record in self.records where record.fields.count != header.count {
            throw FileError(file: file, line: record.line, message: "has \(record.fields.count) fields; the header has \(header.count)")
        }
    }

    /// The position of a column, or an error naming the missing column.
    public func column(_ name: String, file: String) throws(FileError) -> Int {
        guard let index = header.firstIndex(of: name) else {
            throw FileError(file: file, line: 1, message: "has no \"\(name)\" column (columns: \(header.joined(separator: ", ")))")
        }
        return index
    }
}

/// A problem in an input file, naming the file and line.
public struct FileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)" }
}
