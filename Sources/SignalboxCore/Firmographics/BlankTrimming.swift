extension String {
    /// The text without leading and trailing blanks (spaces, tabs and other space separators: what
    /// `CharacterSet.whitespaces` trims), without Foundation's character sets, which cost
    /// microseconds a call on Linux: a firmographics file trims every field of every row.
    func trimmingBlanks() -> String {
        let scalars = unicodeScalars
        func isBlank(_ scalar: Unicode.Scalar) -> Bool {
            scalar == " " || scalar == "\t" || (scalar.value >= 0x80 && scalar.properties.generalCategory == .spaceSeparator)
        }
        guard let first = scalars.firstIndex(where: { !isBlank($0) }),
              let last = scalars.lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(scalars[first...last])
    }
}
