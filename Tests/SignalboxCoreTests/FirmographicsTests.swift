import XCTest
@testable import SignalboxCore

final class FirmographicsTests: XCTestCase {
    func testFieldsAreTrimmedOfBlanksAndExtraColumnsKept() throws {
        let csv = """
         domain , name,employees,tech_stack,\u{A0}region
        Acme.com ,\t Acme Inc\u{A0} ,"1,200", Snowflake ; dbt ;;,\u{2003}EMEA
        beta.io,Béta,,,
        """
        let companies = try FirmographicsFile.parse(csv, file: "companies.csv")
        XCTAssertEqual(companies, [
            Company(domain: "acme.com", name: "Acme Inc", employees: 1200, techStack: ["snowflake", "dbt"], extra: ["region": "EMEA"]),
            Company(domain: "beta.io", name: "Béta"),
        ])
    }

    func testBlankTrimmingMatchesFoundationsWhitespaceSet() {
        for text in ["", " ", "\t\t", "a", " a b ", "\u{A0}x\u{3000}", "\u{2003} é \t", "\n x \n", "é"] {
            XCTAssertEqual(text.trimmingBlanks(), text.trimmingCharacters(in: .whitespaces), text.debugDescription)
        }
    }

    func testABadNumberNamesItsLine() {
        let csv = "domain,employees\nacme.com,12\nbeta.io,many\n"
        XCTAssertThrowsError(try FirmographicsFile.parse(csv, file: "companies.csv")) { error in
            XCTAssertEqual(error as? FileError, FileError(file: "companies.csv", line: 3, message: "employees must be a number, got \"many\""))
        }
    }
}
