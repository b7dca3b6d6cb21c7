import MetaCore

/// The result of checking a program: findings sorted by file, line, column and rule.
public struct LintResult: @unchecked Sendable {
  public let model: CheckedModel
  public let findings: [Diagnostic]
  public let graph: CallGraph
  public let facts: ContextFacts
  /// The front end's own checked program (ModelDSL's `Program`), for the commands that go on from it (`run`,
  /// `compile`). The rules never read it.
  public let frontEnd: AnyObject?
  /// The files findings are reported for, when fewer than the program's (a file checked with the rest of
  /// its directory); nil means every user file.
  public var reportedFileCount: Int?

  public init(model: CheckedModel, findings: [Diagnostic], graph: CallGraph, facts: ContextFacts,
              frontEnd: AnyObject? = nil) {
    self.model = model
    self.findings = findings
    self.graph = graph
    self.facts = facts
    self.frontEnd = frontEnd
  }

  public var sources: SourceManager { model.sources }
  public var errorCount: Int { findings.filter { $0.severity == .error }.count }
  public var warningCount: Int { findings.filter { $0.severity == .warning }.count }

  /// The same result with other findings.
  public func with(findings: [Diagnostic]) -> LintResult {
    var out = LintResult(model: model, findings: findings, graph: graph, facts: facts, frontEnd: frontEnd)
    out.reportedFileCount = reportedFileCount
    return out
  }
}

/// Runs the rules over a checked model: call graph, context facts, classification of every call, each
/// enabled rule (in parallel), fix rendering, configured severities, then suppressions.
public enum Linter {
  public static func lint(_ model: CheckedModel, configuration: Configuration = Configuration(),
                          frontEnd: AnyObject? = nil) -> LintResult {
    let graph = CallGraph(model: model)
    let facts = ContextFacts(model: model, graph: graph)
    let calls = CallAnalysis.analyze(model, facts: facts)
    let shared = SharedAnalysis(model: model, facts: facts, calls: calls)
    let enabled = configuration.enabledRules
    let perRule = parallelMap(count: enabled.count, workers: calls.count >= 4096 ? workerCount() : 1) { i in
      let pass = Pass(rule: enabled[i], shared: shared)
      enabled[i].run(pass)
      return pass.findings
    }
    var findings = perRule.flatMap { $0 }
    var suppressions = Suppressions(model: model)
    findings = suppressions.filter(findings, sources: model.sources)
    let enabledIDs = Set(enabled.map { $0.id })
    if enabledIDs.contains("unused-suppression") {
      findings += suppressions.unused(enabled: enabledIDs)
    }
    for i in findings.indices { findings[i].severity = configuration.severity(of: findings[i].rule) }
    findings.sort { a, b in
      (a.range.file, a.range.start, a.rule, a.message) < (b.range.file, b.range.start, b.rule, b.message)
    }
    // One finding per rule and position: sorted, so duplicates are neighbours.
    var unique: [Diagnostic] = []
    unique.reserveCapacity(findings.count)
    for d in findings {
      if let last = unique.last, last.range.file == d.range.file, last.range.start == d.range.start,
         last.rule == d.rule, last.message == d.message { continue }
      unique.append(d)
    }
    // Intents become text edits in the program's own syntax.
    for i in unique.indices {
      for j in unique[i].fixIts.indices where !unique[i].fixIts[j].intents.isEmpty {
        unique[i].fixIts[j].edits = unique[i].fixIts[j].intents.flatMap { model.renderer.edits(for: $0, in: model) }
      }
    }
    return LintResult(model: model, findings: unique, graph: graph, facts: facts, frontEnd: frontEnd)
  }
}
