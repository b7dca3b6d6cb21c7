import Foundation
import Testing
import TestSupport

/// `fixtures/lint/`: one program per rule, each checked on its own and held strictly to its inline
/// expectations (every finding must be expected).
@Suite struct LintFixtureTests {
  static let directory = FixtureRunner.repoRoot().appendingPathComponent("fixtures/lint")
  static var files: [String] { FixtureRunner.files(under: directory) }

  static let rules = [
    "dropped-context", "dropped-unused-context", "unthreaded-context", "extra-argument", "argument-type",
    "argument-order", "fresh-context", "unresolved", "unused-suppression",
  ]

  @Test func everyRuleHasAFixture() {
    for rule in Self.rules {
      #expect(Self.files.contains("\(rule).mdl"), "missing fixtures/lint/\(rule).mdl")
    }
    #expect(Self.files.contains("suppression.mdl"))
  }

  @Test(arguments: files)
  func lintFixture(_ name: String) {
    let failures = FixtureRunner.verify(Self.directory.appendingPathComponent(name), strict: true)
    #expect(failures.isEmpty, "\(name):\n\(failures.joined(separator: "\n"))")
  }
}
