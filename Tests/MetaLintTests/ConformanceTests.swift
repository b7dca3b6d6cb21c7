import Foundation
import Testing
import TestSupport

/// The contract's conformance programs (`../shared/spec/conformance`), each checked on its own and held to
/// its inline expectations (extra findings on an expected line tolerated, as its README says).
@Suite struct ConformanceTests {
  static let directory = FixtureRunner.repoRoot().deletingLastPathComponent()
    .appendingPathComponent("shared/spec/conformance")

  static var files: [String] { FixtureRunner.files(under: directory) }

  @Test func conformanceSuiteIsPresent() {
    #expect(Self.files.count >= 7, "expected the conformance programs at \(Self.directory.path)")
  }

  @Test(arguments: files)
  func conformance(_ name: String) {
    let failures = FixtureRunner.verify(Self.directory.appendingPathComponent(name), strict: false)
    #expect(failures.isEmpty, "\(name):\n\(failures.joined(separator: "\n"))")
  }
}
