import Foundation
import MetaLint
import MetaLintDriver
import ModelDSL
import Testing
import TestSupport

/// The rule registry is the single list of rules: every rule in it is documented, has a lint fixture that
/// exercises it, appears in `rules` output order, and every rule a finding can carry is registered.
@Suite struct RegistryTests {
  /// The rules the contract (LANGUAGE.md §7) requires, plus metalint's own.
  static let contractRules = [
    "dropped-context", "dropped-unused-context", "unthreaded-context", "extra-argument", "argument-type",
    "argument-order", "fresh-context", "unresolved",
  ]

  @Test func everyContractRuleIsRegistered() {
    for id in Self.contractRules { #expect(Registry.rule(id) != nil, "\(id) is not registered") }
    #expect(Set(Registry.ids).count == Registry.ids.count, "duplicate rule ids")
  }

  @Test(arguments: Registry.ids)
  func ruleIsDocumentedAndHasAFixture(_ id: String) throws {
    let rule = try #require(Registry.rule(id))
    #expect(!rule.summary.isEmpty && !rule.summary.hasSuffix("."), "\(id): summary")
    for (part, text) in [("what", rule.doc.whatItDoes), ("why", rule.doc.whyItMatters), ("example", rule.doc.example),
                         ("fix", rule.doc.fix)] {
      #expect(text.count >= 20, "\(id): '\(part)' is missing or too short")
    }
    let fixture = FixtureRunner.repoRoot().appendingPathComponent("fixtures/lint/\(id).mdl")
    let source = try String(contentsOf: fixture, encoding: .utf8)
    #expect(source.contains("// expect: \(id)"), "fixtures/lint/\(id).mdl expects no '\(id)' finding")
    // The fixture really produces the rule.
    let (result, _) = FixtureRunner.findings([fixture])
    #expect(result.findings.contains { $0.rule == id }, "fixtures/lint/\(id).mdl produces no '\(id)' finding")
  }

  /// Every finding of the whole fixture corpus carries a registered rule id.
  @Test func findingsOnlyUseRegisteredRules() {
    let root = FixtureRunner.repoRoot().appendingPathComponent("fixtures")
    for dir in ["lint", "dsl", "fix"] {
      for name in FixtureRunner.files(under: root.appendingPathComponent(dir)) {
        let (result, _) = FixtureRunner.findings([root.appendingPathComponent(dir).appendingPathComponent(name)])
        for d in result.findings { #expect(Registry.rule(d.rule) != nil, "\(dir)/\(name): unregistered rule \(d.rule)") }
      }
    }
  }

  @Test func fixableRulesOfferFixesInTheirFixtures() throws {
    for rule in Registry.rules where rule.fixable {
      let fixture = FixtureRunner.repoRoot().appendingPathComponent("fixtures/lint/\(rule.id).mdl")
      let (result, _) = FixtureRunner.findings([fixture])
      let own = result.findings.filter { $0.rule == rule.id }
      #expect(own.contains { !$0.fixIts.isEmpty }, "\(rule.id) is marked fixable but no finding has a fix")
    }
  }
}
