import Foundation
import MetaLint
import MetaLintDriver
import ModelDSL
import Testing
import TestSupport

/// `fixtures/dsl/`: programs covering each grammar rule (`valid/`, which must check clean) and each error
/// (`errors/`), each checked on its own and held strictly to its inline expectations. Byte-level cases a
/// fixture cannot carry a comment for (invalid UTF-8) and exact columns are checked here in memory.
@Suite struct DSLFixtureTests {
  static let directory = FixtureRunner.repoRoot().appendingPathComponent("fixtures/dsl")
  static var files: [String] { FixtureRunner.files(under: directory) }

  @Test func corpusIsPresent() {
    #expect(Self.files.filter { $0.hasPrefix("valid/") }.count >= 8)
    #expect(Self.files.filter { $0.hasPrefix("errors/") }.count >= 10)
  }

  @Test(arguments: files)
  func dslFixture(_ name: String) {
    let failures = FixtureRunner.verify(Self.directory.appendingPathComponent(name), strict: true)
    #expect(failures.isEmpty, "\(name):\n\(failures.joined(separator: "\n"))")
  }

  @Test(arguments: files.filter { $0.hasPrefix("valid/") })
  func validFixtureHasNoFindings(_ name: String) {
    let (result, _) = FixtureRunner.findings([Self.directory.appendingPathComponent(name)])
    #expect(result.findings.isEmpty, "\(name): \(result.findings.map(\.message))")
  }

  // MARK: - In-memory cases

  /// (line, column, rule, message) of each finding of a one-file program.
  static func check(_ bytes: [UInt8]) -> [(line: Int, column: Int, rule: String, message: String)] {
    let result = Linter.check(files: [(path: "mem.mdl", bytes: bytes)])
    return result.findings.map { d in
      let loc = result.program.sources.location(d.range)
      return (loc.line, loc.column, d.rule, d.message)
    }
  }

  static func check(_ source: String) -> [(line: Int, column: Int, rule: String, message: String)] {
    check(Array(source.utf8))
  }

  static let template = """
    layer L(h: Int) {
      func forward(x: Tensor) -> Tensor {
        return x
      }
    }

    """

  /// Invalid UTF-8 is an `unresolved` error at its position, not a failure; checking goes on after it.
  @Test(arguments: [[0xFF] as [UInt8], [0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x99], [0xC0, 0xAF], [0xED, 0xA0, 0x80]])
  func invalidUTF8(_ bad: [UInt8]) {
    var bytes = Array("layer L(h: Int) {\n  func forward(x: Tensor) -> Tensor {\n    let s = x ".utf8)
    bytes += bad
    bytes += Array("\n    return undefined_after\n  }\n}\n".utf8)
    let found = Self.check(bytes)
    #expect(found.contains { $0.line == 3 && $0.column == 15 && $0.rule == "unresolved" }, "\(found)")
    #expect(found.contains { $0.line == 4 && $0.message.contains("'undefined_after'") }, "\(found)")
    #expect(found.allSatisfy { $0.rule == "unresolved" })
  }

  @Test func invalidUTF8InCommentAndString() {
    var bytes: [UInt8] = Array("// comment ".utf8) + [0xFF] + Array("\nconfig C {\n  s: String = \"a".utf8)
    bytes += [0xFE]
    bytes += Array("b\"\n}\n".utf8)
    let found = Self.check(bytes)
    #expect(found.contains { $0.line == 1 && $0.column == 12 }, "\(found)")
    #expect(found.contains { $0.line == 3 && $0.column == 17 }, "\(found)")
  }

  /// Columns count characters, not bytes, after multi-byte characters in strings and comments.
  @Test func columnsCountCharacters() {
    let found = Self.check("""
      config C {
        s: String = "🙂中\u{E9}"; t: Int = nope
      }
      /* «ü» 🙂 */ model m = Missing()

      """)
    #expect(found.contains { $0.line == 2 && $0.column == 31 && $0.message.contains("'nope'") }, "\(found)")
    #expect(found.contains { $0.line == 4 && $0.column == 23 && $0.message.contains("'Missing'") }, "\(found)")
  }

  /// A NUL byte is an error at its position; the rest of the file is checked.
  @Test func nulByte() {
    var bytes = Array("layer L(h: Int) {\n  func forward(x: Tensor) -> Tensor {\n    return ".utf8)
    bytes += [0]
    bytes += Array("x\n  }\n}\n".utf8)
    let found = Self.check(bytes)
    #expect(found.count == 1)
    #expect(found.first.map { $0.line == 3 && $0.column == 12 && $0.rule == "unresolved" } ?? false, "\(found)")
  }

  /// A byte order mark is skipped and does not shift columns.
  @Test func byteOrderMark() {
    let found = Self.check([0xEF, 0xBB, 0xBF] + Array("model m = Missing()\n".utf8))
    #expect(found.count == 1)
    #expect(found.first.map { $0.line == 1 && $0.column == 11 } ?? false, "\(found)")
  }

  /// CRLF and lone CR are line breaks for line numbers.
  @Test func crlfAndLoneCR() {
    let found = Self.check("config C {\r\n  a: Int = 1\r  b: Int = nope\r\n}\r\n")
    #expect(found.count == 1)
    #expect(found.first.map { $0.line == 3 && $0.column == 12 } ?? false, "\(found)")
  }

  /// The template checks clean, so the cases above measure only what they add.
  @Test func templateIsClean() {
    #expect(Self.check(Self.template).isEmpty)
  }
}
