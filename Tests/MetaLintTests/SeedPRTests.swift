import Foundation
import Testing
import TestSupport

/// `fixtures/seed-pr/`: FastDeploy #5138 in three states, each directory checked as one program and held
/// strictly to its inline expectations, plus the shape of each state's findings.
@Suite struct SeedPRTests {
  static let root = FixtureRunner.repoRoot().appendingPathComponent("fixtures/seed-pr")
  static let expectedFiles = [
    "deepseek_v3.mdl", "ernie4_5_moe.mdl", "ernie4_5_mtp.mdl", "ernie4_5_vl_moe.mdl", "forward_meta.mdl",
    "glm4_moe.mdl", "gpt_oss.mdl", "moe.mdl", "mtp.mdl", "qwen2.mdl", "qwen3moe.mdl",
  ]

  /// The rules of a state's findings, in order, and the expectation failures.
  static func check(_ state: String) -> (rules: [String], failures: [String]) {
    let dir = root.appendingPathComponent(state)
    let names = FixtureRunner.files(under: dir)
    let urls = names.map { dir.appendingPathComponent($0) }
    let (result, byFile) = FixtureRunner.findings(urls)
    var failures: [String] = []
    for url in urls {
      let source = String(decoding: (try? Data(contentsOf: url)) ?? Data(), as: UTF8.self)
      let f = Expectations(source: source).verify(byFile[url.path] ?? [], strict: true)
      failures += f.map { "\(state)/\(url.lastPathComponent): \($0)" }
    }
    let known = Set(urls.map(\.path))
    for (path, found) in byFile where !known.contains(path) {
      failures += found.map { "finding outside the state's files, \(path): \($0)" }
    }
    return (result.findings.map(\.rule), failures)
  }

  @Test(arguments: ["before", "review", "after"])
  func stateHasEveryFile(_ state: String) {
    #expect(FixtureRunner.files(under: Self.root.appendingPathComponent(state)) == Self.expectedFiles)
  }

  @Test(arguments: ["before", "review", "after"])
  func stateMeetsItsInlineExpectations(_ state: String) {
    let (_, failures) = Self.check(state)
    #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
  }

  @Test func afterHasNoFindings() {
    #expect(Self.check("after").rules == [])
  }

  @Test func reviewHasTheSixReviewFindings() {
    let rules = Self.check("review").rules.sorted()
    #expect(rules == [
      "argument-order", "dropped-context", "dropped-unused-context", "dropped-unused-context",
      "dropped-unused-context", "extra-argument",
    ])
  }

  /// Each review finding stands where the contract puts it: an argument finding at the argument, a call
  /// finding at the callee's final name (`experts` in `model.layers[i].mlp.experts(…)`). Columns count
  /// characters.
  @Test func reviewFindingsStandAtTheirAnchors() throws {
    let dir = Self.root.appendingPathComponent("review")
    let urls = FixtureRunner.files(under: dir).map { dir.appendingPathComponent($0) }
    let (result, _) = FixtureRunner.findings(urls)
    let anchors: [String: String] = [
      "dropped-context": "experts(fake_hidden_states",
      "extra-argument": "forwardMeta)  // expect",
      "argument-order": "hidden_states: post_attention_layernorm",
      "dropped-unused-context": "shared_experts(",
    ]
    #expect(result.findings.count == 6)
    for d in result.findings {
      let loc = result.program.sources.location(d.range)
      let text = try String(contentsOfFile: loc.path, encoding: .utf8)
      let line = text.split(separator: "\n", omittingEmptySubsequences: false)[loc.line - 1]
      let needle = try #require(anchors[d.rule])
      let found = try #require(line.range(of: needle), "\(d.rule): '\(needle)' not on line \(loc.line)")
      let column = line.distance(from: line.startIndex, to: found.lowerBound) + 1
      #expect(loc.column == column, "\(d.rule) at \(loc.path):\(loc.line):\(loc.column), expected column \(column)")
    }
  }

  @Test func beforeHasOnlyUnthreadedContext() {
    let rules = Self.check("before").rules
    #expect(!rules.isEmpty)
    #expect(Set(rules) == ["unthreaded-context"])
    #expect(rules.count == 11)
  }
}
