import Foundation

/// Rows laid out for a terminal: every column padded to its widest cell except the last, which runs free.
enum TextTable {
    static func render(_ rows: [[String]]) -> String {
        let columns = rows.first?.count ?? 0
        let widths = (0..<max(columns - 1, 0)).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index < widths.count ? cell.padding(toLength: widths[index], withPad: " ", startingAt: 0) : cell
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
